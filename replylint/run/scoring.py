"""QA scores: 100 minus a deduction per finding, floored at 0, with veto rules and a pass mark.

Defaults (`ScoreConfig()`): an error costs 20 points, a warning 10, an info 0; no rule weights,
no veto rules, no per-rule cap; a call passes with 80 or more and no error-level finding
(``fail_on = "error"``: one 禁语 alone would leave exactly 80). A rule weight replaces the
severity weight for that rule code. A veto rule (一票否决) sets the score to 0 and fails the call
whatever else happened. Pure functions; nothing here reads configuration files.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Final

from replylint.model import Finding, Severity

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_SEVERITY_WEIGHTS",
    "Deduction",
    "Score",
    "ScoreConfig",
    "load_score_config",
    "score",
    "score_record",
]

FULL_MARKS: Final = 100.0
# fail_on: a finding of this severity or a graver one fails the call whatever its score;
# "score" lets only the score (and vetoes) decide.
FAIL_ON_SCORE: Final = "score"
_GRAVITY: Final = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}
DEFAULT_SEVERITY_WEIGHTS: Final[Mapping[Severity, float]] = MappingProxyType(
    {Severity.ERROR: 20.0, Severity.WARNING: 10.0, Severity.INFO: 0.0}
)


def _number_setting(value: object, what: str) -> float:
    # bool is an int subclass; `true` as a weight is a configuration slip, not 1 point.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, got {value!r}")
    try:
        return float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise ValueError(f"{what} is far too large a number") from None


def _points(value: object, what: str) -> float:
    """A finite, non-negative number of points, or ValueError naming `what`."""
    points = _number_setting(value, what)
    if not math.isfinite(points) or points < 0:
        raise ValueError(f"{what} must be a finite number >= 0, got {value!r}")
    return points


def _pass_mark(value: object) -> float:
    mark = _number_setting(value, "pass_mark")
    if not 0 <= mark <= FULL_MARKS:  # also rejects NaN
        raise ValueError(f"pass_mark must be between 0 and 100, got {value!r}")
    return mark


def _severity(key: object) -> Severity:
    if isinstance(key, str) and key in set(Severity):
        return Severity(key)
    known = ", ".join(s.value for s in Severity)
    raise ValueError(f"unknown severity {key!r} in severity_weights; expected {known}")


def _severity_weights(given: Mapping[Any, Any]) -> Mapping[Severity, float]:
    """The defaults, overridden by `given` (keys may be `Severity` or its string value)."""
    weights = dict(DEFAULT_SEVERITY_WEIGHTS)
    for key, value in given.items():
        severity = _severity(key)
        weights[severity] = _points(value, f"severity_weights[{severity.value!r}]")
    return MappingProxyType(weights)


def _rule_weights(given: Mapping[Any, Any]) -> Mapping[str, float]:
    weights: dict[str, float] = {}
    for rule, value in given.items():
        if not isinstance(rule, str) or not rule:
            raise ValueError(f"rule_weights keys must be rule codes, got {rule!r}")
        weights[rule] = _points(value, f"rule_weights[{rule!r}]")
    return MappingProxyType(weights)


def _fail_on(value: object) -> str:
    allowed = [*(severity.value for severity in Severity), FAIL_ON_SCORE]
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"fail_on must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _veto_rules(given: Iterable[Any]) -> frozenset[str]:
    if isinstance(given, str):  # "FP001" would otherwise become {"F", "P", "0", "1"}
        raise ValueError(f"veto_rules must be a collection of rule codes, got {given!r}")
    rules = frozenset(given)
    bad = sorted(repr(rule) for rule in rules if not isinstance(rule, str) or not rule)
    if bad:
        raise ValueError(f"veto_rules must be rule codes, got {', '.join(bad)}")
    return rules


@dataclass(frozen=True, slots=True)
class ScoreConfig:
    """How findings turn into a score. Invalid values raise ValueError at construction.

    ``severity_weights`` overrides the defaults per severity (missing severities keep them);
    ``rule_weights`` overrides the severity weight of a rule code; ``per_rule_cap`` bounds
    what one rule can cost in one call (None: no bound); ``fail_on`` is the severity whose
    finding fails a call whatever its score (``"score"``: none does).
    """

    severity_weights: Mapping[Severity, float] = field(default_factory=dict)
    rule_weights: Mapping[str, float] = field(default_factory=dict)
    veto_rules: frozenset[str] = frozenset()
    pass_mark: float = 80.0
    per_rule_cap: float | None = None
    fail_on: str = Severity.ERROR.value

    def __post_init__(self) -> None:
        # Private read-only copies: a caller mutating its dict later cannot change a config.
        object.__setattr__(self, "severity_weights", _severity_weights(self.severity_weights))
        object.__setattr__(self, "rule_weights", _rule_weights(self.rule_weights))
        object.__setattr__(self, "veto_rules", _veto_rules(self.veto_rules))
        object.__setattr__(self, "pass_mark", _pass_mark(self.pass_mark))
        object.__setattr__(self, "fail_on", _fail_on(self.fail_on))
        if self.per_rule_cap is not None:
            object.__setattr__(self, "per_rule_cap", _points(self.per_rule_cap, "per_rule_cap"))

    def __reduce__(self) -> tuple[type[ScoreConfig], tuple[Any, ...]]:
        # Mapping proxies do not pickle; worker processes get plain dicts, re-frozen on arrival.
        return (
            ScoreConfig,
            (
                dict(self.severity_weights),
                dict(self.rule_weights),
                self.veto_rules,
                self.pass_mark,
                self.per_rule_cap,
                self.fail_on,
            ),
        )

    def weight(self, finding: Finding) -> float:
        """What one finding costs before the per-rule cap."""
        if finding.rule in self.rule_weights:
            return self.rule_weights[finding.rule]
        return self.severity_weights[finding.severity]

    def fails(self, finding: Finding) -> bool:
        """Whether the finding fails its call whatever the score (see ``fail_on``)."""
        if self.fail_on == FAIL_ON_SCORE:
            return False
        return _GRAVITY[finding.severity] >= _GRAVITY[Severity(self.fail_on)]


def load_score_config(raw: Mapping[str, Any]) -> ScoreConfig:
    """A `ScoreConfig` from plain data (a TOML table, a JSON object). Unknown keys fail.

    Keys: ``severity_weights`` (table), ``rule_weights`` (table), ``veto_rules`` (list),
    ``pass_mark`` (number), ``per_rule_cap`` (number), ``fail_on`` (a severity or
    ``"score"``). Raises ValueError with the reason.
    """
    known = [setting.name for setting in fields(ScoreConfig)]
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ValueError(
            f"unknown score setting(s) {', '.join(map(repr, unknown))}; expected {', '.join(known)}"
        )
    for key in ("severity_weights", "rule_weights"):
        if not isinstance(raw.get(key, {}), Mapping):
            raise ValueError(f"{key} must be a table of numbers, got {raw[key]!r}")
    if not isinstance(raw.get("veto_rules", []), list | tuple | set | frozenset):
        raise ValueError(f"veto_rules must be a list of rule codes, got {raw['veto_rules']!r}")
    return ScoreConfig(**raw)


DEFAULT_CONFIG: Final = ScoreConfig()


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points one finding cost: the finding's rule, turn and start offset identify it."""

    rule: str
    points: float
    turn: int
    start: int


