"""The numerals table: one place for what every digit character is worth."""

from __future__ import annotations

from replylint.text.normalize import fold_view
from replylint.text.numerals import (
    DIGIT_VALUES,
    UNFOLDED_DIGITS,
    chinese_number,
)


def test_every_digit_is_worth_one_digit() -> None:
    assert set(DIGIT_VALUES.values()) == set(range(10))


def test_folding_a_digit_gives_a_digit_worth_the_same() -> None:
    """Rules read folded views: a full-width digit, 兩 or 么 folds to a digit of its value."""
    for digit, value in DIGIT_VALUES.items():
        folded = fold_view(digit)
        assert DIGIT_VALUES[folded] == value, digit
        assert folded not in UNFOLDED_DIGITS, digit


def test_counting_numbers_read_as_numbers() -> None:
    assert [chinese_number(text) for text in ("四十五", "一百二十", "两", "两三", "一点五")] == [
        45,
        120,
        2,
        3,
        1.5,
    ]
    assert chinese_number("幺") is None  # read out, never counted
