"""CSV and XLSX tables: both layouts, header recognition, encodings, errors by file and row."""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import replylint
from replylint.fields import CALL_FIELDS, COLUMN_ALIASES
from replylint.model import ReadError, ReadErrorKind, Role, Transcript, Turn
from replylint.readers import parse_column_mapping, read_table
from replylint.text.normalize import fold_phrase
from tests.conftest import CONTRACT_RULES

A, C = Role.AGENT, Role.CUSTOMER

TURN_HEADER = ("通话ID", "序号", "角色", "内容", "坐席工号", "坐席姓名", "班组", "区域", "日期")
# Rows of two calls interleaved, c1 out of order; c3 has a role nobody knows.
TURN_ROWS = (
    ("c1", "1", "坐席", "您好，很高兴为您服务", "1001", "张三", "一组", "华东", "2024-05-01"),
    ("c2", "1", "客户", "账单多扣了钱", "1002", "李四", "二组", "华南", "2024-05-02"),
    ("c1", "3", "坐席", "这个我不知道，不清楚。", "1001", "张三", "一组", "华东", "2024-05-01"),
    ("c1", "2", "客户", "我的宽带坏了", "9999", "王五", "三组", "", "2024-05-09"),
    ("c3", "1", "主管", "嗯", "1003", "赵六", "三组", "华北", "2024-05-03"),
    ("c2", "2", "坐席", "非常抱歉，我马上为您核实。", "1002", "李四", "二组", "华南", "2024-05-02"),
)
C1 = (
    Turn(A, "您好，很高兴为您服务"),
    Turn(C, "我的宽带坏了"),
    Turn(A, "这个我不知道，不清楚。"),
)
C1_META = {
    "agent": "1001",
    "agent_name": "张三",
    "team": "一组",
    "region": "华东",
    "date": "2024-05-01",
}
C2 = (Turn(C, "账单多扣了钱"), Turn(A, "非常抱歉，我马上为您核实。"))


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8-sig", delimiter: str = ","
) -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(path)
    return path


def read(path: Path, **options: object) -> list[Transcript | ReadError]:
    return list(read_table(path, **options))  # type: ignore[arg-type]


def transcripts(items: Sequence[Transcript | ReadError]) -> list[Transcript]:
    return [item for item in items if isinstance(item, Transcript)]


def errors(items: Sequence[Transcript | ReadError]) -> list[tuple[int | None, ReadErrorKind]]:
    return [(item.line, item.kind) for item in items if isinstance(item, ReadError)]


def the_error(items: Sequence[Transcript | ReadError]) -> ReadError:
    (error,) = items
    assert isinstance(error, ReadError)
    return error


def names(error: ReadError, *facts: str) -> bool:
    """Whether the message names each of these facts (a header, a row, an id), in whatever
    words: what the error says, not how."""
    return all(fact in error.message for fact in facts)


SHAPE, COLUMNS, DECODE = ReadErrorKind.SHAPE, ReadErrorKind.COLUMNS, ReadErrorKind.DECODE


# --------------------------------------------------------------------------- one row per turn


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_turn_rows_group_by_call_in_first_seen_order(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "calls.csv", [TURN_HEADER, *TURN_ROWS], encoding)
    items = read(path)
    source = str(path)
    assert items[:2] == [
        Transcript("c1", C1, C1_META, source=source, line=2),
        Transcript(
            "c2",
            C2,
            {
                "agent": "1002",
                "agent_name": "李四",
                "team": "二组",
                "region": "华南",
                "date": "2024-05-02",
            },
            source=source,
            line=3,
        ),
    ]
    error = the_error(items[2:])
    assert (error.source, error.line, error.kind) == (source, 6, SHAPE)
    assert names(error, "'主管'", "'c3'")


def test_without_a_turn_column_rows_keep_file_order(tmp_path: Path) -> None:
    rows = [
        ("会话ID", "说话人", "文本"),
        ("a", "客户", "一"),
        ("b", "坐席", "二"),
        ("a", "客服", "三"),
    ]
    items = read(write_csv(tmp_path / "t.csv", rows))
    assert [(t.id, [(turn.role, turn.text) for turn in t.turns]) for t in transcripts(items)] == [
        ("a", [(C, "一"), (A, "三")]),
        ("b", [(A, "二")]),
    ]


