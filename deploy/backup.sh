#!/bin/sh
# Back up Aduan into DIRECTORY: the database (pg_dump, custom format) and the media folder
# (attachments). Safe while Aduan runs: pg_dump reads one consistent snapshot. Keep the
# AUDIT_KEY apart from these files: with both, someone could forge a consistent audit chain.
# Usage: deploy/backup.sh DIRECTORY   (prints the two files it wrote)
set -eu
cd "$(dirname "$0")/.."
set -a; . "${ADUAN_ENV_FILE:-/etc/aduan/aduan.env}"; set +a
out=${1:?usage: deploy/backup.sh DIRECTORY}
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
pg_dump --format=custom --no-owner --file="$out/aduan-db-$stamp.dump" "$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$out/aduan-media-$stamp.tar.gz" .
echo "$out/aduan-db-$stamp.dump $out/aduan-media-$stamp.tar.gz"
