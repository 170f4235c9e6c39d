"""Lexicons: named word classes as data, and the pattern slots that name them.

A rules folder may hold ``lexicons/NAME.txt``: one entry a line, ``#`` comments, sorted,
opening with a comment that says what the class is and what it leaves out. An entry is a
phrase (compared after replylint's fold, like every pack phrase) or, where no phrase can
say it, a pattern of the pattern language (说好的…呢). ``NAME.exceptions.txt`` lists
phrases that contain an entry and are not the class (垃圾短信 is no insult).

A pattern names a class with a slot, ``{third-party}的(问题|事)``; `expand_slots` turns
each slot into a group of the class's phrases before the pattern is parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice, product
from pathlib import Path

from replylint.packs.datafile import MAX_BYTES, read_regular_file
from replylint.text.normalize import MAX_PHRASE_LENGTH, fold_phrase
from replylint.text.pattern import PatternError, parse_pattern

LEXICON_FOLDER = "lexicons"
EXCEPTIONS_SUFFIX = ".exceptions"
NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
# One entry, optionally followed by a note: `靠北  # 台湾用语`.
_ENTRY_LINE = re.compile(r"(?P<entry>[^\s#]+)(?:[ \t]+#.*)?")
# What makes an entry a pattern rather than a phrase (ASCII and full-width spellings).
_PATTERN_SYNTAX = frozenset("…()|?{}（）｜？｛｝") | {"..."}
# A slot: a class name in braces. Gap bounds (…{1,8}) hold digits, so never look like one.
_SLOT = re.compile(r"[{｛](?P<name>[a-z][a-z0-9-]*)[}｝]")
_GROUP = re.compile(r"[(（](?P<body>[^()（）]*)[)）]")
_BAR = re.compile(r"[|｜]")
MAX_SLOT_ALTERNATIVES = 2000  # per group after expansion: a bound on what one slot costs


class Problem(StrEnum):
    """What can be wrong in a lexicon folder."""

    UNREADABLE = "unreadable"
    BAD_NAME = "bad-name"
    DEFINED_TWICE = "defined-twice"
    NO_HEADER = "no-header"
    EMPTY = "empty"
    LINE_SHAPE = "line-shape"
    BAD_ENTRY = "bad-entry"
    DUPLICATE = "duplicate"
    UNSORTED = "unsorted"
    CONFLICT = "conflict"
    ORPHAN_EXCEPTIONS = "orphan-exceptions"


@dataclass(frozen=True, slots=True)
class LexiconProblem:
    path: Path
    line: int | None
    kind: Problem
    detail: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.detail} [{self.kind}]"


class LexiconError(ValueError):
    """One or more lexicon files are invalid; ``problems`` names each file and line."""

    def __init__(self, problems: Sequence[LexiconProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One word class: its entries as written (sorted) and the phrases it excludes."""

    name: str
    description: str  # the opening comment
    entries: tuple[str, ...]
    exceptions: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        """The entries that are plain phrases: what a slot expands to."""
        return tuple(entry for entry in self.entries if not is_pattern(entry))

    @property
    def patterns(self) -> tuple[str, ...]:
        """The entries written in the pattern language (说好的…呢)."""
        return tuple(entry for entry in self.entries if is_pattern(entry))


def is_pattern(entry: str) -> bool:
    return any(syntax in entry for syntax in _PATTERN_SYNTAX)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    entry: str


@dataclass(frozen=True, slots=True)
class _File:
    """One lexicon file as read: its opening comment and entry lines."""

    path: Path
    description: str
    lines: tuple[_Line, ...]

    def entries(self) -> tuple[str, ...]:
        return tuple(line.entry for line in self.lines)


class _Problems(list[LexiconProblem]):
    def add(self, path: Path, line: int | None, kind: Problem, detail: str) -> None:
        self.append(LexiconProblem(path, line, kind, detail))


def load_lexicons(roots: Path | str | Iterable[Path | str]) -> dict[str, Lexicon]:
    """Every lexicon in ``ROOT/lexicons/`` of each rules folder, by name (none when a
    folder has no ``lexicons/``). Raises ``LexiconError`` listing every problem at once,
    each with its file and line: see `Problem`."""
    problems = _Problems()
    files: dict[str, _File] = {}
    exception_files: dict[str, _File] = {}
    for path in _lexicon_paths(roots):
        name, is_exceptions = _class_name(path)
        if NAME.fullmatch(name) is None:
            problems.add(path, None, Problem.BAD_NAME, "a name is lower-case words joined by '-'")
            continue
        read = _read_file(path, problems)
        if read is None:
            continue
        into = exception_files if is_exceptions else files
        if name in into:
            problems.add(path, None, Problem.DEFINED_TWICE, f"also in {into[name].path}")
            continue
        into[name] = read
        _check_entries(read, problems, phrases_only=is_exceptions)
    for name, exceptions in exception_files.items():
        if name not in files:
            problems.add(exceptions.path, None, Problem.ORPHAN_EXCEPTIONS, f"no lexicon {name!r}")
        else:
            _check_conflicts(files[name], exceptions, problems)
    if problems:
        raise LexiconError(problems)
    return {
        name: Lexicon(name, read.description, read.entries(), _entries(exception_files.get(name)))
        for name, read in sorted(files.items())
    }


