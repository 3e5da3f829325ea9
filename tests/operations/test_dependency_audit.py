"""The dependency audit's ignore list: entries expire, and an expired or malformed entry
fails the check instead of silencing an advisory for ever."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

from audit_ignores import parse  # noqa: E402

TODAY = dt.date(2026, 12, 3)


def test_live_entries_become_ignore_options_and_comments_are_skipped():
    options, problems = parse("# a comment\n\nGHSA-aaaa-bbbb-cccc 2026-12-31 only the unused CLI\n", TODAY)
    assert options == ["--ignore-vuln", "GHSA-aaaa-bbbb-cccc"] and problems == []


def test_an_expired_entry_fails():
    options, problems = parse("PYSEC-2026-1 2026-12-02 waiting for 2.1\nPYSEC-2026-2 2027-01-01 n/a\n", TODAY)
    assert options == ["--ignore-vuln", "PYSEC-2026-2"]
    assert problems == ["line 1: the ignore of PYSEC-2026-1 expired on 2026-12-02 (waiting for 2.1)"]


def test_an_entry_without_a_date_or_reason_fails():
    for line in ("PYSEC-2026-1", "PYSEC-2026-1 someday because", "PYSEC-2026-1 2027-01-01"):
        assert parse(line, TODAY)[1], line


def test_the_committed_list_is_valid_today():
    done = subprocess.run([sys.executable, str(ROOT / "deploy/audit_ignores.py"), str(ROOT / "deploy/audit-ignore.txt")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
