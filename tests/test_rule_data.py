"""The packs are data, and data is tested: examples, codes, names, phrases."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from replylint import PACKS, Role, load_packs
from replylint.engine.ruletest import (
    ExampleOutcome,
    Script,
    channel_problems,
    data_problems,
    flagged_and_allowed,
    run_examples,
)
from replylint.kinds import Rule
from replylint.kinds.commitment import CommitmentRule
from replylint.kinds.occurrence import OccurrenceRule
from replylint.kinds.pattern import PatternRule
from replylint.kinds.personal_data import PersonalDataRule
from replylint.kinds.phrase import PhraseRule
from replylint.kinds.response import ResponseRule
from replylint.kinds.tag import TagRule
from replylint.packs import load_pack_folders
from replylint.text.normalize import fold_phrase

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
        "etiquette": "ET",
        "restraint": "RS",
        "listening": "LS",
        "escalation": "ES",
        "timing": "TM",
        "service-commitments": "CM",
        "privacy": "PD",
        "jargon": "JG",
        "topics": "TP",
        "customer-types": "CT",
    }
    assert {name: info.prefix for name, info in load_pack_folders().packs.items()} == prefixes
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


# Issue 14: every rule's examples hold a case for each channel it applies to. The packs
# forbidden-phrases, blame-shifting, restraint and missing-apology are being rewritten on
# other branches; each joins this list when its examples are done.
def test_every_rule_has_an_example_for_each_channel_it_applies_to() -> None:
    assert list(channel_problems(ALL_RULES)) == []


def test_no_trigger_phrase_belongs_to_two_rules_in_the_same_role() -> None:
    """Pattern parts are left out (a response rule's trigger_patterns too): 不可能 may begin a
    pattern and a phrase alike. Tags are
    left out too: a tag may share words with a rule (太过分了 labels the customer 情绪激动
    and asks the agent for an apology); so are a commitment's subjects, which only anchor a
    promised time (校验 is jargon to JG003, and the subject of a 5-day promise to CM003).
    The same words may mean two things in two roles: 我刚才说过了 is lecturing from the
    agent (RS007) and a sign of not being listened to from the customer (LS002)."""
    owners: dict[tuple[Role, str], list[str]] = {}
    for rule in ALL_RULES:
        if isinstance(rule, PatternRule | TagRule | CommitmentRule):
            continue
        phrases = rule.triggers if isinstance(rule, ResponseRule) else flagged_and_allowed(rule)[0]
        for role in trigger_roles(rule):
            for phrase in phrases:
                owners.setdefault((role, fold_phrase(phrase)), []).append(rule.info.code)
    assert {p: c for p, c in owners.items() if len(c) > 1} == {}


def trigger_roles(rule: Rule) -> frozenset[Role]:
    match rule:
        case ResponseRule():
            return rule.trigger_roles
        case OccurrenceRule():
            return frozenset({rule.scope.role})
        case PhraseRule() | PersonalDataRule():
            return rule.roles
        case _:
            return frozenset()


# An agent who explains a term at once ("台区，也就是您这一片的供电范围", "我们叫互感器") has
# not left the customer behind: every jargon term carries these exceptions.
EXPLAINED_AFTER = ("也就是", "就是", "是指", "指的是", "的意思", "意思是", "说白了")
EXPLAINED_BEFORE = ("叫", "叫做", "所谓")


def test_every_jargon_term_is_excused_when_it_is_explained_at_once() -> None:
    jargon = [rule for rule in ALL_RULES if rule.info.pack == "jargon"]
    assert jargon
    missing: dict[str, list[str]] = {}
    for rule in jargon:
        phrases, exceptions = flagged_and_allowed(rule)
        wanted = {p + a for p in phrases for a in EXPLAINED_AFTER}
        wanted |= {b + p for p in phrases for b in EXPLAINED_BEFORE}
        if absent := sorted(wanted - set(exceptions)):
            missing[rule.info.code] = absent
    assert missing == {}


def test_jargon_is_information_for_the_agent_and_belongs_to_an_industry() -> None:
    for rule in ALL_RULES:
        if rule.info.pack == "jargon":
            assert rule.info.severity == "info", rule.info.code
            assert len(rule.info.profiles) == 1, rule.info.code


def test_no_phrase_gives_two_tags_of_a_category_under_one_profile() -> None:
    """修好 may be a power topic (抢修) and an auto topic (维修): they never run together
    under a profile. Without a profile every rule runs, and both may label a call."""
    tags = [rule for rule in ALL_RULES if isinstance(rule, TagRule)]
    clashes = []
    for i, first in enumerate(tags):
        for second in tags[i + 1 :]:
            a, b = first.info.profiles, second.info.profiles
            if first.category != second.category or (a and b and not a & b):
                continue
            shared = {fold_phrase(p) for p in first.phrases} & {
                fold_phrase(p) for p in second.phrases
            }
            clashes += [(first.info.code, second.info.code, p) for p in sorted(shared)]
    assert clashes == []


def test_topics_and_customer_types_hold_the_tags_of_their_category() -> None:
    categories = {"topics": "topic", "customer-types": "customer-type"}
    for rule in ALL_RULES:
        assert isinstance(rule, TagRule) == (rule.info.pack in categories), rule.info.code
        if isinstance(rule, TagRule):
            assert rule.category == categories[rule.info.pack], rule.info.code
