#!/usr/bin/env bash
# Back up the portal: the database (pg_dump, custom format) and the bucket (ops/bucket.py) into FOLDER.
# Needs DATABASE_URL and MEDIA_STORAGE_URL as the portal has them. See docs/operations.md.
set -euo pipefail
folder="${1:?usage: ops/backup.sh FOLDER}"
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python}"
mkdir -p "$folder"
# The database first: a file named in it but copied later is there; an object with no row is harmless.
pg_dump --format=custom --no-owner --no-privileges --file="$folder/database.dump" "${DATABASE_URL:?set DATABASE_URL}"
"$python" "$here/bucket.py" backup "$folder/objects"
echo "backup written to $folder"
