"""Load rule packs: folders of TOML files, one rule a file, read strictly.

Every problem in every file is collected (unknown keys, wrong types, empty lists,
duplicate codes, phrases that can never match) and raised at once in a ``PackError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

from replylint.kinds import KINDS
from replylint.kinds.base import MAX_REACH, Boundary, Example, MatchOptions, Rule, RuleInfo
from replylint.kinds.commitment import CommitmentRule
from replylint.kinds.metadata import AREAS, PROFILES
from replylint.kinds.occurrence import OccurrenceRule, Scope
from replylint.kinds.pattern import PatternRule
from replylint.kinds.personal_data import PersonalDataRule
from replylint.kinds.phrase import PhraseRule
from replylint.kinds.repeat_question import RepeatQuestionRule
from replylint.kinds.response import MAX_WINDOW, Detector, ResponseRule
from replylint.kinds.tag import TagRule
from replylint.kinds.timing import Measure, TimingRule
from replylint.model import Role, Severity
from replylint.packs.datafile import DataFileError, read_toml
from replylint.text.normalize import MAX_PHRASE_LENGTH, fold_phrase
from replylint.text.pattern import Pattern, PatternError, parse_pattern
from replylint.text.recognise.answers import Answer

_CODE = re.compile(r"[A-Z]{2,4}[0-9]{3}")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

_COMMON_REQUIRED: dict[str, type] = {
    "code": str,
    "name": str,
    "kind": str,
    "severity": str,
    "message": str,
    "suggestion": str,
    "description": str,
    "source": str,
    "examples": list,
}
_COMMON_OPTIONAL: dict[str, type] = {"rationale": str, "profiles": list}
# A tag labels a call; it has no severity and nothing to suggest.
_NOT_FOR_TAGS = ("severity", "suggestion")
_KIND_KEYS: dict[str, dict[str, tuple[type, bool]]] = {
    "phrase": {
        "roles": (list, False),
        "phrases": (list, True),
        "exceptions": (list, False),
        "boundary": (str, False),
    },
    "response": {
        "trigger_roles": (list, True),
        "triggers": (list, True),
        "trigger_exceptions": (list, False),
        "response_roles": (list, True),
        "responses": (list, False),
        "response_detector": (str, False),
        "window": (int, True),
        "include_trigger_turn": (bool, False),
        "boundary": (str, False),
    },
    "pattern": {
        "roles": (list, False),
        "patterns": (list, True),
        "exceptions": (list, False),
        "boundary": (str, False),
    },
    "occurrence": {
        "scope": (dict, True),
        "phrases": (list, True),
        "at_least": (int, False),
        "at_most": (int, False),
        "exceptions": (list, False),
        "boundary": (str, False),
    },
    "timing": {
        "measure": (str, True),
        "limit": (float, True),
        "phrases": (list, False),
        "min_chars": (int, False),
    },
    "commitment": {
        "roles": (list, False),
        "subjects": (list, True),
        "limit_minutes": (float, True),
        "reach": (int, False),
        "exceptions": (list, False),
        "area_limits": (dict, False),
    },
    "personal-data": {
        "roles": (list, False),
        "data": (list, True),
    },
    "repeat-question": {
        "asked": (list, True),
        "given": (list, True),
        "answer": (str, True),
        "asking_roles": (list, False),
        "given_roles": (list, False),
        "asked_exceptions": (list, False),
        "given_exceptions": (list, False),
        "refusals": (list, False),
        "excuses": (list, False),
        "reach": (int, False),
    },
    "tag": {
        "category": (str, True),
        "tag": (str, True),
        "roles": (list, False),
        "phrases": (list, True),
        "exceptions": (list, False),
        "boundary": (str, False),
        "outbound_roles": (list, False),
    },
}
_SCOPE_KEYS: dict[str, tuple[type, bool]] = {
    "role": (str, True),
    "first": (int, False),
    "last": (int, False),
}


class PackError(Exception):
    """One or more packs are invalid; ``problems`` lists every one, each naming its file."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


