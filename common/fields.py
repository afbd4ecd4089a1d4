"""Model fields shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models


class ChoiceListField(models.JSONField):
    """A JSON list of choice values (e.g. the agency kinds of a target group). ``item_choices`` lets
    the history show "Cán bộ, Công chức" instead of ``["official", "civil_servant"]``. Stored and
    migrated as a plain JSONField."""

    def __init__(self, *args: Any, item_choices: Iterable[tuple[str, object]] = (), **kwargs: Any) -> None:
        self.item_choices = dict(item_choices)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
