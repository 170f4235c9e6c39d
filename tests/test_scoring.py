"""QA scores: deductions by severity and rule, veto rules, the pass mark, the per-rule cap."""

from __future__ import annotations

import math
import pickle
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import replylint
from replylint.model import Finding, Role, Severity
from replylint.run.scoring import (
    Deduction,
    Score,
    ScoreConfig,
    load_score_config,
    score,
    score_record,
)
from tests.conftest import CONTRACT_RULES


def finding(
    rule: str = "FP001", severity: Severity = Severity.ERROR, turn: int = 0, start: int = 0
) -> Finding:
    return Finding(
        "t", turn, Role.AGENT, start, start + 2, "不行", rule, "name", "pack", severity, "m", "s"
    )


def test_no_findings_is_full_marks() -> None:
    assert score([]) == Score(100.0, (), passed=True, vetoed=False)


def test_default_weights_error_20_warning_10_info_0() -> None:
    result = score(
        [
            finding("FP001", Severity.ERROR, turn=1, start=3),
            finding("NT001", Severity.WARNING, turn=2, start=0),
            finding("XX001", Severity.INFO, turn=3, start=0),
        ]
    )
    assert result == Score(
        70.0,
        (Deduction("FP001", 20.0, 1, 3), Deduction("NT001", 10.0, 2, 0)),
        passed=False,
        vetoed=False,
    )


def test_pass_mark_is_inclusive() -> None:
    assert score([finding(severity=Severity.WARNING)] * 2).score == 80.0
    assert score([finding(severity=Severity.WARNING)] * 2).passed
    by_score = ScoreConfig(fail_on="score")
    assert score([finding()], by_score).passed
    assert not score([finding(), finding(start=5)], ScoreConfig(pass_mark=61)).passed


def test_an_error_fails_the_call_by_default_even_at_the_pass_mark() -> None:
    """One 禁语 alone leaves exactly 80, the default pass mark: it fails all the same."""
    one_error = score([finding()])
    assert (one_error.score, one_error.passed, one_error.vetoed) == (80.0, False, False)
    assert score([finding()], ScoreConfig(fail_on="score")).passed
    on_warnings = ScoreConfig(fail_on="warning")
    assert not score([finding(severity=Severity.WARNING)], on_warnings).passed
    assert score([finding(severity=Severity.INFO)], on_warnings).passed
    assert not score([finding(severity=Severity.INFO)], ScoreConfig(fail_on="info")).passed
    assert load_score_config({"fail_on": "score"}) == ScoreConfig(fail_on="score")


def test_score_is_floored_at_zero() -> None:
    result = score([finding(start=i) for i in range(7)])
    assert (result.score, result.passed, result.vetoed) == (0.0, False, False)
    assert len(result.deductions) == 7


def test_rule_weight_replaces_severity_weight() -> None:
    config = ScoreConfig(rule_weights={"FP001": 5, "NT001": 0})
    result = score([finding("FP001"), finding("NT001", Severity.WARNING, turn=1)], config)
    assert result.score == 95.0
    assert result.deductions == (Deduction("FP001", 5.0, 0, 0),)


def test_severity_weights_override_only_the_given_severities() -> None:
    config = ScoreConfig(severity_weights={Severity.WARNING: 3})
    assert dict(config.severity_weights) == {
        Severity.ERROR: 20.0,
        Severity.WARNING: 3.0,
        Severity.INFO: 0.0,
    }
    assert score([finding(severity=Severity.WARNING), finding(turn=1)], config).score == 77.0


def test_veto_rule_scores_zero_and_fails_but_keeps_deductions() -> None:
    config = ScoreConfig(veto_rules=frozenset({"FP011"}))
    result = score([finding("FP011", Severity.WARNING)], config)
    assert result == Score(0.0, (Deduction("FP011", 10.0, 0, 0),), passed=False, vetoed=True)


def test_veto_fails_even_with_pass_mark_zero() -> None:
    config = ScoreConfig(veto_rules=frozenset({"FP011"}), pass_mark=0)
    assert not score([finding("FP011")], config).passed
    warnings = [finding("NT001", Severity.WARNING, start=i) for i in range(12)]
    assert score(warnings, config).passed  # 0 points, no veto: 0 >= 0


def test_per_rule_cap_limits_one_rule_in_text_order() -> None:
    config = ScoreConfig(per_rule_cap=30)
    findings = [finding("FP001", turn=t) for t in (2, 0, 1)] + [finding("BS001", turn=3)]
    result = score(findings, config)
    assert result.deductions == (
        Deduction("FP001", 20.0, 0, 0),
        Deduction("FP001", 10.0, 1, 0),
        Deduction("BS001", 20.0, 3, 0),
    )
    assert result.score == 50.0


def test_order_of_findings_does_not_matter() -> None:
    findings = [finding("FP001", turn=3), finding("BS001", turn=1), finding("FP001", turn=0)]
    config = ScoreConfig(per_rule_cap=25)
    assert score(findings, config) == score(list(reversed(findings)), config)


def test_fractional_weights_add_up_without_binary_noise() -> None:
    config = ScoreConfig(severity_weights={Severity.ERROR: 0.1})
    assert score([finding(start=i) for i in range(3)], config).score == 99.7


def test_real_findings_from_the_linter() -> None:
    result = score(replylint.Linter(CONTRACT_RULES).lint("这个我不知道，不清楚。"))
    assert result == Score(80.0, (Deduction("FP005", 20.0, 0, 2),), passed=False, vetoed=False)