def bundled_rules_dir() -> Path:
    """The packs shipped with replylint: inside the wheel, or ``rules/`` in a checkout."""
    package = Path(__file__).parent.parent  # replylint/
    for candidate in (package / "_rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise PackError([f"bundled rule packs not found next to {package}"])


ENTRY_POINT_GROUP = "replylint.packs"


def entry_point_dirs() -> list[Path]:
    """The rule folders installed Python packages offer through the ``replylint.packs``
    entry point group, sorted by entry point name: each entry point resolves to a folder
    (a path or a string), or to a callable returning one. Raises ``PackError`` naming every
    entry point that fails to load or does not give a folder."""
    folders: list[Path] = []
    problems: list[str] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: (p.name, p.value)):
        where = f"entry point '{point.name} = {point.value}' ({ENTRY_POINT_GROUP})"
        try:
            target = point.load()
            value = target() if callable(target) else target
        except Exception as error:  # a broken plugin is reported with the others
            problems.append(f"{where}: {type(error).__name__}: {error}")
            continue
        if not isinstance(value, str | Path) or not Path(value).is_dir():
            problems.append(f"{where}: must give a folder of packs, got {value!r}")
            continue
        folders.append(Path(value))
    if problems:
        raise PackError(problems)
    return folders


def pack_dirs(roots: Iterable[Path]) -> Iterator[Path]:
    """Each pack folder (a folder holding rule files) below the given roots, sorted."""
    for root in roots:
        if any(root.glob("*.toml")):
            yield root
        yield from sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.toml")))


def load_packs(
    roots: Iterable[Path | str] | None = None, *, packs: Iterable[str] | None = None
) -> tuple[Rule, ...]:
    """Every rule under ``roots`` (default: the bundled packs), optionally only ``packs``."""
    root_paths = [Path(r) for r in roots] if roots is not None else [bundled_rules_dir()]
    wanted = set(packs) if packs is not None else None
    problems: list[str] = [f"{root}: not a folder" for root in root_paths if not root.is_dir()]
    rules: list[Rule] = []
    found: set[str] = set()
    for folder in pack_dirs(r for r in root_paths if r.is_dir()):
        found.add(folder.name)
        if wanted is None or folder.name in wanted:
            for path in sorted(folder.glob("*.toml")):
                rule = _load_rule_file(path, folder.name, problems)
                if rule is not None:
                    rules.append(rule)
    problems.extend(f"unknown pack '{name}'" for name in sorted((wanted or set()) - found))
    problems.extend(_duplicates(rules))
    if problems:
        raise PackError(problems)
    return tuple(rules)


def _duplicates(rules: Sequence[Rule]) -> Iterator[str]:
    for attribute in ("code", "name"):
        seen: dict[str, str] = {}
        for rule in rules:
            value = getattr(rule.info, attribute)
            if value in seen:
                yield f"{rule.info.path}: {attribute} '{value}' already used in {seen[value]}"
            seen.setdefault(value, rule.info.path)


def _load_rule_file(path: Path, pack: str, problems: list[str]) -> Rule | None:
    try:
        data = read_toml(path)
    except DataFileError as error:
        problems.append(str(error))
        return None
    label = f"{path} [{data.get('code', '?')}]"
    errors: list[str] = []
    rule = _build_rule(data, pack, str(path), errors.append)
    problems.extend(f"{label}: {e}" for e in errors)
    return rule if not errors else None


def _build_rule(
    data: dict[str, Any], pack: str, path: str, error: Callable[[str], None]
) -> Rule | None:
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        error(f"'kind' must be one of {', '.join(KINDS)}; got {kind!r}")
        return None
    required = {
        k: t for k, t in _COMMON_REQUIRED.items() if kind != "tag" or k not in _NOT_FOR_TAGS
    }
    schema = {key: (kind_type, True) for key, kind_type in required.items()}
    schema |= {key: (kind_type, False) for key, kind_type in _COMMON_OPTIONAL.items()}
    schema |= _KIND_KEYS[kind]
    _check_keys(data, schema, error)
    info = _rule_info(data, pack, path, error)
    return _BUILDERS[kind](data, info, error)


def _check_keys(
    data: dict[str, Any], schema: dict[str, tuple[type, bool]], error: Callable[[str], None]
) -> None:
    for key in sorted(set(data) - set(schema)):
        error(f"unknown key '{key}'")
    for key, (expected, required) in schema.items():
        if key not in data:
            if required:
                error(f"missing key '{key}'")
            continue
        value = data[key]
        # bool is an int in Python; a window of `true` is still wrong. A whole number is
        # a fine float (limit = 10).
        accepted = (int, float) if expected is float else expected
        if not isinstance(value, accepted) or (
            expected in (int, float) and isinstance(value, bool)
        ):
            wanted = "number" if expected is float else expected.__name__
            error(f"'{key}' must be {wanted}, got {type(value).__name__}")
        elif expected is list and not value:
            error(f"'{key}' must not be empty")
        elif isinstance(value, str) and not value.strip():
            error(f"'{key}' must not be blank")


