"""What the value of an item of information looks like, in a folded view (``text.normalize``):
a number (户号, phone, order number) or a place (an address).

Views are folded: spaces and brackets are gone, ASCII is lower case, so the masks of
anonymised exports read ``数字1``, ``地址6``, ``num`` and ``***``.
"""

from __future__ import annotations

import re
from enum import StrEnum

from replylint.text.numerals import COUNTING_DIGITS, READ_OUT_DIGITS


class Answer(StrEnum):
    """What the value of an item of information looks like."""

    NUMBER = "number"  # digits, read-aloud digits, or a mask: [数字1], <NUM>, ***
    PLACE = "place"  # an address: [地址1], 光明路, 幸福小区, 五栋, 三单元


_DIGITS = "0-9" + "".join(COUNTING_DIGITS) + "".join(READ_OUT_DIGITS)
# A number followed by a unit is a year, an amount or a count (手机2019年买的, 订单金额300元),
# never an identifier; quantifiers are possessive so that 2019年 cannot match as 201. A mask
# stands for a whole number, so its own digits are few: [数字4]，3天 folds to 数字43天.
_UNIT = r"(?![年元块月日天次个位岁度兆倍]|分钟|小时|毛钱)"
_NUMBER = re.compile(
    rf"(?:(?<![0-9])[0-9]{{3,}}+|(?<![{_DIGITS}])[{_DIGITS}]{{4,}}+|数字\d+?|num|\*{{3,}}+){_UNIT}"
)
# Address words; single characters only where they rarely mean anything else in a reply.
_PLACE = re.compile(
    r"地址\d+|小区|花园|大厦|公寓|新村|(?<![线网电道马铁公思])路(?![灯口上边面况线费过由])|"
    r"街(?![上边道坊])|[巷弄镇栋幢]|"
    rf"(?<!农)村|单元|号楼|号院|楼\d|[{_DIGITS}]+号|num号|\*{{3,}}"
)
_PATTERNS = {Answer.NUMBER: _NUMBER, Answer.PLACE: _PLACE}


def answer_start(answer: Answer, view: str, start: int = 0, end: int | None = None) -> int | None:
    """Where the first value of the ``answer`` kind starting in ``view[start:end]`` starts.

    With ``end``, a match is tried at each position of the window only: a search would run
    to the end of the view, once a name, and a long turn full of names would be quadratic.
    """
    pattern = _PATTERNS[answer]
    if end is None:
        found = pattern.search(view, start)
        return None if found is None else found.start()
    for position in range(start, min(end, len(view))):
        if pattern.match(view, position):
            return position
    return None


def has_answer(answer: Answer, view: str, start: int = 0, end: int | None = None) -> bool:
    """Whether a value of the ``answer`` kind starts in ``view[start:end]``."""
    return answer_start(answer, view, start, end) is not None
