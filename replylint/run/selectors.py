"""Naming rules: the one syntax every option and setting that names rules takes, and the one
check that each name is real.

A selector is a rule code (``FP005``), a code prefix (``FP``, ``FP00``), a pack name
(``forbidden-phrases``) or ``ALL``; the command line may give several in one value,
comma-separated (``--veto FP005,BS002``). A selector that names no rule is an error that
offers the closest real names (``FP999``: did you mean FP009, FP001?), as is a code in a
table keyed by rule code (``[severity]``, ``[thresholds]``, ``rule_weights``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from replylint.kinds import Rule

ALL = "ALL"
_CLOSEST = 3  # names offered for one that is not known
_CODE = re.compile(r"([A-Z]+)\d*")
# How alike (difflib's ratio) a real name must be to be offered: among the codes of the
# prefix a code names, FP999 gets FP009 (0.6); elsewhere more, so that ZZ001 is not offered
# TP001 (0.6) while forbiden-phrases gets forbidden-phrases.
_LIKENESS_IN_PREFIX, _LIKENESS = 0.6, 0.7


def split_selectors(values: Iterable[str] | None) -> tuple[str, ...] | None:
    """The selectors of repeated, comma-separated option values; None stays None. A value
    that names nothing (``--veto ""``, an unset shell variable) raises ValueError rather
    than silently selecting nothing."""
    if values is None:
        return None
    found: list[str] = []
    for value in values:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts:
            raise ValueError(f"{value!r} names no rule code, code prefix or pack")
        found += parts
    return tuple(found)


def specificity(selector: str, rule: Rule) -> int:
    """How closely a selector names the rule: -1 not at all, 0 ALL, 1 its pack, then the
    length of a code prefix plus one (a whole code is the most specific)."""
    if selector == ALL:
        return 0
    if selector == rule.info.pack:
        return 1
    if rule.info.code.startswith(selector):
        return 1 + len(selector)
    return -1


def selected_codes(selectors: Iterable[str], rules: Iterable[Rule]) -> frozenset[str]:
    """The codes of the rules any of the selectors names."""
    wanted = tuple(selectors)
    return frozenset(
        rule.info.code
        for rule in rules
        if any(specificity(selector, rule) >= 0 for selector in wanted)
    )


def unknown_selectors(where: str, selectors: Iterable[str], rules: Sequence[Rule]) -> list[str]:
    """A problem for each selector that names no rule, with the closest real names."""
    return [
        f"{where}: {selector!r} matches no rule code, code prefix or pack"
        + _did_you_mean(selector, _names(rules))
        for selector in selectors
        if not any(specificity(selector, rule) >= 0 for rule in rules)
    ]


def unknown_codes(where: str, codes: Iterable[str], rules: Sequence[Rule]) -> list[str]:
    """A problem for each code that is no rule's, with the closest real codes."""
    known = sorted({rule.info.code for rule in rules})
    return [
        f"{where}: no rule has the code {code!r}" + _did_you_mean(code, known)
        for code in codes
        if code not in known
    ]


def unknown_packs(names: Iterable[str], known: Iterable[str]) -> list[str]:
    """A problem for each pack name that is no pack's, with the closest real names."""
    packs = sorted(set(known))
    return [
        f"unknown pack {name!r}" + _did_you_mean(name, packs)
        for name in sorted(set(names) - set(packs))
    ]


def closest(name: str, candidates: Iterable[str]) -> list[str]:
    """The real names most like ``name`` (difflib), best first: none when nothing is close.
    A code is compared with the codes of its own prefix first (FP999: FP009)."""
    candidates = list(candidates)
    code = _CODE.fullmatch(name.upper())  # fp005 is most likely FP005
    if code is not None:
        kin = [c for c in candidates if _CODE.fullmatch(c) and c.startswith(code.group(1))]
        found = difflib.get_close_matches(code.group(), kin, n=_CLOSEST, cutoff=_LIKENESS_IN_PREFIX)
        if found:
            return found
    return difflib.get_close_matches(name, candidates, n=_CLOSEST, cutoff=_LIKENESS)


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    found = closest(name, candidates)
    return f"; did you mean {', '.join(found)}?" if found else ""


def _names(rules: Iterable[Rule]) -> list[str]:
    """What a selector may name: codes and packs (prefixes are parts of codes)."""
    rules = list(rules)
    return sorted({rule.info.code for rule in rules} | {rule.info.pack for rule in rules})


def find_rule(wanted: str, states: Sequence[tuple[Rule, bool]]) -> tuple[Rule, bool]:
    """The rule (and whether it is enabled) whose code or name is ``wanted`` (``fp005``
    too); ValueError offering the closest codes and names when none is (``explain``)."""
    name = wanted.strip()
    for rule, enabled in states:
        if name.upper() == rule.info.code or name == rule.info.name:
            return rule, enabled
    names = [each for rule, _ in states for each in (rule.info.code, rule.info.name)]
    suggestion = _did_you_mean(name, names)
    raise ValueError(f"no rule {wanted!r}{suggestion}; `replylint rules` lists them")