def _rule_info(
    data: dict[str, Any], pack: str, path: str, error: Callable[[str], None]
) -> RuleInfo:
    code, name = str(data.get("code", "")), str(data.get("name", ""))
    if "code" in data and not _CODE.fullmatch(code):
        error(f"code '{code}' must look like AB123")
    if "name" in data and not _NAME.fullmatch(name):
        error(f"name '{name}' must be lower-case words joined by '-'")
    return RuleInfo(
        code=code,
        name=name,
        pack=pack,
        severity=_severity(data, error),
        message=str(data.get("message", "")),
        suggestion=str(data.get("suggestion", "")),
        description=str(data.get("description", "")),
        source=str(data.get("source", "")),
        examples=_examples(data.get("examples"), error),
        path=path,
        rationale=str(data.get("rationale", "")),
        profiles=_profiles(data.get("profiles", []), error),
    )


def _severity(data: dict[str, Any], error: Callable[[str], None]) -> Severity:
    if data.get("kind") == "tag":
        return Severity.INFO  # never shown nor scored: a tag is not a finding
    return _enum(Severity, data.get("severity"), "severity", error) or Severity.WARNING


def _profiles(raw: object, error: Callable[[str], None]) -> frozenset[str]:
    if not isinstance(raw, list):
        return frozenset()  # the wrong type is already reported
    unknown = [value for value in raw if value not in PROFILES]
    if unknown:
        error(f"'profiles': {unknown!r} unknown; expected some of {', '.join(PROFILES)}")
    return frozenset(value for value in raw if value in PROFILES)


def _examples(raw: object, error: Callable[[str], None]) -> tuple[Example, ...]:
    if not isinstance(raw, list):
        return ()
    examples: list[Example] = []
    for number, item in enumerate(raw, 1):
        example = _example(item, f"example {number}", error)
        if example is not None:
            examples.append(example)
    if examples and not any(e.should_flag for e in examples):
        error("needs at least one 'flag' example")
    if examples and all(e.should_flag for e in examples):
        error("needs at least one 'pass' example")
    return tuple(examples)


def _example(item: object, where: str, error: Callable[[str], None]) -> Example | None:
    if not isinstance(item, dict) or len({"flag", "pass"} & set(item)) != 1:
        error(f"{where}: must be a table with exactly one of 'flag' or 'pass'")
        return None
    unknown = set(item) - {"flag", "pass", "text"}
    should_flag = "flag" in item
    dialogue = item["flag" if should_flag else "pass"]
    text = item.get("text")
    if unknown or not isinstance(dialogue, str) or not dialogue.strip():
        error(f"{where}: needs a non-empty dialogue and no other keys than flag/pass/text")
        return None
    if text is not None and (not should_flag or not isinstance(text, str) or text not in dialogue):
        error(f"{where}: 'text' must be part of a 'flag' dialogue")
        return None
    return Example(dialogue=dialogue, should_flag=should_flag, text=text)


def _phrase_rule(data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]) -> PhraseRule:
    return PhraseRule(
        info=info,
        roles=_roles(data.get("roles", ["agent"]), "roles", error),
        phrases=_phrases(data.get("phrases"), "phrases", error),
        exceptions=_phrases(data.get("exceptions", []), "exceptions", error),
        options=MatchOptions(boundary=_boundary(data, error)),
    )


def _pattern_rule(
    data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]
) -> PatternRule:
    return PatternRule(
        info=info,
        roles=_roles(data.get("roles", ["agent"]), "roles", error),
        patterns=_patterns(data.get("patterns"), error),
        exceptions=_phrases(data.get("exceptions", []), "exceptions", error),
        options=MatchOptions(boundary=_boundary(data, error)),
    )


def _patterns(raw: object, error: Callable[[str], None]) -> tuple[Pattern, ...]:
    if not isinstance(raw, list):
        return ()
    patterns: list[Pattern] = []
    for value in raw:
        if not isinstance(value, str):
            error(f"'patterns': {value!r} is not a string")
            continue
        try:
            patterns.append(parse_pattern(value))
        except PatternError as problem:
            error(f"'patterns': {value!r}: {problem}")
    return tuple(patterns)


