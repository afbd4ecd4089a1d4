"""The two checks every award service repeats: a condition with its refusal, a written reason."""

from __future__ import annotations

from ..errors import AwardError


def check(condition: bool, message: str, code: str) -> None:
    """Refuse with ``message`` (``AwardError``, ``code``) unless ``condition`` holds."""
    if not condition:
        raise AwardError(message, code=code)


def reason_given(reason: str, message: str) -> str:
    """The reason, stripped; refused with ``message`` when empty."""
    reason = (reason or "").strip()
    check(bool(reason), message, "reason")
    return reason
