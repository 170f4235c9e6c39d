"""Lexicon slots in rule files: ``{name}`` in any phrase list or pattern of any kind,
expanded when the pack loads, from the lexicons of the bundled rules folder and of the
folders being loaded (``lexicons/NAME.txt``, see lexicons.py).

- In a phrase list (phrases, triggers, exceptions, responses, asked, given…), a phrase
  with slots stands for each of its spellings: ``{third-party}的问题`` is 银行的问题,
  厂家的问题… A class holding patterns cannot be named there.
- In a list of patterns (patterns, trigger_patterns), ``{name}`` standing alone brings
  every entry of the class, patterns and phrases, as patterns of their own (how
  complaint-facts and repeat-contact are used); a slot inside a pattern becomes a group
  of the class's phrases (`lexicons.expand_slots`).

Each class named brings its exceptions (垃圾短信 for 垃圾) into the exceptions of the list
that names it: ``exceptions`` for phrases and patterns, ``trigger_exceptions`` for
triggers, ``asked_exceptions`` for asked… An unknown class is a problem naming the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from replylint.kinds.base import Problem
from replylint.packs.lexicons import (
    Lexicon,
    LexiconError,
    expand_slots,
    load_lexicons,
    slot_names,
    spell_out,
)
from replylint.packs.schema import Key, read_patterns, read_phrases
from replylint.text.normalize import fold_phrase
from replylint.text.pattern import PatternError

EXCEPTIONS = "exceptions"


class Lexicons:
    """The word classes slots may name, loaded on first need (most packs name none)."""

    def __init__(self, roots: Iterable[Path]) -> None:
        unique: dict[Path, Path] = {}
        for root in roots:
            unique.setdefault(root.resolve(), root)
        self._roots = tuple(unique.values())
        self._loaded: Mapping[str, Lexicon] | None = None
        self._problems: tuple[str, ...] = ()

    def load(self, problem: Problem) -> Mapping[str, Lexicon] | None:
        """The classes, or None (their problems reported, each naming its file)."""
        if self._loaded is None and not self._problems:
            try:
                self._loaded = load_lexicons(self._roots)
            except LexiconError as error:
                self._problems = tuple(map(str, error.problems))
        for text in self._problems:
            problem(f"lexicon {text}")
        return self._loaded


def exceptions_key(key: str, schema: Mapping[str, Key]) -> str | None:
    """The key whose phrases excuse the hits of ``key``'s: ``trigger_exceptions`` for
    ``triggers`` and ``trigger_patterns``, ``asked_exceptions`` for ``asked``,
    ``exceptions`` for ``phrases``; none for a list of exceptions itself."""
    if key.endswith(EXCEPTIONS):
        return None
    own = f"{key.removesuffix('s')}_{EXCEPTIONS}"
    of_stem = f"{key.split('_', maxsplit=1)[0].removesuffix('s')}_{EXCEPTIONS}"
    return next((name for name in (own, of_stem, EXCEPTIONS) if name in schema), None)


def with_slots(
    data: dict[str, Any], schema: Mapping[str, Key], lexicons: Lexicons, problem: Problem
) -> dict[str, Any]:
    """The rule file's keys with every slot spelled out, and the named classes'
    exceptions added to the keys that take them."""
    named = {
        name: value
        for name, value in data.items()
        if name in schema and isinstance(value, list) and any(map(_slotted, value))
    }
    if not named:
        return data
    classes = lexicons.load(problem)
    if classes is None:
        return data
    found = dict(data)
    added: dict[str, list[str]] = {}
    for name, value in named.items():
        reader = schema[name].read
        if reader is not read_phrases and reader is not read_patterns:
            continue  # not a list of phrases: its own reader reports what is wrong
        expand = _phrases if reader is read_phrases else _patterns
        found[name] = expand(value, classes, name, problem)
        exceptions = _exceptions(value, classes)
        if exceptions:
            into = exceptions_key(name, schema)
            if into is None:
                problem(f"'{name}': its lexicons have exceptions, and no key takes them")
            else:
                added.setdefault(into, []).extend(exceptions)
    for into, exceptions in added.items():
        own = found.get(into, [])
        if isinstance(own, list):  # a wrong type is reported with the rule's keys
            seen = {fold_phrase(value) for value in own if isinstance(value, str)}
            found[into] = [*own, *_new(exceptions, seen)]
    return found


def _phrases(
    values: list[object], classes: Mapping[str, Lexicon], key: str, problem: Problem
) -> list[object]:
    """The list in its order, each phrase with slots replaced by its spellings, less the
    spellings that fold like a phrase written by hand or an earlier spelling (duplicates
    written by hand are left for the phrase reader to report)."""
    seen = {
        fold_phrase(value) for value in values if isinstance(value, str) and not _slotted(value)
    }
    spelled: list[object] = []
    for value in values:
        if not isinstance(value, str) or not _slotted(value):
            spelled.append(value)
            continue
        try:
            spellings = spell_out(value, classes)
        except PatternError as error:
            problem(f"'{key}': {value!r}: {error}")
            continue
        spelled.extend(_new(spellings, seen))
    return spelled


def _slotted(value: object) -> bool:
    return isinstance(value, str) and bool(slot_names(value))


def _new(phrases: Iterable[str], seen: set[str]) -> list[str]:
    """The phrases that fold like none seen yet (and now seen)."""
    new = []
    for phrase in phrases:
        key = fold_phrase(phrase)
        if key not in seen:
            seen.add(key)
            new.append(phrase)
    return new


def _patterns(
    values: list[object], classes: Mapping[str, Lexicon], key: str, problem: Problem
) -> list[object]:
    spelled: list[object] = []
    for value in values:
        names = slot_names(value) if isinstance(value, str) else ()
        if not isinstance(value, str) or not names:
            spelled.append(value)
            continue
        try:
            if value.strip() in {f"{{{names[0]}}}", f"｛{names[0]}｝"}:
                if names[0] not in classes:
                    expand_slots(value, classes)  # raises, naming the known classes
                spelled.extend(classes[names[0]].entries)
            else:
                spelled.append(expand_slots(value, classes))
        except PatternError as error:
            problem(f"'{key}': {value!r}: {error}")
    return spelled


def _exceptions(values: list[object], classes: Mapping[str, Lexicon]) -> list[str]:
    names = dict.fromkeys(
        name for value in values if isinstance(value, str) for name in slot_names(value)
    )
    return [e for name in names if name in classes for e in classes[name].exceptions]
