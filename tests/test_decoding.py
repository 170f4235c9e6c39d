"""Encodings (issue 15): a file's encoding is decided on the whole file first, per line
only when it truly mixes; bytes two codecs read are read as the more plausible Chinese.
Any Chinese text in GB18030 reads back as written, from one character on; Big5 does
unless every character is a common GB18030 character too."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Transcript
from replylint.readers import read_path
from replylint.readers.decoding import decode_document, decode_line
from replylint.readers.plausible import decodable_pairs, hanzi_count, plausibility
from tests.fault_files import FAULTS, WITNESS


def _common(codec: str) -> list[str]:
    """The common hanzi of a codec: GB2312's for GB18030, Big5's level 1 for Big5."""
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    if codec == "gb18030":
        found = decodable_pairs(range(0xB0, 0xF8), trails, "gb2312")
    else:
        found = decodable_pairs(range(0xA4, 0xC7), trails, "big5")
    return sorted(c for c in found if c.isalpha())


PUNCTUATION = "，。？！：；、“”（）《》…—"
SIMPLIFIED = _common("gb18030")
TRADITIONAL = _common("big5")


def chinese(hanzi: list[str]) -> st.SearchStrategy[str]:
    """Chinese text: hanzi first, then any mix of hanzi, Chinese punctuation, ASCII
    letters, digits and spaces."""
    rest = st.text(st.sampled_from([*hanzi, *PUNCTUATION, *"abcXYZ0123456789 "]), max_size=40)
    return st.builds(lambda first, more: first + more, st.sampled_from(hanzi), rest)


@settings(max_examples=400, deadline=None)
@given(text=chinese(SIMPLIFIED))
def test_any_chinese_text_in_gb18030_reads_back_as_written(text: str) -> None:
    data = text.encode("gb18030")
    assert decode_document(data).text == text
    assert decode_line(data) == text


def _ambiguous(text: str) -> bool:
    """Big5 bytes that GB18030 reads as common Chinese too, as many hanzi: no reading of
    the bytes alone can tell them apart, and ties go to GB18030."""
    as_gb = text.encode("cp950").decode("gb18030", errors="replace")
    return plausibility(as_gb)[0] == 1.0 and hanzi_count(as_gb) == hanzi_count(text)


@settings(max_examples=400, deadline=None)
@given(text=chinese(TRADITIONAL))
def test_any_chinese_text_in_big5_reads_back_unless_gb18030_reads_it_as_well(text: str) -> None:
    data = text.encode("cp950")
    for decoded in (decode_document(data).text, decode_line(data)):
        assert decoded == text or (_ambiguous(text) and decoded == data.decode("gb18030"))


def test_short_gbk_lines_that_are_valid_utf8_read_as_chinese_not_cyrillic() -> None:
    """谢谢 in GBK is valid UTF-8 (лл): it was read so, in CSV and JSONL alike."""
    for name in ("short-gbk.csv", "short-gbk.jsonl"):
        calls = [item for item in read_path(FAULTS / name) if isinstance(item, Transcript)]
        texts = [turn.text for call in calls for turn in call.turns]
        assert "谢谢" in texts
        assert not any("л" in text for text in texts)


def test_an_emoji_row_costs_a_gb18030_table_nothing(tmp_path: Path) -> None:
    """A GB18030 export whose short lines are valid UTF-8 too (谢谢) and one row of emoji
    was refused whole: 0 of its calls read."""
    rows = ["call_id,role,text"]
    for n in range(2_000):
        rows += [f"c{n},customer,谢谢", f"c{n},agent,{WITNESS}"]
    rows[999] = "c499,customer,好的😀😀"  # the customer turn of call c499
    path = tmp_path / "calls.csv"
    path.write_bytes("\r\n".join(rows).encode("gb18030"))
    calls = [item for item in read_path(path) if isinstance(item, Transcript)]
    assert len(calls) == 2_000
    assert [turn.text for turn in calls[499].turns] == ["好的😀😀", WITNESS]
    assert all(call.turns[0].text == "谢谢" for call in calls if call.id != "c499")


def test_a_file_that_truly_mixes_encodings_is_read_line_by_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "u", "turns": [{"role": "agent", "text": WITNESS}]}, ensure_ascii=False),
        json.dumps({"id": "g", "turns": [{"role": "agent", "text": "谢谢"}]}, ensure_ascii=False),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(lines[0].encode() + b"\n" + lines[1].encode("gbk") + b"\n")
    texts = [t.turns[0].text for t in read_path(path) if isinstance(t, Transcript)]
    assert texts == [WITNESS, "谢谢"]


def test_a_jsonl_file_s_short_lines_are_read_in_the_file_s_own_encoding(tmp_path: Path) -> None:
    """A character whose Big5 bytes GB18030 reads as a common hanzi too, alone on a
    line: in a Big5 file it is Big5 (ties go to the encoding of the file's first lines)."""
    twin = next(char for char in TRADITIONAL if _ambiguous(char))
    calls = [
        {"id": f"t{n}", "turns": [{"role": "agent", "text": "這個我不知道" * 20}]} for n in range(3)
    ]
    calls.append({"id": "twin", "turns": [{"role": "agent", "text": twin}]})
    path = tmp_path / "big5.jsonl"
    path.write_bytes(
        b"".join(json.dumps(c, ensure_ascii=False).encode("cp950") + b"\n" for c in calls)
    )
    read = {t.id: t.turns[0].text for t in read_path(path) if isinstance(t, Transcript)}
    assert read["twin"] == twin
    assert decode_line(twin.encode("cp950")) != twin  # alone, the tie goes to GB18030
