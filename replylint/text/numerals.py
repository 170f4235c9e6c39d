"""Numerals: the one table of what each digit character is worth, and Chinese numbers
(四十五 -> 45, 一百二十 -> 120).

Every recogniser takes its digits from here. Counting uses `COUNTING_DIGITS` and
`MULTIPLIERS` (两个小时, 四十五分钟); a number read out digit by digit (a phone number, a
户号) may also use `READ_OUT_DIGITS` (幺三八); text that is not folded (what `redact`
masks) may also hold `UNFOLDED_DIGITS` (full-width １３８, Taiwan script 兩).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

ARABIC_DIGITS: Final = "0123456789"
COUNTING_DIGITS: Final[Mapping[str, int]] = MappingProxyType(
    {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
    | {"八": 8, "九": 9}
)
MULTIPLIERS: Final[Mapping[str, int]] = MappingProxyType({"十": 10, "百": 100})
# 幺 for 一 when digits are read out (so that it is not heard as 七); 么 in Taiwan script.
READ_OUT_DIGITS: Final[Mapping[str, int]] = MappingProxyType({"幺": 1, "么": 1})
# Folded away in a view, kept in the original text: full-width digits and Taiwan's 兩.
UNFOLDED_DIGITS: Final[Mapping[str, int]] = MappingProxyType(
    {chr(0xFF10 + value): value for value in range(10)} | {"兩": 2}
)
# Every character that stands for one digit, in any text.
DIGIT_VALUES: Final[Mapping[str, int]] = MappingProxyType(
    {digit: value for value, digit in enumerate(ARABIC_DIGITS)}
    | dict(COUNTING_DIGITS)
    | dict(READ_OUT_DIGITS)
    | dict(UNFOLDED_DIGITS)
)


def chinese_number(text: str) -> float | None:
    """四十五 -> 45, 一百二十 -> 120, 两 -> 2; 两三 (a range) -> 3; 一点五 -> 1.5; None if
    not a number."""
    whole, point, tenth = text.partition("点")
    if point:
        value, decimal = chinese_number(whole), COUNTING_DIGITS.get(tenth)
        return None if value is None or decimal is None else value + decimal / 10
    if not any(char in MULTIPLIERS for char in text):
        values = [COUNTING_DIGITS.get(char) for char in text]
        return None if None in values else float(max(v for v in values if v is not None))
    total, digit = 0, None
    for char in text:
        if char in COUNTING_DIGITS:
            digit = COUNTING_DIGITS[char]
        elif char in MULTIPLIERS:
            total += (1 if digit is None else digit) * MULTIPLIERS[char]
            digit = None
        else:
            return None
    return float(total + (digit or 0))
