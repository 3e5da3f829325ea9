import os

# Tests run with development keys; production refuses to start without real ones.
os.environ.setdefault("ADUAN_ALLOW_DEV_KEYS", "1")
os.environ.setdefault("ADUAN_PLAIN_STATIC", "1")
