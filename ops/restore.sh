#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into the database of DATABASE_URL (it must exist and be empty)
# and the bucket of MEDIA_STORAGE_URL. Stop web, worker and beat first. See docs/operations.md.
set -euo pipefail
folder="${1:?usage: ops/restore.sh FOLDER}"
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python}"
test -f "$folder/database.dump" || { echo "$folder/database.dump not found" >&2; exit 1; }
pg_restore --no-owner --no-privileges --exit-on-error --dbname="${DATABASE_URL:?set DATABASE_URL}" "$folder/database.dump"
if [ -d "$folder/objects" ]; then
  "$python" "$here/bucket.py" restore "$folder/objects"
fi
echo "restored from $folder"
