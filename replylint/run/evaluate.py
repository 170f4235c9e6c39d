"""Score rules against labelled dialogues: precision, recall and F1 per rule, pack and channel.

A label says that a rule should report a finding on one turn of one transcript. Labels are
a closed world over the transcripts evaluated: a transcript without a label row is clean,
and every finding there is a false alarm. A finding and a label agree when they name the
same transcript, turn and rule (several findings of one rule on one turn count once).

Review verdicts (``replylint review add``) count as labels too: a finding a reviewer marked
as a false positive is a false alarm; on a transcript that has verdicts but no label rows,
the findings the reviewer kept count as right, and misses cannot be known there.

Label files are tab-separated with a header: ``transcript, turn, rule`` and optional
``text`` (the words that show the violation) and ``note``; ``turn`` is the 0-based index
into the transcript's turns, as in findings (see ``corpus/eval/README.md``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from replylint.model import Finding, Role, Severity, Transcript
from replylint.run.baseline import finding_key
from replylint.run.verdicts import Verdicts

LABEL_FIELDS = ("transcript", "turn", "rule", "text", "note")
_REQUIRED = LABEL_FIELDS[:3]
LABEL_SUFFIX = ".labels.tsv"

Key = tuple[str, int, str]  # (transcript, turn, rule)


class LabelsError(Exception):
    """Labels that cannot be used; ``problems`` lists every one, each naming file and line."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Label:
    transcript: str
    turn: int
    rule: str
    text: str = ""
    note: str = ""
    where: str = ""  # file:line, for error messages

    @property
    def key(self) -> Key:
        return self.transcript, self.turn, self.rule


def label_files(path: Path) -> list[Path]:
    """The label files a path names: itself, or every ``*.labels.tsv`` (and ``labels.tsv``)
    under a folder, sorted."""
    if not path.is_dir():
        return [path]
    found = [
        p for p in path.rglob("*.tsv") if p.name.endswith(LABEL_SUFFIX) or p.name == "labels.tsv"
    ]
    return sorted(found)


def read_labels(path: Path) -> list[Label]:
    """Every label in a file or folder. Raises ``LabelsError`` listing every problem."""
    files = label_files(path)
    if not files:
        raise LabelsError([f"{path}: no label files (*{LABEL_SUFFIX}) here"])
    labels: list[Label] = []
    problems: list[str] = []
    for file in files:
        _read_label_file(file, labels, problems)
    seen: dict[Key, str] = {}
    for label in labels:
        if label.key in seen:
            problems.append(f"{label.where}: the same label as {seen[label.key]}")
        seen.setdefault(label.key, label.where)
    if problems:
        raise LabelsError(problems)
    return labels


def _read_label_file(file: Path, labels: list[Label], problems: list[str]) -> None:
    if not file.is_file():
        problems.append(f"{file}: no such label file")
        return
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{file}: {error}")
        return
    rows = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows, None)
    missing = [name for name in _REQUIRED if header is None or name not in header]
    if header is None or missing:
        problems.append(
            f"{file}:1: the header must name {', '.join(_REQUIRED)} (missing {missing})"
        )
        return
    columns = {name: header.index(name) for name in LABEL_FIELDS if name in header}
    for number, row in enumerate(rows, 2):
        if any(cell.strip() for cell in row):
            _add_label(row, columns, f"{file}:{number}", labels, problems)


def _add_label(
    row: list[str], columns: dict[str, int], where: str, labels: list[Label], problems: list[str]
) -> None:
    cells = {
        name: row[index].strip() if index < len(row) else "" for name, index in columns.items()
    }
    if not cells["transcript"] or not cells["rule"]:
        problems.append(f"{where}: a label needs a transcript and a rule")
        return
    if not cells["turn"].isdigit():
        problems.append(f"{where}: turn must be a 0-based turn number, got {cells['turn']!r}")
        return
    labels.append(
        Label(
            transcript=cells["transcript"],
            turn=int(cells["turn"]),
            rule=cells["rule"],
            text=cells.get("text", ""),
            note=cells.get("note", ""),
            where=where,
        )
    )


def check_labels(
    labels: Iterable[Label],
    transcripts: Mapping[str, Transcript],
    known_rules: Iterable[str] | None = None,
) -> None:
    """Raise ``LabelsError`` for labels naming a transcript not evaluated, a turn it does not
    have, a text that turn does not hold, or (given ``known_rules``) an unknown rule. Labels
    of rules that exist but do not run are left out by the evaluation, and counted there."""
    known = None if known_rules is None else set(known_rules)
    problems: list[str] = []
    for label in labels:
        transcript = transcripts.get(label.transcript)
        if known is not None and label.rule not in known:
            problems.append(f"{label.where}: unknown rule {label.rule!r}")
        elif transcript is None:
            problems.append(f"{label.where}: transcript {label.transcript!r} is not in the input")
        elif label.turn >= len(transcript.turns):
            problems.append(
                f"{label.where}: {label.transcript} has no turn {label.turn} "
                f"({len(transcript.turns)} turns, counted from 0)"
            )
        elif label.text and label.text not in transcript.turns[label.turn].text:
            problems.append(f"{label.where}: turn {label.turn} does not hold {label.text!r}")
    if problems:
        raise LabelsError(problems)


