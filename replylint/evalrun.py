"""Evaluate a linter on labelled transcripts read from paths (see ``evaluate.py``).

``python -m replylint.evalrun corpus/eval/dev [-c]`` prints the figures of the bundled packs on
a labelled folder (``-c``: with every miss and false alarm), for rule authors at work.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from replylint.engine import Linter
from replylint.evalreport import text_report
from replylint.evaluate import (
    Evaluation,
    Label,
    RuleFacts,
    check_labels,
    evaluate,
    read_findings,
    read_labels,
)
from replylint.kinds import kind_of
from replylint.kinds.channels import transcript_channel
from replylint.model import ReadError, Transcript
from replylint.packs import load_packs
from replylint.readers import read_paths
from replylint.verdicts import Verdicts


def channel_name(transcript: Transcript) -> str:
    """The channel the linter reads the call as (metadata, else the data), or unknown."""
    channel = transcript_channel(transcript)
    return "unknown" if channel is None else str(channel)


def rule_facts(linter: Linter) -> dict[str, RuleFacts]:
    return {
        rule.info.code: RuleFacts(rule.info.pack, tag=kind_of(rule).label(rule) is not None)
        for rule in linter.rules
    }


def evaluate_paths(  # noqa: PLR0913 - one keyword an option of the run
    labels: Path | None,
    paths: Sequence[Path],
    linter: Linter,
    *,
    verdicts: Verdicts | None = None,
    findings: Path | None = None,
    unloaded_rules: bool = False,
) -> tuple[Evaluation, list[ReadError]]:
    """Read the transcripts under ``paths``, lint them (or take an earlier run's findings
    from a jsonl file) and score the findings against the labels and verdicts. Raises
    ``LabelsError`` for labels that do not fit the input. With ``unloaded_rules``, labels
    of rules the linter does not have are left out (and counted in the evaluation's
    ``ignored_labels``) instead of refused: a rule whose labels came first."""
    errors: list[ReadError] = []
    transcripts: list[Transcript] = []
    for item in read_paths(paths):
        (errors if isinstance(item, ReadError) else transcripts).append(item)  # type: ignore[arg-type]
    facts = rule_facts(linter)
    read: list[Label] | None = read_labels(labels) if labels is not None else None
    if read is not None:
        checked = [label for label in read if label.rule in facts] if unloaded_rules else read
        check_labels(checked, {t.id: t for t in transcripts}, facts)
    if findings is not None:
        earlier = read_findings(findings)
        results = [(t, earlier.get(t.id, [])) for t in transcripts]
    else:
        results = list(zip(transcripts, linter.lint_batch(transcripts), strict=True))
    evaluation = evaluate(read, results, facts, verdicts=verdicts, channel_of=channel_name)
    return evaluation, errors


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    confusions = "-c" in args
    folder = Path(next(a for a in args if a != "-c"))
    linter = Linter(load_packs())
    evaluation, errors = evaluate_paths(folder, [folder], linter, unloaded_rules=True)
    sys.stdout.write(text_report(evaluation, confusions=confusions))
    unloaded = Counter(
        label.rule for label in read_labels(folder) if label.rule not in rule_facts(linter)
    )
    if unloaded:
        named = ", ".join(f"{rule} ({count})" for rule, count in sorted(unloaded.items()))
        sys.stderr.write(f"labels of rules not loaded, left out: {named}\n")
    for error in errors:
        sys.stderr.write(f"{error}\n")
    return 2 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