def test_every_bad_row_of_a_call_is_named_in_one_error(tmp_path: Path) -> None:
    rows = [
        ("id", "role", "text", "turn", "start"),
        ("x", "agent", "ok", "1", "0"),
        ("x", "", "no role", "2", "10"),
        ("x", "agent", "bad turn", "二", "20"),
        ("x", "agent", "bad time", "4", "yesterday"),
        ("y", "agent", "fine", "1", "5"),
        ("", "agent", "orphan", "1", "5"),
    ]
    items = read(write_csv(tmp_path / "t.csv", rows))
    assert errors(items) == [(7, SHAPE), (3, SHAPE)]
    row_errors = [item for item in items if isinstance(item, ReadError)]
    assert names(row_errors[1], "'x'", "row 4", "'二'", "row 5", "'yesterday'")
    assert [t.id for t in transcripts(items)] == ["y"]


def test_start_and_end_as_milliseconds_or_clock_times(tmp_path: Path) -> None:
    rows = [
        ("call_id", "speaker", "content", "start", "end"),
        ("k", "agent", "a", "1500", "2999.6"),
        ("k", "customer", "b", "01:02.5", "1:00:00"),
        ("k", "agent", "c", "", ""),
    ]
    (call,) = read(write_csv(tmp_path / "t.csv", rows))
    assert isinstance(call, Transcript)
    assert [(t.start_ms, t.end_ms) for t in call.turns] == [
        (1500, 3000),
        (62500, 3600000),
        (None, None),
    ]


def test_conflicting_metadata_keeps_the_first_row(tmp_path: Path) -> None:
    (call, *_) = read(write_csv(tmp_path / "calls.csv", [TURN_HEADER, *TURN_ROWS]))
    assert isinstance(call, Transcript)
    assert call.meta["agent_name"] == "张三"  # row 4 says 王五


def test_english_headers_ignore_case_spaces_and_punctuation(tmp_path: Path) -> None:
    rows = [
        ("Call ID", " ROLE ", "Text", "Agent_ID", "Agent Name", "TEAM", "Channel", "Date"),
        ("e1", "Agent", "hello", "7", "Ann", "T1", "chat", "2024/5/1"),
    ]
    (call,) = read(write_csv(tmp_path / "t.csv", rows))
    assert isinstance(call, Transcript)
    assert dict(call.meta) == {
        "agent": "7",
        "agent_name": "Ann",
        "team": "T1",
        "channel": "chat",
        "date": "2024/5/1",
    }


def test_missing_role_column_gives_the_default_role(tmp_path: Path) -> None:
    rows = [("工单号", "话术"), ("w1", "稍后给您回电")]
    path = write_csv(tmp_path / "t.csv", rows)
    (call,) = read(path, default_role=Role.CUSTOMER)
    assert isinstance(call, Transcript)
    assert call.turns == (Turn(C, "稍后给您回电"),)


@pytest.mark.parametrize(("delimiter", "suffix"), [("\t", ".tsv"), (";", ".csv"), ("\t", ".csv")])
def test_tab_and_semicolon_delimiters(tmp_path: Path, delimiter: str, suffix: str) -> None:
    rows = [("通话ID", "角色", "内容"), ("d1", "坐席", "您好，请讲")]
    items = read(write_csv(tmp_path / f"t{suffix}", rows, delimiter=delimiter))
    assert [(t.id, t.turns) for t in transcripts(items)] == [("d1", (Turn(A, "您好，请讲"),))]


def test_quoted_multiline_cells_and_row_numbers_of_later_records(tmp_path: Path) -> None:
    rows = [("通话ID", "角色", "内容"), ("m1", "坐席", "第一行\n第二行"), ("m2", "经理", "嗯")]
    path = write_csv(tmp_path / "t.csv", rows)
    items = read(path)
    assert transcripts(items)[0].turns == (Turn(A, "第一行\n第二行"),)
    assert errors(items) == [(4, SHAPE)]


# --------------------------------------------------------------------------- XLSX


def test_xlsx_turn_rows_with_excel_types_and_a_title_row(tmp_path: Path) -> None:
    rows: list[Sequence[object]] = [
        ("五月通话明细",),
        ("通話ID", "說話人", "內容", "坐席工號", "日期", "开始时间", "轮次"),
        (
            1001.0,
            "客服",
            "这个我不知道，不清楚。",
            7.0,
            dt.datetime(2024, 5, 1),
            dt.time(0, 1, 2, 500000),
            2,
        ),
        (),
        (None, None, None),
        (1001, "客戶", "怎么又断网了", 7, dt.datetime(2024, 5, 1), "00:00:30", 1),
        (12.5, "客户", "小数编号", None, dt.date(2024, 5, 2), 0, 1),
    ]
    path = write_xlsx(tmp_path / "calls.xlsx", rows)
    items = read(path)
    assert items == [
        Transcript(
            "1001",
            (Turn(C, "怎么又断网了", 30000), Turn(A, "这个我不知道，不清楚。", 62500)),
            {"agent": "7", "date": "2024-05-01"},
            source=str(path),
            line=3,
        ),
        Transcript(
            "12.5", (Turn(C, "小数编号", 0),), {"date": "2024-05-02"}, source=str(path), line=7
        ),
    ]


