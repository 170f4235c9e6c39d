"""The packs are data, and data is tested: examples, codes, names, phrases."""

from __future__ import annotations

import re
from collections import Counter

import opencc
import pytest

from replylint import PACKS, Linter, load_packs, parse_text
from replylint.normalize import fold_phrase
from replylint.rules import Example, PatternRule, PhraseRule, ResponseRule, Rule

ALL_RULES = load_packs()
TO_TRADITIONAL = opencc.OpenCC("s2twp")


def example_cases() -> list[tuple[Rule, Example]]:
    return [(rule, example) for rule in ALL_RULES for example in rule.info.examples]


def example_id(case: tuple[Rule, Example]) -> str:
    rule, example = case
    return f"{rule.info.code}-{'flag' if example.should_flag else 'pass'}-{example.dialogue[:12]}"


def found(rule: Rule, dialogue: str) -> list[str]:
    transcript = parse_text(dialogue, transcript_id="example")
    return [f.text for f in Linter([rule]).lint(transcript) if f.rule == rule.info.code]


@pytest.mark.parametrize("case", example_cases(), ids=example_id)
def test_rule_example(case: tuple[Rule, Example]) -> None:
    rule, example = case
    texts = found(rule, example.dialogue)
    if not example.should_flag:
        assert texts == []
    elif example.text is not None:
        assert example.text in texts
    else:
        assert texts


@pytest.mark.parametrize("case", example_cases(), ids=example_id)
def test_rule_example_in_traditional_script(case: tuple[Rule, Example]) -> None:
    """Every example gives the same verdict written in Taiwan traditional Chinese."""
    rule, example = case
    assert bool(found(rule, TO_TRADITIONAL.convert(example.dialogue))) == example.should_flag


def test_the_four_contract_packs_exist() -> None:
    assert {rule.info.pack for rule in ALL_RULES} == set(PACKS)


def test_codes_are_unique_and_carry_their_pack_prefix() -> None:
    prefixes = {
        "forbidden-phrases": "FP",
        "blame-shifting": "BS",
        "missing-apology": "MA",
        "no-time-commitment": "NT",
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
        assert "seed" in rule.info.source, rule.info.code
        assert {e.should_flag for e in rule.info.examples} == {True, False}, rule.info.code


def trigger_and_exception_phrases(rule: Rule) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a rule flags and what it allows; a pattern flags each of its parts' phrases."""
    if isinstance(rule, PhraseRule):
        return rule.phrases, rule.exceptions
    if isinstance(rule, PatternRule):
        parts = (part for pattern in rule.patterns for part in pattern.parts)
        return tuple(a for part in parts for a in part.alternatives), rule.exceptions
    assert isinstance(rule, ResponseRule)
    return rule.triggers, rule.trigger_exceptions


def test_no_phrase_is_both_flagged_and_allowed() -> None:
    for rule in ALL_RULES:
        triggers, exceptions = trigger_and_exception_phrases(rule)
        folded_triggers = {fold_phrase(p) for p in triggers}
        assert folded_triggers.isdisjoint(fold_phrase(p) for p in exceptions), rule.info.code


def test_no_trigger_phrase_belongs_to_two_rules() -> None:
    """Pattern parts are left out: 不可能 may begin a pattern and a phrase alike."""
    owners: dict[str, list[str]] = {}
    for rule in ALL_RULES:
        if isinstance(rule, PatternRule):
            continue
        for phrase in trigger_and_exception_phrases(rule)[0]:
            owners.setdefault(fold_phrase(phrase), []).append(rule.info.code)
    assert {p: c for p, c in owners.items() if len(c) > 1} == {}


def test_every_exception_overlaps_a_trigger_it_can_suppress() -> None:
    """An exception that contains none of its rule's triggers could never suppress a hit."""
    for rule in ALL_RULES:
        triggers, exceptions = trigger_and_exception_phrases(rule)
        folded = [fold_phrase(t) for t in triggers]
        for exception in exceptions:
            text = fold_phrase(exception)
            assert any(t in text or _overlap(t, text) for t in folded), (rule.info.code, exception)


def _overlap(a: str, b: str) -> bool:
    return any(a.endswith(b[:k]) or b.endswith(a[:k]) for k in range(1, min(len(a), len(b)) + 1))
