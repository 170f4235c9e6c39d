"""Personal data: what is found (exact spans, both ways), how it is masked, and the
invariants of masking (length, idempotence, only the kept digits survive, nothing else
changes), on any input and in linear work."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import sys
from collections.abc import Callable
from itertools import pairwise
from types import FrameType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint import Linter, Role, Transcript, Turn, load_packs
from replylint.redact import MASK, PersonalData, find_personal_data, redact

# The modules (replylint.redact is the function, as the package exports it).
redact_module = importlib.import_module("replylint.redact")
# Where personal data is recognised, for redact_module to mask.
recogniser_module = importlib.import_module("replylint.text.recognise.personal_data")

# Independent oracles for the checksums, to build valid numbers in tests.


def luhn_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass the Luhn check."""
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value // 10 + value % 10
    return str(-total % 10)


def id_check(body: str) -> str:
    """GB 11643 check character of the first 17 digits of an ID number."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
    return "10X98765432"[total % 11]


PHONE = "13800138000"
CARD_16 = "6222021234567894"
CARD_19 = "6217000012345678907"
VISA = "4367420012345673"
ID_18 = "110105199003071239"
ID_X = "11010519491231002X"
ID_15 = "110105900307123"  # old style: region, 900307, sequence
EMAIL = "zhang.san88@qq.com"


def test_the_example_numbers_are_valid() -> None:
    for card in (CARD_16, CARD_19, VISA):
        assert luhn_digit(card[:-1]) == card[-1]
    for number in (ID_18, ID_X):
        assert id_check(number[:17]) == number[17]


def marked(case: str) -> tuple[str, list[tuple[int, int]]]:
    """Text with «…» around each span, and the spans (offsets into the unmarked text)."""
    spans: list[tuple[int, int]] = []
    text = ""
    for index, part in enumerate(re.split("[«»]", case)):
        if index % 2:
            spans.append((len(text), len(text) + len(part)))
        text += part
    return text, spans


def found(text: str) -> list[tuple[str, int, int]]:
    return [(p.kind, p.start, p.end) for p in find_personal_data(text)]


FLAGGED = [
    # mobile numbers, in every way they are written or transcribed
    ("我的手机号是«13800138000»，谢谢", "phone"),
    ("电话«138 0013 8000»好的", "phone"),
    ("电话«138-0013-8000»", "phone"),
    ("电话 «1 3 8 0 0 1 3 8 0 0 0» 对", "phone"),
    ("号码是«１３８００１３８０００»", "phone"),
    ("号码是«幺三八零零幺三八零零零»对吧", "phone"),
    ("号码是«幺三八 零零幺三 八零零零»", "phone"),
    ("号码«一三九一二三四五六七八»", "phone"),
    ("号码«138 零零幺三 8000»", "phone"),
    ("号码«138零零幺三8000»", "phone"),
    ("打«13800138000»一直没人接", "phone"),  # a word starting with a digit follows
    ("打了«13800138000»两次", "phone"),
    ("号码«幺三八零零幺三八零零零»一直打不通", "phone"),
    ("号码«幺三八零零幺三八零零一»", "phone"),  # ... or the number ends in 一
    ("«13800138000»", "phone"),
    ("手机:«13800138000».", "phone"),
    ("+«86 138 0013 8000»", "phone"),
    ("«8613800138000»", "phone"),
    ("录音«13800138000»_20240501.wav", "phone"),
    # landlines
    ("座机«010-62345678»", "phone"),
    ("座机«021 5432 1098»转分机", "phone"),
    ("«0755 2345 6789»", "phone"),
    ("«0571-8765432»", "phone"),
    ("«075523456789»", "phone"),
    ("«010 - 62345678»", "phone"),
    # resident ID numbers
    (f"身份证号«{ID_18}»", "id-number"),
    (f"身份证号«{ID_X}»。", "id-number"),
    (f"身份证号«{ID_X.lower()}»", "id-number"),
    (f"身份证«{ID_18[:6]} {ID_18[6:14]} {ID_18[14:]}»", "id-number"),
    ("身份证«幺幺零幺零五幺九九零零三零七幺二三九»", "id-number"),
    (f"老身份证«{ID_15}»", "id-number"),
    # bank cards
    (f"卡号«{CARD_16}»", "bank-card"),
    ("卡号«6222 0212 3456 7894»", "bank-card"),
    (f"卡号«{CARD_19}»", "bank-card"),
    (f"卡号«{VISA}»", "bank-card"),
    ("卡号«６２２２０２１２３４５６７８９４»", "bank-card"),
    ("卡号«六二二二 零二一二 三四五六 七八九四»", "bank-card"),
    # emails
    (f"邮箱«{EMAIL}»可以吗", "email"),
    ("发到«13800138000@qq.com»", "email"),
    ("«a.b-c+tag@mail.example.com.cn».", "email"),
    ("邮箱«wang＠163.com»", "email"),
]


@pytest.mark.parametrize(("case", "kind"), FLAGGED)
def test_personal_data_is_found_with_its_exact_span(case: str, kind: str) -> None:
    text, spans = marked(case)
    assert found(text) == [(kind, start, end) for start, end in spans]


@pytest.mark.parametrize(
    "case",
    [
        f"手机«{PHONE}»，身份证«{ID_18}»，卡号«{CARD_16}»，邮箱«{EMAIL}»",
        f"«{PHONE}» «{PHONE}»",  # two numbers in one run of digits
        f"«{CARD_16}» «{PHONE}»",
        f"卡号«{CARD_16}» 123",  # a card, then a stray group
        f"12 «{PHONE}»",
        f"«{PHONE}»/«13900139000»",
        "«a@b.com»@«13800138000».com",  # a second @: the phone in the domain is still found
    ],
)
def test_several_in_one_text(case: str) -> None:
    text, spans = marked(case)
    assert [(p.start, p.end) for p in find_personal_data(text)] == spans


KEPT = [
    "您好 10086 工号[数字1]",
    "工号 1234，工号 123456",
    "95598 供电服务热线，400-820-8820",
    "金额 12345.67 元，合计 1,380,013,800 元",
    "2024-05-01 10:30:00，2024年5月1日，20240501",
    "时间戳 20240501123045",
    "一千三百八十万，两三天，一一核对一下",
    "户号 0123456789",  # 10 digits: no personal number is that long
    "户号 1234567890",
    "订单号 1234567890123456789",  # 19 digits, starts with 1: no card
    "订单号 6222021234567890",  # 16 digits that fail the Luhn check
    "订单号 4367420012345678901",
    "12345678901",  # 11 digits, but no mobile prefix
    "10012345678",
    "02012345678",  # 020, then a number starting with 1
    "身份证 110105199003071230",  # wrong check digit
    "身份证 110105199002301236",  # 30 February
    "身份证 910105199003071231",  # no such region
    "快递单号 SF1234567890123，YT13800138000",  # codes: digits touching letters
    "13800138000abc",
    "尾号 8000，138****8000，6222 **** **** 7894",  # masked already
    "***13800138000",
    "[数字3]个工作日内，<NUM>，***",
    "IP 192.168.100.200",
    "序列号 2024 0501 1030 1234 5678",  # groups that make no valid number
    "邮箱 zhang@localhost，zhang@，@qq.com，***@qq.com",
    "a@b.c",
]


@pytest.mark.parametrize("text", KEPT)
def test_innocent_numbers_are_kept(text: str) -> None:
    assert find_personal_data(text) == []
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("手机13800138000", "手机138****8000"),
        ("电话 138 0013 8000 好的", "电话 138 **** 8000 好的"),
        ("幺三八零零幺三八零零零", "幺三八****八零零零"),
        ("+86 138 0013 8000", "+86 138 **** 8000"),
        ("010-62345678", "010-****5678"),
        (ID_X, "110***********002X"),
        ("6222 0212 3456 7894", "622* **** **** 7894"),
        (EMAIL, "z****.*****@qq.com"),
        ("13800138000@qq.com", "1**********@qq.com"),
    ],
)
def test_masking_keeps_the_first_three_and_last_four_digits(text: str, masked: str) -> None:
    assert redact(text) == masked
    assert len(redact(text)) == len(text)


def test_redact_masks_the_spans_it_is_given() -> None:
    text = f"{PHONE} {PHONE}"
    only_second = [PersonalData("phone", 12, 23)]
    assert redact(text, only_second) == f"{PHONE} 138****8000"


# --------------------------------------------------------------------------- properties

DIGITS = "0123456789０１２３４５６７８９零〇一二三四五六七八九幺两"
# Characters that interact with detection: digits of every script, separators, the mask,
# the check letter, email characters, letters that make codes, and plain Chinese.
ALPHABET = DIGITS + " -－—\u3000*Xx@＠._+aZｚ号码是，。\n"
FORMATTERS: list[Callable[[str], str]] = [
    lambda digits: digits,
    lambda digits: digits.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    lambda digits: digits.translate(str.maketrans("0123456789", "零幺二三四五六七八九")),
    lambda digits: " ".join(digits[i : i + 4] for i in range(0, len(digits), 4)),
    lambda digits: "-".join(digits[i : i + 3] for i in range(0, len(digits), 3)),
]


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(kind, a valid number of that kind) with random digits."""
    kind = draw(st.sampled_from(["phone", "id-number", "bank-card"]))
    if kind == "phone":
        return kind, "1" + draw(st.sampled_from("3456789")) + draw(digit_string(9))
    if kind == "id-number":
        birth = draw(st.dates(dt.date(1920, 1, 1), dt.date(2025, 12, 31)))
        body = draw(st.sampled_from("123456")) + draw(digit_string(5))
        body += birth.strftime("%Y%m%d") + draw(digit_string(3))
        return kind, body + id_check(body)
    # 16 or 19 digits, and no birth year where an ID number has one: never an ID number too.
    length = draw(st.sampled_from([16, 19]))
    body = "62220200" + draw(digit_string(length - 9))
    return kind, body + luhn_digit(body)


