"""The canned reply (kind canned-reply, listening LS008): an agent pasting one template again
while the customer says new things. Every dialogue here is made up for these tests."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint import Linter, load_packs
from replylint.kinds import canned_reply as canned
from replylint.kinds.canned_reply import (
    LOOKBACK,
    MIN_LENGTH,
    SIMILARITY,
    CannedReply,
    Thresholds,
    canned_replies,
)
from replylint.model import Role, Severity, Transcript, Turn
from replylint.text.likeness import normalise_reply, similarity
from replylint.text.normalize import TURN_SEPARATOR, fold_phrase
from tests.conftest import load_problems, load_rule_text

to_traditional = opencc.OpenCC("s2twp")
TEMPLATE = "您好，您的问题我们已经记录，会尽快为您处理，请耐心等待。"


def dialogue(*lines: str) -> Transcript:
    """A transcript from ``客户：…`` / ``坐席：…`` lines."""
    turns = []
    for line in lines:
        label, _, text = line.partition("：")
        customer = label in {"客户", "客戶"}
        turns.append(Turn(Role.CUSTOMER if customer else Role.AGENT, text))
    return Transcript("t", tuple(turns))


def repeats(*lines: str) -> list[tuple[int, int]]:
    return [(pair.repeat, pair.first) for pair in canned_replies(dialogue(*lines))]


def test_a_template_pasted_to_a_new_complaint_is_a_repeat() -> None:
    assert repeats(
        "客户：我的退款三天了还没到账。",
        f"坐席：{TEMPLATE}",
        "客户：我已经等了三天了，到底什么时候能到？",
        f"坐席：{TEMPLATE}",
    ) == [(3, 1)]


def test_pairs_unpack_as_repeat_and_first() -> None:
    (pair,) = canned_replies(
        dialogue("客户：在吗", f"坐席：{TEMPLATE}", "客户：人呢？", f"坐席：{TEMPLATE}")
    )
    assert pair == CannedReply(repeat=3, first=1)
    repeat, first = pair
    assert (repeat, first) == (3, 1)


def test_what_changes_from_paste_to_paste_does_not_hide_a_repeat() -> None:
    assert repeats(
        "客户：订单一直不发货。",
        "坐席：亲，[姓名x]您好，您的订单已加急处理，预计3个工作日内给您答复[微笑]",
        "客户：上次也是这么说的！",
        "坐席：[姓名y]您好，您的订单已加急处理，预计5个工作日内给您答复。",
    ) == [(3, 1)]
    assert repeats(
        "客户：@某某客服 宽带断了两天了",
        "坐席：@用户甲 您好，很抱歉给您带来不便，详情请见 https://a.cn/x1 ，感谢支持！",
        "客户：看了，没用",
        "坐席：@用户甲 您好，很抱歉给您带来不便，详情请见 https://a.cn/y2 ，感谢支持！",
    ) == [(3, 1)]


def test_both_scripts_and_widths_normalise_alike() -> None:
    simplified = "亲，[姓名x]您好，已为您加急处理，预计3个工作日内回复[微笑] @小明"
    # Taiwan wording that the fold does not reach (回复 -> 回覆) costs a bigram or two.
    assert similarity(to_traditional.convert(simplified), simplified) >= SIMILARITY
    assert normalise_reply("親，您好，預計３個工作日內回覆") == normalise_reply(
        "亲，您好，预计5个工作日内回覆"
    )


def test_a_repeat_in_traditional_script_is_found_too() -> None:
    lines = (
        "客户：我的退款还没到账。",
        f"坐席：{TEMPLATE}",
        "客户：到底什么时候？",
        f"坐席：{TEMPLATE}",
    )
    assert repeats(*map(to_traditional.convert, lines)) == [(3, 1)]
    mixed = (*lines[:3], f"坐席：{to_traditional.convert(TEMPLATE)}")
    assert repeats(*mixed) == [(3, 1)]


# One template sent three times, to three different messages.
PASTED_THRICE = (
    "客户：怎么还没修好？",
    f"坐席：{TEMPLATE}",
    "客户：师傅呢？",
    f"坐席：{TEMPLATE}",
    "客户：你们是复读机吗？",
    f"坐席：{TEMPLATE}",
)


def test_every_repeat_points_at_the_first_paste() -> None:
    assert repeats(*PASTED_THRICE) == [(3, 1), (5, 1)]


def test_short_acknowledgements_and_stock_lines_are_never_repeats() -> None:
    for line in ("好的", "收到", "请稍等", "好的亲", "请问还有什么可以帮您？"):
        assert len(normalise_reply(line)) < MIN_LENGTH
        assert repeats("客户：你好", f"坐席：{line}", "客户：我要改地址", f"坐席：{line}") == []


def test_a_reply_sent_twice_with_no_customer_turn_between_is_no_repeat() -> None:
    assert repeats("客户：在吗？", f"坐席：{TEMPLATE}", f"坐席：{TEMPLATE}") == []


def test_the_same_answer_to_the_same_question_is_no_repeat() -> None:
    assert (
        repeats(
            "客户：退款什么时候到账？",
            f"坐席：{TEMPLATE}",
            "客户：退款什麼時候到帳？？",
            f"坐席：{TEMPLATE}",
        )
        == []
    )


def test_different_answers_in_one_frame_are_no_repeat() -> None:
    assert (
        repeats(
            "客户：网速特别慢。",
            "坐席：您好，关于您反映的网速慢的问题，我们已经安排工程师明天上门检测，请问还有什么可以帮您？",
            "客户：明天几点？",
            "坐席：您好，工程师会在明天上午九点到十一点之间联系您，请问还有什么可以帮您？",
        )
        == []
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("您好，您的问题已经记录，会尽快处理。", "您好，您的问题已经记录了，会尽快处理的。"),
        ("好的 这边已经帮您记录了 请您保持电话畅通", "这边已经帮您记录了 请保持电话畅通"),
        ("非常抱歉给您带来不便，您反馈的问题已提交相关部门处理。",
         "非常抱歉给您带来不便，您反馈的问题已提交相关部门处理，请您耐心等待。"),
        ("非常抱歉给您带来不便，我们已经反馈给相关部门，请您耐心等待。",
         "非常抱歉给您带来不便，我们已经再次反馈给相关部门，请您耐心等待。"),
        ("您的反馈我们已收到，会尽快核实处理，给您带来不便深表歉意。",
         "给您带来不便深表歉意，您的反馈我们已收到，会尽快核实处理。"),
    ],
)  # fmt: skip
def test_near_copies_are_over_the_line(first: str, second: str) -> None:
    assert similarity(first, second) >= SIMILARITY


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("很抱歉，目前系统正在升级，请您稍后再试。", "很抱歉，目前网络正在抢修，请您稍后再试。"),
        ("非常抱歉给您带来不便，您反馈的问题已提交相关部门处理。",
         "非常抱歉给您带来不便，您的退款已经原路退回，请注意查收。"),
        ("您好，请您提供一下订单号，我帮您查询一下。",
         "您好，请您提供一下手机号，我帮您查询一下。"),
    ],
)  # fmt: skip
def test_different_replies_are_under_the_line(first: str, second: str) -> None:
    assert similarity(first, second) < SIMILARITY


def test_only_the_last_agent_turns_are_looked_back_at() -> None:
    lines = ["客户：怎么还没好？", f"坐席：{TEMPLATE}"]
    for number in range(3):
        lines += [
            f"客户：第{number}个问题",
            f"坐席：这是第{number}个不一样的回答，内容完全不同，编号{'甲乙丙'[number]}。",
        ]
    lines += ["客户：还是不行", f"坐席：{TEMPLATE}"]
    transcript = dialogue(*lines)
    assert [tuple(p) for p in canned_replies(transcript, Thresholds(lookback=4))] == [(9, 1)]
    assert canned_replies(transcript, Thresholds(lookback=3)) == []


def test_work_is_bounded_by_the_lookback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replies of one length, all different: none passes the first look, so nothing is
    normalised however long the dialogue, and each reply is looked for in at most
    LOOKBACK earlier ones."""
    searched: list[int] = []
    found = canned._found

    def counted(pieces: tuple[str, str, str, str], text: str) -> bool:
        searched.append(text.count(TURN_SEPARATOR) + 1)
        return found(pieces, text)

    monkeypatch.setattr(canned, "_found", counted)
    monkeypatch.setattr(canned, "normalise_reply", lambda text: pytest.fail("normalised"))
    agent_turns = 400
    letters = (c for c in map(chr, range(0x4E00, 0x9FA5)) if fold_phrase(c) == c)
    lines = []
    for _, customer, agent in zip(range(agent_turns), letters, letters, strict=False):
        lines += [f"客户：问题{customer}", f"坐席：回复{agent * 12}"]
    assert canned_replies(dialogue(*lines)) == []
    assert len(searched) == agent_turns - 1
    assert max(searched) == LOOKBACK


