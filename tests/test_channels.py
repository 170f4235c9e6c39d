"""A transcript's channel, from its metadata or from a bounded look at its first turns.
Every dialogue here is made up for these tests."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint.kinds.channels import (
    CHANNEL_KEYS,
    SAMPLED_CHARACTERS,
    SAMPLED_TURNS,
    Channel,
    channel_of_value,
    data_channel,
    metadata_channel,
    transcript_channel,
)
from replylint.model import Role, Transcript, Turn
from replylint.readers import read_path
from tests.channel_reference import reference_data_channel

PHONE, CHAT, SOCIAL = Channel.PHONE, Channel.CHAT, Channel.SOCIAL
to_traditional = opencc.OpenCC("s2twp")


def call(*lines: str, meta: dict[str, object] | None = None) -> Transcript:
    """A transcript from ``客户：…`` / ``坐席：…`` lines."""
    turns = []
    for line in lines:
        label, _, text = line.partition("：")
        turns.append(Turn(Role.CUSTOMER if label == "客户" else Role.AGENT, text))
    return Transcript("t", tuple(turns), meta or {})


# Metadata


@pytest.mark.parametrize(
    ("value", "channel"),
    [
        ("phone", PHONE), ("Call", PHONE), ("电话", PHONE), ("热线", PHONE), ("语音", PHONE),
        ("95598", PHONE), ("95598热线", PHONE), ("10086", PHONE), ("外呼", PHONE),
        ("呼入", PHONE), ("outbound", PHONE), ("4008-123-456", PHONE), ("電話", PHONE),
        ("chat", CHAT), ("在线", CHAT), ("在线客服", CHAT), ("网页", CHAT), ("APP", CHAT),
        ("app", CHAT), ("微信", CHAT), ("企业微信", CHAT), ("IM", CHAT), ("淘宝", CHAT),
        ("京东", CHAT), ("千牛", CHAT), ("旺旺", CHAT), ("web_chat", CHAT), ("線上客服", CHAT),
        ("在線客服", CHAT), ("LINE", CHAT),
        ("social", SOCIAL), ("微博", SOCIAL), ("weibo", SOCIAL), ("Weibo", SOCIAL),
        ("抖音", SOCIAL), ("小红书", SOCIAL), ("评论", SOCIAL), ("公众号留言", SOCIAL),
        ("微信公众号留言", SOCIAL), ("微博私信", SOCIAL), ("抖音评论区", SOCIAL),
        ("其他", None), ("unknown", None), ("3", None), ("", None), ("邮件", None),
    ],
)  # fmt: skip
def test_metadata_values_name_a_channel(value: str, channel: Channel | None) -> None:
    assert channel_of_value(value) is channel


@pytest.mark.parametrize("key", ["channel", "Channel", "渠道", "来源", "source_channel", "平台"])
def test_the_usual_keys_carry_the_channel(key: str) -> None:
    assert metadata_channel({key: "微博"}) is SOCIAL


def test_the_first_key_with_a_known_value_wins() -> None:
    assert CHANNEL_KEYS.index("channel") < CHANNEL_KEYS.index("渠道")
    assert metadata_channel({"渠道": "微博", "channel": "phone"}) is PHONE
    assert metadata_channel({"channel": "其他", "渠道": "在线客服"}) is CHAT


def test_values_that_are_no_text_are_passed_over() -> None:
    assert metadata_channel({"channel": 3, "渠道": None, "来源": ["微博"]}) is None


def test_an_unknown_value_lets_the_data_decide() -> None:
    dialogue = call("客户：@某某客服 #停电# 又停电了", meta={"channel": "其他"})
    assert transcript_channel(dialogue) is SOCIAL


def test_metadata_wins_over_the_data() -> None:
    dialogue = call("坐席：亲，在的呢[微笑]", meta={"渠道": "热线"})
    assert transcript_channel(dialogue) is PHONE


def test_the_default_applies_only_when_nothing_says() -> None:
    assert transcript_channel(call("坐席：您好。"), default=CHAT) is CHAT
    assert transcript_channel(call("坐席：亲亲，在的"), default=PHONE) is CHAT


# The data

PHONE_CALLS = [
    (
        "客户：喂 你好 我家那个电又停了",
        "坐席：您好 请问您的户号是多少",
    ),
    (
        "坐席：您好很高兴为您服务",
        "客户：嗯 就是那个我上个月的话费啊扣得特别多我也不知道是怎么回事你帮我查一下",
    ),
    (
        "客户：我 不 知 道 怎 么 弄",
        "坐席：好的 您别着急 我一步一步跟您说",
    ),
    (
        "坐席：您好 请问能听得到吗",
        "客户：听得到 听得到",
    ),
]
CHATS = [
    (
        "客户：在吗",
        "坐席：亲，在的呢，有什么可以帮您？",
    ),
    (
        "客户：我的快递怎么还没到",
        "坐席：亲亲稍等哦，这边帮您查一下[微笑]",
    ),
    (
        "客户：我买的耳机有杂音\n能换吗\n急",
        "坐席：您好，麻烦提供一下订单号[玫瑰]",
    ),
    (
        "客户：你好，退款什么时候到账？",
        "坐席：好的亲",
    ),
]
SOCIAL_THREADS = [
    (
        "客户：@某某电力 我们小区停电三个小时了，有没有人管？",
        "坐席：您好，已私信您，请查收。",
    ),
    (
        "客户：#宽带故障# 连续两天断网，投诉无门",
        "坐席：抱歉给您添麻烦了，麻烦私信我们您的宽带账号。",
    ),
    (
        "客户：//@路人甲: 同样遇到了 转发求助",
        "坐席：您好，请私信提供手机号，我们为您核实。",
    ),
]
NOBODY_KNOWS = [
    ("客户：你好。", "坐席：您好，请问有什么可以帮您？"),
    ("客户：我想查一下账单。", "坐席：好的，请提供一下您的手机号码。"),
    # 亲 inside words, emails, building numbers, placeholders: no sign of any channel.
    ("客户：我父亲亲自去营业厅办的。", "坐席：好的，请问您的邮箱是a@b.com吗？"),
    ("客户：是我母亲亲手交的费。", "坐席：好的，亲属也可以代办。"),
    ("客户：3#楼和5#楼都没电。", "坐席：请问您的姓名是[姓名]吗？地址是[地址]吗？"),
]


@pytest.mark.parametrize("script", ["simplified", "traditional"])
@pytest.mark.parametrize(
    ("lines", "channel"),
    [
        *((lines, PHONE) for lines in PHONE_CALLS),
        *((lines, CHAT) for lines in CHATS),
        *((lines, SOCIAL) for lines in SOCIAL_THREADS),
        *((lines, None) for lines in NOBODY_KNOWS),
    ],
)
def test_the_data_tells_the_channel(
    lines: tuple[str, ...], channel: Channel | None, script: str
) -> None:
    if script == "traditional":
        lines = tuple(map(to_traditional.convert, lines))
    assert transcript_channel(call(*lines)) is channel


def test_asr_times_mean_a_call() -> None:
    turns = (Turn(Role.AGENT, "您好。", 0, 1800), Turn(Role.CUSTOMER, "亲，在吗[微笑]", 2000, 3500))
    assert data_channel(turns) is PHONE


def test_offsets_into_a_recording_mean_a_call_but_clock_times_of_a_chat_do_not() -> None:
    recorded = (Turn(Role.AGENT, "您好。", 1200), Turn(Role.CUSTOMER, "你好。", 4000))
    assert data_channel(recorded) is PHONE
    ten_in_the_morning = 10 * 3600 * 1000
    chatted = (
        Turn(Role.CUSTOMER, "在吗", ten_in_the_morning),
        Turn(Role.AGENT, "亲，在的呢", ten_in_the_morning + 30_000),
    )
    assert data_channel(chatted) is CHAT


def test_split_evidence_decides_nothing() -> None:
    assert data_channel(call("客户：喂 亲，在吗").turns) is None


@pytest.mark.parametrize(
    "text",
    ["客户：@某某客服 亲，在吗[微笑]", "客户：#停电# 亲们，我家又停电了", "客户：//@路人甲: 转发"],
)
def test_the_marks_of_a_public_post_decide_at_once(text: str) -> None:
    chatty = ("坐席：亲，在的呢[玫瑰]", "坐席：亲亲稍等哦[微笑]")
    assert data_channel(call(text, *chatty).turns) is SOCIAL


@pytest.mark.parametrize(
    "text",
    [
        "客户：我这个月比平时多扣了[金额1] 你们推荐的那个大额存单现在还能买吗",  # 额 in words
        "客户：3#楼和5#楼都没电，请问怎么回事",  # building numbers, no tag
        "客户：我的邮箱是a@b.com，请发到这里",  # an e-mail, no mention
    ],
)
def test_words_inside_marks_and_marks_that_are_no_post_are_no_sign(text: str) -> None:
    assert data_channel(call(text, "坐席：好的，请稍等。").turns) is None


@pytest.mark.parametrize(
    ("line", "channel"),
    [
        ("系统：您好，欢迎使用某某银行APP在线客服", CHAT),
        ("系统：帐务专员已加入对话", CHAT),
        ("坐席：您好 95598 请讲", PHONE),
        ("坐席：感谢您的来电，再见", PHONE),
    ],
)
def test_a_platforms_lines_and_a_hotlines_words_tell_the_channel(
    line: str, channel: Channel
) -> None:
    label, _, text = line.partition("：")
    role = Role.SYSTEM if label == "系统" else Role.AGENT
    assert data_channel((Turn(role, text), Turn(Role.CUSTOMER, "你好"))) is channel


def test_only_the_first_turns_and_the_start_of_each_are_read() -> None:
    quiet = ("客户：你好。", "坐席：您好。") * SAMPLED_TURNS
    assert transcript_channel(call(*quiet, "客户：@某某客服 #投诉#")) is None
    assert transcript_channel(call("客户：" + "。" * SAMPLED_CHARACTERS + "@某某客服 转发")) is None


@given(st.lists(st.text(max_size=50), max_size=20), st.sampled_from([None, *Channel]))
def test_any_text_gives_a_channel_or_none(texts: list[str], default: Channel | None) -> None:
    turns = tuple(Turn(Role.CUSTOMER, text) for text in texts)
    found = transcript_channel(Transcript("t", turns), default=default)
    assert found is None or found in Channel
    if default is not None:
        assert found is not None


# The cheaper reading decides as the reference did (tests/channel_reference.py)

FROZEN = Path(__file__).parent.parent / "corpus" / "eval" / "frozen"  # golden tests only


def bundled_calls() -> list[Transcript]:
    corpus = Path(__file__).parent.parent / "corpus"
    files = [f for f in sorted(corpus.rglob("*")) if f.is_file() and not f.is_relative_to(FROZEN)]
    calls = [item for file in files for item in read_path(file)]
    return [call for call in calls if isinstance(call, Transcript)]


def test_the_reading_equals_the_reference_on_every_bundled_call() -> None:
    calls = bundled_calls()
    assert len(calls) > 100
    decided = [data_channel(c.turns) for c in calls]
    assert decided == [reference_data_channel(c.turns) for c in calls]


_FRAGMENTS = (
    "喂", "您好", "亲", "[微笑]", "[数字1]", "[姓名2]", "xx市xx区", "***", "@客服", "#停电#",
    "私信", "在线客服", "嗯", "那个", " ", "，", "。", "\n", "听不清", "感谢您的来电",
    "我 不 知 道", "我们这边帮您查询一下订单的物流信息", "www.example.com", "a@b.cn",
    "第**次", "<num>",
)  # fmt: skip


@given(st.lists(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join), max_size=14))
def test_the_reading_equals_the_reference_on_made_up_calls(texts: list[str]) -> None:
    turns = [Turn(Role.AGENT if n % 2 else Role.CUSTOMER, text) for n, text in enumerate(texts)]
    assert data_channel(turns) is reference_data_channel(turns)
