"""One shape for every state machine (kế hoạch, đăng ký, danh sách đề nghị, phiên họp Hội đồng).

A ``Workflow`` is a table of allowed transitions, each with the predicate saying who may take it
(``allowed(actor, obj) -> bool``), and one function, ``Workflow.apply``, that

1. locks the row (``select_for_update``) and reads its current state,
2. checks the transition is in the table and the actor may take it (business rules hold for the
   superuser too: the predicates decide, not ``is_superuser``),
3. lets the caller check more and set more fields on the locked row (``prepare``),
4. saves with ``update_fields`` inside an audit context carrying the actor and the note,
5. runs ``within`` in the same transaction (``notify()`` writes the bell rows there and queues the
   e-mails on commit) and ``after_commit`` once the transaction commits (signals).

Hypha's declarative workflow tables and pretalx's ``set_submission_state`` are the models.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import audit_context

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=models.Model)
#: ``allowed(actor, obj)``: whether the actor may take the transition (``actor`` None: the system).
Predicate = Callable[[Any, Any], bool]


def anyone(actor: object, obj: object) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    allowed: Predicate = anyone


@dataclass
class Workflow(Generic[M]):
    """``transition_message`` takes ``%(old)s``/``%(new)s`` (state labels); ``error`` is the
    ValidationError subclass raised, called as ``error(message, code=...)``."""

    model: type[M]
    transitions: Iterable[Transition]
    labels: Callable[[str], StrOrPromise]
    transition_message: StrOrPromise
    error: type[ValidationError] = ValidationError
    permission_message: StrOrPromise = ""
    field: str = "state"
    #: Also save ``updated_at`` (when the model has one) on a state change.
    touch_updated_at: bool = True
    table: dict[tuple[str, str], Transition] = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.table = {(t.source, t.target): t for t in self.transitions}

    def targets(self, obj: M, actor: Any = None, *, check_actor: bool = True) -> list[str]:
        """The states ``actor`` may move ``obj`` to now (for the page's buttons)."""
        state = getattr(obj, self.field)
        return [
            t.target
            for (src, _to), t in self.table.items()
            if src == state and (not check_actor or t.allowed(actor, obj))
        ]

    def _label(self, state: str) -> str:
        try:
            return str(self.labels(state))
        except ValueError:
            return state

    def check(self, obj: M, new_state: str, actor: Any) -> Transition:
        old = getattr(obj, self.field)
        transition = self.table.get((old, new_state))
        if transition is None:
            raise self.error(
                self.transition_message % {"old": self._label(old), "new": self._label(new_state)},
                code="transition",
            )
        if not transition.allowed(actor, obj):
            raise self.error(
                self.permission_message or _("Anh/chị không có quyền thực hiện thao tác này."),
                code="permission",
            )
        return transition

    def apply(
        self,
        obj: M,
        new_state: str,
        actor: Any,
        *,
        note: str = "",
        queryset: models.QuerySet[M] | None = None,
        prepare: Callable[[M, str], Iterable[str] | None] | None = None,
        within: Callable[[M, str, str], None] | None = None,
        after_commit: Callable[[M, str, str], None] | None = None,
    ) -> M:
        """Move ``obj`` to ``new_state``; returns the locked, saved instance.

        ``prepare(locked, old_state)`` may raise ``self.error`` and returns the extra fields it set;
        ``within(locked, old, new)`` runs after the save in the transaction, ``after_commit`` after it.
        """
        with transaction.atomic():
            qs = queryset if queryset is not None else self.model._default_manager.all()
            locked = qs.select_for_update(of=("self",)).get(pk=obj.pk)
            old = getattr(locked, self.field)
            self.check(locked, new_state, actor)
            fields = [self.field]
            if prepare is not None:
                fields += [f for f in (prepare(locked, old) or []) if f not in fields]
            setattr(locked, self.field, new_state)
            has_updated_at = any(f.name == "updated_at" for f in self.model._meta.concrete_fields)
            if self.touch_updated_at and has_updated_at and "updated_at" not in fields:
                fields.append("updated_at")
            with audit_context(actor, note=note):
                locked.save(update_fields=fields)
            if within is not None:
                within(locked, old, new_state)
            if after_commit is not None:
                transaction.on_commit(lambda: after_commit(locked, old, new_state))
        return locked