def _response_rule(
    data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]
) -> ResponseRule:
    detector = data.get("response_detector")
    rule = ResponseRule(
        info=info,
        trigger_roles=_roles(data.get("trigger_roles"), "trigger_roles", error),
        triggers=_phrases(data.get("triggers"), "triggers", error),
        trigger_exceptions=_phrases(
            data.get("trigger_exceptions", []), "trigger_exceptions", error
        ),
        response_roles=_roles(data.get("response_roles"), "response_roles", error),
        responses=_phrases(data.get("responses", []), "responses", error),
        response_detector=None
        if detector is None
        else _enum(Detector, detector, "response_detector", error),
        window=data.get("window", 1) if isinstance(data.get("window"), int) else 1,
        include_trigger_turn=bool(data.get("include_trigger_turn", False)),
        options=MatchOptions(boundary=_boundary(data, error)),
    )
    if rule.window < 1:
        error("'window' must be at least 1")
    elif rule.window > MAX_WINDOW:
        error(f"'window' must be at most {MAX_WINDOW} turns")
    if not rule.responses and rule.response_detector is None:
        error("needs 'responses' or 'response_detector': otherwise it can never be satisfied")
    return rule


def _occurrence_rule(
    data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]
) -> OccurrenceRule:
    rule = OccurrenceRule(
        info=info,
        scope=_scope(data.get("scope"), error),
        phrases=_phrases(data.get("phrases"), "phrases", error),
        at_least=_count(data, "at_least", 1, error),
        at_most=_count(data, "at_most", 0, error),
        exceptions=_phrases(data.get("exceptions", []), "exceptions", error),
        options=MatchOptions(boundary=_boundary(data, error)),
    )
    if rule.at_least is None and rule.at_most is None:
        error("needs 'at_least' or 'at_most'")
    elif rule.at_least is not None and rule.at_most is not None and rule.at_least > rule.at_most:
        error("'at_least' is more than 'at_most': the rule could never be satisfied")
    return rule


def _scope(raw: object, error: Callable[[str], None]) -> Scope:
    if not isinstance(raw, dict):
        return Scope(Role.AGENT)  # the wrong type is already reported

    def scope_error(problem: str) -> None:
        error(f"'scope': {problem}")

    _check_keys(raw, _SCOPE_KEYS, scope_error)
    role = _enum(Role, raw["role"], "role", scope_error) if "role" in raw else None
    first, last = _count(raw, "first", 1, scope_error), _count(raw, "last", 1, scope_error)
    if first is not None and last is not None:
        scope_error("takes 'first' or 'last', not both")
    return Scope(role or Role.AGENT, first, last)


def _count(table: dict[str, Any], key: str, least: int, error: Callable[[str], None]) -> int | None:
    """An optional whole number of at least ``least``; a wrong type is reported elsewhere."""
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    if value < least:
        error(f"'{key}' must be at least {least}")
    return value


def _boundary(data: dict[str, Any], error: Callable[[str], None]) -> Boundary:
    return _enum(Boundary, data.get("boundary", "none"), "boundary", error) or Boundary.NONE


def _tag_rule(data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]) -> TagRule:
    category, tag = data.get("category", ""), data.get("tag", "")
    if isinstance(category, str) and category and not _NAME.fullmatch(category):
        error(f"category '{category}' must be lower-case words joined by '-' (topic)")
    return TagRule(
        info=info,
        roles=_roles(data.get("roles", ["customer"]), "roles", error),
        phrases=_phrases(data.get("phrases"), "phrases", error),
        category=category if isinstance(category, str) else "",
        tag=tag.strip() if isinstance(tag, str) else "",
        exceptions=_phrases(data.get("exceptions", []), "exceptions", error),
        options=MatchOptions(boundary=_boundary(data, error)),
        outbound_roles=_roles(data.get("outbound_roles", []), "outbound_roles", error),
    )


def _timing_rule(data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]) -> TimingRule:
    rule = TimingRule(
        info=info,
        measure=_enum(Measure, data.get("measure"), "measure", error) or Measure.REPLY_GAP,
        limit=_number(data, "limit"),
        phrases=_phrases(data.get("phrases", []), "phrases", error),
        min_chars=data["min_chars"] if isinstance(data.get("min_chars"), int) else 15,
    )
    if rule.limit <= 0:
        error("'limit' must be more than 0")
    if rule.min_chars < 1:
        error("'min_chars' must be at least 1")
    return rule


def _commitment_rule(
    data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]
) -> CommitmentRule:
    rule = CommitmentRule(
        info=info,
        roles=_roles(data.get("roles", ["agent"]), "roles", error),
        subjects=_phrases(data.get("subjects"), "subjects", error),
        limit_minutes=_number(data, "limit_minutes"),
        reach=data["reach"] if isinstance(data.get("reach"), int) else 12,
        exceptions=_phrases(data.get("exceptions", []), "exceptions", error),
        area_limits=_area_limits(data.get("area_limits", {}), error),
    )
    if rule.limit_minutes <= 0:
        error("'limit_minutes' must be more than 0")
    if not 0 <= rule.reach <= MAX_REACH:
        error(f"'reach' must be from 0 to {MAX_REACH} characters")
    return rule