def digit_string(length: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=length, max_size=length)


FILLER = st.text(alphabet="我的号码是您好，。请核对一下", max_size=8)
texts = st.text(alphabet=ALPHABET, max_size=120) | st.lists(
    st.one_of(FILLER, numbers().map(lambda pair: pair[1]), st.just(EMAIL)), max_size=6
).map("".join)


@given(st.lists(st.tuples(FILLER, numbers(), st.sampled_from(FORMATTERS)), max_size=4), FILLER)
def test_a_valid_number_between_words_is_always_found(
    parts: list[tuple[str, tuple[str, str], Callable[[str], str]]], tail: str
) -> None:
    text, expected = "", []
    for filler, (kind, number), formatted in parts:
        text += filler + "，"
        written = formatted(number)
        expected.append((kind, len(text), len(text) + len(written)))
        text += written + "，"
    assert found(text + tail) == expected


@given(texts)
def test_redaction_keeps_length_and_offsets_and_is_idempotent(text: str) -> None:
    masked = redact(text)
    assert len(masked) == len(text)
    assert redact(masked) == masked


@given(texts)
def test_only_the_kept_characters_of_a_finding_survive(text: str) -> None:
    items = find_personal_data(text)
    masked = redact(text)
    outside = list(range(len(text)))
    for item in items:
        original, after = text[item.start : item.end], masked[item.start : item.end]
        changed = [i for i, (a, b) in enumerate(zip(original, after, strict=True)) if a != b]
        assert all(after[i] == MASK for i in changed)
        if item.kind == "email":
            at = max(original.find("@"), original.find("＠"))
            kept = [c for c in after[:at] if c.isascii() and c.isalnum()]
            assert len(kept) == 1
            assert after[at:] == original[at:]
        else:
            kept_digits = [c for c in after if c in DIGITS or c in "Xx"]
            all_digits = [c for c in original if c in DIGITS or c in "Xx"]
            head = 5 if len(all_digits) == 13 else 3
            assert kept_digits == all_digits[:head] + all_digits[-4:]
        outside = [i for i in outside if not item.start <= i < item.end]
    assert [masked[i] for i in outside] == [text[i] for i in outside]