@dataclass(frozen=True, slots=True)
class Counts:
    """Agreements (true positives), false alarms and misses of a group of findings."""

    right: int = 0
    false_alarms: int = 0
    missed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.right + other.right,
            self.false_alarms + other.false_alarms,
            self.missed + other.missed,
        )

    @property
    def found(self) -> int:
        return self.right + self.false_alarms

    @property
    def labelled(self) -> int:
        return self.right + self.missed

    @property
    def precision(self) -> float | None:
        return self.right / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.right / self.labelled if self.labelled else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)


class Outcome(StrEnum):
    RIGHT = "right"
    FALSE_ALARM = "false alarm"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class Case:
    """One finding or label and how it came out, with the words to show a reader."""

    outcome: Outcome
    transcript: str
    turn: int
    rule: str
    pack: str
    channel: str
    text: str  # the finding's text, or the label's
    turn_text: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    by_rule: Mapping[str, Counts]
    by_pack: Mapping[str, Counts]
    by_channel: Mapping[str, Counts]
    by_pack_and_channel: Mapping[tuple[str, str], Counts]
    cases: tuple[Case, ...]  # every false alarm and miss (and agreement), in order
    transcripts: int
    agent_turns: int
    flagged_agent_turns: int  # agent turns with any finding
    serious_agent_turns: int  # agent turns with a warning or error
    ignored_labels: int = 0  # labels of rules that were not run
    unreviewed_misses: bool = False  # some transcripts had verdicts only: misses unknown

    @property
    def total(self) -> Counts:
        return sum(self.by_pack.values(), Counts())


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What the evaluation needs to know of a rule that ran: its pack."""

    pack: str
    tag: bool = False


ChannelOf = Callable[[Transcript], str]


@dataclass
class _Tally:
    rule_packs: Mapping[str, RuleFacts]
    channel_of: ChannelOf
    cases: list[Case] = field(default_factory=list)
    transcripts: int = 0
    agent_turns: int = 0
    flagged: int = 0
    serious: int = 0

    def add(self, outcome: Outcome, key: Key, text: str, transcript: Transcript) -> None:
        name, turn, rule = key
        self.cases.append(
            Case(
                outcome,
                name,
                turn,
                rule,
                self.rule_packs[rule].pack,
                self.channel_of(transcript),
                text,
                transcript.turns[turn].text,
            )
        )


def score_findings(
    labels: Sequence[Label] | None,
    results: Iterable[tuple[Transcript, Sequence[Finding]]],
    rules: Mapping[str, RuleFacts],
    *,
    verdicts: Verdicts | None = None,
    channel_of: ChannelOf | None = None,
) -> Evaluation:
    """Compare each transcript's findings with the labels. ``rules``: the rules that ran
    (by code); labels of other rules are ignored. With ``labels``, every transcript is
    judged by them (closed world: no label row means clean), except one that has no label
    row but has ``verdicts``, which is judged by those; with ``labels`` None, only the
    transcripts that have verdicts are judged."""
    tally = _Tally(rules, channel_of or meta_channel)
    by_transcript: dict[str, list[Label]] = {}
    for label in labels or ():
        by_transcript.setdefault(label.transcript, []).append(label)
    ran = {code for code, facts in rules.items() if not facts.tag}
    reviewed = {key[0] for key in verdicts.keys} if verdicts is not None else set()
    unreviewed = False
    for transcript, all_findings in results:
        findings = [finding for finding in all_findings if finding.rule in ran]
        rows = by_transcript.get(transcript.id)
        if rows is None and transcript.id in reviewed:
            _judge_by_verdicts(tally, transcript, findings, verdicts or Verdicts())
            unreviewed = True
        elif labels is not None:
            own = [label for label in rows or () if label.rule in ran]
            _judge_by_labels(tally, transcript, findings, own)
        else:
            continue  # nobody reviewed this transcript
        _count_turns(tally, transcript, findings)
    ignored = sum(1 for label in labels or () if label.rule not in ran)
    return _evaluation(tally, ignored, unreviewed)


def _count_turns(tally: _Tally, transcript: Transcript, findings: Sequence[Finding]) -> None:
    tally.transcripts += 1
    flagged = {f.turn for f in findings if f.role is Role.AGENT}
    serious = {f.turn for f in findings if f.role is Role.AGENT and f.severity is not Severity.INFO}
    tally.agent_turns += sum(
        1 for turn in transcript.turns if turn.role is Role.AGENT and turn.text.strip()
    )
    tally.flagged += len(flagged)
    tally.serious += len(serious)


def _judge_by_labels(
    tally: _Tally, transcript: Transcript, findings: Sequence[Finding], labels: Sequence[Label]
) -> None:
    expected = {label.key: label for label in labels}
    found: dict[Key, Finding] = {}
    for finding in findings:
        found.setdefault((finding.transcript, finding.turn, finding.rule), finding)
    for key in sorted(found.keys() | expected.keys(), key=lambda k: (k[1], k[2])):
        if key in found and key in expected:
            tally.add(Outcome.RIGHT, key, found[key].text, transcript)
        elif key in found:
            tally.add(Outcome.FALSE_ALARM, key, found[key].text, transcript)
        else:
            tally.add(Outcome.MISSED, key, expected[key].text, transcript)


def _judge_by_verdicts(
    tally: _Tally, transcript: Transcript, findings: Sequence[Finding], verdicts: Verdicts
) -> None:
    """A finding the reviewer marked false is a false alarm; the others were kept."""
    for finding in findings:
        false = finding_key((finding.transcript, finding.rule, finding.text)) in verdicts.keys
        outcome = Outcome.FALSE_ALARM if false else Outcome.RIGHT
        tally.add(
            outcome, (finding.transcript, finding.turn, finding.rule), finding.text, transcript
        )


def _evaluation(tally: _Tally, ignored: int, unreviewed: bool) -> Evaluation:
    by_rule: dict[str, Counts] = {}
    by_pack: dict[str, Counts] = {}
    by_channel: dict[str, Counts] = {}
    by_both: dict[tuple[str, str], Counts] = {}
    for case in tally.cases:
        one = _one(case.outcome)
        by_rule[case.rule] = by_rule.get(case.rule, Counts()) + one
        by_pack[case.pack] = by_pack.get(case.pack, Counts()) + one
        by_channel[case.channel] = by_channel.get(case.channel, Counts()) + one
        both = (case.pack, case.channel)
        by_both[both] = by_both.get(both, Counts()) + one
    return Evaluation(
        by_rule=dict(sorted(by_rule.items())),
        by_pack=dict(sorted(by_pack.items())),
        by_channel=dict(sorted(by_channel.items())),
        by_pack_and_channel=dict(sorted(by_both.items())),
        cases=tuple(tally.cases),
        transcripts=tally.transcripts,
        agent_turns=tally.agent_turns,
        flagged_agent_turns=tally.flagged,
        serious_agent_turns=tally.serious,
        ignored_labels=ignored,
        unreviewed_misses=unreviewed,
    )


def _one(outcome: Outcome) -> Counts:
    if outcome is Outcome.RIGHT:
        return Counts(right=1)
    return Counts(false_alarms=1) if outcome is Outcome.FALSE_ALARM else Counts(missed=1)


def meta_channel(transcript: Transcript) -> str:
    """The channel the call's metadata names, as written, or ``unknown``."""
    for key in ("channel", "渠道"):
        value = transcript.meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "unknown"


