"""A whole plan as a YAML document (docs/campaign-format.md): export, and all-or-nothing import.

- ``serialise``: ``plan_to_dict(campaign)``, the canonical document, and ``dump_yaml``;
- ``reader`` and ``parse``: ``load_yaml(text)`` and ``parse_plan(data)``, which check every key and
  value first (errors carry the path of the offending key, e.g. ``award_forms[1].quota.fraction``);
- ``write``: ``import_plan(data, actor=...)``, which writes everything in one transaction and runs the
  coherence checks of ``campaigns.validation``; any error rolls the whole import back.
"""

from .parse import load_yaml, parse_plan
from .serialise import FORMAT_VERSION, dump_yaml, plan_to_dict, round_key
from .write import import_plan

__all__ = [
    "FORMAT_VERSION",
    "dump_yaml",
    "import_plan",
    "load_yaml",
    "parse_plan",
    "plan_to_dict",
    "round_key",
]
