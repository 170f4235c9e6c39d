"""Evaluate a linter on labelled transcripts read from paths (see ``run/evaluate.py``):
what ``replylint eval`` and ``replylint.evaluate`` run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from replylint.engine import Linter
from replylint.kinds import kind_of
from replylint.kinds.channels import transcript_channel
from replylint.model import ReadError, Transcript
from replylint.packs import load_packs
from replylint.readers import read_paths
from replylint.run.evaluate import (
    Evaluation,
    Label,
    LabelsError,
    RuleFacts,
    check_labels,
    read_findings,
    read_labels,
    score_findings,
)
from replylint.run.verdicts import Verdicts, read_verdicts


def channel_name(transcript: Transcript) -> str:
    """The channel the linter reads the call as (metadata, else the data), or unknown."""
    channel = transcript_channel(transcript)
    return "unknown" if channel is None else str(channel)


def rule_facts(linter: Linter) -> dict[str, RuleFacts]:
    return {
        rule.info.code: RuleFacts(rule.info.pack, tag=kind_of(rule).label(rule) is not None)
        for rule in linter.rules
    }


def evaluate_paths(
    labels: Path | None,
    paths: Sequence[Path],
    linter: Linter,
    *,
    verdicts: Verdicts | None = None,
    findings: Path | None = None,
) -> tuple[Evaluation, list[ReadError]]:
    """Read the transcripts under ``paths``, lint them (or take an earlier run's findings
    from a jsonl file) and score the findings against the labels and verdicts. Raises
    ``LabelsError`` for labels that do not fit the input."""
    errors: list[ReadError] = []
    transcripts: list[Transcript] = []
    for item in read_paths(paths):
        (errors if isinstance(item, ReadError) else transcripts).append(item)  # type: ignore[arg-type]
    facts = rule_facts(linter)
    read: list[Label] | None = read_labels(labels) if labels is not None else None
    if read is not None:
        check_labels(read, {t.id: t for t in transcripts})
    if findings is not None:
        earlier = read_findings(findings)
        results = [(t, earlier.get(t.id, [])) for t in transcripts]
    else:
        results = list(zip(transcripts, linter.lint_batch(transcripts), strict=True))
    evaluation = score_findings(read, results, facts, verdicts=verdicts, channel_of=channel_name)
    return evaluation, errors


def evaluate_labels(
    labels: Path,
    paths: Sequence[Path],
    linter: Linter,
    *,
    verdicts: Path | None = None,
    findings: Path | None = None,
) -> tuple[Evaluation, list[ReadError]]:
    """``replylint eval``: `evaluate_paths` with ``labels`` a labels file or folder, or a
    review verdicts file (``.jsonl``: its verdicts are the labels), ``paths`` by default
    the labels' folder. Raises ``LabelsError``, or ``VerdictsError`` for a verdicts file."""
    by_verdicts = labels.suffix == ".jsonl"
    review = verdicts if not by_verdicts else labels
    return evaluate_paths(
        None if by_verdicts else labels,
        paths or default_paths(labels),
        linter,
        verdicts=None if review is None else read_verdicts(review),
        findings=findings,
    )


def default_paths(labels: Path) -> list[Path]:
    """Where labelled transcripts are when no path is given: the labels' own folder."""
    return [labels if labels.is_dir() else labels.parent]


def evaluate(
    labels: str | Path,
    paths: Iterable[str | Path] | None = None,
    *,
    linter: Linter | None = None,
    verdicts: Verdicts | None = None,
) -> Evaluation:
    """Precision, recall and F1 of ``linter`` (default: every bundled pack) on labelled
    transcripts: ``labels`` is a label file or a folder of ``*.labels.tsv``, ``paths`` the
    transcripts (default: the labels' folder). Raises ``LabelsError`` for labels that do not
    fit the transcripts, or for input that cannot be read.

    >>> evaluation = evaluate("corpus/eval/frozen")  # doctest: +SKIP
    >>> evaluation.by_pack["no-time-commitment"].precision  # doctest: +SKIP
    """
    labels = Path(labels)
    where = [Path(p) for p in paths] if paths is not None else default_paths(labels)
    evaluation, errors = evaluate_paths(
        labels, where, linter or Linter(load_packs()), verdicts=verdicts
    )
    if errors:
        raise LabelsError([str(error) for error in errors])
    return evaluation
