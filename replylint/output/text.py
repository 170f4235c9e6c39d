"""The text format: a block per finding with the match marked in a window of its turn, each
call's score, and the closing summary (which other formats write too). Input is shown
escaped (`replylint.run.terminal.printable`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from replylint.model import Finding, Severity
from replylint.output.base import LineFormatter
from replylint.output.records import tag_labels
from replylint.run.pipeline import Render
from replylint.run.result import Result, Summary, tags_by_category
from replylint.run.scoring import score_record
from replylint.run.terminal import printable

CONTEXT = 40  # characters of the turn shown on either side of a match
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
    """A block per finding: where, what, the match in a window of its turn, the suggestion;
    then the call's QA score, when it has findings. Whatever input holds is escaped (see
    `printable`), so a record is always its lines and nothing reaches the terminal raw."""
    paint = _painter(color)
    transcript = result.transcript
    where = f"{printable(transcript.source)}: " if transcript.source else ""
    call = printable(transcript.id)
    for finding in result.findings:
        turn_text = transcript.turns[finding.turn].text
        colour = _SEVERITY_COLOUR[finding.severity]
        yield (
            f"{paint(where, 'dim')}{paint(call, 'bold')} "
            f"turn {finding.turn} ({finding.role.value}) "
            f"{paint(printable(finding.rule), colour)} {printable(finding.name)} "
            f"[{finding.severity.value}]"
        )
        yield f"    {printable(finding.message)}"
        yield f"    | {_highlight(turn_text, finding, color=color)}"
        yield f"    建议: {printable(finding.suggestion)}"
    if result.findings:
        verdict = "通过 pass" if result.score.passed else paint("未通过 FAIL", "red")
        points = score_record(result.score)["score"]
        yield f"{paint(where, 'dim')}{paint(call, 'bold')} 得分 score {points}: {verdict}"
        if result.tags:
            labels = "; ".join(f"{c} {', '.join(t)}" for c, t in tag_labels(result.tags).items())
            yield f"    标签 tags: {printable(labels)}"


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
    return "\n".join(printable(line) for line in [*lines, totals])  # packs name the tags


def _highlight(text: str, finding: Finding, *, color: bool) -> str:
    """The match on one line, marked (reverse video, or 【】 without colour), with at most
    `CONTEXT` characters of its turn on either side and … where the turn goes on: a long
    turn with many findings costs a few lines each, not the turn each. A match longer than
    twice that shows its two ends."""
    start, end = finding.start, finding.end
    before = _shown(text[max(0, start - CONTEXT) : start])
    after = _shown(text[end : end + CONTEXT])
    match = text[start:end]
    if len(match) > 2 * CONTEXT:
        match = f"{match[:CONTEXT]}…{match[-CONTEXT:]}"
    marked = _shown(match)
    marked = f"\x1b[{_ANSI['reverse']}m{marked}\x1b[0m" if color else f"【{marked}】"
    opening = "…" if start > CONTEXT else ""
    closing = "…" if end + CONTEXT < len(text) else ""
    return f"{opening}{before}{marked}{after}{closing}"


def _shown(text: str) -> str:
    """A piece of a turn on one line: line breaks as ⏎, other controls escaped."""
    return printable(text.replace("\r\n", "\n").replace("\r", "").replace("\n", " ⏎ "))


def _painter(color: bool) -> Callable[[str, str], str]:
    def paint(text: str, style: str) -> str:
        if not color or not text:
            return text
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m"

    return paint