def _area_limits(raw: object, error: Callable[[str], None]) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, dict):
        return ()  # the wrong type is already reported
    limits: list[tuple[str, float]] = []
    for area, minutes in raw.items():
        if area not in AREAS:
            error(f"'area_limits': {area!r} unknown; expected some of {', '.join(AREAS)}")
        elif not isinstance(minutes, int | float) or isinstance(minutes, bool) or minutes <= 0:
            error(f"'area_limits': {area} must be a number of minutes more than 0")
        else:
            limits.append((area, float(minutes)))
    return tuple(limits)


def _personal_data_rule(
    data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]
) -> PersonalDataRule:
    raw = data.get("data")
    allowed = ("phone", "id-number", "bank-card", "email")
    kinds = [v for v in raw if v in allowed] if isinstance(raw, list) else []
    if isinstance(raw, list):
        for v in raw:
            if v not in allowed:
                error(f"'data' must be one of {', '.join(allowed)}; got {v!r}")
    return PersonalDataRule(
        info=info,
        roles=_roles(data.get("roles", ["agent"]), "roles", error),
        data=frozenset(kind for kind in kinds if kind is not None),
    )


def _repeat_question_rule(
    data: dict[str, Any], info: RuleInfo, error: Callable[[str], None]
) -> RepeatQuestionRule:
    rule = RepeatQuestionRule(
        info=info,
        asked=_phrases(data.get("asked"), "asked", error),
        given=_phrases(data.get("given"), "given", error),
        answer=_enum(Answer, data.get("answer"), "answer", error) or Answer.NUMBER,
        asking_roles=_roles(data.get("asking_roles", ["agent"]), "asking_roles", error),
        given_roles=_roles(data.get("given_roles", ["customer"]), "given_roles", error),
        asked_exceptions=_phrases(data.get("asked_exceptions", []), "asked_exceptions", error),
        given_exceptions=_phrases(data.get("given_exceptions", []), "given_exceptions", error),
        refusals=_phrases(data.get("refusals", []), "refusals", error),
        excuses=_phrases(data.get("excuses", []), "excuses", error),
        reach=data["reach"] if isinstance(data.get("reach"), int) else 8,
    )
    if rule.asking_roles & rule.given_roles:
        error("'asking_roles' and 'given_roles' must not share a role")
    if not 0 <= rule.reach <= MAX_REACH:
        error(f"'reach' must be from 0 to {MAX_REACH} characters")
    return rule


def _number(data: dict[str, Any], key: str) -> float:
    """A number (a wrong type is reported by the key check; it reads as 1 here)."""
    value = data.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 1.0


_BUILDERS: dict[str, Callable[[dict[str, Any], RuleInfo, Callable[[str], None]], Rule]] = {
    "phrase": _phrase_rule,
    "response": _response_rule,
    "pattern": _pattern_rule,
    "occurrence": _occurrence_rule,
    "tag": _tag_rule,
    "timing": _timing_rule,
    "commitment": _commitment_rule,
    "personal-data": _personal_data_rule,
    "repeat-question": _repeat_question_rule,
}


def _roles(raw: object, key: str, error: Callable[[str], None]) -> frozenset[Role]:
    if not isinstance(raw, list):
        return frozenset()
    roles = (_enum(Role, value, key, error) for value in raw)
    return frozenset(role for role in roles if role is not None)


def _phrases(raw: object, key: str, error: Callable[[str], None]) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    phrases: list[str] = []
    seen: dict[str, str] = {}
    for value in raw:
        if not isinstance(value, str):
            error(f"'{key}': {value!r} is not a string")
            continue
        folded = fold_phrase(value)
        if not folded:
            error(f"'{key}': {value!r} can never match (nothing left after normalisation)")
        elif len(folded) > MAX_PHRASE_LENGTH:
            error(f"'{key}': {value[:12]!r}… is longer than {MAX_PHRASE_LENGTH} characters")
        elif folded in seen:
            error(f"'{key}': {value!r} is the same as {seen[folded]!r} after normalisation")
        else:
            seen[folded] = value
            phrases.append(value)
    return tuple(phrases)


_E = TypeVar("_E", Severity, Role, Boundary, Detector, Measure, Answer)


def _enum(enum: type[_E], value: object, key: str, error: Callable[[str], None]) -> _E | None:
    if isinstance(value, str) and value in enum._value2member_map_:
        return enum(value)
    allowed = ", ".join(member.value for member in enum)
    error(f"'{key}' must be one of {allowed}; got {value!r}")
    return None
