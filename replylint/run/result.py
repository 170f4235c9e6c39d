"""One call as a run reports it, scored once, and the counts of a whole run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from replylint.model import Finding, Tag, Transcript
from replylint.run.scoring import DEFAULT_CONFIG, Score, ScoreConfig, score

# A run's exit codes (the command line's): 0 no findings, 1 findings, 2 usage, settings or
# input error, 130 interrupted (128 + SIGINT, as a shell reports a program stopped by Ctrl-C).
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_TERMINATED = 143  # 128 + SIGTERM (a timeout, a cancelled CI job), stopped as Ctrl-C is
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader stopped early (| head), as Unix tools end


@dataclass(frozen=True, slots=True)
class Result:
    """One transcript as a run reports it: its findings (those baselines and review verdicts
    leave), its tags (topics, customer types), the QA score of those findings, and the
    findings review verdicts marked as false positives (kept aside: reports count them).
    Every output reads ``score`` from here; `scored` is where a call is scored."""

    transcript: Transcript
    findings: list[Finding]
    tags: tuple[Tag, ...]
    score: Score
    marked: tuple[Finding, ...] = ()

    @classmethod
    def scored(
        cls,
        transcript: Transcript,
        findings: Iterable[Finding],
        tags: Iterable[Tag] = (),
        *,
        scoring: ScoreConfig = DEFAULT_CONFIG,
        marked: Iterable[Finding] = (),
    ) -> Result:
        """The result of these findings, scored with ``scoring``."""
        findings = findings if isinstance(findings, list) else list(findings)
        return cls(transcript, findings, tuple(tags), score(findings, scoring), tuple(marked))


@dataclass(slots=True)
class Summary:
    """Counts for the closing line; every input transcript is either linted or an error."""

    transcripts: int = 0
    turns: int = 0
    flagged: int = 0
    passed: int = 0  # calls whose score passed (see scoring: pass mark, fail_on, vetoes)
    errors: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_pack: Counter[str] = field(default_factory=Counter)
    by_tag: Counter[tuple[str, str]] = field(default_factory=Counter)  # calls a tag labels

    def add(self, result: Result) -> None:
        self.transcripts += 1
        self.turns += len(result.transcript.turns)
        self.flagged += bool(result.findings)
        self.passed += result.score.passed
        self.by_severity.update(f.severity.value for f in result.findings)
        self.by_pack.update(f.pack for f in result.findings)
        self.by_tag.update({(t.category, t.tag) for t in result.tags})

    def merge(self, other: Summary) -> None:
        self.transcripts += other.transcripts
        self.turns += other.turns
        self.flagged += other.flagged
        self.passed += other.passed
        self.errors += other.errors
        self.by_severity.update(other.by_severity)
        self.by_pack.update(other.by_pack)
        self.by_tag.update(other.by_tag)

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def exit_code(self, *, findings_fail: bool = True) -> int:
        """2 after an input error, else 1 for findings (unless not ``findings_fail``), else 0."""
        if self.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if self.findings and findings_fail else EXIT_CLEAN

    def as_dict(self) -> dict[str, Any]:
        return {
            "transcripts": self.transcripts,
            "turns": self.turns,
            "flagged_transcripts": self.flagged,
            "passed_transcripts": self.passed,
            "findings": self.findings,
            "read_errors": self.errors,
            "by_severity": dict(sorted(self.by_severity.items())),
            "by_pack": dict(sorted(self.by_pack.items())),
            "by_tag": tags_by_category(self.by_tag),
        }


def tags_by_category(counts: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """{category: {tag: calls}}, sorted."""
    grouped: dict[str, dict[str, int]] = {}
    for (category, tag), calls in sorted(counts.items()):
        grouped.setdefault(category, {})[tag] = calls
    return grouped
