#!/bin/sh
# Release Aduan from this checkout: dependencies, database schema, static files, and the
# deployment checks. Run it as the aduan user, with the virtualenv's python first on PATH,
# on every install and upgrade; then (re)start the services (deploy/README.md).
# The README's "Production" section shows this file verbatim, and CI runs it (.ci/production).
set -eu
cd "$(dirname "$0")/.."
set -a; . "${ADUAN_ENV_FILE:-/etc/aduan/aduan.env}"; set +a
python -m pip install --quiet .
python manage.py migrate --noinput
python manage.py collectstatic --noinput
python manage.py check --deploy --fail-level WARNING
