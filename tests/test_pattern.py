"""The pattern kind: the language, its loading, and matching, read as the spec of issue #5."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Linter, Role, Transcript, Turn, load_packs
from replylint.kinds.base import Boundary, MatchOptions, RuleInfo
from replylint.kinds.pattern import PatternRule
from replylint.kinds.phrase import PhraseRule
from replylint.model import Severity
from replylint.text.normalize import fold_phrase
from replylint.text.pattern import (
    BARE_GAP,
    MAX_GAP,
    Gap,
    Part,
    PatternError,
    PatternMatcher,
    anchor_spellings,
    parse_pattern,
)
from tests.conftest import dialogue
from tests.test_packs import problems, write_pack

INFO = RuleInfo("XX001", "thing-said", "custom", Severity.ERROR, "m", "s", "d", "seed", (), "x")


def pattern_rule(
    *patterns: str, exceptions: tuple[str, ...] = (), boundary: Boundary = Boundary.NONE
) -> PatternRule:
    return PatternRule(
        info=INFO,
        roles=frozenset({Role.AGENT}),
        patterns=tuple(map(parse_pattern, patterns)),
        exceptions=exceptions,
        options=MatchOptions(boundary=boundary),
    )


def found(rule: PatternRule | PhraseRule, text: str) -> list[str]:
    return [f.text for f in Linter([rule]).lint(text)]


# The language


def test_parts_alternatives_optional_parts_and_gaps() -> None:
    assert parse_pattern("是您…{1,8}的(问题|原因)").parts == (
        Part(("是您",)),
        Part(("的",), gap_before=Gap(1, 8)),
        Part(("问题", "原因")),
    )
    assert parse_pattern("您(这边)?…就不会").parts == (
        Part(("您",)),
        Part(("这边",), optional=True),
        Part(("就不会",), gap_before=BARE_GAP),
    )


def test_ascii_dots_ime_ellipses_full_width_brackets_and_spaces_are_the_same_syntax() -> None:
    expected = parse_pattern("是您…{0,6}(问题|原因)").parts
    for spelling in (
        "是您...{0,6}(问题|原因)",
        "是您……{0,6}（问题｜原因）",
        "是您 … {0,6} (问题|原因)",
    ):
        assert parse_pattern(spelling).parts == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "empty pattern"),
        ("…不行", "a gap must stand between two parts"),
        ("不行…", "a gap must stand between two parts"),
        ("不…{1,2}…{1,2}行", "a gap must stand between two parts"),
        ("不…{3,1}行", "the least is more than the most"),
        (f"不…{{0,{MAX_GAP + 1}}}行", f"at most {MAX_GAP} characters"),
        ("(不)?行", "the first and the last part must not be optional"),
        ("不(行)?", "the first and the last part must not be optional"),
        ("不(行|)", "empty alternative"),
        ("不((行))", "brackets must close and cannot nest"),
        ("不(行", "brackets must close and cannot nest"),
        ("不|行", "'|' separates alternatives inside"),
        ("不行?", "'?' follows a group"),
        ("不{1,2}行", "bounds follow a gap"),
        ("不(，|行)", "can never match"),
        ("(是您|是你)的错", "the same as '是您' after normalisation"),
        ("a…b…c…d…e…f…g…h…i", "9 parts: at most 8"),
    ],
)
def test_a_bad_pattern_is_refused_with_the_reason(source: str, message: str) -> None:
    with pytest.raises(PatternError, match=re.escape(message)):
        parse_pattern(source)


RULE = """
code = "XX001"
name = "thing-said"
kind = "pattern"
severity = "error"
message = "m"
suggestion = "s"
description = "d"
source = "seed"
patterns = ["是您…{1,8}的问题"]
exceptions = ["不是您"]

[[examples]]
flag = "坐席：是您开车习惯的问题"

