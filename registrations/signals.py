"""Signals other apps may listen to (apps to the right of registrations, or notifications).

``registration_state_changed`` is sent after the transaction commits, with
``sender=Registration``, ``registration``, ``old_state``, ``new_state``, ``actor`` and ``reason``.
"""

from django.dispatch import Signal

registration_state_changed = Signal()
report_state_changed = Signal()
