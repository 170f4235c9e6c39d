"""Non-word spans: the parts of a turn that rules must never read as words.

@mentions, #tags#, links (URLs and e-mail addresses), emoji codes ([微笑], [抱拳]) and the
placeholders of anonymised exports ([数字x], [姓名x], <NUM>, ***, xx, X, *). A placeholder
in a number's place (before 个/天/小时/分钟/号/元/点…, after 第, among digits) is a masked
number, and still counts as one ([数字x]个工作日内 is a deadline); any other placeholder is
a template. A run of placeholders with address units is a template even where a number
could go: （xx市xx区xx号） and （*省*市*区*号） are addresses to fill in, no dates.

Everything runs on the surface view (surface.py), so offsets are the original's; one
regex pass finds every mark, and only placeholders (rare) get a second look.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from replylint.text.cues import words
from replylint.text.surface import surface_view


class MarkKind(Enum):
    MENTION = "mention"  # @handle
    TAG = "tag"  # #topic# or #topic
    URL = "url"  # a link or an e-mail address
    EMOJI = "emoji"  # [微笑], [抱拳], [图片]
    NUMBER = "number"  # a masked number: [数字x]个工作日, 第**次, 138****5678
    TEMPLATE = "template"  # any other placeholder: [姓名x], xx市xx区, X先生


MASKED = frozenset({MarkKind.NUMBER, MarkKind.TEMPLATE})


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    kind: MarkKind


_LINK_CHAR = r"[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_LINK_END = r"[a-z0-9/#=_\-%&]"  # a link does not end on the sentence's full stop or comma
_TOP_LEVEL = r"(?:com|cn|net|org|gov|edu|info|io|me|hk|tw|mo)"
# Every branch opens on a literal character, so the engine skips ahead in C (cues.py).
_MARKS = re.compile(
    rf"https?://{_LINK_CHAR}{{0,500}}{_LINK_END}|www\.{_LINK_CHAR}{{0,500}}{_LINK_END}"
    r"|@[^\s@:,.!?;、。()\[\]<>“”\"'#/]{1,20}"
    r"|#(?<![a-z0-9&]#)(?:[^#\n]{1,40}#|[^#\s,.!?;、。]{1,30}(?=[\s,.!?;、。]|$))"
    r"|\[[^\[\]\s]{1,8}\]|<[a-z_]{2,12}>|\*\**|××*|x(?<![a-z0-9]x)x*(?![a-z0-9])"
)
# Bare domains and e-mail addresses open on any letter: searched only in a turn with an
# ASCII full stop or @.
_BARE_LINKS = re.compile(
    rf"(?<![a-z0-9.@\-])[a-z0-9][a-z0-9\-]{{0,62}}(?:\.[a-z0-9\-]{{1,63}}){{0,3}}"
    rf"\.{_TOP_LEVEL}(?![a-z0-9\-])(?:/{_LINK_CHAR}{{0,500}}{_LINK_END})?"
    r"|[a-z0-9._%+\-]{1,64}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63}){1,4}"
)
_KIND_BY_FIRST = {"h": MarkKind.URL, "w": MarkKind.URL, "@": MarkKind.MENTION}
_KIND_BY_FIRST |= {"#": MarkKind.TAG, "<": MarkKind.NUMBER, "*": MarkKind.NUMBER}
_KIND_BY_FIRST |= {"×": MarkKind.NUMBER, "x": MarkKind.NUMBER}

# Placeholder names of anonymised exports, without their numbering ([数字x], [姓名2]).
_QUANTITIES = frozenset({"数字", "数值", "金额", "日期", "时间", "num", "number", "digit"})
_QUANTITIES |= frozenset({"money", "amount", "date", "time"})
_IDENTITIES = frozenset(
    words(
        "姓名 名字 人名 地址 电话 手机 手机号 号码 电话号码 卡号 银行卡号 身份证 身份证号 证件号 "
        "订单号 单号 快递单号 户号 工号 账号 编号 邮箱 链接 网址 车牌 车牌号 公司 机构 地点 "
        "name phone tel mobile addr address id email url card"
    )
)
_NUMBERING = re.compile(r"[a-z0-9]{0,3}$")

# What follows a number: a unit, a measure word, a time unit (the brief's 个/天/小时/分钟/
# 号/元/点 and their kin).
_NUMBER_UNIT = re.compile(
    r" ?(?:个|天|小时|钟头|分钟|分|秒|号|元|块|毛|角|点|日|月|年|周|星期|礼拜|次|位|件|台"
    r"|张|%|万|千|百|十|米|公里|斤|度|岁|期|倍|笔|条|项|户|工作日|[0-9])"
)
# Units of an address: a run of placeholders with one of them is a template.
_ADDRESS_UNIT = re.compile(
    r" ?(?:省|自治区|市|区|县|镇|乡|村|路|街道|街|道|巷|弄|栋|幢|楼|层|室|单元|小区)"
)
_CHAIN_UNIT = re.compile(_ADDRESS_UNIT.pattern + r"| ?号")


def is_placeholder(bracketed: str) -> bool:
    """Whether a bracket's content (数字x, 姓名2) names a placeholder, not an emoji code."""
    name = _NUMBERING.sub("", bracketed.lower())
    return name in _QUANTITIES or name in _IDENTITIES