def test_score_record_is_plain_json_data() -> None:
    config = ScoreConfig(rule_weights={"NT001": 2.5})
    result = score([finding("FP001", turn=1, start=4), finding("NT001", turn=2)], config)
    assert score_record(result) == {
        "score": 77.5,
        "passed": False,
        "vetoed": False,
        "deductions": [
            {"rule": "FP001", "points": 20, "turn": 1, "start": 4},
            {"rule": "NT001", "points": 2.5, "turn": 2, "start": 0},
        ],
    }
    assert score_record(score([])) == {
        "score": 100,
        "passed": True,
        "vetoed": False,
        "deductions": [],
    }


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"pass_mark": 101}, "pass_mark must be between 0 and 100, got 101"),
        ({"pass_mark": -1}, "pass_mark must be between 0 and 100, got -1"),
        ({"pass_mark": math.nan}, "pass_mark must be between 0 and 100, got nan"),
        ({"pass_mark": "80"}, "pass_mark must be a number, got '80'"),
        ({"severity_weights": {"fatal": 1}}, "unknown severity 'fatal' in severity_weights"),
        ({"severity_weights": {"error": -5}}, "severity_weights['error'] must be a finite"),
        ({"rule_weights": {"FP001": math.inf}}, "rule_weights['FP001'] must be a finite"),
        ({"rule_weights": {"FP001": True}}, "rule_weights['FP001'] must be a number"),
        ({"rule_weights": {"": 1}}, "rule_weights keys must be rule codes"),
        ({"veto_rules": "FP001"}, "veto_rules must be a collection of rule codes"),
        ({"veto_rules": frozenset({1})}, "veto_rules must be rule codes, got 1"),
        ({"per_rule_cap": -1}, "per_rule_cap must be a finite number >= 0, got -1"),
        ({"fail_on": "fatal"}, "fail_on must be one of error, warning, info, score"),
    ],
)
def test_invalid_settings_fail_with_a_clear_message(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        ScoreConfig(**settings)


def test_config_is_a_private_copy_of_the_callers_dicts() -> None:
    weights = {"FP001": 1.0}
    config = ScoreConfig(rule_weights=weights)
    weights["FP001"] = 99.0
    assert config.rule_weights["FP001"] == 1.0
    with pytest.raises(TypeError):
        config.rule_weights["FP001"] = 2.0  # type: ignore[index]


def test_config_pickles_for_worker_processes() -> None:
    config = ScoreConfig(
        severity_weights={Severity.INFO: 1},
        rule_weights={"FP001": 3},
        veto_rules=frozenset({"FP011"}),
        pass_mark=60,
        per_rule_cap=40,
        fail_on="warning",
    )
    assert pickle.loads(pickle.dumps(config)) == config


def test_load_score_config_from_plain_data() -> None:
    config = load_score_config(
        {
            "severity_weights": {"warning": 5},
            "rule_weights": {"FP011": 100},
            "veto_rules": ["BS001"],
            "pass_mark": 60,
            "per_rule_cap": 30,
        }
    )
    assert config == ScoreConfig(
        severity_weights={Severity.WARNING: 5},
        rule_weights={"FP011": 100},
        veto_rules=frozenset({"BS001"}),
        pass_mark=60,
        per_rule_cap=30,
    )
    assert load_score_config({}) == ScoreConfig()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"passmark": 60}, "unknown score setting(s) 'passmark'; expected severity_weights"),
        ({"rule_weights": [1]}, "rule_weights must be a table of numbers"),
        ({"veto_rules": "FP001"}, "veto_rules must be a list of rule codes"),
        ({"pass_mark": 120}, "pass_mark must be between 0 and 100"),
    ],
)
def test_load_score_config_rejects_bad_data(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        load_score_config(raw)


_findings = st.lists(
    st.builds(
        finding,
        rule=st.sampled_from(["FP001", "BS001", "NT001"]),
        severity=st.sampled_from(list(Severity)),
        turn=st.integers(0, 5),
        start=st.integers(0, 50),
    ),
    max_size=30,
)
_weights = st.floats(0, 1000, allow_nan=False)
_configs = st.builds(
    ScoreConfig,
    severity_weights=st.dictionaries(st.sampled_from(list(Severity)), _weights),
    rule_weights=st.dictionaries(st.sampled_from(["FP001", "BS001"]), _weights),
    veto_rules=st.frozensets(st.sampled_from(["FP001", "NT001"]), max_size=1),
    pass_mark=st.floats(0, 100),
    per_rule_cap=st.none() | _weights,
    fail_on=st.sampled_from(["error", "warning", "info", "score"]),
)


@given(_findings, _configs)
def test_score_is_always_within_0_and_100_and_consistent(
    findings: list[Finding], config: ScoreConfig
) -> None:
    result = score(findings, config)
    assert 0.0 <= result.score <= 100.0
    failing = any(config.fails(finding) for finding in findings)
    assert result.passed == (not result.vetoed and not failing and result.score >= config.pass_mark)
    assert all(d.points > 0 for d in result.deductions)
    if config.per_rule_cap is not None:
        for rule in {d.rule for d in result.deductions}:
            spent = math.fsum(d.points for d in result.deductions if d.rule == rule)
            assert spent <= config.per_rule_cap + 1e-9
    if not result.vetoed:
        total = math.fsum(d.points for d in result.deductions)
        assert result.score == pytest.approx(max(0.0, 100.0 - total), abs=1e-6)
