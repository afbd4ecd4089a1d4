"""Signals of the awards app (sent after commit)."""

from django.dispatch import Signal

#: sent with ``decision`` (an ``AwardDecision``) once a decision is issued
decision_issued = Signal()
