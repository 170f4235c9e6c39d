"""Rule kinds: one module a kind, each holding its record, its check, the phrases it asks
the scan for and its documentation, behind the closed registry `KINDS` (kind name -> kind),
the only place that decides what a kind does.

Adding a kind is a new module here that ends in ``KIND = ...Kind()`` (see ``phrase.py``),
and its module's name in `KIND_MODULES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from types import MappingProxyType
from typing import Any

from replylint.kinds.base import Rule, RuleKind

# In the order the loader lists them when a rule names no kind it knows.
KIND_MODULES = (
    "phrase",
    "response",
    "pattern",
    "occurrence",
    "tag",
    "timing",
    "commitment",
    "personal_data",
    "repeat_question",
    "canned_reply",
)


def _kinds() -> Mapping[str, RuleKind[Any]]:
    kinds = (import_module(f"{__name__}.{module}").KIND for module in KIND_MODULES)
    return MappingProxyType({kind.name: kind for kind in kinds})


KINDS: Mapping[str, RuleKind[Any]] = _kinds()


def kind_of(rule: Rule) -> RuleKind[Any]:
    """The kind a rule belongs to."""
    return KINDS[rule.kind]


__all__ = ["KINDS", "KIND_MODULES", "Rule", "RuleKind", "kind_of"]
