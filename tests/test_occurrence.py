"""The occurrence kind and rule scopes, read as the spec of issue #5."""

from __future__ import annotations

from dataclasses import replace
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Linter, Role, Transcript, Turn, load_packs
from replylint.engine.ruletest import ExampleOutcome, Script, to_traditional
from replylint.kinds import Rule
from replylint.kinds.base import Boundary, MatchOptions
from replylint.kinds.occurrence import OccurrenceRule, Scope
from replylint.text.pattern import parse_pattern
from tests.conftest import dialogue
from tests.test_packs import problems, write_pack
from tests.test_rule_data import outcome_id, outcomes

TEST_PACKS = Path(__file__).parent / "data" / "packs"
ETIQUETTE = {rule.info.code: rule for rule in load_packs([TEST_PACKS])}
GREETING, APOLOGIES, CLOSING = ETIQUETTE["XT001"], ETIQUETTE["XT002"], ETIQUETTE["XT003"]


def found(rule: Rule, *turns: tuple[str, str]) -> list[tuple[int, str]]:
    return [(f.turn, f.text) for f in Linter([rule]).lint(dialogue(*turns))]


def test_the_test_pack_loads_as_occurrence_rules_with_scopes() -> None:
    assert isinstance(GREETING, OccurrenceRule)
    assert (GREETING.scope, GREETING.at_least, GREETING.at_most) == (
        Scope(Role.AGENT, first=1),
        1,
        None,
    )
    assert isinstance(APOLOGIES, OccurrenceRule)
    assert (APOLOGIES.scope, APOLOGIES.at_least, APOLOGIES.at_most) == (Scope(Role.AGENT), None, 2)
    assert isinstance(CLOSING, OccurrenceRule)
    assert CLOSING.scope == Scope(Role.AGENT, last=1)


@pytest.mark.parametrize("outcome", outcomes(tuple(ETIQUETTE.values())), ids=outcome_id)
def test_the_test_pack_examples(outcome: ExampleOutcome) -> None:
    example = outcome.example
    expected = (example.text,) if example.should_flag else ()
    if outcome.script is Script.TRADITIONAL and example.text is not None:
        expected = (to_traditional(example.text),)
    assert outcome.found == expected


def test_a_missing_phrase_is_reported_on_the_first_turn_of_the_scope_spanning_its_text() -> None:
    caller = ("customer", "我家停电了")
    assert found(GREETING, ("agent", "  请问有什么事？ "), caller, ("agent", "您好")) == [
        (0, "请问有什么事？")
    ]
    assert found(GREETING, ("customer", "你好"), ("agent", "您好，请讲")) == []


def test_a_lone_reply_is_not_a_call_and_needs_no_greeting() -> None:
    assert found(GREETING, ("agent", "请问有什么事？")) == []
    assert found(GREETING, ("agent", "请问有什么事？"), ("system", "转接中")) == [
        (0, "请问有什么事？")
    ]


def test_one_speaker_can_still_say_a_phrase_too_often() -> None:
    # A rule with both limits is asked of every call, and a lone speaker's call is done
    # at once for missing phrases only: one said too often is still found.
    bounded = replace(APOLOGIES, at_least=1)
    too_many = (("agent", "抱歉。"), ("agent", "对不起。不好意思。抱歉。"))
    assert found(bounded, *too_many) == found(APOLOGIES, *too_many) != []
    assert found(bounded, ("agent", "请稍等")) == []


def test_silent_turns_are_not_in_the_scope() -> None:
    turns = (("agent", ""), ("agent", "  "), ("customer", "喂"), ("agent", "您好"))
    assert found(GREETING, *turns) == []
    assert found(GREETING, ("agent", " "), ("agent", "喂"), ("customer", "喂")) == [(1, "喂")]


def test_an_empty_scope_is_no_opportunity() -> None:
    assert found(GREETING, ("customer", "喂？有人吗？")) == []
    assert Linter([GREETING]).lint(Transcript("empty", ())) == []


def test_too_many_is_reported_on_the_first_occurrence_past_the_limit() -> None:
    assert found(APOLOGIES, ("agent", "抱歉。"), ("agent", "对不起。不好意思。抱歉。")) == [
        (1, "不好意思")
    ]
    assert found(APOLOGIES, ("agent", "抱歉。"), ("customer", "抱歉抱歉"), ("agent", "抱歉")) == []


def test_the_last_turns_of_a_role() -> None:
    assert found(CLOSING, ("agent", "再见"), ("customer", "嗯"), ("agent", "好了。")) == [
        (2, "好了。")
    ]
    assert found(CLOSING, ("agent", "好了。"), ("agent", "再見！"), ("customer", "嗯")) == []


def test_phrases_are_counted_like_phrase_findings_exceptions_removed() -> None:
    rule = OccurrenceRule(
        info=GREETING.info,
        scope=Scope(Role.AGENT),
        phrases=("您好",),
        at_least=2,
        exceptions=("您好像",),
    )
    assert found(rule, ("agent", "您好，您好")) == []
    assert found(rule, ("agent", "您好，您好像没听清"), ("customer", "嗯")) == [
        (0, "您好，您好像没听清")
    ]


