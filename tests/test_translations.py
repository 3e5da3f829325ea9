"""Everything user-facing is translated: every message the code and templates mark for
translation has an Indonesian translation in the committed catalogue.

tests/test_project.py checks that the catalogue is complete and compiled; this test checks
that it is complete for the code as it is now, by extracting the messages again
(makemessages, in a copy of the tree, so the committed catalogue is untouched)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOURCES = ("accounts", "complaints", "config", "dashboard", "ml", "routing", "templates", "locale")
CATALOGUE = Path("locale") / "id" / "LC_MESSAGES" / "django.po"


def extract(tree):
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    for name in (*(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists()), "manage.py"):
        if not (tree / name).exists():
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, tree / name)
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete"],
                   cwd=tree, check=True, capture_output=True, env={"DEBUG": "1", "PATH": "/usr/bin:/bin"})
    return polib.pofile(str(tree / CATALOGUE))


@pytest.mark.skipif(shutil.which("xgettext") is None,
                    reason="needs GNU gettext's xgettext (apt-get install gettext; .ci/run installs it)")
def test_every_message_of_the_code_has_an_indonesian_translation(tmp_path):
    committed = polib.pofile(str(ROOT / CATALOGUE))
    translated = {(e.msgctxt, e.msgid) for e in committed.translated_entries()}
    current = extract(tmp_path)
    missing = sorted(e.msgid for e in current if not e.obsolete and (e.msgctxt, e.msgid) not in translated)
    assert missing == [], f"{len(missing)} messages without a translation, e.g. {missing[:5]}"