def find_marks(text: str) -> tuple[Mark, ...]:
    """Every non-word span of a text, in order; masked placeholders classified."""
    return marks_in_surface(surface_view(text))


def masked_spans(text: str) -> tuple[Mark, ...]:
    """The placeholders of a text: masked numbers and templates, in order."""
    return tuple(mark for mark in find_marks(text) if mark.kind in MASKED)


def marks_in_surface(surface: str, *, classified: bool = True) -> tuple[Mark, ...]:
    """`find_marks` on a text already in its surface view. Unclassified, every
    placeholder is a NUMBER: for a reader that only needs where the marks are (half the
    cost on an anonymised export)."""
    found = [Mark(m.start(), m.end(), _kind(m.group())) for m in _MARKS.finditer(surface)]
    if "." in surface or "@" in surface:
        found = _merged(
            found, [Mark(*m.span(), MarkKind.URL) for m in _BARE_LINKS.finditer(surface)]
        )
    if classified:
        placeholders = [i for i, mark in enumerate(found) if mark.kind is MarkKind.NUMBER]
        if placeholders:
            _classify(surface, found, placeholders)
    return tuple(found)


def _kind(text: str) -> MarkKind:
    """The kind of a hit by its first character; every placeholder starts as NUMBER, and
    `_classify` decides."""
    if text[0] == "[":
        name = _NUMBERING.sub("", text[1:-1])
        return MarkKind.NUMBER if name in _QUANTITIES or name in _IDENTITIES else MarkKind.EMOJI
    return _KIND_BY_FIRST[text[0]]


def _merged(first: list[Mark], second: list[Mark]) -> list[Mark]:
    """Both lists in order, without overlaps: the earlier mark wins, then the longer."""
    merged: list[Mark] = []
    for mark in sorted(first + second, key=lambda m: (m.start, -m.end)):
        if not merged or mark.start >= merged[-1].end:
            merged.append(mark)
    return merged


def _classify(surface: str, found: list[Mark], placeholders: list[int]) -> None:
    """Give each placeholder its kind: a template in an address run, else a number where a
    number goes (a quantity placeholder is a number wherever it is), else a template."""
    templates = _address_runs(surface, [found[i] for i in placeholders])
    for index in placeholders:
        mark = found[index]
        if mark.start in templates:
            kind = MarkKind.TEMPLATE
        elif _named(surface, mark) in _QUANTITIES or _in_number_place(surface, mark):
            kind = MarkKind.NUMBER
        else:
            kind = MarkKind.TEMPLATE
        found[index] = Mark(mark.start, mark.end, kind)


def _named(surface: str, mark: Mark) -> str:
    """A bracketed or angled placeholder's name ("数字" of [数字x]); "" for ***, xx."""
    text = surface[mark.start : mark.end]
    return _NUMBERING.sub("", text[1:-1]) if text[0] in "[<" else ""


def _in_number_place(surface: str, mark: Mark) -> bool:
    before = surface[mark.start - 1 : mark.start]
    return before == "第" or before.isdigit() or bool(_NUMBER_UNIT.match(surface, mark.end))


def _address_runs(surface: str, placeholders: Sequence[Mark]) -> set[int]:
    """Starts of the placeholders that belong to an address: one before an address unit
    (xx市), or a run of placeholders joined by units (xx市xx区xx号) that has one."""
    templates: set[int] = set()
    run: list[Mark] = []
    has_address = False
    for number, mark in enumerate(placeholders):
        unit = _CHAIN_UNIT.match(surface, mark.end)
        run.append(mark)
        has_address = has_address or bool(unit and _ADDRESS_UNIT.fullmatch(unit.group()))
        following = placeholders[number + 1] if number + 1 < len(placeholders) else None
        if unit is None or following is None or following.start != unit.end():
            if has_address:
                templates.update(m.start for m in run)
            run, has_address = [], False
    return templates


def inside_mark(marks: Sequence[Mark], start: int, end: int) -> bool:
    """Whether the span [start, end) overlaps a mark (marks in order, as found)."""
    index = bisect_right(marks, start, key=lambda mark: mark.start)
    before = marks[index - 1] if index else None
    if before is not None and before.end > start:
        return True
    return index < len(marks) and marks[index].start < max(end, start + 1)