[[examples]]
pass = "坐席：不是您开车习惯的问题"
"""


def test_a_pattern_rule_loads_from_its_file(tmp_path: Path) -> None:
    (rule,) = load_packs([write_pack(tmp_path, "custom", r=RULE)])
    assert isinstance(rule, PatternRule)
    assert [p.source for p in rule.patterns] == ["是您…{1,8}的问题"]
    assert (rule.roles, rule.exceptions) == (frozenset({Role.AGENT}), ("不是您",))


def test_every_bad_pattern_is_reported_with_file_and_rule(tmp_path: Path) -> None:
    bad = RULE.replace('["是您…{1,8}的问题"]', '["是您…{9,8}的问题", "(不)?行", 3]')
    found = problems(write_pack(tmp_path, "custom", r=bad))
    path = tmp_path / "custom" / "r.toml"
    assert [p.removeprefix(f"{path} [XX001]: ") for p in found] == [
        "'patterns': '是您…{9,8}的问题': gap {9,8}: the least is more than the most",
        "'patterns': '(不)?行': the first and the last part must not be optional",
        "'patterns': 3 is not a string",
    ]


# Matching


def test_a_finding_spans_the_whole_match_in_the_original_text() -> None:
    rule = pattern_rule("是您…{1,8}的问题")
    assert found(rule, "那估计是您开车习惯的问题 冷车就猛踩油门") == ["是您开车习惯的问题"]
    assert found(rule, "那估计是 您 开车 习惯，的 问题") == ["是 您 开车 习惯，的 问题"]
    assert found(rule, "這是您家裡線路的問題") == ["是您家裡線路的問題"]


def test_gaps_are_bounded_and_counted_in_the_folded_view() -> None:
    rule = pattern_rule("是您…{1,3}的问题")
    assert found(rule, "是您的问题") == []  # fewer than 1
    assert found(rule, "是您一二三的问题") == ["是您一二三的问题"]
    assert found(rule, "是您一，二，三的问题") == ["是您一，二，三的问题"]  # punctuation is free
    assert found(rule, "是您一二三四的问题") == []  # more than 3


def test_optional_parts_and_alternatives() -> None:
    rule = pattern_rule("您(这边)?(按时|准时)…{0,4}就不会")
    assert found(rule, "您这边按时缴费就不会停电") == ["您这边按时缴费就不会"]
    assert found(rule, "您准时缴费就不会停电") == ["您准时缴费就不会"]
    assert found(rule, "您那边按时缴费就不会停电") == []


def test_leftmost_then_longest_and_never_overlapping() -> None:
    rule = pattern_rule("不…{0,3}行")
    assert found(rule, "不一行二行三行") == ["不一行二行"]
    assert found(rule, "不行四五六不行") == ["不行", "不行"]


def test_exceptions_overlapping_the_match_suppress_it() -> None:
    rule = pattern_rule("是您…{1,8}的问题", exceptions=("不是您",))
    assert found(rule, "这不是您操作的问题") == []
    assert found(rule, "是不是您手机设置的问题") == []
    assert found(rule, "这是您操作的问题") == ["是您操作的问题"]


def test_word_boundaries_apply_to_the_whole_match() -> None:
    rule = pattern_rule("没…{0,2}用", boundary=Boundary.WORD)
    assert found(rule, "叫也没有用") == ["没有用"]
    assert found(rule, "没有用电") == []


def test_patterns_only_look_at_their_roles() -> None:
    transcript = dialogue(("customer", "是您开车习惯的问题"), ("agent", "是您开车习惯的问题"))
    assert [f.turn for f in Linter([pattern_rule("是您…{1,8}的问题")]).lint(transcript)] == [1]


def test_several_patterns_of_one_rule_share_an_anchor() -> None:
    rule = pattern_rule("不可能…{0,4}这种话", "不可能…{0,4}这种事")
    assert found(rule, "不可能说这种话，不可能有这种事") == ["不可能说这种话", "不可能有这种事"]


# Properties: the anchored matcher against a brute-force regular expression

ALPHABET = "甲乙丙"
alternatives = st.lists(
    st.text(ALPHABET, min_size=1, max_size=2), min_size=1, max_size=2, unique=True
)


@st.composite
def pattern_sources(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 4))
    source = ""
    for number in range(count):
        if number:
            least = draw(st.integers(0, 3))
            most = draw(st.integers(least, least + 3))
            source += draw(st.sampled_from(["", f"…{{{least},{most}}}"]))
        group = "(" + "|".join(draw(alternatives)) + ")"
        optional = 0 < number < count - 1 and draw(st.booleans())
        source += group + ("?" if optional else "")
    return source


def anchors(matcher_patterns: list[str], view: str) -> list[tuple[int, int]]:
    spellings = {s for p in matcher_patterns for s in anchor_spellings(parse_pattern(p))}
    return [
        (start, start + len(s))
        for s in spellings
        for start in range(len(view))
        if view.startswith(s, start)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(pattern_sources(), min_size=1, max_size=2), st.text(ALPHABET + "丁", max_size=30))
def test_the_matcher_finds_exactly_what_brute_force_finds(sources: list[str], view: str) -> None:
    matcher = PatternMatcher(map(parse_pattern, sources))
    assert matcher.spans(view, anchors(sources, view)) == matcher.reference_spans(view)


PLAIN = st.text("是您的问题不可能这种话，　 ", max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["是您", "的问题", "不可能", "这种话", "是您的"]),
        min_size=1,
        max_size=3,
        unique=True,
    ),
    PLAIN,
)
def test_a_pattern_of_plain_phrases_is_a_phrase_rule(phrases: list[str], text: str) -> None:
    as_phrases = PhraseRule(info=INFO, roles=frozenset({Role.AGENT}), phrases=tuple(phrases))
    assert found(pattern_rule(*phrases), text) == found(as_phrases, text)


patterned = st.sampled_from(
    ["是您…{1,4}的问题", "不可能…{0,3}(这种|那种)话", "您(这边)?…{0,2}就不会"]
)
texts = st.lists(
    st.sampled_from(
        [
            "是您",
            "是",
            "您",
            "開車",
            "的問題",
            "的问题",
            "不可能",
            "說",
            "这种话",
            "這邊",
            "就不會",
            "，",
            " ",
            "。",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(patterned, min_size=1, max_size=3, unique=True), st.lists(texts, max_size=3))
def test_pattern_findings_slice_the_original_and_equal_the_reference_path(
    sources: list[str], turn_texts: list[str]
) -> None:
    rule = pattern_rule(*sources, exceptions=("不是您",))
    transcript = Transcript("p", tuple(Turn(Role.AGENT, text) for text in turn_texts))
    findings = Linter([rule]).lint(transcript)
    assert findings == Linter([rule], reference=True).lint(transcript)
    reference = PatternMatcher(rule.patterns)
    for finding in findings:
        assert transcript.turns[finding.turn].text[finding.start : finding.end] == finding.text
        view = fold_phrase(finding.text)
        assert (0, len(view)) in reference.reference_spans(view)  # the text is one whole match


# Adversarial: anchors everywhere, every gap at its widest. Quadratic or backtracking work
# would not finish in a test run; bounded windows finish at once.


WIDEST = f"…{{0,{MAX_GAP}}}"
LONG_TURN = "甲" * 20_000


def test_a_pattern_that_almost_matches_everywhere_stays_linear() -> None:
    linter = Linter([pattern_rule(WIDEST.join(["甲", "甲", "甲", "甲", "乙"]))])
    assert linter.lint(LONG_TURN) == []
    # The one match is the leftmost: as far back from 乙 as the widest gaps reach.
    assert [f.text for f in linter.lint(LONG_TURN + "乙")] == ["甲" * (4 * MAX_GAP + 4) + "乙"]


def test_parts_that_are_everywhere_but_never_in_order_stay_linear() -> None:
    """Every part occurs near every anchor, so no cheap test rules an anchor out; a match
    needs 甲 right before 丙, which never happens."""
    rule = pattern_rule(
        WIDEST.join(["甲", "(甲|乙)", "(甲|乙)", "(甲|乙)", "(甲|乙)", "甲"]) + "(丙)"
    )
    assert Linter([rule]).lint(("甲" * 25 + "乙丙") * 740) == []


def test_a_pattern_that_matches_everywhere_stays_linear() -> None:
    findings = Linter([pattern_rule(f"甲{WIDEST}(甲|甲甲)?{WIDEST}甲")]).lint(LONG_TURN)
    longest = 2 * MAX_GAP + 4  # 甲, a gap, 甲甲, a gap, 甲
    assert [len(f.text) for f in findings[:-1]] == [longest] * (len(LONG_TURN) // longest)
    assert "".join(f.text for f in findings) == LONG_TURN


def test_a_giant_turn_full_of_anchors_keeps_memory_bounded() -> None:
    """300,000 anchors in 1.8 M characters: pruning holds only real candidates, never a
    set of every position (which alone took ~140 MB more here)."""
    (rule,) = [r for r in load_packs(packs=["blame-shifting"]) if r.info.code == "BS003"]
    text = "请问是您吗 " * 300_000 + "这是您家里线路的问题"
    transcript = Transcript("g", (Turn(Role.AGENT, text),))
    tracemalloc.start()
    findings = Linter([rule]).lint(transcript)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [(f.rule, text[f.start : f.end]) for f in findings] == [
        ("BS003", "是您吗 这是您家里线路的问题")
    ]
    assert peak < 160_000_000