def test_patterns_are_counted_beside_the_phrases() -> None:
    """[数字14]号 in a greeting is a masked 工号: a pattern says what no phrase can."""
    rule = OccurrenceRule(
        info=GREETING.info,
        scope=Scope(Role.AGENT, first=1),
        phrases=("工号",),
        patterns=(parse_pattern("数字…{1,3}号"),),
        at_least=1,
    )
    caller = ("customer", "我家停电了")
    assert found(rule, ("agent", "您好 这里是国网客服 [数字14]号"), caller) == []
    assert found(rule, ("agent", "您好 工号[数字3]"), caller) == []
    no_number = "您好 您的户号是[数字5]吗"
    assert found(rule, ("agent", no_number), caller) == [(0, no_number)]


turn_texts = st.lists(
    st.sampled_from(["您好", "妳好", "抱歉", "對不起", "不好意思", "再見", "嗯", "，", " ", ""]),
    max_size=6,
).map("".join)
turns = st.lists(st.tuples(st.sampled_from([Role.AGENT, Role.CUSTOMER]), turn_texts), max_size=6)


@settings(max_examples=200, deadline=None)
@given(turns)
def test_findings_slice_the_original_and_equal_the_reference_path(
    pairs: list[tuple[Role, str]],
) -> None:
    transcript = Transcript("o", tuple(Turn(role, text) for role, text in pairs))
    rules = list(ETIQUETTE.values())
    findings = Linter(rules).lint(transcript)
    assert findings == Linter(rules, reference=True).lint(transcript)
    for finding in findings:
        assert transcript.turns[finding.turn].text[finding.start : finding.end] == finding.text
        assert finding.text.strip() == finding.text != ""


# A required phrase is settled by the first match in the scope; without exceptions in the
# turn and word boundaries, a trigger hit is that match (the fast path's shortcut). These
# rules and texts cover both sides of the shortcut: exceptions in the turn or not,
# overlapping a trigger or not, word boundaries or none, each scope.
REQUIRED = [
    OccurrenceRule(
        info=replace(GREETING.info, code=f"XR{number:03}"),
        scope=scope,
        phrases=("您好", "好"),
        at_least=1,
        exceptions=exceptions,
        options=MatchOptions(boundary=boundary),
    )
    for number, (scope, boundary, exceptions) in enumerate(
        product(
            [Scope(Role.AGENT, first=1), Scope(Role.AGENT, last=2), Scope(Role.CUSTOMER)],
            Boundary,
            [(), ("您好像",), ("好的",), ("不好",)],
        )
    )
]
REQUIRED_FAST, REQUIRED_REFERENCE = Linter(REQUIRED), Linter(REQUIRED, reference=True)
required_texts = st.lists(
    st.sampled_from(["您好", "妳好", "好的", "好像", "不好", "您好像", "嗯", "，", " ", ""]),
    max_size=4,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from([Role.AGENT, Role.CUSTOMER]), required_texts), max_size=5)
)
def test_a_required_phrase_is_found_as_the_reference_path_finds_it(
    pairs: list[tuple[Role, str]],
) -> None:
    transcript = Transcript("r", tuple(Turn(role, text) for role, text in pairs))
    assert REQUIRED_FAST.lint(transcript) == REQUIRED_REFERENCE.lint(transcript)


RULE = """
code = "XX001"
name = "thing-missing"
kind = "occurrence"
severity = "info"
message = "m"
suggestion = "s"
description = "d"
source = "seed"
scope = { role = "agent", first = 1 }
phrases = ["您好"]
at_least = 1

[[examples]]
flag = "坐席：喂"

[[examples]]
pass = "坐席：您好"
"""


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("at_least = 1", ""), "needs 'at_least' or 'at_most'"),
        (("at_least = 1", "at_least = 0"), "'at_least' must be at least 1"),
        (("at_least = 1", "at_least = 3\nat_most = 2"), "'at_least' is more than 'at_most'"),
        (("at_least = 1", "at_most = -1"), "'at_most' must be at least 0"),
        (('role = "agent", ', ""), "'scope': missing key 'role'"),
        (('role = "agent"', 'role = "bot"'), "'scope': 'role' must be one of agent, customer"),
        (("first = 1", "first = 0"), "'scope': 'first' must be at least 1"),
        (("first = 1", "first = 1, last = 1"), "'scope': takes 'first' or 'last', not both"),
        (("first = 1", "first = 1, turns = 2"), "'scope': unknown key 'turns'"),
        (("first = 1", 'first = "1"'), "'scope': 'first' must be int, got str"),
        (('scope = { role = "agent", first = 1 }', 'scope = "agent"'), "'scope' must be dict"),
    ],
)
def test_each_kind_of_mistake_is_named(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    assert edit[0] in RULE
    found = problems(write_pack(tmp_path, "custom", r=RULE.replace(*edit, 1)))
    assert any(message in problem for problem in found), found
