"""Review verdicts: findings a reviewer confirmed as false positives, suppressed from then on.

A verdicts file is JSON Lines, one verdict a line, so that ``replylint review add`` only ever
appends and a diff shows who marked what:

    {"transcript": "pw-001", "rule": "FP011", "text": "叫没有用", "verdict": "false-positive",
     "reviewer": "wangfang", "date": "2026-07-20", "note": "客户原话，坐席在复述"}

(one line in the file). A verdict names findings as a baseline does: transcript, rule and
matched text, the text compared folded (see ``baseline.finding_key``). Every finding of the
call with that key is suppressed, wherever it is. ``note`` may be empty.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from replylint.model import Finding
from replylint.run.baseline import Entry, entry, finding_key
from replylint.run.files import OutputError, write_atomically
from replylint.text.normalize import fold_phrase

FALSE_POSITIVE = "false-positive"
_FIELDS = ("transcript", "rule", "text", "verdict", "reviewer", "date", "note")


class VerdictsError(Exception):
    """A verdicts file or a verdict that cannot be used; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Verdict:
    transcript: str
    rule: str
    text: str
    reviewer: str
    date: str  # ISO day
    note: str = ""
    verdict: str = FALSE_POSITIVE

    @classmethod
    def given(  # noqa: PLR0913 - the fields of a verdict, by name
        cls, transcript: str, rule: str, text: str, *, reviewer: str, date: str | None, note: str
    ) -> Verdict:
        """A verdict as a reviewer types it: fields stripped, the code upper-cased, the date
        today unless given."""
        return cls(
            transcript=transcript.strip(),
            rule=rule.strip().upper(),
            text=text,
            reviewer=reviewer.strip(),
            date=date if date is not None else dt.date.today().isoformat(),
            note=note.strip(),
        )

    @property
    def key(self) -> Entry:
        return finding_key((self.transcript, self.rule, self.text))

    def to_json(self) -> str:
        values = asdict(self)
        return json.dumps({name: values[name] for name in _FIELDS}, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Verdicts:
    """The keys of the findings reviewers marked as false positives. Picklable."""

    keys: frozenset[Entry] = frozenset()

    @classmethod
    def of(cls, verdicts: Iterable[Verdict]) -> Verdicts:
        return cls(frozenset(verdict.key for verdict in verdicts))

    def marked(self, finding: Finding) -> bool:
        return finding_key(entry(finding)) in self.keys

    def split(self, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(the findings to report, the ones marked as false positives), each in order."""
        kept: list[Finding] = []
        marked: list[Finding] = []
        for finding in findings:
            (marked if self.marked(finding) else kept).append(finding)
        return kept, marked

    def keep(self, findings: list[Finding]) -> list[Finding]:
        """The findings of one transcript that no verdict marks (a ``batch.Keep``)."""
        return self.split(findings)[0]


def parse_verdicts(path: Path) -> list[Verdict]:
    """Every verdict in the file, in order. Raises ``VerdictsError`` naming file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise VerdictsError(f"{path}: {error}") from None
    verdicts: list[Verdict] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            verdicts.append(_verdict(line, f"{path}:{number}"))
    return verdicts


def read_verdicts(path: Path) -> Verdicts:
    return Verdicts.of(parse_verdicts(path))


def _verdict(line: str, where: str) -> Verdict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise VerdictsError(f"{where}: {error}") from None
    if not isinstance(item, dict):
        raise VerdictsError(f"{where}: a verdict must be a JSON object")
    unknown = sorted(set(item) - set(_FIELDS))
    missing = [name for name in _FIELDS if name != "note" and name not in item]
    if unknown or missing:
        raise VerdictsError(
            f"{where}: needs {', '.join(_FIELDS[:-1])} (and an optional note); "
            f"missing {missing or 'nothing'}, unknown {unknown or 'nothing'}"
        )
    verdict = Verdict(**{name: item[name] for name in _FIELDS if name in item})
    problem = _problem(verdict)
    if problem:
        raise VerdictsError(f"{where}: {problem}")
    return verdict


def _problem(verdict: Verdict) -> str | None:
    values = asdict(verdict)
    for name in _FIELDS:
        if not isinstance(values[name], str):
            return f"'{name}' must be a string, got {values[name]!r}"
        if name != "note" and not values[name].strip():
            return f"'{name}' must not be empty"
    if verdict.verdict != FALSE_POSITIVE:
        return f"'verdict' must be {FALSE_POSITIVE!r}, got {verdict.verdict!r}"
    if not fold_phrase(verdict.text):
        return f"'text' {verdict.text!r} can never match (nothing left after normalisation)"
    try:
        dt.date.fromisoformat(verdict.date)
    except ValueError:
        return f"'date' must be a day like 2026-07-20, got {verdict.date!r}"
    return None


def add_verdict(path: Path, verdict: Verdict) -> Verdict | None:
    """Append ``verdict`` to the file (created if missing; rewritten atomically, so that a
    full disk leaves it as it was); returns the verdict already in the file with the same
    key instead of appending a second. Raises ``VerdictsError``."""
    problem = _problem(verdict)
    if problem:
        raise VerdictsError(problem)
    existing = parse_verdicts(path) if path.exists() else []
    for earlier in existing:
        if earlier.key == verdict.key:
            return earlier
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    separator = "\n" if before and not before.endswith("\n") else ""
    try:
        write_atomically(path, before + separator + verdict.to_json() + "\n")
    except OutputError as error:
        raise VerdictsError(str(error)) from None
    return None


def current_user() -> str | None:
    """Who is reviewing, by default: the login name, None where none is known."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return None