class Group(StrEnum):
    """What a threshold is held to: every rule, every pack, or the whole."""

    RULE = "rule"
    PACK = "pack"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Thresholds:
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    per: Group = Group.PACK


def shortfalls(evaluation: Evaluation, thresholds: Thresholds) -> list[str]:
    """Every group below a threshold, as ``pack forbidden-phrases: recall 0.80 < 0.85``.
    A group with nothing to measure (no finding for precision, no label for recall) is not
    held to that threshold."""
    groups: Mapping[str, Counts]
    if thresholds.per is Group.RULE:
        groups = evaluation.by_rule
    elif thresholds.per is Group.PACK:
        groups = evaluation.by_pack
    else:
        groups = {"all": evaluation.total}
    failing: list[str] = []
    for name, counts in groups.items():
        for measure, limit in (
            ("precision", thresholds.precision),
            ("recall", thresholds.recall),
            ("f1", thresholds.f1),
        ):
            value = getattr(counts, measure)
            if limit is not None and value is not None and value < limit:
                failing.append(f"{thresholds.per} {name}: {measure} {value:.2f} < {limit:.2f}")
    return failing


def read_findings(path: Path) -> dict[str, list[Finding]]:
    """Findings by transcript from the jsonl output of ``replylint check --format jsonl``:
    to score an earlier run. Raises ``LabelsError`` naming the line of a bad record."""
    by_transcript: dict[str, list[Finding]] = {}
    problems: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LabelsError([f"{path}: {error}"]) from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            finding = Finding(
                **{name: record[name] for name in _FINDING_FIELDS},
                role=Role(record["role"]),
                severity=Severity(record["severity"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            problems.append(f"{path}:{number}: not a finding record ({error})")
            continue
        by_transcript.setdefault(finding.transcript, []).append(finding)
    if problems:
        raise LabelsError(problems)
    return by_transcript


_FINDING_FIELDS = (
    "transcript",
    "turn",
    "start",
    "end",
    "text",
    "rule",
    "name",
    "pack",
    "message",
    "suggestion",
)
