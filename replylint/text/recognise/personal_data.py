"""Personal data in text: phone numbers, ID numbers, bank card numbers and emails.

What is found (see docs/reliability.md, "Personal data"):

    phone       mainland mobile numbers, 1[3-9] and 9 digits (86 in front allowed), and
                landlines: area code 010, 02x or 0[3-9]xx, then 7 or 8 digits not starting
                with 0 or 1 (11 or 12 digits in all)
    id-number   18-digit resident ID numbers (GB 11643: region, a real birth date, the
                check digit, X last) and the old 15-digit ones (region, birth date)
    bank-card   16 to 19 digits that pass the Luhn check and start like a card network's
                numbers (3, 4, 5, 6, 9, or 2221-2720)
    email       local@domain.tld

A number may be written in ASCII, full-width (１３８) or Chinese digits read aloud
(幺三八 零零…), mixed, in groups split by spaces or hyphens (6222 0212 3456 7890). A run of
digits touching a Latin letter is part of a code (SF1234…), not a number, and is left alone;
so is a run next to ``*`` (already masked, or a placeholder such as ***). Short numbers
(amounts, dates, 工号) and long ones that fail these checks (order numbers) are kept.

Work is linear in the text: the regular expressions have no nested quantifiers, and each
run of digits is tried in windows of at most `_MAX_DIGITS` digits. Masking is
`replylint.redact`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from replylint.text.numerals import DIGIT_VALUES

Kind = Literal["phone", "id-number", "bank-card", "email"]
# Masked text: recognised as masked already (a run next to it is no number; it belongs
# to an email's local part), so that masking twice changes nothing.
MASK: Final = "*"


@dataclass(frozen=True, slots=True)
class PersonalData:
    """One phone number, ID number, bank card number or email: ``text[start:end]``, in
    code points."""

    kind: Kind
    start: int
    end: int


def find_personal_data(text: str) -> list[PersonalData]:
    """Every phone number, ID number, bank card number and email in ``text``, by position;
    they never overlap."""
    emails = list(_emails(text)) if "@" in text or "＠" in text else []
    numbers = list(_numbers(text, emails)) if _RUN.search(text) else []
    if not emails or not numbers:  # most text has neither: no sorting
        return emails or numbers
    return sorted([*emails, *numbers], key=lambda found: found.start)


# --------------------------------------------------------------------------- numbers

# Chinese digits (read out one by one) and Arabic ones: separate groups of a run.
_CHINESE_DIGITS: Final = "".join(
    digit
    for digit in DIGIT_VALUES
    if not digit.isdigit()  # 零〇一二两…, 幺么, 兩
)
_ARABIC_DIGITS: Final = "".join(digit for digit in DIGIT_VALUES if digit.isdigit())  # 0-9, ０-９
_DIGIT_VALUE: Final = {digit: str(value) for digit, value in DIGIT_VALUES.items()}
_CHECK_X: Final = "Xx"  # an 18-digit ID number's check character may be X
_TO_ASCII: Final = str.maketrans(_DIGIT_VALUE | {"x": "X"})
# The characters of a number, digits and the check X: what masking hides, but a few.
NUMBER_CHARACTERS: Final = frozenset(_DIGIT_VALUE) | frozenset(_CHECK_X)
# Spaces and dashes: the typographic ones too (thin, narrow and figure spaces, the figure
# dash and the minus sign), which a number copied from a document or a phone may hold.
_SEPARATORS: Final = (
    " \t\u00a0\u3000-\u2010\u2011\u2013\u2014\uff0d"
    "\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u2012\u2212"
)
_MAX_GAP: Final = 3  # separator characters between two groups of one number (" - ")
_MIN_DIGITS, _MAX_DIGITS = 11, 19


def _char_class(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


_DIGIT_CLASS: Final = _char_class("".join(_DIGIT_VALUE))
# A run: a digit, then digits and separators; at least as many characters as the shortest
# number has digits. One bounded-below quantifier over a class: a linear scan.
_RUN: Final = re.compile(
    f"{_DIGIT_CLASS}{_char_class(''.join(_DIGIT_VALUE) + _SEPARATORS)}{{{_MIN_DIGITS - 1},}}"
)
# Text that may hold personal data: a long run of digits, or an @. Scanning a whole batch
# with them first spares `find_personal_data` the turns that cannot hold any. Two
# patterns, not one alternation: each starts with a class, which `re` searches for at C
# speed (measured: 6.3 against 10.3 µs a call).
_AT: Final = re.compile("[@＠]")
POSSIBLE_PERSONAL_DATA: Final = (_RUN, _AT)
_GROUP: Final = re.compile(
    f"{_char_class(''.join(_CHINESE_DIGITS))}+|{_char_class(_ARABIC_DIGITS)}+|[{_CHECK_X}]"
)
_WORD_STARTS: Final = "一两"  # of words that may follow a number: 一直, 一下, 两次
_LATIN: Final = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    + "".join(chr(c) for c in range(0xFF21, 0xFF3B))  # full-width Ａ-Ｚ
    + "".join(chr(c) for c in range(0xFF41, 0xFF5B))  # full-width ａ-ｚ
)
_MOBILE: Final = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")  # 0086: the international prefix
_LANDLINE: Final = re.compile(r"0(?:10|2[0-9])[2-9][0-9]{7}|0[3-9][0-9]{2}[2-9][0-9]{6,7}")
_ID_REGIONS: Final = "1234568"  # first digit of a region code (8: HK, Macao, Taiwan permits)
_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"
_CARD_FIRST_DIGITS: Final = "34569"


@dataclass(frozen=True, slots=True)
class _Group:
    """Digits of a run between separators; ``gap``: separator characters before it."""

    start: int
    end: int
    digits: str
    gap: int


def _numbers(text: str, emails: Sequence[PersonalData]) -> Iterator[PersonalData]:
    email_starts = [email.start for email in emails]
    for match in _RUN.finditer(text):
        start, end = match.start(), len(match.group().rstrip(_SEPARATORS)) + match.start()
        if end < len(text) and text[end] in _CHECK_X:
            end += 1
        if _is_code(text, start, end) or _overlaps(emails, email_starts, start, end):
            continue
        yield from _windows(_groups(text, start, end))


def _is_code(text: str, start: int, end: int) -> bool:
    """The run touches a Latin letter (a code such as SF1234…), or ``*`` past any
    separators (masked already, or a placeholder)."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before in _LATIN or after in _LATIN:
        return True
    left = start
    while left and text[left - 1] in _SEPARATORS:
        left -= 1
    right = end
    while right < len(text) and text[right] in _SEPARATORS:
        right += 1
    return (left > 0 and text[left - 1] == MASK) or (right < len(text) and text[right] == MASK)


