"""Signals other apps may connect to (sent after the transaction commits)."""

from django.dispatch import Signal

#: sent with ``campaign`` and ``actor`` once a plan is published.
campaign_published = Signal()
#: sent with ``campaign``, ``actor``, ``old_state`` and ``new_state`` on every state change.
campaign_state_changed = Signal()
