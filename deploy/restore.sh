#!/bin/sh
# Restore a backup made by deploy/backup.sh into the EMPTY database named by DATABASE_URL
# (create it first: createdb -O aduan aduan) and the media folder MEDIA_ROOT, then check
# every complaint's audit chain with the AUDIT_KEY of the environment. Stop the services
# first (systemctl stop aduan.target) and start them after.
# Usage: deploy/restore.sh DATABASE_DUMP MEDIA_TARBALL
set -eu
cd "$(dirname "$0")/.."
set -a; . "${ADUAN_ENV_FILE:-/etc/aduan/aduan.env}"; set +a
dump=${1:?usage: deploy/restore.sh DATABASE_DUMP MEDIA_TARBALL}
media=${2:?usage: deploy/restore.sh DATABASE_DUMP MEDIA_TARBALL}
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$media"
python manage.py migrate --noinput   # a backup from an older release is brought up to date
python manage.py verify_audit
