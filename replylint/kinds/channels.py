"""A transcript's channel: a phone call, an online chat, or a social-media thread.

Service rules differ by channel (FIELD-NOTES: a greeting and a goodbye are expected on the
phone, not under a Weibo post). The channel comes from the metadata when an export names it
(channel / 渠道 = 热线, 在线客服, 微博…), else from a cheap look at the first turns: ASR times
and unpunctuated talk with fillers mean a call; 亲, emoji codes and bursts of short messages
mean a chat; @mentions, #tags#, 私信 and 转发 mean social media. Else nobody knows (None).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from replylint.model import Transcript, Turn
from replylint.text.normalize import BREAK, JOIN, TURN_SEPARATOR, fold_mapping, fold_view


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    SOCIAL = "social"


# Metadata keys that name a channel, as exports spell them (compared without case). A call
# type (外呼, 呼入) names the phone too.
CHANNEL_KEYS = (
    "channel", "渠道", "来源", "source_channel", "channel_type", "渠道来源", "来源渠道",
    "接入渠道", "进线渠道", "服务渠道", "咨询渠道", "会话渠道", "会话来源", "平台", "platform",
    "source", "direction", "呼叫类型", "呼叫方向", "通话类型",
)  # fmt: skip

# Metadata values, folded (simplified, lower case, no spaces or punctuation). A value that
# is none of these but contains one (95598热线, 微信公众号留言) takes the longest it contains.
_NAMES = {
    Channel.PHONE: """
        phone call telephone voice hotline ivr inbound outbound 95598 10086 10010 10000
        电话 热线 语音 来电 去电 外呼 呼入 呼出 回访 座机
    """,
    Channel.CHAT: """
        chat online web webchat livechat im app h5 wechat line messenger whatsapp
        在线 在线客服 线上 智能客服 网页 网站 官网 聊天 短信 微信 企业微信 公众号 小程序
        淘宝 天猫 京东 拼多多 千牛 旺旺 咚咚 飞鸽 抖店
    """,
    Channel.SOCIAL: """
        social weibo douyin tiktok xiaohongshu facebook twitter bilibili ptt dcard
        微博 抖音 快手 小红书 b站 贴吧 知乎 脸书 黑猫投诉 评论 留言 公众号留言 私信 社交媒体 新媒体
    """,
}
_VALUES: Mapping[str, Channel] = MappingProxyType(
    {name: channel for channel, names in _NAMES.items() for name in names.split()}
)
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
_HOTLINE_NUMBER = re.compile(r"[0-9]{5,12}")  # 95598, 4008123456: a number one phones


def metadata_channel(meta: Mapping[str, object]) -> Channel | None:
    """The channel the metadata names, from the first channel key with a known value."""
    by_key = {key.lower(): value for key, value in meta.items() if isinstance(key, str)}
    for key in CHANNEL_KEYS:
        value = by_key.get(key)
        if isinstance(value, str):
            channel = channel_of_value(value)
            if channel is not None:
                return channel
    return None


def channel_of_value(value: str) -> Channel | None:
    """What one metadata value names: itself, a word of it, the longest known name in it,
    or a hotline number; None for anything else (其他, unknown, 3)."""
    folded = fold_view(value)
    if folded in _VALUES:
        return _VALUES[folded]
    for token in _ASCII_TOKEN.findall(value.lower()):
        if token in _VALUES:
            return _VALUES[token]
    inside = [name for name in _VALUES if not name.isascii() and name in folded]
    if inside:
        return _VALUES[max(inside, key=len)]
    return Channel.PHONE if _HOTLINE_NUMBER.fullmatch(folded) else None


def transcript_channel(transcript: Transcript, *, default: Channel | None = None) -> Channel | None:
    """The transcript's channel: from its metadata, else from its first turns, else
    ``default`` (a ``--channel`` or profile setting; None when nothing says)."""
    return metadata_channel(transcript.meta) or data_channel(transcript.turns) or default


# The look at the data is bounded: the first turns, and the start of each.
SAMPLED_TURNS = 12
SAMPLED_CHARACTERS = 300  # of each sampled turn
_ASR_OFFSET_MS = 10 * 60 * 1000  # a first start this early is an offset into a recording
_ENOUGH = 2  # points: one clear sign, or two weak ones


def data_channel(turns: Sequence[Turn]) -> Channel | None:
    """The channel the first turns look like, or None when the evidence is thin or split.

    ASR times decide at once (a turn with an end time, or starts that count from the
    beginning of a recording: a chat log's clock times do not). Otherwise each kind of
    sign counts once per turn, with its weight; the channel with the most points wins when
    it has at least `_ENOUGH` and more than any other.
    """
    sampled = turns[:SAMPLED_TURNS]
    if _asr_times(sampled):
        return Channel.PHONE
    points: Counter[Channel] = Counter()
    for turn in sampled:
        for channel, weight in _signs(letters_folded(turn.text[:SAMPLED_CHARACTERS])):
            points[channel] += weight
    ranked = points.most_common(2)
    if not ranked or ranked[0][1] < _ENOUGH:
        return None
    if len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def _asr_times(turns: Iterable[Turn]) -> bool:
    starts = [turn.start_ms for turn in turns if turn.start_ms is not None]
    if any(turn.end_ms is not None for turn in turns):
        return True
    return bool(starts) and starts[0] < _ASR_OFFSET_MS


@cache
def _letter_folds() -> dict[int, str]:
    """The fold of letters alone (traditional -> simplified, 您 -> 你, full-width, lower
    case): punctuation and spaces stay, for the signs to see. A small dict, not a table
    over every code point: only a few turns are read."""
    markers = {JOIN, BREAK, TURN_SEPARATOR}
    return {code: folded for code, folded in fold_mapping().items() if folded not in markers}


def letters_folded(text: str) -> str:
    """The text with letters folded and punctuation kept: what the signs are read in."""
    return text.translate(_letter_folds())


_FILLERS = re.compile(r"嗯|啊|呃|额|那个|就是说|喂")
_PUNCTUATION = re.compile(r"[，。！？、；：,.!?;:…~～]")
_SPACED_CHARACTERS = re.compile(r"(?:[\u4e00-\u9fff] ){4,}")  # ASR output: 我 不 知 道
_PHONE_WORDS = re.compile(r"^\s*喂|听得到|听不到|听不清|听不见|挂机|信号不好|感谢(你的)?来电")
# 亲 as a form of address (亲，您好 / 亲亲稍等 / 好的亲 / 亲爱的): at a turn's start or after a
# stop or a particle, and never inside a word (父亲, 亲自, 母亲亲手, 亲戚). Traditional
# spellings too, so that it also reads unfolded text.
ADDRESS = re.compile(
    r"(?:^|(?<=[\s，,。！!？?~～的哦呢哈啦呀嘛吧]))"
    r"(?:[亲親][亲親](?![自人戚属屬身眼手口情友子密切热熱近])|[亲親][爱愛]的"
    r"|[亲親](?=$|[\s，,。！!？?~～呢哦哈呀啦你您稍请請这這在们們]))"
)
# Bracketed words that mask personal data in exports ([姓名], [数字x]): no emoji code.
_PLACEHOLDERS = "|".join(
    (
        "数字", "姓名", "人名", "金额", "日期", "时间", "地址", "地名", "电话", "号码", "手机号",
        "身份证", "身份证号", "卡号", "账号", "订单号", "邮箱", "机构", "公司",
    )
)  # fmt: skip
EMOJI_CODE = re.compile(rf"\[(?!(?:{_PLACEHOLDERS})\])[\u4e00-\u9fff]{{1,4}}\]")
# Not an email (a@b.com), not a building number (3#楼和5#楼).
MENTION = re.compile(r"(?<![A-Za-z0-9._%+-])[@＠][^\s@＠，,。:：!！?？]{1,30}")
_HASHTAG = re.compile(r"(?<![a-z0-9])[#＃][^#＃\s0-9][^#＃\s]{0,29}[#＃]")
_SOCIAL_WORDS = re.compile(r"//@|私信|转发|评论区")
_SHORT_MESSAGE = 30  # characters: a chat burst is several lines this short


def _signs(text: str) -> Iterable[tuple[Channel, int]]:
    """The signs of a channel in one turn's text, each with its weight."""
    if MENTION.search(text) or _HASHTAG.search(text):
        yield Channel.SOCIAL, 2
    if _SOCIAL_WORDS.search(text):
        yield Channel.SOCIAL, 2
    if ADDRESS.search(text):
        yield Channel.CHAT, 2
    if EMOJI_CODE.search(text):
        yield Channel.CHAT, 2
    if _is_burst(text):
        yield Channel.CHAT, 1
    if _PHONE_WORDS.search(text) or _SPACED_CHARACTERS.search(text):
        yield Channel.PHONE, 2
    if _is_run_on_talk(text):
        yield Channel.PHONE, 2


def _is_burst(text: str) -> bool:
    """Several short messages sent one after another, joined into one turn."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and all(len(line) <= _SHORT_MESSAGE for line in lines)


_RUN_ON = 25  # characters without a stop: ASR text runs on


def _is_run_on_talk(text: str) -> bool:
    """A long stretch with no punctuation and spoken fillers: a transcribed call."""
    if not _FILLERS.search(text):
        return False
    longest = max((len(piece.strip()) for piece in _PUNCTUATION.split(text)), default=0)
    return longest >= _RUN_ON
