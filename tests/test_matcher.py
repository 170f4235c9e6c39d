"""The Aho-Corasick matcher finds exactly what brute force finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from replylint.text.matcher import PhraseMatcher, Slot, target

ALPHABET = list("没有用电我不知道清楚的")
phrases = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=4), min_size=1, max_size=12)
texts = st.text(alphabet=ALPHABET, max_size=80)


def build(words: list[str]) -> PhraseMatcher:
    return PhraseMatcher((w, target(i % 3, Slot(i % 3))) for i, w in enumerate(words))


@given(phrases, texts)
def test_scan_equals_brute_force(words: list[str], text: str) -> None:
    matcher = build(words)
    assert sorted(matcher.scan(text)) == sorted(matcher.scan_reference(text))


def test_overlapping_and_nested_phrases_are_all_reported() -> None:
    matcher = build(["没有用", "没有用电", "有用", "用电"])
    spans = sorted((start, end) for start, end, _ in matcher.scan("没有用电"))
    assert spans == [(0, 3), (0, 4), (1, 3), (2, 4)]


def test_one_phrase_can_serve_several_rules() -> None:
    matcher = PhraseMatcher(
        [("抱歉", target(0, Slot.RESPONSE)), ("抱歉", target(4, Slot.EXCEPTION))]
    )
    assert {t for _, _, t in matcher.scan("非常抱歉")} == {
        target(0, Slot.RESPONSE),
        target(4, Slot.EXCEPTION),
    }


def test_empty_matcher_finds_nothing() -> None:
    matcher = PhraseMatcher([])
    assert not matcher
    assert matcher.scan("我不知道") == []