def _overlaps(emails: Sequence[PersonalData], starts: list[int], start: int, end: int) -> bool:
    index = bisect_left(starts, end)  # emails starting before the run ends
    return index > 0 and emails[index - 1].end > start


def _groups(text: str, start: int, end: int) -> list[_Group]:
    """The run's groups. Arabic and Chinese digits make separate groups, so that a number
    may be followed by a word such as 一直 or 两次 (13800138000一直打不通); for the same
    reason a run of Chinese digits ending in 一 or 两 has that character as a group."""
    groups: list[_Group] = []
    done = start
    for match in _GROUP.finditer(text, start, end):
        digits = match.group().translate(_TO_ASCII)
        groups.append(_Group(match.start(), match.end(), digits, match.start() - done))
        done = match.end()
    last = groups[-1]
    if text[last.end - 1] in _WORD_STARTS and last.end - last.start > 1:
        groups[-1:] = [
            _Group(last.start, last.end - 1, last.digits[:-1], last.gap),
            _Group(last.end - 1, last.end, last.digits[-1], 0),
        ]
    return groups


def _windows(groups: list[_Group]) -> Iterator[PersonalData]:
    """Left to right, the best number made of whole groups that starts at each group not
    yet taken; at most `_MAX_DIGITS` digits each, so each group is tried a bounded number
    of times."""
    index = 0
    while index < len(groups):
        best: tuple[int, int, Kind] | None = None  # (priority, last group, kind)
        digits = ""
        for last in range(index, len(groups)):
            group = groups[last]
            too_long = len(digits) + len(group.digits) > _MAX_DIGITS
            if too_long or (last > index and group.gap > _MAX_GAP):
                break
            digits += group.digits
            found = _kind(digits)
            if found is not None and (best is None or found[0] <= best[0]):
                best = (found[0], last, found[1])
        if best is None:
            index += 1
            continue
        yield PersonalData(best[2], groups[index].start, groups[best[1]].end)
        index = best[1] + 1


