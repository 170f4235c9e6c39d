"""A transcript's channel: a phone call, an online chat, or a social-media thread.

Service rules differ by channel (FIELD-NOTES: a greeting and a goodbye are expected on the
phone, not under a Weibo post). The channel comes from the metadata when an export names it
(channel / 渠道 = 热线, 在线客服, 微博…), else from a cheap look at the first turns: ASR times,
喂, 请讲 and unpunctuated talk with fillers mean a call; 亲, a platform's lines, emoji codes
and bursts of short messages mean a chat; @mentions, #tags#, 私信 and 转发 mean social media.
Else nobody knows (None), and the engine (engine/scan.py) runs only the rules of every
channel: the data reading "phone" is what "the text looks like a call" means.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from enum import StrEnum
from itertools import accumulate
from types import MappingProxyType

from replylint.fields import meta_keys
from replylint.model import Transcript, Turn
from replylint.text.cues import ENDEARMENT
from replylint.text.marks import Mark, MarkKind, marks_in_surface
from replylint.text.normalize import TURN_SEPARATOR, fold_view
from replylint.text.surface import surface_view


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    SOCIAL = "social"


# Metadata keys that name a channel, as exports spell them (compared without case). A call
# type (外呼, 呼入) names the phone too.
CHANNEL_KEYS = (
    *meta_keys(
        "channel", "来源", "source_channel", "channel_type", "渠道来源", "来源渠道", "接入渠道",
        "进线渠道", "服务渠道", "咨询渠道", "会话渠道", "会话来源", "平台", "platform", "source",
    ),
    *meta_keys("direction"),
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
_CHANNEL_KEY_SET = frozenset(CHANNEL_KEYS)
_VALUES: Mapping[str, Channel] = MappingProxyType(
    {name: channel for channel, names in _NAMES.items() for name in names.split()}
)
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
_HOTLINE_NUMBER = re.compile(r"[0-9]{5,12}")  # 95598, 4008123456: a number one phones


def metadata_channel(meta: Mapping[str, object]) -> Channel | None:
    """The channel the metadata names, from the first channel key with a known value."""
    by_key = {
        lowered: value
        for key, value in meta.items()
        if isinstance(key, str) and (lowered := key.lower()) in _CHANNEL_KEY_SET
    }
    if not by_key:
        return None
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
    public post (an @mention, a closed #tag#), which no call or private chat holds.
    Otherwise each kind of sign counts once per turn, with its weight; the channel with the
    most points wins when it has at least `_ENOUGH` and more than any other. This is also
    what "the text looks like a call" means for the phone rules on a call whose channel
    nobody names.
    """
    sampled = turns[:SAMPLED_TURNS]
    if _asr_times(sampled):
        return Channel.PHONE
    texts = [turn.text[:SAMPLED_CHARACTERS] for turn in sampled]
    # The sampled turns are read in one go: their surface views joined by a newline.
    surface = surface_view(TURN_SEPARATOR.join(texts))
    # Where the marks are is all this reading needs, not what a placeholder stands for.
    marks = marks_in_surface(surface, classified=False)
    if _is_public(surface, marks):
        return Channel.SOCIAL
    points = dict.fromkeys(Channel, 0)
    for _, sign in _signs(texts, surface, marks):
        channel, weight = _SIGNS[sign]
        points[channel] += weight
    first, second = sorted(points.values(), reverse=True)[:2]
    if first < _ENOUGH or first == second:
        return None
    return max(points, key=points.__getitem__)


def _asr_times(turns: Sequence[Turn]) -> bool:
    for turn in turns:
        if turn.end_ms is not None:
            return True
        if turn.start_ms is not None:
            return turn.start_ms < _ASR_OFFSET_MS  # the first start
    return False