ROLES = st.sampled_from([Role.AGENT, Role.CUSTOMER, Role.SYSTEM])
TEXTS = st.sampled_from(
    [TEMPLATE, "好的", "", "客户说了新的话。", "您好，已为您加急处理，预计两个工作日内回复。"]
)


@given(st.lists(st.tuples(ROLES, TEXTS | st.text(max_size=40)), max_size=30))
def test_repeats_are_later_agent_turns_each_reported_once(turns: list[tuple[Role, str]]) -> None:
    transcript = Transcript("t", tuple(Turn(role, text) for role, text in turns))
    found = canned_replies(transcript)
    assert [pair.repeat for pair in found] == sorted({pair.repeat for pair in found})
    for repeat, first in found:
        assert first < repeat
        assert transcript.turns[repeat].role is Role.AGENT
        assert transcript.turns[first].role is Role.AGENT
        assert similarity(transcript.turns[first].text, transcript.turns[repeat].text) > 0


@given(st.text(max_size=60), st.text(max_size=60))
def test_similarity_is_symmetric_and_between_zero_and_one(first: str, second: str) -> None:
    assert 0 <= similarity(first, second) == similarity(second, first) <= 1
    assert similarity(first, first) == 1


# The rule: LS008 in the listening pack.

(LS008,) = (rule for rule in load_packs(packs=["listening"]) if rule.info.code == "LS008")
LINTER = Linter([LS008])


