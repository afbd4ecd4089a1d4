"""E-mail backends standing in for an unreliable SMTP server (the outside world)."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Refuses the first ``failures`` messages with an SMTP error, then delivers to mail.outbox."""

    failures = 0
    refused: list[str] = []

    def send_messages(self, messages):
        for message in messages:
            if FlakyBackend.failures > 0:
                FlakyBackend.failures -= 1
                FlakyBackend.refused.append(message.to[0])
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
