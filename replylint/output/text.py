"""The text format: a block per finding with the match marked, each call's score, and the
closing summary (which other formats write too)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from replylint.model import Finding, Severity
from replylint.output.base import LineFormatter
from replylint.output.records import tag_labels
from replylint.run.pipeline import Render
from replylint.run.result import Result, Summary, tags_by_category
from replylint.run.scoring import score_record

_ANSI = {"bold": "1", "red": "31", "yellow": "33", "cyan": "36", "dim": "2", "reverse": "7"}
_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class TextFormatter(LineFormatter):
    """For people: each finding where it is, the call's score, the summary at the end."""

    @property
    def render(self) -> Render[list[str]]:
        return partial(text_block, color=self.color)

    def finish(self, summary: Summary) -> None:
        self.streams.out(summary_line(summary))


def text_block(result: Result, *, color: bool = False) -> list[str]:
    return list(text_lines(result, color=color))


def text_lines(result: Result, *, color: bool = False) -> Iterator[str]:
    """A block per finding: where, what, the turn with the match marked, the suggestion;
    then the call's QA score, when it has findings."""
    paint = _painter(color)
    transcript = result.transcript
    where = f"{transcript.source}: " if transcript.source else ""
    for finding in result.findings:
        turn_text = transcript.turns[finding.turn].text
        colour = _SEVERITY_COLOUR[finding.severity]
        yield (
            f"{paint(where, 'dim')}{paint(transcript.id, 'bold')} "
            f"turn {finding.turn} ({finding.role.value}) "
            f"{paint(finding.rule, colour)} {finding.name} [{finding.severity.value}]"
        )
        yield f"    {finding.message}"
        yield f"    | {_highlight(turn_text, finding, color=color)}"
        yield f"    建议: {finding.suggestion}"
    if result.findings:
        verdict = "通过 pass" if result.score.passed else paint("未通过 FAIL", "red")
        points = score_record(result.score)["score"]
        yield f"{paint(where, 'dim')}{paint(transcript.id, 'bold')} 得分 score {points}: {verdict}"
        if result.tags:
            labels = "; ".join(f"{c} {', '.join(t)}" for c, t in tag_labels(result.tags).items())
            yield f"    标签 tags: {labels}"


def summary_line(summary: Summary) -> str:
    """The closing summary: findings by pack (when there are any), then the totals."""
    severities = ", ".join(f"{n} {s}" for s, n in sorted(summary.by_severity.items()))
    findings = f"{summary.findings} findings" + (f" ({severities})" if severities else "")
    totals = (
        f"{findings} in {summary.flagged} of {summary.transcripts} transcripts "
        f"({summary.turns} turns); {summary.passed} passed; {summary.errors} input errors"
    )
    lines = []
    if summary.by_pack:
        lines.append(
            "by pack: " + ", ".join(f"{p} {n}" for p, n in sorted(summary.by_pack.items()))
        )
    for category, counts in tags_by_category(summary.by_tag).items():
        lines.append(f"by {category}: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    return "\n".join([*lines, totals])


def _highlight(text: str, finding: Finding, *, color: bool) -> str:
    """The turn on one line with the match marked: reverse video, or 【】 without colour."""
    match = finding.text
    marked = f"\x1b[{_ANSI['reverse']}m{match}\x1b[0m" if color else f"【{match}】"
    line = text[: finding.start] + marked + text[finding.end :]
    return line.replace("\r", "").replace("\n", " ⏎ ")


def _painter(color: bool) -> Callable[[str, str], str]:
    def paint(text: str, style: str) -> str:
        if not color or not text:
            return text
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m"

    return paint
