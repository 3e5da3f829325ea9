#!/bin/sh
# Check every installed dependency (the pinned ones and what they pull in) against the
# published vulnerability databases with pip-audit (OSV by default; AUDIT_SERVICE=pypi for
# PyPI's JSON API). Needs to reach that service. Advisories that do not apply are listed,
# each with an expiry date, in deploy/audit-ignore.txt; an expired entry fails the check.
# Usage: deploy/audit-dependencies.sh   (APP_PYTHON: the app's python, default .venv/bin/python)
set -eu
cd "$(dirname "$0")/.."
venv=${AUDIT_VENV:-.venv-audit}
if [ ! -x "$venv/bin/pip-audit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pip-audit==2.10.1
fi
ignores=$(python3 deploy/audit_ignores.py deploy/audit-ignore.txt)
requirements=$(mktemp)
trap 'rm -f "$requirements"' EXIT
"${APP_PYTHON:-.venv/bin/python}" -m pip freeze --exclude-editable | grep -iv '^aduan[ =]' > "$requirements"
# shellcheck disable=SC2086
"$venv/bin/pip-audit" --requirement "$requirements" --no-deps --disable-pip --strict \
  --vulnerability-service "${AUDIT_SERVICE:-osv}" --progress-spinner off $ignores
