"""Render an `Evaluation`: a text table for people, JSON for machines, Markdown for docs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from replylint.run.evaluate import Case, Counts, Evaluation, Outcome

_CONTEXT = 24  # characters of the turn shown on each side of a confusion's words


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def counts_json(counts: Counts) -> dict[str, Any]:
    return {
        "right": counts.right,
        "false_alarms": counts.false_alarms,
        "missed": counts.missed,
        "precision": _rounded(counts.precision),
        "recall": _rounded(counts.recall),
        "f1": _rounded(counts.f1),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    """The whole evaluation as plain JSON values."""
    return {
        "total": counts_json(evaluation.total),
        "transcripts": evaluation.transcripts,
        "agent_turns": evaluation.agent_turns,
        "flagged_agent_turns": evaluation.flagged_agent_turns,
        "serious_agent_turns": evaluation.serious_agent_turns,
        "ignored_labels": evaluation.ignored_labels,
        "misses_unknown_where_only_verdicts": evaluation.unreviewed_misses,
        "by_pack": {name: counts_json(c) for name, c in evaluation.by_pack.items()},
        "by_rule": {name: counts_json(c) for name, c in evaluation.by_rule.items()},
        "by_channel": {name: counts_json(c) for name, c in evaluation.by_channel.items()},
        "by_pack_and_channel": [
            {"pack": pack, "channel": channel, **counts_json(c)}
            for (pack, channel), c in evaluation.by_pack_and_channel.items()
        ],
        "confusions": [
            _case_json(case) for case in evaluation.cases if case.outcome is not Outcome.RIGHT
        ],
    }


def _case_json(case: Case) -> dict[str, Any]:
    return {
        "outcome": str(case.outcome),
        "transcript": case.transcript,
        "turn": case.turn,
        "rule": case.rule,
        "pack": case.pack,
        "channel": case.channel,
        "text": case.text,
        "turn_text": case.turn_text,
    }


def dumps(evaluation: Evaluation) -> str:
    return json.dumps(to_json(evaluation), ensure_ascii=False, indent=2) + "\n"


def rendered(evaluation: Evaluation, *, as_json: bool, confusions: bool = True) -> str:
    """``eval``'s output: JSON for tools, or the text report for people."""
    return dumps(evaluation) if as_json else text_report(evaluation, confusions=confusions)


def text_report(evaluation: Evaluation, *, confusions: bool = True) -> str:
    """Tables by pack, channel and rule, then every miss and false alarm with its words."""
    lines = [
        f"{evaluation.transcripts} transcripts, {evaluation.agent_turns} agent turns; "
        f"{_share(evaluation.flagged_agent_turns, evaluation.agent_turns)} of agent turns flagged "
        f"({_share(evaluation.serious_agent_turns, evaluation.agent_turns)} at warning or error)",
        "",
    ]
    for title, groups in (
        ("pack", evaluation.by_pack),
        ("channel", evaluation.by_channel),
        ("rule", evaluation.by_rule),
    ):
        lines += _table(title, groups.items())
        lines.append("")
    lines += _table("", [("all", evaluation.total)], header=False)
    if evaluation.ignored_labels:
        lines.append(f"{evaluation.ignored_labels} labels of rules that did not run were left out")
    if evaluation.unreviewed_misses:
        lines.append("transcripts judged by review verdicts only: their misses are not known")
    if confusions:
        lines += ["", *confusion_lines(evaluation.cases)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _table(title: str, rows: Iterable[tuple[str, Counts]], *, header: bool = True) -> list[str]:
    out = [f"{title:<22} {'P':>5} {'R':>5} {'F1':>5} {'right':>6} {'false':>6} {'missed':>6}"]
    for name, c in rows:
        out.append(
            f"{name:<22} {ratio(c.precision):>5} {ratio(c.recall):>5} {ratio(c.f1):>5} "
            f"{c.right:>6} {c.false_alarms:>6} {c.missed:>6}"
        )
    return out if header else out[1:]


def confusion_lines(cases: Iterable[Case]) -> list[str]:
    """``missed      ev-ph-d003 turn 4 MA001 [phone] 你们这什么【垃圾公司】啊``, one per case."""
    return [
        f"{case.outcome!s:<11} {case.transcript} turn {case.turn} {case.rule} "
        f"[{case.channel}] {_in_context(case)}"
        for case in cases
        if case.outcome is not Outcome.RIGHT
    ]


def _in_context(case: Case) -> str:
    text = case.turn_text
    at = text.find(case.text) if case.text else -1
    if at < 0:
        return _one_line(text[: 2 * _CONTEXT])
    start, end = max(0, at - _CONTEXT), min(len(text), at + len(case.text) + _CONTEXT)
    before = ("…" if start else "") + text[start:at]
    after = text[at + len(case.text) : end] + ("…" if end < len(text) else "")
    return _one_line(f"{before}【{case.text}】{after}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def markdown_table(rows: Mapping[str, tuple[Counts, Counts | None]], first: str) -> list[str]:
    """A Markdown table of figures now, beside figures before when given."""
    out = [
        f"| {first} | precision | recall | F1 | right / false / missed | before: P / R |",
        "|---|---|---|---|---|---|",
    ]
    for name, (now, before) in rows.items():
        earlier = "—" if before is None else f"{ratio(before.precision)} / {ratio(before.recall)}"
        out.append(
            f"| {name} | {ratio(now.precision)} | {ratio(now.recall)} | {ratio(now.f1)} | "
            f"{now.right} / {now.false_alarms} / {now.missed} | {earlier} |"
        )
    return out
