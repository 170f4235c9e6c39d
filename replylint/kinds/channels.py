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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType

from replylint.model import Transcript, Turn
from replylint.text.cues import ENDEARMENT
from replylint.text.marks import Mark, MarkKind, marks_in_surface
from replylint.text.normalize import fold_view
from replylint.text.surface import surface_view


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
    ``default`` (the caller's choice: ``Linter(channel=...)``; None when nothing says)."""
    return metadata_channel(transcript.meta) or data_channel(transcript.turns) or default


# The look at the data is bounded: the first turns, and the start of each.
SAMPLED_TURNS = 12
SAMPLED_CHARACTERS = 300  # of each sampled turn
_ASR_OFFSET_MS = 10 * 60 * 1000  # a first start this early is an offset into a recording
_ENOUGH = 2  # points: one clear sign, or two weak ones


def data_channel(turns: Sequence[Turn]) -> Channel | None:
    """The channel the first turns look like, or None when the evidence is thin or split.

    ASR times decide at once (a turn with an end time, or starts that count from the
    beginning of a recording: a chat log's clock times do not), and so do the marks of a
    public post (an @mention, a #tag#, a repost chain //@), which no call or private chat
    holds. Otherwise each kind of
    sign counts once per turn, with its weight; the channel with the most points wins when
    it has at least `_ENOUGH` and more than any other. This is also what "the text looks
    like a call" means for the phone rules on a call whose channel nobody names.
    """
    sampled = turns[:SAMPLED_TURNS]
    if _asr_times(sampled):
        return Channel.PHONE
    points: Counter[Channel] = Counter()
    for turn in sampled:
        surface = surface_view(turn.text[:SAMPLED_CHARACTERS])
        marks = marks_in_surface(surface)
        if _is_public(surface, marks):
            return Channel.SOCIAL
        for channel, weight in _signs(surface, marks):
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


# The signs, read on the surface view (simplified, half-width, lower case, 您 -> 你,
# punctuation and spaces kept) with the marks (text/marks.py) blanked out of the words.
# Spoken fillers: 额 not inside a word (金额, 余额, 额度), 那个 only before a pause.
_FILLERS = re.compile(
    r"嗯|呃|额(?<![金余限数份名定超差面总税配巨全大小]额)(?![度外])|那个(?=[\s,])|就是说|喂"
)
_PUNCTUATION = re.compile(r"[,.!?;:。、…~]")
_SPACED_CHARACTERS = re.compile(r"(?:[\u4e00-\u9fff] ){4,}")  # ASR output: 我 不 知 道
_PHONE_WORDS = re.compile(
    r"^\s*喂|听得到|听不到|听不清|听不见|挂机|信号不好|(?:感谢|谢谢|多谢|欢迎)(?:你的?)?(?:来电|致电)"
    r"|请(?:讲|说)(?=$|[\s,.!?。])"  # a hotline agent's "go ahead"
)
# What a chat platform or its agents write: its name for itself, its automatic lines.
_PLATFORM_WORDS = re.compile(
    r"在线客服|线上客服|网上客服|微信客服|微信服务|line客服|智能客服|人工客服|转人工|已加入对话"
    r"|请输入|网店|店铺|旺旺"
)
_SOCIAL_WORDS = re.compile(r"私信|转发|评论区")
_SHORT_MESSAGE = 30  # characters: a chat burst is several lines this short


def _is_public(surface: str, marks: Sequence[Mark]) -> bool:
    """Whether a turn holds the marks of a public post: an @mention, a closed #tag#."""
    return any(
        mark.kind is MarkKind.MENTION
        or (mark.kind is MarkKind.TAG and surface[mark.end - 1] == "#")
        for mark in marks
    )


def _signs(surface: str, marks: Sequence[Mark]) -> Iterator[tuple[Channel, int]]:
    """The signs of a channel in one turn (its surface view and marks), each with its
    weight: 2 a clear sign, 1 a weak one."""
    if _SOCIAL_WORDS.search(surface):
        yield Channel.SOCIAL, 2
    if ENDEARMENT.search(surface) or _PLATFORM_WORDS.search(surface):
        yield Channel.CHAT, 2
    # Emoji codes are chat's, and also social media's: a weak sign.
    if any(mark.kind is MarkKind.EMOJI for mark in marks) or _is_burst(surface):
        yield Channel.CHAT, 1
    words = _blanked(surface, marks)
    if _PHONE_WORDS.search(words) or _SPACED_CHARACTERS.search(words) or _is_run_on_talk(words):
        yield Channel.PHONE, 2


def _blanked(surface: str, marks: Sequence[Mark]) -> str:
    """The surface with every mark turned into a space: no word is read inside one."""
    if not marks:
        return surface
    pieces, at = [], 0
    for mark in marks:
        pieces += [surface[at : mark.start], " "]
        at = mark.end
    return "".join([*pieces, surface[at:]])


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
