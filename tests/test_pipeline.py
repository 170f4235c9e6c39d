"""The pipeline every call goes through: verdicts set findings aside, a baseline drops the
ones it knows, and the call is scored once, on what is left."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from replylint import Linter, parse_text
from replylint.model import Annotations, Finding, Transcript
from replylint.run.baseline import Baseline
from replylint.run.pipeline import Pipeline
from replylint.run.scoring import ScoreConfig, score
from replylint.run.verdicts import Verdict, Verdicts
from tests.conftest import CONTRACT_RULES

CALL = "坐席：这个我不知道，不清楚。\n坐席：您跟我在这里叫没有用"  # FP005 and FP011


@pytest.fixture(scope="module")
def linted() -> tuple[Transcript, Annotations]:
    transcript = parse_text(CALL, transcript_id="c1")
    return transcript, Linter(CONTRACT_RULES).annotate(transcript)


def rules(findings: Iterable[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def test_a_call_with_nothing_left_out_keeps_every_finding(
    linted: tuple[Transcript, Annotations],
) -> None:
    result = Pipeline().result(*linted)
    assert rules(result.findings) == ["FP005", "FP011"]
    assert result.marked == ()
    assert result.score == score(result.findings)


def test_verdicts_set_findings_aside_and_the_score_is_of_the_rest(
    linted: tuple[Transcript, Annotations],
) -> None:
    verdicts = Verdicts.of([Verdict("c1", "FP011", "叫没有用", "reviewer", "2026-01-01")])
    result = Pipeline(verdicts=verdicts).result(*linted)
    assert rules(result.findings) == ["FP005"]
    assert rules(result.marked) == ["FP011"]
    assert result.score == score(result.findings)


def test_a_baseline_drops_what_it_knows_after_the_verdicts(
    linted: tuple[Transcript, Annotations],
) -> None:
    verdicts = Verdicts.of([Verdict("c1", "FP011", "叫没有用", "reviewer", "2026-01-01")])
    baseline = Baseline.of([("c1", "FP005", "我不知道，不清楚")])
    result = Pipeline(verdicts=verdicts, baseline=baseline).result(*linted)
    assert result.findings == []
    assert rules(result.marked) == ["FP011"]
    assert (result.score.score, result.score.passed) == (100.0, True)


def test_the_score_uses_the_pipelines_scoring(linted: tuple[Transcript, Annotations]) -> None:
    scoring = ScoreConfig(veto_rules=frozenset({"FP011"}))
    result = Pipeline(scoring=scoring).result(*linted)
    assert (result.score.vetoed, result.score.score) == (True, 0.0)
