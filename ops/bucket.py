"""Copy the portal's bucket (MEDIA_STORAGE_URL) to a folder and back: the file half of a backup.

    python ops/bucket.py backup  FOLDER   # every object under the URL's prefix -> FOLDER/<key>
    python ops/bucket.py restore FOLDER   # FOLDER/<key> -> the bucket of MEDIA_STORAGE_URL (its prefix)

Objects are streamed one by one (boto3's transfer manager), so the copy needs no memory to speak of.
A restore writes into whatever MEDIA_STORAGE_URL names, which may be a new bucket or prefix: the
database keeps names relative to it. See docs/operations.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign_portal.env import parse_storage_url  # noqa: E402


def _client_and_place():
    import boto3
    from botocore.config import Config

    url = os.environ.get("MEDIA_STORAGE_URL", "").strip()
    if not url:
        sys.exit(
            "MEDIA_STORAGE_URL is not set: the files are local, back up MEDIA_ROOT with the file system."
        )
    options = parse_storage_url("MEDIA_STORAGE_URL", url)
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id=options.get("access_key"),
        aws_secret_access_key=options.get("secret_key"),
        config=Config(s3={"addressing_style": options["addressing_style"]}, signature_version="s3v4"),
    )
    prefix = str(options["location"]).strip("/")
    return client, str(options["bucket_name"]), (prefix + "/") if prefix else ""


def backup(folder: Path) -> int:
    client, bucket, prefix = _client_and_place()
    count = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            target = folder / obj["Key"][len(prefix) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, obj["Key"], str(target))
            count += 1
    return count


def restore(folder: Path) -> int:
    client, bucket, prefix = _client_and_place()
    count = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        client.upload_file(str(path), bucket, prefix + path.relative_to(folder).as_posix())
        count += 1
    return count


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in {"backup", "restore"}:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[2])
    if argv[1] == "backup":
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{backup(folder)} objects copied to {folder}")
    else:
        print(f"{restore(folder)} objects restored from {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
