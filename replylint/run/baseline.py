"""Baselines: accept the findings a corpus has today, and report only new ones from then on.

A baseline counts findings by (transcript, rule, matched text), never by turn or offset, so
it survives edits elsewhere in a call. The text is compared folded (spacing, punctuation,
script and width do not matter). With a count of 2, the first two such findings of a call
are known and a third is new. The file is JSON, sorted, one entry a line, for clean diffs:

    {"version": 1, "findings": [
    {"transcript": "pw-001", "rule": "FP011", "text": "叫没有用", "count": 1}
    ]}
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from replylint.model import Finding, ReadError
from replylint.run.files import check_writable, write_atomically
from replylint.run.result import Result, Summary
from replylint.run.terminal import printable
from replylint.text.normalize import fold_phrase

VERSION = 1

Entry = tuple[str, str, str]  # (transcript, rule, text as found)


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names it."""


@dataclass(frozen=True, slots=True)
class Baseline:
    """Known findings: how many of each (transcript, rule, folded text). Picklable."""

    counts: Mapping[Entry, int] = field(default_factory=dict)

    def __reduce__(self) -> tuple[type[Baseline], tuple[dict[Entry, int]]]:
        return (Baseline, (dict(self.counts),))  # a mapping proxy does not pickle

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Baseline:
        return cls(MappingProxyType(Counter(map(finding_key, entries))))

    def new_findings(self, findings: Sequence[Finding]) -> list[Finding]:
        """The findings of one transcript, in order, without those the baseline knows."""
        seen: Counter[Entry] = Counter()
        new: list[Finding] = []
        for finding in findings:
            key = finding_key(entry(finding))
            seen[key] += 1
            if seen[key] > self.counts.get(key, 0):
                new.append(finding)
        return new


def entry(finding: Finding) -> Entry:
    return finding.transcript, finding.rule, finding.text


def entries(findings: Sequence[Finding]) -> list[Entry]:
    return [entry(finding) for finding in findings]


def finding_key(entry: Entry) -> Entry:
    transcript, rule, text = entry
    return transcript, rule, fold_phrase(text)


def dumps(counted: Mapping[Entry, int]) -> str:
    lines = [
        json.dumps(
            {"transcript": t, "rule": r, "text": x, "count": n}, ensure_ascii=False, sort_keys=False
        )
        for (t, r, x), n in sorted(counted.items())
    ]
    return f'{{"version": {VERSION}, "findings": [\n' + ",\n".join(lines) + "\n]}\n"


def save_baseline(path: Path, counted: Mapping[Entry, int]) -> None:
    """Write the baseline atomically: a full disk leaves the old file, never half a new one
    (raises `OutputError`)."""
    write_atomically(path, dumps(counted))


def read_baseline(path: Path) -> Baseline:
    """Raises ``BaselineError`` naming the file and what is wrong with it."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path}: {error}") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise BaselineError(f"{path}: not a replylint baseline (version {VERSION})")
    counted: Counter[Entry] = Counter()
    for number, item in enumerate(document.get("findings", []), 1):
        if not _valid(item):
            raise BaselineError(f"{path}: finding {number} needs transcript, rule, text, count")
        counted[finding_key((item["transcript"], item["rule"], item["text"]))] += item["count"]
    return Baseline(MappingProxyType(counted))


def _valid(item: object) -> bool:
    if not isinstance(item, dict) or set(item) != {"transcript", "rule", "text", "count"}:
        return False
    strings = all(isinstance(item[key], str) for key in ("transcript", "rule", "text"))
    count = item["count"]
    return strings and isinstance(count, int) and not isinstance(count, bool) and count > 0


def result_entries(result: Result) -> list[Entry]:
    return entries(result.findings)


class BaselineRecorder:
    """``check --write-baseline``'s sink (see `replylint.run.runner.Sink`): every finding
    counted, read errors written to ``err`` (a line each), the baseline saved at `finish`."""

    def __init__(self, path: Path, err: Callable[[str], None]) -> None:
        self.path = path
        self.err = err
        self.counted: Counter[Entry] = Counter()

    @property
    def render(self) -> Callable[[Result], list[Entry]]:
        return result_entries

    def start(self) -> None:
        """Fail fast (`OutputError`) when the baseline could not be written at the end."""
        check_writable(self.path)

    def handle(self, rendered: list[Entry]) -> None:
        self.counted.update(rendered)

    def error(self, error: ReadError) -> None:
        self.err(f"error: {printable(str(error))}")

    def finish(self, summary: Summary) -> None:
        """Save the baseline, and say so on ``err``."""
        save_baseline(self.path, self.counted)
        self.err(
            f"baseline written to {self.path}: {summary.findings} findings in "
            f"{summary.flagged} of {summary.transcripts} transcripts"
        )
