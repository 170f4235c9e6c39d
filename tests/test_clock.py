"""Clock times: one grammar for a transcript line's timestamp and a table's time cell."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint.readers.clock import clock_text, leading_timestamp, time_ms


@pytest.mark.parametrize(
    ("clock", "ms"),
    [
        ("00:01", 1_000),
        ("01:02", 62_000),
        ("1:2", 62_000),
        ("00:01:02", 62_000),
        ("01:02.5", 62_500),
        ("01:02,25", 62_250),
        ("1:00:00", 3_600_000),
        ("100:00:00.001", 360_000_001),
    ],
)
def test_a_clock_time_reads_the_same_in_a_line_and_in_a_cell(clock: str, ms: int) -> None:
    assert time_ms(clock) == ms
    assert leading_timestamp(f"[{clock}] 客服：您好") == (ms, None, len(clock) + 3)
    assert leading_timestamp(f"{clock} 客服：您好") == (ms, None, len(clock) + 1)


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("[00:01.2-00:04.5] 客服：您好", 1_200, 4_500),
        ("[00:00:01,200 --> 00:00:04,500] 客服：您好", 1_200, 4_500),
        ("［00:01～00:03］客服：您好", 1_000, 3_000),
    ],
)
def test_a_timestamp_may_be_a_range(line: str, start: int, end: int) -> None:
    stamp = leading_timestamp(line)
    assert stamp is not None
    assert (stamp.start_ms, stamp.end_ms, line[stamp.end :]) == (start, end, "客服：您好")


@pytest.mark.parametrize("value", ["62000", "62000.4"])
def test_a_cell_may_hold_milliseconds(value: str) -> None:
    assert time_ms(value) == 62_000


@pytest.mark.parametrize("value", ["", "yesterday", "2024-05-01 10:00:00", "1:2:3:4", "01:02.1234"])
def test_anything_else_is_no_time(value: str) -> None:
    assert time_ms(value) is None


@pytest.mark.parametrize("line", ["客服：您好", "[00:01 客服：您好", "2024年 客服：您好"])
def test_a_line_without_a_leading_clock_has_no_timestamp(line: str) -> None:
    assert leading_timestamp(line) is None


@given(st.integers(min_value=0, max_value=10**10))
def test_a_duration_written_as_a_clock_time_reads_back(ms: int) -> None:
    assert time_ms(clock_text(ms)) == ms