def test_xlsx_reads_the_first_sheet_only(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["通话ID", "角色", "内容"])
    workbook.active.append(["s1", "坐席", "第一个表"])
    other = workbook.create_sheet("其他")
    other.append(["通话ID", "角色", "内容"])
    other.append(["s2", "坐席", "第二个表"])
    workbook.save(tmp_path / "two.xlsx")
    assert [t.id for t in transcripts(read(tmp_path / "two.xlsx"))] == ["s1"]


def test_damaged_xlsx_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    (error,) = read(path)
    assert isinstance(error, ReadError)
    assert (error.source, error.line, error.kind) == (str(path), None, ReadErrorKind.WORKBOOK)


# --------------------------------------------------------------------------- one row per call


def test_call_rows_with_a_plain_text_transcript(tmp_path: Path) -> None:
    rows = [
        ("通话编号", "对话内容", "坐席工号", "班组", "渠道"),
        ("p1", "客户：我的宽带坏了\n坐席：这个我不知道，不清楚。", "1001", "一组", "电话"),
        ("p2", "", "1002", "二组", "电话"),
        ("p1", "坐席：重复的编号", "1001", "一组", "电话"),
        ("p3", "我们会尽快处理", "", "", ""),
    ]
    path = write_csv(tmp_path / "calls.csv", rows)
    items = read(path)
    source = str(path)
    assert transcripts(items) == [
        Transcript(
            "p1",
            (Turn(C, "我的宽带坏了"), Turn(A, "这个我不知道，不清楚。")),
            {"agent": "1001", "team": "一组", "channel": "电话"},
            source=source,
            line=2,
        ),
        Transcript("p3", (Turn(A, "我们会尽快处理"),), {}, source=source, line=6),
    ]
    assert [type(item) for item in items] == [Transcript, ReadError, ReadError, Transcript]
    assert errors(items) == [(4, SHAPE), (5, SHAPE)]  # p1 took lines 2 and 3
    empty, duplicate = (item for item in items if isinstance(item, ReadError))
    assert names(empty, "'p2'")
    assert names(duplicate, "'p1'", "row 2")


def test_call_rows_in_xlsx(tmp_path: Path) -> None:
    rows = [("id", "transcript", "date"), (7.0, "坐席：您好\n客户：你好", dt.datetime(2024, 6, 3))]
    (call,) = read(write_xlsx(tmp_path / "calls.xlsx", rows))
    assert isinstance(call, Transcript)
    assert (call.id, call.turns, dict(call.meta)) == (
        "7",
        (Turn(A, "您好"), Turn(C, "你好")),
        {"date": "2024-06-03"},
    )


def test_a_text_column_means_one_row_per_turn_even_with_a_transcript_column(
    tmp_path: Path,
) -> None:
    rows = [("id", "transcript", "text", "role"), ("b", "坐席：整段", "单句", "客户")]
    (call,) = read(write_csv(tmp_path / "t.csv", rows))
    assert isinstance(call, Transcript)
    assert call.turns == (Turn(C, "单句"),)


# --------------------------------------------------------------------------- column mapping


def test_no_header_is_recognised_as_two_fields() -> None:
    folded = [fold_phrase(alias) for field in CALL_FIELDS for alias in field.aliases]
    assert len(folded) == len(set(folded))


def test_a_field_is_shown_under_its_usual_chinese_header() -> None:
    labels = {field.name: field.label for field in CALL_FIELDS if field.meta}
    assert labels == {
        "agent": "坐席工号",
        "agent_name": "坐席姓名",
        "team": "班组",
        "region": "区域",
        "date": "日期",
        "channel": "渠道",
        "industry": "行业",
        "direction": "呼叫类型",
    }


def test_explicit_mapping_names_unrecognised_headers(tmp_path: Path) -> None:
    rows = [("编号", "发言方", "说明", "内容"), ("m1", "坐席", "映射的列", "被忽略的列")]
    path = write_csv(tmp_path / "t.csv", rows)
    mapping = parse_column_mapping("id=编号, role=发言方，text=说明")
    (call,) = read(path, columns=mapping)
    assert isinstance(call, Transcript)
    assert (call.id, call.turns) == ("m1", (Turn(A, "映射的列"),))


def test_mapping_a_field_to_nothing_ignores_that_column(tmp_path: Path) -> None:
    rows = [("通话ID", "角色", "内容", "开始时间"), ("n1", "坐席", "您好", "2024-05-01 10:00:00")]
    path = write_csv(tmp_path / "t.csv", rows)
    assert errors(read(path)) == [(2, SHAPE)]
    (call,) = read(path, columns=parse_column_mapping("start="))
    assert isinstance(call, Transcript)
    assert call.turns == (Turn(A, "您好"),)