@given(texts)
def test_findings_are_in_order_and_never_overlap(text: str) -> None:
    items = find_personal_data(text)
    assert all(0 <= p.start < p.end <= len(text) for p in items)
    assert all(a.end <= b.start for a, b in pairwise(items))


# --------------------------------------------------------------------------- linear work


def test_the_regular_expressions_have_no_nested_quantifiers() -> None:
    """A quantifier inside a quantifier is what makes a regex backtrack catastrophically."""
    parser = importlib.import_module("re._parser")  # the standard library's regex parser

    repeats = {parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT}

    def depth(items: Any) -> int:
        deepest = 0
        for op, argument in items:
            if op in repeats:
                deepest = max(deepest, 1 + depth(argument[2]))
            elif op in (parser.SUBPATTERN,):
                deepest = max(deepest, depth(argument[3]))
            elif op is parser.BRANCH:
                deepest = max(deepest, *(depth(branch) for branch in argument[1]))
        return deepest

    patterns = [v for v in vars(recogniser_module).values() if isinstance(v, re.Pattern)]
    assert len(patterns) == 6  # POSSIBLE_PERSONAL_DATA's @ among them
    assert all(depth(parser.parse(p.pattern)) <= 1 for p in patterns)


ADVERSARIAL = [
    "1 " * 5_000,  # every group a window start
    "1" * 10_000,
    "幺" * 10_000 + "X",
    "1" + " " * 10_000 + "1",
    "a" * 10_000,  # a local part that never reaches an @
    "a@" * 5_000,
    "a" * 70 + "@b.cc" * 2_000,
    "@a" + ".a" * 5_000,
    "*" + " 1" * 5_000,
    ("13800138000 " + "号") * 1_000,
]


