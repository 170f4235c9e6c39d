"""Recognise a concrete time in a folded view: 24小时内, 两个工作日内, 明天上午十点前; and
on a turn's original text, where a template placeholder is no number: the 号 of
（xx市xx区xx号） is no date (`concrete_time`).

Vague words (尽快, 稍后, 改天, 过几天, 有结果了, 马上) are deliberately not times. Masked
numbers in anonymised exports ([数字x], <NUM>, ***, XX) still count as numbers. Every
quantifier is bounded, so the search stays linear on any input.
"""

from __future__ import annotations

import re

from replylint.text.marks import MarkKind, masked_spans
from replylint.text.normalize import FoldedText, fold
from replylint.text.numerals import COUNTING_DIGITS, MULTIPLIERS

Span = tuple[int, int]

# Runs on the folded view: simplified, half-width, lower case, no spaces or punctuation.
_COUNTING = "".join(COUNTING_DIGITS) + "".join(MULTIPLIERS) + "半"
_NUMBER = rf"(?:\d{{1,4}}|[{_COUNTING}]{{1,4}}|数字[a-z0-9]{{0,2}}|num|\*{{1,4}}|x{{1,2}})"
# 个钟 is Cantonese for an hour (半个钟内).
_DURATION_UNIT = (
    r"(?:个)?(?:半)?(?:分钟|分|小时|钟头|钟(?!前)|个?工作日|工作天|天|日|周|星期|礼拜|个?月)"
)
_WITHIN = r"(?:之内|以内|内|之前|以前|前|之后|以后|后|左右)"
_DAY = (
    r"(?:今天|今日|明天|明日|后天|当天|当日|本周[一二三四五六日天]?|这周[一二三四五六日天]?"
    r"|下周[一二三四五六日天]?|周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]"
    r"|" + _NUMBER + r"月" + _NUMBER + r"[日号]|" + _NUMBER + r"[日号]"
    r"|日期(?:[0-9]{1,2}|x{1,2}))"  # a masked date: [日期1]
)
_DAYPART = r"(?:上午|下午|中午|晚上|早上|傍晚|下班)"
# 明早, 明晚, 后天早上's short forms; 明 ends other words too (说明早已…, 证明晚了).
_NEXT_MORNING = r"(?<![说证表声透阐查分聪光文发简英鲜黎澄开照清])(?:明|后)(?:早|晚)(?![点些了])"
# 时 is o'clock only when it is not 时间/时候/时段 (第一时间 is not one o'clock).
_CLOCK = _NUMBER + r"(?:点|时(?!间|候|段))(?:半|" + _NUMBER + r"分?)?"

_CONCRETE_TIME = re.compile(
    "|".join(
        (
            _NUMBER + _DURATION_UNIT + _WITHIN,  # 24小时内, 两个工作日内, 30分钟后
            _NUMBER + r"个?工作日",  # 3个工作日 is a deadline even without 内
            _DAY + _DAYPART + r"?(?:" + _CLOCK + r")?",  # 明天, 今天下午, 明天上午十点
            _DAYPART + r"?" + _CLOCK,  # 下午五点, 10点半
            _DAYPART + r"前",  # 下班前
            r"(?:今天|今日)?(?:今晚|上午|下午|中午|傍晚)",  # 下午给您回电: this afternoon
            _NEXT_MORNING,  # 明早会联系您; not 说明早就…
            r"时间(?:[0-9]{1,2}|x{1,2})",  # a masked time of day: [时间2]
        )
    )
)


def find_concrete_time(view: str) -> re.Match[str] | None:
    return _CONCRETE_TIME.search(view)


# -- on the original text: placeholders ----------------------------------------------

# What a template placeholder becomes before the time search: a letter that is no number.
_NOT_A_NUMBER = "某"


_PLACEHOLDER_CHARACTERS = frozenset("xX*×[<ｘＸ＊［＜")


def may_hold_template(text: str) -> bool:
    """Whether a text can hold a placeholder at all (cheap): most turns hold none."""
    return not _PLACEHOLDER_CHARACTERS.isdisjoint(text)


def time_on_template(text: str, span: Span) -> bool:
    """Whether a time that timeexpr found (its span mapped to the original text) sits on a
    template placeholder: the 号 of （xx市xx区xx号） is no date."""
    start, end = span
    return any(
        mark.kind is MarkKind.TEMPLATE and mark.start < end and start < mark.end
        for mark in masked_spans(text)
    )


def concrete_time(text: str, folded: FoldedText | None = None) -> Span | None:
    """The first concrete time in a turn that is not made of a template placeholder, as an
    original span that covers its masked numbers whole ([数字x]个工作日内). ``folded`` is
    the turn's fold when the caller has it (used when the turn has no template)."""
    masks = masked_spans(text)
    templates = [mark for mark in masks if mark.kind is MarkKind.TEMPLATE]
    if templates:
        pieces: list[str] = []
        last = 0
        for mark in templates:
            pieces += (text[last : mark.start], _NOT_A_NUMBER * (mark.end - mark.start))
            last = mark.end
        folded = fold("".join([*pieces, text[last:]]))
    elif folded is None:
        folded = fold(text)
    match = find_concrete_time(folded.view)
    if match is None:
        return None
    start, end = folded.original_span(*match.span())
    for mark in masks:  # the fold drops the brackets of [数字x]: take them back
        if mark.start < end and start < mark.end:
            start, end = min(start, mark.start), max(end, mark.end)
    return start, end