def _entries(read: _File | None) -> tuple[str, ...]:
    return () if read is None else read.entries()


def _lexicon_paths(roots: Path | str | Iterable[Path | str]) -> Iterator[Path]:
    for root in [roots] if isinstance(roots, Path | str) else roots:
        folder = Path(root) / LEXICON_FOLDER
        if folder.is_dir():
            yield from sorted(folder.glob("*.txt"))


def _class_name(path: Path) -> tuple[str, bool]:
    """The class a file belongs to, and whether it holds the class's exceptions."""
    stem = path.name.removesuffix(".txt")
    if stem.endswith(EXCEPTIONS_SUFFIX):
        return stem.removesuffix(EXCEPTIONS_SUFFIX), True
    return stem, False


def _read_file(path: Path, problems: _Problems) -> _File | None:
    try:  # a pipe is refused, not waited on; a device, not read forever
        data = read_regular_file(path, MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise OSError(f"larger than {MAX_BYTES // 2**20} MB")
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path, None, Problem.UNREADABLE, f"cannot be read as UTF-8: {error}")
        return None
    header: list[str] = []
    lines: list[_Line] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.startswith("#"):
            if len(header) == number - 1:  # the comment block that opens the file
                header.append(raw.removeprefix("#").strip())
            continue
        if not raw.strip():
            continue
        shape = _ENTRY_LINE.fullmatch(raw)
        if shape is None:
            problems.add(path, number, Problem.LINE_SHAPE, f"{raw[:30]!r}: one entry a line")
        else:
            lines.append(_Line(number, shape["entry"]))
    if not header:
        problems.add(path, 1, Problem.NO_HEADER, "open with a comment: what the class is")
    if not lines:
        problems.add(path, None, Problem.EMPTY, "no entries")
    return _File(path, "\n".join(header), tuple(lines))


def _check_entries(read: _File, problems: _Problems, *, phrases_only: bool) -> None:
    seen: dict[str, int] = {}
    previous: _Line | None = None
    for line in read.lines:
        problem = _entry_problem(line.entry, phrases_only=phrases_only)
        if problem:
            problems.add(read.path, line.number, Problem.BAD_ENTRY, f"{line.entry!r}: {problem}")
        key = entry_key(line.entry)
        if key in seen:
            detail = f"{line.entry!r} repeats line {seen[key]} (after folding)"
            problems.add(read.path, line.number, Problem.DUPLICATE, detail)
        seen.setdefault(key, line.number)
        if previous is not None and line.entry < previous.entry:
            detail = f"{line.entry!r} sorts before {previous.entry!r} (line {previous.number})"
            problems.add(read.path, line.number, Problem.UNSORTED, detail)
        previous = line


def _entry_problem(entry: str, *, phrases_only: bool) -> str | None:
    if is_pattern(entry):
        return "exceptions are phrases, not patterns" if phrases_only else _pattern_problem(entry)
    folded = fold_phrase(entry)
    if not folded:
        return "nothing is left after folding"
    if len(folded) > MAX_PHRASE_LENGTH:
        return f"longer than {MAX_PHRASE_LENGTH} characters"
    return None


def _pattern_problem(entry: str) -> str | None:
    if _SLOT.search(entry):
        return "a lexicon entry cannot name another lexicon"
    try:
        parse_pattern(entry)
    except PatternError as error:
        return f"not a valid pattern: {error}"
    return None


def entry_key(entry: str) -> str:
    """What two entries are compared by: the fold for a phrase, the source for a pattern."""
    return "".join(entry.split()) if is_pattern(entry) else fold_phrase(entry)


def _check_conflicts(lexicon: _File, exceptions: _File, problems: _Problems) -> None:
    entries = {entry_key(line.entry): line for line in lexicon.lines}
    for line in exceptions.lines:
        same = entries.get(entry_key(line.entry))
        if same is not None:
            detail = f"{line.entry!r} is also an entry ({lexicon.path}:{same.number})"
            problems.add(exceptions.path, line.number, Problem.CONFLICT, detail)