def test_the_bundled_rule_is_a_warning_of_the_listening_pack_with_the_kinds_defaults() -> None:
    assert isinstance(LS008, canned.CannedReplyRule)
    assert (LS008.info.pack, LS008.info.severity) == ("listening", Severity.WARNING)
    assert (LS008.similarity, LS008.min_length, LS008.lookback) == (
        SIMILARITY,
        MIN_LENGTH,
        LOOKBACK,
    )
    assert LS008.info.channels == frozenset()  # every channel


@pytest.mark.parametrize("channel", ["phone", "chat", "social", None])
def test_each_repeat_is_a_finding_on_every_channel_and_the_first_send_is_not(
    channel: str | None,
) -> None:
    meta = {} if channel is None else {"channel": channel}
    call = Transcript("t", dialogue(*PASTED_THRICE).turns, meta)
    findings = LINTER.lint(call)
    assert [(f.rule, f.turn) for f in findings] == [("LS008", 3), ("LS008", 5)]
    assert all(f.text == TEMPLATE for f in findings)


def test_a_call_with_one_agent_turn_is_not_compared() -> None:
    assert LINTER.lint(dialogue("客户：在吗", f"坐席：{TEMPLATE}", "客户：人呢？")) == []


RULE = """code = "XX001"
name = "template-pasted"
kind = "canned-reply"
severity = "warning"
message = "m {value}"
suggestion = "s"
description = "d"
source = "s"
"""
EXAMPLES = """
[[examples]]
flag = \"\"\"客户：在吗\\n坐席：您的问题已经记录，会尽快处理。\\n\\
客户：人呢\\n坐席：您的问题已经记录，会尽快处理。\"\"\"

[[examples]]
pass = "客户：在吗\\n坐席：您的问题已经记录，会尽快处理。"
"""


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("similarity = 0", "'similarity' must be more than 0 and at most 1"),
        ("similarity = 1.5", "'similarity' must be more than 0 and at most 1"),
        ("min_length = 1",
         "'min_length' must be at least 2 (replies are compared by character pairs)"),
        ("lookback = 0", "'lookback' must be from 1 to 200 agent turns"),
    ],
)  # fmt: skip
def test_thresholds_out_of_range_are_refused_at_load(
    tmp_path: Path, extra: str, problem: str
) -> None:
    assert load_problems(tmp_path, RULE + extra + "\n" + EXAMPLES) == [problem]


def test_a_rule_of_ones_own_takes_its_thresholds_and_names_the_first_send(tmp_path: Path) -> None:
    (rule,) = load_rule_text(tmp_path, RULE + "lookback = 1\n" + EXAMPLES)
    call = dialogue(
        "客户：怎么还没好？",
        f"坐席：{TEMPLATE}",
        "客户：第二个问题",
        "坐席：完全不同的另一段回答，内容不一样。",
        "客户：还是不行",
        f"坐席：{TEMPLATE}",
    )
    assert Linter([rule]).lint(call) == []  # the first send is two agent turns back
    looser = Linter([dataclasses.replace(rule, lookback=2)])
    assert [(f.turn, f.message) for f in looser.lint(call)] == [(5, "m 1")]
