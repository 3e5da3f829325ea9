"""Turn deploy/audit-ignore.txt into pip-audit options, refusing expired entries.

Each line: ADVISORY-ID  YYYY-MM-DD  reason (the date the ignore stops working; by then the
dependency is upgraded or the entry renewed with a new reason). Blank lines and # comments
are skipped. Prints `--ignore-vuln ID` for every live entry; exits 1 naming any expired or
malformed one. Standard library only: it runs before anything is installed.
"""

import datetime as dt
import sys


def parse(text, today):
    options, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        try:
            advisory, until = parts[0], dt.date.fromisoformat(parts[1])
            reason = parts[2]
        except (IndexError, ValueError):
            problems.append(f"line {number}: expected 'ID YYYY-MM-DD reason': {line}")
            continue
        if until < today:
            problems.append(f"line {number}: the ignore of {advisory} expired on {until} ({reason})")
        else:
            options += ["--ignore-vuln", advisory]
    return options, problems


def main(path):
    with open(path, encoding="utf-8") as handle:
        options, problems = parse(handle.read(), dt.date.today())
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(" ".join(options))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