@dataclass(frozen=True, slots=True)
class Score:
    """The QA score of one transcript. ``deductions`` lists only findings that cost points."""

    score: float
    deductions: tuple[Deduction, ...]
    passed: bool
    vetoed: bool


def _deductions(findings: Iterable[Finding], config: ScoreConfig) -> tuple[Deduction, ...]:
    """One deduction per costly finding, in text order, so a per-rule cap hits the later ones."""
    spent: dict[str, float] = {}
    deductions: list[Deduction] = []
    for finding in sorted(findings, key=Finding.sort_key):
        points = config.weight(finding)
        if config.per_rule_cap is not None:
            points = min(points, config.per_rule_cap - spent.get(finding.rule, 0.0))
        if points > 0:
            spent[finding.rule] = spent.get(finding.rule, 0.0) + points
            deductions.append(Deduction(finding.rule, points, finding.turn, finding.start))
    return tuple(deductions)


def score(findings: Iterable[Finding], config: ScoreConfig = DEFAULT_CONFIG) -> Score:
    """Score the findings of one transcript. Deterministic: the order of `findings` is moot."""
    findings = list(findings)
    deductions = _deductions(findings, config)
    vetoed = any(finding.rule in config.veto_rules for finding in findings)
    # Rounding hides binary noise (0.1 + 0.2); fsum keeps the total independent of order.
    remaining = round(FULL_MARKS - math.fsum(d.points for d in deductions), 6)
    value = 0.0 if vetoed else max(0.0, remaining)
    failed = vetoed or any(config.fails(finding) for finding in findings)
    return Score(value, deductions, passed=not failed and value >= config.pass_mark, vetoed=vetoed)


def _number(value: float) -> int | float:
    """20.0 -> 20 in JSON; fractional points stay as they are."""
    return int(value) if value.is_integer() else value


def score_record(result: Score) -> dict[str, Any]:
    """The json/jsonl object of a score: ``score``, ``passed``, ``vetoed``, ``deductions``."""
    return {
        "score": _number(result.score),
        "passed": result.passed,
        "vetoed": result.vetoed,
        "deductions": [
            {"rule": d.rule, "points": _number(d.points), "turn": d.turn, "start": d.start}
            for d in result.deductions
        ],
    }
