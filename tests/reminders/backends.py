"""E-mail backends for the worker tests: Django's file backend (messages counted in the files),
and one whose process dies once, midway, before delivering a message (a crashed worker)."""

import os
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend

SEPARATOR = b"-" * 79


class CrashOnceBackend(FileBackend):
    """Kills its process (no cleanup, like a power cut or an OOM kill) just before delivering
    message number ``CRASH_AFTER + 1`` of the process, unless ``CRASH_MARKER`` exists."""

    delivered = 0

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            marker = Path(os.environ["CRASH_MARKER"])
            if CrashOnceBackend.delivered >= int(os.environ["CRASH_AFTER"]) and not marker.exists():
                marker.write_text(str(os.getpid()))
                os._exit(1)
            sent += super().send_messages([message])
            CrashOnceBackend.delivered += 1
        return sent


def count_messages(folder) -> int:
    """Messages written by Django's file backend (each ends with a line of 79 dashes)."""
    return sum(p.read_bytes().count(SEPARATOR) for p in Path(folder).glob("*.log"))


def recipients(folder) -> list[str]:
    out = []
    for p in Path(folder).glob("*.log"):
        for line in p.read_text().splitlines():
            if line.startswith("To: "):
                out.append(line[4:])
    return sorted(out)
