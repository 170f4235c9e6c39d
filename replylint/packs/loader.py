"""Load rule packs: folders of TOML files, one rule a file, read strictly.

Every problem in every file is collected (unknown keys, wrong types, empty lists,
duplicate codes, phrases that can never match) and raised at once in a ``PackError``. A
rule file's keys come from its kind's record (``packs.schema``).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from replylint.kinds import KINDS, Rule
from replylint.kinds.base import Problem
from replylint.packs.datafile import DataFileError, read_toml
from replylint.packs.packfile import (
    PACK_FILE,
    PackInfo,
    read_pack_info,
    with_pack_phrases,
    with_phrase_files,
)
from replylint.packs.schema import KIND_KEY, check_keys, read_record, rule_keys
from replylint.packs.slots import Lexicons, with_slots


class PackError(Exception):
    """One or more packs are invalid; ``problems`` lists every one, each naming its file."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


def bundled_rules_dir() -> Path:
    """The packs shipped with replylint: inside the wheel, ``rules/`` in a checkout, or
    unpacked from a zip that replylint is imported from (Spark's ``--py-files``)."""
    package = files("replylint")
    if isinstance(package, Path):
        for candidate in (package / "_rules", package.parent / "rules"):
            if candidate.is_dir():
                return candidate
    elif (package / "_rules").is_dir():
        return _unpacked_rules()
    raise PackError([f"bundled rule packs not found next to {package}"])


@cache
def _unpacked_rules() -> Path:
    """The zip's packs copied to a temporary folder, once a process: the loader reads
    folders (and refuses what is not a regular file), which a zip's members are not."""
    folder = Path(tempfile.mkdtemp(prefix="replylint-rules-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _copy_tree(files("replylint") / "_rules", folder)
    return folder


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def _bundled_folders() -> list[Path]:
    """The bundled rules folder, for its lexicons (none when it is not installed)."""
    try:
        return [bundled_rules_dir()]
    except PackError:
        return []


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


# TOML files in a rule folder that are not rules: a pack's own settings, and the profiles.
NOT_RULE_FILES = frozenset({"pack.toml", "profiles.toml"})


def rule_files(folder: Path) -> list[Path]:
    """The rule files of a pack folder, sorted."""
    return sorted(path for path in folder.glob("*.toml") if path.name not in NOT_RULE_FILES)


def pack_dirs(roots: Iterable[Path]) -> Iterator[Path]:
    """Each pack folder (a folder holding rule files) below the given roots, sorted."""
    for root in roots:
        if rule_files(root):
            yield root
        yield from sorted(p for p in root.iterdir() if p.is_dir() and rule_files(p))


@dataclass(frozen=True, slots=True)
class LoadedPacks:
    rules: tuple[Rule, ...]
    packs: Mapping[str, PackInfo]  # by name, the packs that have a pack.toml


def load_packs(
    roots: Iterable[Path | str] | None = None, *, packs: Iterable[str] | None = None
) -> tuple[Rule, ...]:
    """Every rule under ``roots`` (default: the bundled packs), optionally only ``packs``."""
    return load_pack_folders(roots, packs=packs).rules


def load_pack_folders(
    roots: Iterable[Path | str] | None = None, *, packs: Iterable[str] | None = None
) -> LoadedPacks:
    """Every rule under ``roots`` (default: the bundled packs), optionally only ``packs``,
    and what each pack's ``pack.toml`` says. Raises ``PackError`` listing every problem."""
    root_paths = [Path(r) for r in roots] if roots is not None else [bundled_rules_dir()]
    wanted = set(packs) if packs is not None else None
    problems: list[str] = [f"{root}: not a folder" for root in root_paths if not root.is_dir()]
    rules: list[Rule] = []
    infos: dict[str, PackInfo] = {}
    found: set[str] = set()
    # The classes slots may name: the bundled ones and those of the folders loaded.
    lexicons = Lexicons([*_bundled_folders(), *(r for r in root_paths if r.is_dir())])
    for folder in pack_dirs(r for r in root_paths if r.is_dir()):
        found.add(folder.name)
        if wanted is None or folder.name in wanted:
            info = read_pack_info(folder, problems)
            if info is not None:
                infos.setdefault(info.name, info)
            for path in rule_files(folder):
                rule = _load_rule_file(path, info, lexicons, problems)
                if rule is not None:
                    rules.append(rule)
    problems.extend(f"unknown pack '{name}'" for name in sorted((wanted or set()) - found))
    problems.extend(_duplicates(rules))
    if problems:
        raise PackError(problems)
    return LoadedPacks(tuple(rules), MappingProxyType(infos))


def _duplicates(rules: Sequence[Rule]) -> Iterator[str]:
    for attribute in ("code", "name"):
        seen: dict[str, str] = {}
        for rule in rules:
            value = getattr(rule.info, attribute)
            if value in seen:
                yield f"{rule.info.path}: {attribute} '{value}' already used in {seen[value]}"
            seen.setdefault(value, rule.info.path)


def _load_rule_file(
    path: Path, info: PackInfo | None, lexicons: Lexicons, problems: list[str]
) -> Rule | None:
    try:
        data = read_toml(path)
    except DataFileError as error:
        problems.append(str(error))
        return None
    label = f"{path} [{data.get('code', '?')}]"
    errors: list[str] = []
    rule = _build_rule(data, path, info, lexicons, errors.append)
    problems.extend(f"{label}: {e}" for e in errors)
    return rule if not errors else None


def _build_rule(
    data: dict[str, Any], path: Path, pack: PackInfo | None, lexicons: Lexicons, problem: Problem
) -> Rule | None:
    name = data.get(KIND_KEY)
    kind = KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        problem(f"'{KIND_KEY}' must be one of {', '.join(KINDS)}; got {name!r}")
        return None
    schema = rule_keys(kind.record, frozenset(kind.fixed))
    data = with_phrase_files(data, schema, path.parent, problem)
    data = with_slots(data, schema, lexicons, problem)
    data = with_pack_phrases(data, schema, pack, problem)
    check_keys(data, schema, problem)
    given = {
        "pack": path.parent.name,
        "pack_title": "" if pack is None else pack.title,
        "path": str(path),
        **kind.fixed,
    }
    rule: Rule = read_record(kind.record, data, problem, given)
    kind.validate(rule, problem)
    code = rule.info.code
    if pack is not None and code and not code.startswith(pack.prefix):
        problem(f"code '{code}' must start with the pack's prefix '{pack.prefix}' ({PACK_FILE})")
    return rule
