"""The engine's behaviour, read as the spec of issue #2 'Matching'."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from types import MappingProxyType

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Linter, Role, Transcript, Turn, lint, load_packs
from replylint.kinds import Rule
from tests.conftest import dialogue

Codes = Callable[..., list[tuple[int, str, str]]]


def test_agent_rules_never_fire_on_customer_words(codes: Codes) -> None:
    assert codes(("customer", "我不知道，这不是我们的事吗？公司的规定就是这样的？")) == []


def test_forbidden_phrase_in_an_agent_turn(codes: Codes) -> None:
    assert codes(("agent", "这个我不知道，不清楚。")) == [(0, "FP005", "我不知道，不清楚")]


def test_word_boundaries_keep_meiyouyong_out_of_meiyouyongdian(codes: Codes) -> None:
    assert codes(("agent", "您跟我在这里叫没有用。")) == [(0, "FP011", "叫没有用")]
    assert codes(("agent", "您说没有用电，但电表一直在走。")) == []
    assert codes(("agent", "您 说 没 有 用 电")) == []


def test_exceptions_suppress_a_hit_in_context(codes: Codes) -> None:
    assert codes(("agent", "这不是您的问题。")) == []
    assert codes(("agent", "这是您的问题。")) == [(0, "BS001", "是您的问题")]
    assert codes(("agent", "根据公司的规定，24小时内为您复电。")) == []


def test_asr_spacing_fullwidth_and_punctuation_do_not_hide_a_violation(codes: Codes) -> None:
    assert codes(("agent", "我 不 知 道")) == [(0, "FP005", "我 不 知 道")]
    assert codes(("agent", "你要知道，一分钱，一分货！")) == [(0, "FP002", "一分钱，一分货")]
    assert codes(("agent", "我们会在２４小时内给您回复")) == []


def test_findings_slice_the_original_text(contract_linter: Linter) -> None:
    transcript = dialogue(("agent", "嗯 那个 這種問題 我們 見 得 多 了，您 去 問 別 人 吧"))
    findings = contract_linter.lint(transcript)
    assert [f.rule for f in findings] == ["FP009", "FP004"]
    for finding in findings:
        assert transcript.turns[finding.turn].text[finding.start : finding.end] == finding.text


def test_missing_apology_is_anchored_on_the_complaint(codes: Codes) -> None:
    assert codes(
        ("customer", "我已经第八次打电话了，你们怎么搞的！"),
        ("agent", "请问您的户号是多少？"),
        ("customer", "1234"),
        ("agent", "工单已经催办了。"),
    ) == [(0, "MA001", "第八次打")]


def test_an_apology_within_the_window_answers_the_complaint(codes: Codes) -> None:
    assert (
        codes(
            ("customer", "我要投诉！"),
            ("agent", "请问您的户号是多少？"),
            ("customer", "1234"),
            ("agent", "非常抱歉给您带来不便。"),
        )
        == []
    )


def test_an_apology_outside_the_window_is_too_late(codes: Codes) -> None:
    assert codes(
        ("customer", "我要投诉！"),
        ("agent", "户号？"),
        ("agent", "地址？"),
        ("agent", "对不起。"),
    ) == [(0, "MA001", "我要投诉")]


def test_a_complaint_with_nobody_left_to_answer_is_not_a_finding(codes: Codes) -> None:
    assert codes(("agent", "您好。"), ("customer", "太差了，我要投诉！")) == []


def test_time_commitment_in_the_same_or_the_next_agent_turn(codes: Codes) -> None:
    assert codes(("agent", "我们会尽快给您回复。")) == [(0, "NT001", "回复")]
    assert codes(("agent", "两个工作日内给您回复。")) == []
    assert (
        codes(("agent", "我帮您上报。"), ("customer", "好"), ("agent", "明天上午十点前联系您。"))
        == []
    )
    assert codes(("agent", "如有疑问请随时联系我们。")) == []


def test_masked_numbers_are_still_a_time(codes: Codes) -> None:
    assert codes(("agent", "我们将于[数字x]个工作日内给您答复")) == []


def test_a_plain_string_is_one_agent_reply() -> None:
    forbidden = [f for f in lint("改天再和你联络") if f.pack == "forbidden-phrases"]
    assert [(f.role, f.rule) for f in forbidden] == [(Role.AGENT, "FP008")]


to_traditional = opencc.OpenCC("s2t")
PHRASE_MATERIAL = [
    "我不知道",
    "不清楚",
    "这不是我们的事",
    "公司的规定就是这样的",
    "叫没有用",
    "没有用电",
    "给您回复",
    "两小时内",
    "尽快",
    "我要投诉",
    "对不起",
    "你们怎么搞的",
    "这种问题我们见得多",
    "您这边",
    "就不会出现这种情况",
    "这不是您的问题",
    "请问",
    "电费",
    "，",
    "。",
    " ",
]
turn_texts = st.lists(st.sampled_from(PHRASE_MATERIAL), max_size=8).map("".join)
turns = st.lists(st.tuples(st.sampled_from([Role.AGENT, Role.CUSTOMER]), turn_texts), max_size=6)


def as_transcript(pairs: list[tuple[Role, str]]) -> Transcript:
    return Transcript("h", tuple(Turn(role, text) for role, text in pairs))


@settings(max_examples=200, deadline=None)
@given(turns)
def test_offsets_always_map_back_to_the_original(
    linter: Linter, pairs: list[tuple[Role, str]]
) -> None:
    transcript = as_transcript(pairs)
    for finding in linter.lint(transcript):
        assert transcript.turns[finding.turn].text[finding.start : finding.end] == finding.text
        assert finding.text


@settings(max_examples=200, deadline=None)
@given(turns)
def test_simplified_and_traditional_give_the_same_rules_at_the_same_places(
    linter: Linter, pairs: list[tuple[Role, str]]
) -> None:
    simplified = as_transcript(pairs)
    traditional = as_transcript([(role, to_traditional.convert(text)) for role, text in pairs])
    assert all(
        len(a.text) == len(b.text) for a, b in zip(simplified.turns, traditional.turns, strict=True)
    )

    def places(t: Transcript) -> list[tuple[int, int, int, str]]:
        return [(f.turn, f.start, f.end, f.rule) for f in linter.lint(t)]

    assert places(simplified) == places(traditional)


JIEBA_WINDOWS = Linter(load_packs(), segmenter="jieba")
RJIEBA_WINDOWS = Linter(load_packs(), segmenter="rjieba")


@settings(max_examples=200, deadline=None)
@given(turns)
def test_fast_paths_equal_the_reference_path(
    reference_linter: Linter, pairs: list[tuple[Role, str]]
) -> None:
    transcript = as_transcript(pairs)
    expected = reference_linter.lint(transcript)
    assert JIEBA_WINDOWS.lint(transcript) == expected
    assert RJIEBA_WINDOWS.lint(transcript) == expected
    assert JIEBA_WINDOWS.lint_batch([transcript, transcript]) == [expected, expected]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Role)), st.text(max_size=40)), max_size=5))
def test_arbitrary_text_never_raises(linter: Linter, pairs: list[tuple[Role, str]]) -> None:
    transcript = as_transcript(pairs)
    for finding in linter.lint(transcript):
        assert transcript.turns[finding.turn].text[finding.start : finding.end] == finding.text


def test_a_linter_survives_pickling(linter: Linter) -> None:
    copy = pickle.loads(pickle.dumps(linter))
    transcript = dialogue(("agent", "您跟我在这里叫没有用，我不知道。"))
    assert copy.lint(transcript) == linter.lint(transcript)


def test_one_linter_is_shared_safely_between_threads(rules: tuple[Rule, ...]) -> None:
    shared = Linter(rules)  # fresh: the threads race to load the tokenizer
    transcript = dialogue(("agent", "您跟我在这里叫没有用，您说没有用电。"))
    expected = Linter(rules).lint(transcript)
    results: list[object] = []

    def work() -> None:
        results.extend(shared.lint(transcript) for _ in range(20))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 80


def test_a_transcript_with_metadata_survives_pickling() -> None:
    transcript = Transcript(
        "c1", (Turn(Role.AGENT, "您好", 0, 900),), MappingProxyType({"agent": "A01"}), "x.jsonl", 3
    )
    copy = pickle.loads(pickle.dumps(transcript))
    assert copy == transcript
    assert isinstance(copy.meta, MappingProxyType)


def test_the_segmenter_is_jieba_unless_asked_or_rjieba_is_installed() -> None:
    assert Linter([], reference=True)._boundaries.segmenter == "jieba"
    assert Linter([], segmenter="jieba")._boundaries.segmenter == "jieba"
    assert Linter([], segmenter="rjieba")._boundaries.segmenter == "rjieba"
