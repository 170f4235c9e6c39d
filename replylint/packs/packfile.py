"""What a pack says about itself and its rules: ``pack.toml`` beside the rule files (the
codes' prefix, a Chinese title, lists every rule shares), and phrase lists kept in plain
text files beside a rule (``phrases = { file = "terms.txt" }``, one phrase a line).

    prefix = "JG"
    title = "专业术语未解释"
    [phrase_exceptions]       # each phrase of every rule, explained at once, is no jargon:
    after = ["也就是", "就是"]  # 台区也就是…
    before = ["所谓"]           # 所谓台区
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from replylint.kinds.base import NOT_A_KEY, Problem, reads
from replylint.packs.datafile import DataFileError, read_lines, read_toml
from replylint.packs.schema import Key, check_keys, keys, read_phrases, read_record

PACK_FILE = "pack.toml"
FILE_KEY = "file"  # a phrase list kept in a file: { file = "NAME.txt" }
_PREFIX = re.compile(r"[A-Z]{2,4}")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.txt")


def _prefix(value: str, key: str, problem: Problem) -> str:
    if not _PREFIX.fullmatch(value):
        problem(f"'{key}' {value!r} must be two to four capitals (FP)")
    return value


@dataclass(frozen=True, slots=True)
class PhraseExceptions:
    """Exceptions every rule of a pack gets, made of each of its phrases: followed by one
    of ``after``, or preceded by one of ``before``."""

    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()

    def of(self, phrases: list[str]) -> list[str]:
        """The exceptions of these phrases, phrase by phrase: after, then before."""
        return [
            exception
            for phrase in phrases
            for exception in (
                *(phrase + after for after in self.after),
                *(before + phrase for before in self.before),
            )
        ]


@dataclass(frozen=True, slots=True)
class PackInfo:
    """A pack's ``pack.toml``; a pack without one has no prefix to check and no title."""

    name: str = field(metadata={NOT_A_KEY: True})  # the folder's name
    prefix: str = field(metadata=reads(str, _prefix))  # every rule's code starts with it
    title: str  # what a QA team calls the pack, in Chinese
    phrase_exceptions: PhraseExceptions = PhraseExceptions()


def read_pack_info(folder: Path, problems: list[str]) -> PackInfo | None:
    """The pack's ``pack.toml``, if it has one; its problems name the file."""
    path = folder / PACK_FILE
    if not path.exists():
        return None
    try:
        data = read_toml(path)
    except DataFileError as error:
        problems.append(str(error))
        return None

    def problem(text: str) -> None:
        problems.append(f"{path}: {text}")

    before = len(problems)
    check_keys(data, keys(PackInfo), problem)
    info: PackInfo = read_record(PackInfo, data, problem, {"name": folder.name})
    return info if len(problems) == before else None


def with_pack_phrases(
    data: dict[str, Any], schema: Mapping[str, Key], pack: PackInfo | None, problem: Problem
) -> dict[str, Any]:
    """The rule file's keys with its pack's shared exceptions added to its own."""
    if pack is None or not (pack.phrase_exceptions.after or pack.phrase_exceptions.before):
        return data
    if "phrases" not in schema or "exceptions" not in schema:
        problem(f"{PACK_FILE} gives every rule 'phrase_exceptions': this kind has no 'exceptions'")
        return data
    phrases, own = data.get("phrases"), data.get("exceptions", [])
    if not isinstance(phrases, list) or not isinstance(own, list):
        return data  # the wrong type is reported with the rule's keys
    shared = pack.phrase_exceptions.of([p for p in phrases if isinstance(p, str)])
    return {**data, "exceptions": [*own, *shared]}


def with_phrase_files(
    data: dict[str, Any], schema: Mapping[str, Key], folder: Path, problem: Problem
) -> dict[str, Any]:
    """The rule file's keys with each phrase list given as ``{ file = "NAME.txt" }`` read
    from that file beside it: one phrase a line; blank lines and lines starting with ``#``
    are left out."""
    found = dict(data)
    for name, value in data.items():
        key = schema.get(name)
        if key is not None and key.read is read_phrases and _is_file_reference(value):
            found[name] = _phrase_file(folder, value[FILE_KEY], name, problem)
    return found


def _is_file_reference(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {FILE_KEY}


def _phrase_file(folder: Path, name: object, key: str, problem: Problem) -> list[str]:
    if not isinstance(name, str) or not _FILE_NAME.fullmatch(name):
        problem(f"'{key}': the file {name!r} must be a .txt file beside the rule (NAME.txt)")
        return []
    try:
        lines = read_lines(folder / name)
    except DataFileError as error:
        problem(f"'{key}': {error}")
        return []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
