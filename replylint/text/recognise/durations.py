"""Promised durations in a folded view, in minutes: 45分钟, 两个小时, 一个半小时, 5个工作日,
半个月.

The view is simplified, half-width and without spaces or punctuation (see text/normalize.py).
A range (两三个小时, 3到4个小时) counts as its upper end: that is what the customer hears.
A working day is 7/5 of a calendar day, so 5个工作日 and 7天 are the same promise. Masked
numbers ([数字x], ***) are no number: nothing is measured. Vague lengths (半天, 几个小时)
are no duration either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from replylint.text.normalize import fold_view
from replylint.text.numerals import COUNTING_DIGITS, MULTIPLIERS, chinese_number

_MINUTES_PER_UNIT = {
    "分钟": 1.0,
    "小时": 60.0,
    "钟头": 60.0,
    "天": 24 * 60.0,
    "工作日": 24 * 60.0 * 7 / 5,
    "周": 7 * 24 * 60.0,
    "星期": 7 * 24 * 60.0,
    "礼拜": 7 * 24 * 60.0,
    "月": 30 * 24 * 60.0,
}
_DIGITS = "".join(COUNTING_DIGITS)
_COUNTING = _DIGITS + "".join(MULTIPLIERS)
# Bounded quantifiers only: linear on any input.
_DURATION = re.compile(
    rf"(?P<number>\d{{1,4}}(?:[.点]\d{{1,2}})?|[{_COUNTING}]{{1,5}}(?:点[{_DIGITS}])?)?"
    # 月 only after 个: 一个月 is a duration, 3月 a date.
    r"个?(?P<half>半)?个?(?P<unit>分钟|小时|钟头|工作日|天|周|星期|礼拜|(?<=个)月)"
)


@dataclass(frozen=True, slots=True)
class Duration:
    start: int
    end: int
    minutes: float


def find_durations(view: str) -> list[Duration]:
    """Every duration in the view, in order. The view has lost a decimal point (1.5小时
    reads 15小时): see `decimal_minutes` for the original's."""
    found = []
    for match in _DURATION.finditer(view):
        minutes = _minutes(match)
        if minutes is not None:
            found.append(Duration(match.start(), match.end(), minutes))
    return found


_DECIMAL_POINT = re.compile(r"(?<=\d)[.．](?=\d)")


def decimal_minutes(original: str) -> float | None:
    """The minutes of a duration whose original text has a decimal point (1.5小时, １．５個小時),
    which folding drops; None when it has none."""
    if not _DECIMAL_POINT.search(original):
        return None
    found = find_durations(fold_view(_DECIMAL_POINT.sub("点", original)))
    return found[0].minutes if found else None


def _minutes(match: re.Match[str]) -> float | None:
    number, half, unit = match["number"], match["half"], match["unit"]
    if number is None:
        # 半小时, 半个月 are durations; 半天 means "a long while"; a bare unit is none.
        return 0.5 * _MINUTES_PER_UNIT[unit] if half and unit != "天" else None
    value = float(number.replace("点", ".")) if number[0].isdigit() else chinese_number(number)
    if value is None:
        return None
    return (value + (0.5 if half else 0.0)) * _MINUTES_PER_UNIT[unit]


def human_duration(minutes: float) -> str:
    """45 分钟, 3 小时, 1.5 小时, 7 天: the unit a customer would hear."""
    for unit, size in (("天", 24 * 60.0), ("小时", 60.0)):
        if minutes >= size * (2 if unit == "天" else 1):
            return f"{minutes / size:.3g} {unit}"
    return f"{minutes:.3g} 分钟"
