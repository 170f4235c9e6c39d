"""The fault suite of `--redact` (issue 16 item 11): numbers written as documents, phones
and exports write them are masked too."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from replylint import Role, Transcript, Turn
from replylint.redact import MASK, redact, redact_transcript

MOBILE = "13812345678"


@pytest.mark.parametrize(
    "separator",
    [
        "\u2009",  # thin space
        "\u202f",  # narrow no-break space
        "\u2007",  # figure space
        "\u2012",  # figure dash
        "\u2212",  # minus sign
    ],
)
def test_a_number_split_by_a_typographic_space_or_dash_is_masked(separator: str) -> None:
    text = f"电话138{separator}1234{separator}5678，谢谢"
    assert redact(text) == f"电话138{separator}{MASK * 4}{separator}5678，谢谢"


@pytest.mark.parametrize("prefix", ["0086", "+86", "0086 ", "+86 "])
def test_a_mobile_number_with_its_country_code_is_masked(prefix: str) -> None:
    masked = redact(f"电话{prefix}{MOBILE}好")
    assert MOBILE not in masked.replace(" ", "")
    assert masked.endswith(f"138{MASK * 4}5678好")


def test_a_number_stored_as_a_float_in_metadata_is_masked() -> None:
    meta = {"phone": 13812345678.0, "duration": 65.0, "score": 0.5}
    call = Transcript("c1", (Turn(Role.AGENT, "您好"),), meta=MappingProxyType(meta))
    shown = redact_transcript(call).meta
    assert shown["phone"] == f"138{MASK * 4}5678"
    assert (shown["duration"], shown["score"]) == (65.0, 0.5)


def test_amounts_are_left_alone() -> None:
    assert redact("共计1000\u20092000\u20093000元") == "共计1000\u20092000\u20093000元"