def test_mapping_to_a_missing_header_is_one_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [("通话ID", "内容"), ("x", "y")])
    missing = the_error(read(path, columns={"text": "正文"}))
    assert (missing.line, missing.kind) == (1, COLUMNS)
    assert names(missing, "'正文'", "text", "通话ID", "内容")
    unknown = the_error(read(path, columns={"body": "内容"}))
    assert (unknown.line, unknown.kind) == (None, COLUMNS)
    assert names(unknown, "'body'", *(field.name for field in CALL_FIELDS))


def test_parse_column_mapping() -> None:
    assert parse_column_mapping(" id=通话ID ,ROLE=角色，text = 内容 ,start=") == {
        "id": "通话ID",
        "role": "角色",
        "text": "内容",
        "start": "",
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("id", "bad column mapping 'id': expected FIELD=HEADER, e.g. id=通话ID"),
        ("=通话ID", "bad column mapping '=通话ID': expected FIELD=HEADER"),
        ("body=内容", "unknown field 'body' in column mapping; fields: id, role, text"),
        ("id=a,id=b", "field 'id' is mapped twice in the column mapping"),
        (" , ", "empty column mapping: expected FIELD=HEADER items"),
    ],
)
def test_parse_column_mapping_errors(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse_column_mapping(spec)


# --------------------------------------------------------------------------- whole-file errors


def test_missing_columns_is_one_error_listing_found_and_expected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [("编号", "备注"), ("1", "hello"), ("2", "world")])
    error = the_error(read(path))
    assert (error.line, error.kind) == (1, COLUMNS)
    expected = [alias for name in ("id", "text", "transcript") for alias in COLUMN_ALIASES[name]]
    assert names(error, "编号", "备注", *expected)


def test_forced_encoding_reports_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gb.csv", [TURN_HEADER, *TURN_ROWS], encoding="gb18030")
    error = the_error(read(path, encoding="utf-8"))
    assert (error.line, error.kind) == (1, DECODE)
    assert len(transcripts(read(path, encoding="gb18030"))) == 2


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("empty.csv", b"\n\n", COLUMNS),  # no header row
        ("calls.xls", b"", ReadErrorKind.UNSUPPORTED),
        ("calls.ods", b"", ReadErrorKind.UNSUPPORTED),
        ("bad.csv", b"\xff\xfe\xfa", DECODE),  # a UTF-16 BOM, then junk
    ],
)
def test_unreadable_files_are_one_error(
    tmp_path: Path, name: str, content: bytes, kind: ReadErrorKind
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert the_error(read(path)).kind == kind


def test_missing_file_and_unknown_encoding(tmp_path: Path) -> None:
    missing = the_error(read(tmp_path / "nope.csv"))
    assert (missing.source, missing.line) == (str(tmp_path / "nope.csv"), None)
    assert missing.kind == ReadErrorKind.MISSING
    path = write_csv(tmp_path / "t.csv", [("id", "text"), ("a", "b")])
    assert the_error(read(path, encoding="klingon")).kind == ReadErrorKind.UNKNOWN_ENCODING


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_bytes_give_transcripts_or_errors_never_an_exception(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in ("t.csv", "t.xlsx"):
            path = Path(folder, name)
            path.write_bytes(b"id,role,text\n" + data if name == "t.csv" else data)
            for item in read_table(path):
                assert isinstance(item, Transcript | ReadError)


# --------------------------------------------------------------------------- end to end


def test_table_transcripts_lint_with_their_metadata(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "calls.csv", [TURN_HEADER, *TURN_ROWS], "gb18030")
    linter = replylint.Linter(CONTRACT_RULES)  # the calls have no opening or goodbye
    findings = [
        (t.id, t.meta.get("team"), f.turn, f.rule, f.text)
        for t in transcripts(read(path))
        for f in linter.lint(t)
    ]
    assert findings == [("c1", "一组", 2, "FP005", "我不知道，不清楚")]


def test_a_call_s_metadata_comes_from_the_first_row_that_fills_it(tmp_path: Path) -> None:
    sheet = tmp_path / "calls.csv"
    sheet.write_text(
        "通话ID,角色,内容,行业,班组\n1002,客服,您好,,一组\n1002,客户,停电了,电力,二组\n",
        encoding="utf-8",
    )
    (call,) = read_table(sheet)
    assert isinstance(call, Transcript)
    assert dict(call.meta) == {"industry": "电力", "team": "一组"}
