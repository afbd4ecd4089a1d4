"""Reading what Django's file e-mail backend wrote (``EMAIL_FILE_PATH``), for the tests of invitations."""

from __future__ import annotations

from pathlib import Path


def sent_messages(folder: Path) -> list[str]:
    """The recipients of every message the file backend wrote (one file per connection)."""
    return [
        line.split(":", 1)[1].strip()
        for path in sorted(folder.iterdir())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("To: ")
    ]
