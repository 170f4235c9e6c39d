"""The fold keeps offsets: every view span maps back to the original text."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint import load_packs
from replylint.text.normalize import (
    BREAK,
    JOIN,
    _phrase_spellings,
    fold,
    fold_mapping,
    fold_phrase,
    fold_table,
    phrase_variants,
)

CHINESE_ISH = st.text(
    alphabet=st.sampled_from(
        list("我不知道這種問題连小孩子都會您你 　，。！？、,.!?\t\nＡＢ１２３abc*")
    ),
    max_size=60,
)


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("我 不 知 道", "我不知道"),  # ASR spacing
        ("這種問題連小孩子都會！", "这种问题连小孩子都会"),  # traditional, punctuation
        ("２４小時內給您回覆", "24小时内给你回覆"),  # full width, 您 -> 你
        ("台灣裡著", "台湾里着"),  # Taiwan variants reach simplified
        ("ＡＢＣ　abc", "abcabc"),  # full-width letters, ideographic space
        ("我们吃饭", "我们吃饭"),  # simplified stays put (吃 never becomes 喫)
        ("***个工作日", "***个工作日"),  # masked digits survive
        ("a\x00b\x01c", "abc"),  # marker characters in the input are deleted, not trusted
    ],
)
def test_fold_view(text: str, view: str) -> None:
    assert fold(text).view == view


def test_unchanged_length_needs_no_index() -> None:
    folded = fold("您好请问有什么可以帮您")
    assert (folded.index, folded.blocks) == (None, None)
    assert folded.original_span(2, 4) == (2, 4)


@given(CHINESE_ISH)
def test_every_view_span_maps_back_to_the_original(text: str) -> None:
    folded = fold(text)
    assert len(folded.folded) == len(text)
    for start in range(len(folded.view)):
        for end in range(start + 1, len(folded.view) + 1):
            o_start, o_end = folded.original_span(start, end)
            assert 0 <= o_start < o_end <= len(text)
            assert fold(text[o_start:o_end]).view == folded.view[start:end]


def test_fold_table_is_one_character_to_one() -> None:
    assert all(len(value) == 1 for value in fold_mapping().values())


def test_fold_table_is_the_mapping_as_a_sequence() -> None:
    table, mapping = fold_table(), fold_mapping()
    assert len(table) == max(mapping) + 1
    assert all(table[code] == mapping.get(code, chr(code)) for code in range(len(table)))


def test_fold_is_idempotent_on_every_folded_character() -> None:
    mapping = fold_mapping()
    for value in set(mapping.values()) - {JOIN, BREAK}:
        assert mapping.get(ord(value), value) == value, value


def test_phrase_variants_cover_taiwan_wording() -> None:
    assert phrase_variants("给您回复") == {"给你回复", "给你回覆"}
    assert "网路" in "".join(phrase_variants("网络信号"))


def reference_phrase_variants(phrase: str) -> frozenset[str]:
    """The plain algorithm: every spelling pair, in order, against every variant."""
    variants = {fold_phrase(phrase)}
    for simplified, spelling in _phrase_spellings():
        variants |= {v.replace(simplified, spelling) for v in variants if simplified in v}
    return frozenset(v for v in variants if v)


def test_phrase_variants_equal_the_plain_algorithm_for_every_pack_phrase() -> None:
    phrases = {
        phrase
        for rule in load_packs()
        for name in ("phrases", "exceptions", "triggers", "trigger_exceptions", "responses")
        for phrase in getattr(rule, name, ())
    }
    assert len(phrases) > 300
    for phrase in phrases:
        assert phrase_variants(phrase) == reference_phrase_variants(phrase), phrase


@given(
    st.text(alphabet=st.sampled_from(list("网络信息软件回复视频质量打印")), min_size=1, max_size=8)
)
def test_phrase_variants_equal_the_plain_algorithm(phrase: str) -> None:
    assert phrase_variants(phrase) == reference_phrase_variants(phrase)


def chained_spellings() -> list[str]:
    """Phrases where one pair's spelling brings in the first character of a later pair,
    which then applies: pn结向对象 -> pn接面向对象 -> pn接物件导向."""
    pairs = _phrase_spellings()
    return [
        first + later[1:]
        for position, (first, spelling) in enumerate(pairs)
        for later, _ in pairs[position + 1 :]
        if later[0] in spelling and later[0] not in first
    ]


def test_phrase_variants_follow_spellings_that_open_later_pairs() -> None:
    phrases = chained_spellings()
    assert "pn结向对象" in phrases
    assert "pn接物件导向" in phrase_variants("pn结向对象")
    for phrase in phrases:
        assert phrase_variants(phrase) == reference_phrase_variants(phrase), phrase


def naive_index(text: str) -> list[int]:
    """Original position of each view character, the obvious way."""
    folded = fold(text).folded
    return [i for i, char in enumerate(folded) if char not in (JOIN, BREAK)]


@pytest.mark.parametrize("copies", [1, 700, 3000])  # within one block, and across many
def test_offsets_across_blocks_equal_the_naive_index(copies: int) -> None:
    text = "我 不 知 道，。！" * copies + "这个我不知道"
    folded, index = fold(text), naive_index(text)
    assert len(index) == len(folded.view)
    for start in (0, 1, len(index) // 3, len(index) - 6, len(index) - 1):
        assert folded.original_span(start, start + 1) == (index[start], index[start] + 1)
    assert folded.original_span(0, len(index)) == (index[0], index[-1] + 1)


def test_a_giant_turn_with_one_finding_costs_little_memory() -> None:
    """5 M characters of ASR text: the offsets of its one finding need a few KB."""
    text = "嗯 " * 2_500_000 + "这个我不知道"
    tracemalloc.start()
    folded = fold(text)
    start, end = folded.original_span(len(folded.view) - 4, len(folded.view))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert text[start:end] == "我不知道"
    assert peak < 40_000_000  # the folded text and view themselves are ~30 MB
