"""A rule file's keys, derived from its kind's record: one key a field, required when the
field has no default, typed by the field's annotation. ``info`` (`RuleInfo`: the keys every
rule has) and ``options`` (`MatchOptions`: the keys every phrase-bearing kind shares) are
flattened into the file's top level; another record (an occurrence rule's ``scope``) is a
table of its own.

Reading a rule file is three passes, each reporting every problem it finds: the keys
(unknown, missing, of the wrong TOML type, empty lists, blank strings), then the values
(roles, phrases, patterns, choices...), then what the kind says they cannot mean together.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from replylint.kinds.base import NOT_A_KEY, READER, MatchOptions, Problem, Reader, RuleInfo
from replylint.text.normalize import MAX_PHRASE_LENGTH, fold_phrase
from replylint.text.pattern import Pattern, PatternError, parse_pattern

# The records whose keys stand at the rule file's top level, as if they were the kind's own.
FLATTENED: tuple[type, ...] = (RuleInfo, MatchOptions)
KIND_KEY = "kind"


@dataclass(frozen=True, slots=True)
class Key:
    """One key of a rule file (or of a table in it)."""

    name: str
    toml: type  # the TOML type its value must have; float: any number
    required: bool
    read: Reader  # turns a value of that type into the field's value
    default: Any  # when the key is absent or its value unusable (then reported)


def read_record(
    record: type[Any], data: Mapping[str, Any], problem: Problem, given: Mapping[str, Any]
) -> Any:
    """The record read from a rule file's (or a table's) keys, already type-checked with
    `check_keys`: flattened records are read from the same keys, and ``given`` values
    (fields the file does not hold) are taken as they are."""
    values: dict[str, Any] = {}
    for field in _fields(record):
        if field.name in given:
            values[field.name] = given[field.name]
        elif field.flattened is not None:
            values[field.name] = read_record(field.flattened, data, problem, given)
        else:
            key = field.key
            value = data.get(key.name)
            usable = key.name in data and _type_problem(value, key.toml) is None
            values[field.name] = key.read(value, key.name, problem) if usable else key.default
    return record(**values)


def keys(record: type[Any], without: frozenset[str] = frozenset()) -> dict[str, Key]:
    """Every key of the record, flattened records' keys in their place; ``without`` the
    given ones."""
    found: dict[str, Key] = {}
    for field in _fields(record):
        if field.flattened is not None:
            found |= keys(field.flattened, without)
        elif field.in_file and field.name not in without:
            found[field.name] = field.key
    return found


_RULE_KEYS: dict[tuple[type[Any], frozenset[str]], dict[str, Key]] = {}


def rule_keys(record: type[Any], without: frozenset[str] = frozenset()) -> dict[str, Key]:
    """A kind's keys: its record's, and ``kind`` after the rule's code and name."""
    cached = _RULE_KEYS.get((record, without))
    if cached is not None:
        return cached
    found = keys(record, without)
    names = list(found)
    kind = Key(KIND_KEY, str, required=True, read=_as_is, default="")
    at = names.index("name") + 1 if "name" in names else 0
    ordered = [*names[:at], KIND_KEY, *names[at:]]
    schema = {name: kind if name == KIND_KEY else found[name] for name in ordered}
    return _RULE_KEYS.setdefault((record, without), schema)


def check_keys(data: Mapping[str, Any], schema: Mapping[str, Key], problem: Problem) -> None:
    """Unknown keys, missing ones, wrong types, empty lists and blank strings."""
    for name in sorted(set(data) - set(schema)):
        problem(f"unknown key '{name}'")
    for name, key in schema.items():
        if name not in data:
            if key.required:
                problem(f"missing key '{name}'")
            continue
        wrong = _type_problem(data[name], key.toml)
        if wrong is not None:
            problem(f"'{name}' {wrong}")


def _type_problem(value: object, toml: type) -> str | None:
    # bool is an int in Python; a window of `true` is still wrong. A whole number is a fine
    # float (limit = 10).
    accepted = (int, float) if toml is float else toml
    if not isinstance(value, accepted) or (toml in (int, float) and isinstance(value, bool)):
        wanted = "number" if toml is float else toml.__name__
        return f"must be {wanted}, got {type(value).__name__}"
    if toml is list and not value:
        return "must not be empty"
    if isinstance(value, str) and not value.strip():
        return "must not be blank"
    return None


@dataclass(frozen=True, slots=True)
class _Field:
    """A record's field, as the loader sees it."""

    name: str
    key: Key  # its key (for a flattened record's field: unused)
    flattened: type[Any] | None  # a record whose keys stand in its place
    in_file: bool  # False: the loader fills it in


_FIELDS: dict[type[Any], tuple[_Field, ...]] = {}


def _fields(record: type[Any]) -> tuple[_Field, ...]:
    """The record's fields, worked out once a record (type hints are slow to resolve)."""
    cached = _FIELDS.get(record)
    if cached is None:
        hints = typing.get_type_hints(record)
        cached = _FIELDS[record] = tuple(
            _field(field, hints[field.name]) for field in dataclasses.fields(record)
        )
    return cached