def slot_names(pattern_source: str) -> tuple[str, ...]:
    """The lexicons a pattern names, in order of first appearance."""
    return tuple(dict.fromkeys(slot["name"] for slot in _SLOT.finditer(pattern_source)))


def slot_exceptions(pattern_source: str, lexicons: Mapping[str, Lexicon]) -> tuple[str, ...]:
    """The exceptions of every lexicon a pattern names: a rule using ``{anger-insult}``
    adds them to its own, so that 垃圾短信 never matches as 垃圾."""
    _known(slot_names(pattern_source), lexicons)
    return tuple(e for name in slot_names(pattern_source) for e in lexicons[name].exceptions)


def expand_slots(pattern_source: str, lexicons: Mapping[str, Lexicon]) -> str:
    """The pattern with each slot replaced by the alternatives of its lexicon's phrases.

    A slot standing as a part becomes a group, ``{third-party}的问题`` ->
    ``(银行|厂家|…)的问题``; ``{x}?`` is an optional group. Inside a group, an alternative
    holding a slot becomes one alternative per entry, ``(我们|在{x})`` -> ``(我们|在银行|…)``,
    and alternatives that fold alike are kept once. Raises ``PatternError`` for an unknown
    lexicon, for a lexicon holding patterns (a group holds phrases only), and for a group
    that would grow past ``MAX_SLOT_ALTERNATIVES``. A pattern without slots is unchanged.
    """
    names = slot_names(pattern_source)
    if not names:
        return pattern_source
    _known(names, lexicons)
    _phrases_only(names, lexicons)
    in_groups = _GROUP.sub(lambda group: _expand_group(group, lexicons), pattern_source)
    return _SLOT.sub(lambda slot: f"({'|'.join(lexicons[slot['name']].phrases)})", in_groups)


def spell_out(phrase: str, lexicons: Mapping[str, Lexicon]) -> tuple[str, ...]:
    """A phrase with slots, as every phrase it stands for: ``{third-party}的问题`` ->
    银行的问题, 厂家的问题, …; a phrase without slots is itself. Raises ``PatternError``
    for an unknown lexicon, one holding patterns (a phrase list takes phrases only), and
    past ``MAX_SLOT_ALTERNATIVES`` spellings."""
    names = slot_names(phrase)
    if not names:
        return (phrase,)
    _known(names, lexicons)
    _phrases_only(names, lexicons)
    spellings = tuple(islice(_spell_out(phrase, lexicons), MAX_SLOT_ALTERNATIVES + 1))
    if len(spellings) > MAX_SLOT_ALTERNATIVES:
        raise PatternError(f"{phrase[:24]!r}: more than {MAX_SLOT_ALTERNATIVES} phrases")
    return spellings


def _phrases_only(names: Iterable[str], lexicons: Mapping[str, Lexicon]) -> None:
    for name in names:
        if lexicons[name].patterns:
            raise PatternError(
                f"{{{name}}} holds patterns ({lexicons[name].patterns[0]}…): a slot takes a "
                "lexicon of phrases; name it alone in a list of patterns"
            )


def _known(names: Iterable[str], lexicons: Mapping[str, Lexicon]) -> None:
    unknown = [name for name in names if name not in lexicons]
    if unknown:
        known = ", ".join(sorted(lexicons)) or "none"
        raise PatternError(f"unknown lexicon {{{unknown[0]}}}; known: {known}")


def _expand_group(group: re.Match[str], lexicons: Mapping[str, Lexicon]) -> str:
    """One group with the slots in its alternatives spelled out."""
    if not _SLOT.search(group["body"]):
        return group[0]
    alternatives: dict[str, str] = {}
    for alternative in _BAR.split(group["body"]):
        for spelled in _spell_out(alternative, lexicons):
            alternatives.setdefault(fold_phrase(spelled) or spelled, spelled)
            if len(alternatives) > MAX_SLOT_ALTERNATIVES:
                raise PatternError(
                    f"{group[0][:24]!r}: more than {MAX_SLOT_ALTERNATIVES} alternatives once "
                    "its slots are spelled out"
                )
    return f"({'|'.join(alternatives.values())})"


def _spell_out(alternative: str, lexicons: Mapping[str, Lexicon]) -> Iterator[str]:
    """Every spelling of one alternative: the product of its slots' phrases."""
    literals = _SLOT.split(alternative)[::2]  # split() interleaves the captured names
    choices = [lexicons[name].phrases for name in _SLOT.findall(alternative)]
    for chosen in product(*choices):
        pieces = zip(chosen, literals[1:], strict=True)
        yield literals[0] + "".join(phrase + literal for phrase, literal in pieces)