def python_steps(text: str) -> int:
    """Lines of replylint.redact and its recogniser run to redact ``text``: a measure of
    work, not time."""
    steps = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal steps
        if frame.f_code.co_filename in (redact_module.__file__, recogniser_module.__file__):
            steps += event == "line"
            return trace
        return None

    sys.settrace(trace)
    try:
        redact(text)
    finally:
        sys.settrace(None)
    return steps


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_work_grows_linearly_with_the_text(text: str) -> None:
    small, double = python_steps(text), python_steps(text + text)
    assert double <= 2 * small + 200


def test_a_long_run_of_digits_and_separators_is_one_pass() -> None:
    text = "幺三八 零零幺三 " * 20_000
    assert len(redact(text)) == len(text)


def test_an_agent_reading_out_a_whole_id_or_card_number_is_flagged_on_both_paths() -> None:
    rules = [rule for rule in load_packs() if rule.info.pack == "privacy"]
    card = "6222021234567890128"
    call = Transcript(
        "c",
        (
            Turn(Role.CUSTOMER, f"我的卡号是{card}，身份证11010519491231002X。"),
            Turn(Role.AGENT, "好的，我核对一下：身份证号码幺幺零幺零五幺九四九幺二三幺零零二X。"),
            Turn(
                Role.AGENT,
                f"卡号 {card[:4]} {card[4:8]} {card[8:12]} {card[12:16]} {card[16:]}，对吗？",
            ),
            Turn(Role.AGENT, "尾号0128的卡，订单号110105194912310021。"),
        ),
    )
    for linter in (Linter(rules), Linter(rules, reference=True)):
        found = [(f.rule, f.turn, f.text) for f in linter.lint(call)]
        assert found == [
            ("PD001", 1, "幺幺零幺零五幺九四九幺二三幺零零二X"),
            ("PD002", 2, "6222 0212 3456 7890 128"),
        ]