def _field(field: dataclasses.Field[Any], annotation: Any) -> _Field:
    flattened = annotation if annotation in FLATTENED else None
    toml, read = field.metadata.get(READER) or (
        (dict, _as_is) if flattened else _reader(annotation)
    )
    factory = field.default_factory
    required = field.default is dataclasses.MISSING and factory is dataclasses.MISSING
    if required:
        default = None if flattened else _placeholder(annotation, toml)
    else:
        default = field.default if factory is dataclasses.MISSING else factory()
    key = Key(field.name, toml, required, read, default)
    return _Field(field.name, key, flattened, in_file=not field.metadata.get(NOT_A_KEY))


# --------------------------------------------------------------------------- readers


def _reader(annotation: Any) -> tuple[type, Reader]:
    """The TOML type and the reader of a field, from its annotation."""
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union) and type(None) in arguments:
        (annotation,) = (argument for argument in arguments if argument is not type(None))
    if annotation in (str, int, float, bool):
        return annotation, float_reader if annotation is float else _as_is
    if annotation in _SEQUENCE_READERS:
        return list, _SEQUENCE_READERS[annotation]
    if typing.get_origin(annotation) is frozenset:
        choose = _choice(_choices(typing.get_args(annotation)[0]))
        return list, lambda raw, key, problem: _chosen_set(choose, raw, key, problem)
    if _choices(annotation):
        return str, _choice(_choices(annotation))
    if _is_record(annotation):
        return dict, _table_reader(annotation)
    raise TypeError(f"no reader for a field of type {annotation!r}")


def _is_record(annotation: Any) -> bool:
    return isinstance(annotation, type) and dataclasses.is_dataclass(annotation)


def _as_is(value: object, key: str, problem: Problem) -> object:
    return value


def float_reader(value: float, key: str, problem: Problem) -> float:
    return float(value)


def _choices(annotation: Any) -> tuple[Any, ...]:
    """The values of an enum or a Literal type; none for any other type."""
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return tuple(annotation)
    if typing.get_origin(annotation) is Literal:
        return typing.get_args(annotation)
    return ()


def _choice(choices: tuple[Any, ...]) -> Reader:
    allowed = ", ".join(str(choice) for choice in choices)
    by_value = {str(choice): choice for choice in choices}

    def read(value: object, key: str, problem: Problem) -> Any:
        if isinstance(value, str) and value in by_value:
            return by_value[value]
        problem(f"'{key}' must be one of {allowed}; got {value!r}")
        return None

    return read


def _chosen_set(choose: Reader, raw: list[object], key: str, problem: Problem) -> frozenset[Any]:
    chosen = (choose(value, key, problem) for value in raw)
    return frozenset(value for value in chosen if value is not None)


def _table_reader(record: type[Any]) -> Reader:
    """A table read as a record of its own; its problems name the key."""

    def read(table: dict[str, Any], key: str, problem: Problem) -> Any:
        def table_problem(text: str) -> None:
            problem(f"'{key}': {text}")

        check_keys(table, keys(record), table_problem)
        return read_record(record, table, table_problem, {})

    return read


def read_phrases(raw: list[object], key: str, problem: Problem) -> tuple[str, ...]:
    """Phrases: strings that fold to something, at most `MAX_PHRASE_LENGTH` folded
    characters, no two the same once folded."""
    phrases: list[str] = []
    seen: dict[str, str] = {}
    for value in raw:
        if not isinstance(value, str):
            problem(f"'{key}': {value!r} is not a string")
            continue
        folded = fold_phrase(value)
        if not folded:
            problem(f"'{key}': {value!r} can never match (nothing left after normalisation)")
        elif len(folded) > MAX_PHRASE_LENGTH:
            problem(f"'{key}': {value[:12]!r}… is longer than {MAX_PHRASE_LENGTH} characters")
        elif folded in seen:
            problem(f"'{key}': {value!r} is the same as {seen[folded]!r} after normalisation")
        else:
            seen[folded] = value
            phrases.append(value)
    return tuple(phrases)


def read_patterns(raw: list[object], key: str, problem: Problem) -> tuple[Pattern, ...]:
    patterns: list[Pattern] = []
    for value in raw:
        if not isinstance(value, str):
            problem(f"'{key}': {value!r} is not a string")
            continue
        try:
            patterns.append(parse_pattern(value))
        except PatternError as error:
            problem(f"'{key}': {value!r}: {error}")
    return tuple(patterns)


_SEQUENCE_READERS: Mapping[Any, Reader] = {
    tuple[str, ...]: read_phrases,
    tuple[Pattern, ...]: read_patterns,
}
_PLACEHOLDERS: Mapping[type, Any] = {str: "", int: 1, float: 1.0, bool: False, list: ()}


def _placeholder(annotation: Any, toml: type) -> Any:
    """A stand-in for a required value that is missing or unusable: the problem is already
    reported, and the rule will not load; the kind's checks must still run on it."""
    if typing.get_origin(annotation) is frozenset:
        return frozenset()
    if choices := _choices(annotation):
        return choices[0]
    if _is_record(annotation):
        return read_record(annotation, {}, _ignore, {})
    return _PLACEHOLDERS[toml]


def _ignore(text: str) -> None:
    """Problems of a placeholder: reported already, as a missing key."""
