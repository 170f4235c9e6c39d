"""What counts as a concrete time in a follow-up promise."""

from __future__ import annotations

import pytest

from replylint.text.normalize import fold
from replylint.text.recognise.times import find_concrete_time


@pytest.mark.parametrize(
    "text",
    [
        "24小时内给您回复",
        "２４小时内给您回复",
        "两个工作日内",
        "[数字x]个工作日内",
        "<NUM>个工作日内",
        "***个工作日内给您答复",
        "我们将于XX日内给您答复",
        "三天内",
        "明天上午十点前",
        "今天之内",
        "30分钟内",
        "半小时内",
        "一个半小时内",
        "下午五点前",
        "下班前",
        "10月15日前",
        "兩個工作日內",
        "3 个 工 作 日 内",
    ],
)
def test_concrete_times(text: str) -> None:
    assert find_concrete_time(fold(text).view) is not None


@pytest.mark.parametrize(
    "text",
    [
        "尽快给您回复",
        "稍后联系您",
        "改天再说",
        "过几天",
        "有结果了通知您",
        "马上",
        "您这个月的电费",
        "儘快",
    ],
)
def test_vague_words_are_not_times(text: str) -> None:
    assert find_concrete_time(fold(text).view) is None


def test_search_stays_fast_on_long_digit_runs() -> None:
    # Bounded quantifiers: a megabyte of digits with no unit is a linear scan, not quadratic.
    assert find_concrete_time("9" * 1_000_000) is None