# The signs, each kind with its channel and weight (2 a clear sign, 1 a weak one), read
# on the surface view (simplified, half-width, lower case, 您 -> 你, punctuation and
# spaces kept); those of words with the marks (text/marks.py) blanked out.
_SIGNS = {
    "social": (Channel.SOCIAL, 2),  # 私信, 转发
    "chat": (Channel.CHAT, 2),  # a chat platform's words, 亲
    "emoji": (Channel.CHAT, 1),  # emoji codes are chat's, and also social media's
    "burst": (Channel.CHAT, 1),  # several short messages in one turn
    "phone": (Channel.PHONE, 2),  # spoken words, ASR spelling, run-on talk with fillers
}
# Spoken fillers: 额 not inside a word (金额, 余额, 额度), 那个 only before a pause.
_FILLERS = r"嗯|呃|额(?<![金余限数份名定超差面总税配巨全大小]额)(?![度外])|那个(?=[\s,])|就是说|喂"
_PUNCTUATION = re.compile(r"[,.!?;:。、…~\n]")
# Every branch opens on a literal character, so the engine skips ahead in C (cues.py).
_PHONE_WORDS = (
    r"喂(?<![^\s]喂)"  # 喂 opening a line or after a pause
    r"|听得到|听不到|听不清|听不见|挂机|信号不好"
    r"|感谢(?:你的?)?(?:来电|致电)|谢谢(?:你的?)?来电|多谢(?:你的?)?来电|欢迎(?:来电|致电)"
    r"|请讲(?=$|[\s,.!?。])|请说(?=$|[\s,.!?。])"  # a hotline agent's "go ahead"
    r"| (?:[\u4e00-\u9fff] ){3}"  # ASR spelling out characters: 我 不 知 道
)
# What a chat platform or its agents write: its name for itself, its automatic lines; and
# 亲, the shops' form of address.
_CHAT_WORDS = (
    r"在线客服|线上客服|网上客服|微信客服|微信服务|line客服|智能客服|人工客服|转人工|已加入对话"
    r"|请输入|网店|店铺|旺旺|" + ENDEARMENT.pattern
)
_SOCIAL_WORDS = r"私信|转发|评论区"
# Each pattern a flat alternation whose branches open on a literal character: the regex
# engine then skips ahead in C (cues.py); a group around them would cost ten times more.
_SURFACE_SIGNS = (("social", re.compile(_SOCIAL_WORDS)), ("chat", re.compile(_CHAT_WORDS)))
_PHONE = re.compile(_PHONE_WORDS)
_FILLER = re.compile(_FILLERS)
_SHORT_MESSAGE = 30  # characters: a chat burst is several lines this short


def _is_public(surface: str, marks: Sequence[Mark]) -> bool:
    """Whether a turn holds the marks of a public post: an @mention, a closed #tag#."""
    return any(
        mark.kind is MarkKind.MENTION
        or (mark.kind is MarkKind.TAG and surface[mark.end - 1] == "#")
        for mark in marks
    )


def _signs(texts: Sequence[str], surface: str, marks: Sequence[Mark]) -> set[tuple[int, str]]:
    """The signs in the sampled turns (their joined surface view and its marks): (turn,
    kind of sign), each kind once a turn."""
    starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
    found = {
        (bisect_right(starts, m.start()) - 1, sign)
        for sign, pattern in _SURFACE_SIGNS
        for m in pattern.finditer(surface)
    }
    found |= {
        (bisect_right(starts, m.start) - 1, "emoji") for m in marks if m.kind is MarkKind.EMOJI
    }
    found |= {(n, "burst") for n, text in enumerate(texts) if "\n" in text and _is_burst(text)}
    words = _blanked(surface, marks)
    found |= {(bisect_right(starts, m.start()) - 1, "phone") for m in _PHONE.finditer(words)}
    talking = {bisect_right(starts, m.start()) - 1 for m in _FILLER.finditer(words)}
    found |= {
        (n, "phone")
        for n in talking
        if _is_run_on_talk(words[starts[n] : starts[n] + len(texts[n])])
    }
    return found


def _blanked(surface: str, marks: Sequence[Mark]) -> str:
    """The surface with every mark turned into spaces (its length kept): no word is read
    inside one."""
    if not marks:
        return surface
    pieces, at = [], 0
    for mark in marks:
        pieces += [surface[at : mark.start], " " * (mark.end - mark.start)]
        at = mark.end
    return "".join([*pieces, surface[at:]])


def _is_burst(text: str) -> bool:
    """Several short messages sent one after another, joined into one turn."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and all(len(line) <= _SHORT_MESSAGE for line in lines)


_RUN_ON = 25  # characters without a stop: ASR text runs on


def _is_run_on_talk(text: str) -> bool:
    """A long stretch with no punctuation (the fillers are looked for by the caller): a
    transcribed call."""
    longest = max((len(piece.strip()) for piece in _PUNCTUATION.split(text)), default=0)
    return longest >= _RUN_ON
