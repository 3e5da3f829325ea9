"""Settings for the test suite: the production settings with development keys allowed
and cheap password hashing. Everything else (DATABASE_URL, REDIS_URL) still comes from
the environment, so the same suite runs on SQLite and on PostgreSQL + Redis."""

import os

os.environ.setdefault("ADUAN_ALLOW_DEV_KEYS", "1")
os.environ.setdefault("ADUAN_PLAIN_STATIC", "1")

from .settings import *  # noqa: E402,F403

# Real hashing costs ~0.3 s per user; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests read the English source texts unless they ask for Indonesian; the Indonesian
# default of the real settings has its own tests (tests/test_project.py).
LANGUAGE_CODE = "en"