def _kind(digits: str) -> tuple[int, Kind] | None:
    """(priority, kind) of a whole number (0 first), or None when it is no personal number."""
    if len(digits) >= _MIN_DIGITS:
        for priority, (kind, check) in enumerate(_CHECKS):
            if check(digits):
                return priority, kind
    return None


def _is_phone(digits: str) -> bool:
    return bool(_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits))


def _is_date(year: str, month: str, day: str) -> bool:
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _is_id_18(digits: str) -> bool:
    body = digits[:17]
    if len(digits) != 18 or not body.isdigit() or body[0] not in _ID_REGIONS:
        return False
    if body[6:8] not in ("19", "20") or not _is_date(body[6:10], body[10:12], body[12:14]):
        return False
    total = sum(int(d) * weight for d, weight in zip(body, _ID_WEIGHTS, strict=True))
    return digits[17] == _ID_CHECK[total % 11]


def _is_id_15(digits: str) -> bool:
    if len(digits) != 15 or not digits.isdigit():
        return False
    return digits[0] in _ID_REGIONS and _is_date("19" + digits[6:8], digits[8:10], digits[10:12])


def _is_card(digits: str) -> bool:
    if not 16 <= len(digits) <= _MAX_DIGITS or not digits.isdigit():
        return False
    if digits[0] not in _CARD_FIRST_DIGITS and not 2221 <= int(digits[:4]) <= 2720:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


# What a window of digits is, most specific first: a checksum and a birth date beat a
# checksum alone, which beats a birth date alone.
_CHECKS: Final[tuple[tuple[Kind, Callable[[str], bool]], ...]] = (
    ("id-number", _is_id_18),
    ("phone", _is_phone),
    ("bank-card", _is_card),
    ("id-number", _is_id_15),
)

# --------------------------------------------------------------------------- emails

_AT_DOMAIN: Final = re.compile(r"[@＠][A-Za-z0-9.-]+")
# The letters and digits of an email's local part (what masking hides, but the first).
ALNUM: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
# MASK belongs to the local part, so that a masked email is still the same email.
_LOCAL: Final = ALNUM | frozenset("._%+-" + MASK)
_MAX_LOCAL: Final = 64  # RFC 5321


def _emails(text: str) -> Iterator[PersonalData]:
    taken = 0  # the end of the last email: a local part never reaches back into it
    for match in _AT_DOMAIN.finditer(text):
        at = match.start()
        domain = match.group()[1:].rstrip(".-")
        if not _is_domain(domain):
            continue
        start = at
        while start > taken and at - start <= _MAX_LOCAL and text[start - 1] in _LOCAL:
            start -= 1
        local = text[start:at]
        if len(local) <= _MAX_LOCAL and any(c in ALNUM for c in local):
            taken = at + 1 + len(domain)
            yield PersonalData("email", start, taken)


def _is_domain(domain: str) -> bool:
    labels = domain.split(".")
    return (
        len(labels) >= 2
        and all(label and label[0] != "-" and label[-1] != "-" for label in labels)
        and labels[-1].isalpha()
        and len(labels[-1]) >= 2
    )
