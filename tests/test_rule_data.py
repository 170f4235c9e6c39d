"""The packs are data, and data is tested: examples, codes, names, phrases."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from replylint import PACKS, load_packs
from replylint.normalize import fold_phrase
from replylint.rules import PatternRule, Rule
from replylint.ruletest import (
    ExampleOutcome,
    Script,
    data_problems,
    flagged_and_allowed,
    run_examples,
)

ALL_RULES = load_packs()


def outcomes(rules: tuple[Rule, ...] = ALL_RULES) -> list[ExampleOutcome]:
    return [outcome for rule in rules for outcome in run_examples(rule)]


def outcome_id(outcome: ExampleOutcome) -> str:
    kind = "flag" if outcome.example.should_flag else "pass"
    return f"{outcome.rule.info.code}-{kind}-{outcome.script}-{outcome.example.dialogue[:12]}"


@pytest.mark.parametrize("outcome", outcomes(), ids=outcome_id)
def test_rule_example(outcome: ExampleOutcome) -> None:
    """Flag examples are flagged (covering their `text`), pass examples are not; in Taiwan
    traditional Chinese too."""
    example = outcome.example
    if not example.should_flag:
        assert outcome.found == ()
    elif example.text is not None and outcome.script is Script.SIMPLIFIED:
        assert example.text in outcome.found
    else:
        assert outcome.found != ()


def test_the_four_contract_packs_exist_beside_the_others() -> None:
    assert set(PACKS) <= {rule.info.pack for rule in ALL_RULES}


def test_codes_are_unique_and_carry_their_pack_prefix() -> None:
    prefixes = {
        "forbidden-phrases": "FP",
        "blame-shifting": "BS",
        "missing-apology": "MA",
        "no-time-commitment": "NT",
        "timing": "TM",
        "service-commitments": "CM",
        "privacy": "PD",
    }
    codes = Counter(rule.info.code for rule in ALL_RULES)
    assert [c for c, n in codes.items() if n > 1] == []
    for rule in ALL_RULES:
        assert rule.info.code.startswith(prefixes[rule.info.pack]), rule.info.code


def test_names_describe_the_bad_pattern() -> None:
    for rule in ALL_RULES:
        assert not re.match(r"(no|banned|bad)-", rule.info.name), rule.info.name


def test_every_rule_documents_its_source_and_has_both_kinds_of_example() -> None:
    for rule in ALL_RULES:
        # Personal data is not in the training seeds: the law is the source there.
        cited = "个人信息保护法" if rule.info.pack == "privacy" else "seed"
        assert cited in rule.info.source, rule.info.code
        assert {e.should_flag for e in rule.info.examples} == {True, False}, rule.info.code


def test_no_phrase_is_both_flagged_and_allowed_and_every_exception_can_apply() -> None:
    assert list(data_problems(ALL_RULES)) == []


def test_no_trigger_phrase_belongs_to_two_rules() -> None:
    """Pattern parts are left out: 不可能 may begin a pattern and a phrase alike."""
    owners: dict[str, list[str]] = {}
    for rule in ALL_RULES:
        if isinstance(rule, PatternRule):
            continue
        for phrase in flagged_and_allowed(rule)[0]:
            owners.setdefault(fold_phrase(phrase), []).append(rule.info.code)
    assert {p: c for p, c in owners.items() if len(c) > 1} == {}
