"""Readers: files in, transcripts (or located errors) out, nothing dropped."""

from __future__ import annotations

import codecs
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint.model import ReadError, ReadErrorKind, Role, Transcript, Turn
from replylint.readers import (
    FORMATS,
    STREAM_FORMATS,
    parse_role,
    parse_text,
    parse_transcript_obj,
    read_path,
    read_paths,
    read_unit,
    read_units,
)
from replylint.readers.registry import sniff

A, C, S = Role.AGENT, Role.CUSTOMER, Role.SYSTEM
ROOT = Path(__file__).parent.parent


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def jsonl(*objects: object) -> str:
    return "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in objects)


def call(transcript_id: str, *turns: tuple[str, str]) -> dict[str, Any]:
    return {"id": transcript_id, "turns": [{"role": r, "text": t} for r, t in turns]}


def pairs(transcript: Transcript) -> list[tuple[Role, str]]:
    return [(turn.role, turn.text) for turn in transcript.turns]


def summary(items: Iterable[Transcript | ReadError]) -> list[tuple[str, str, int | None]]:
    """Each item as ("T", id, line) or ("E", error kind, line): compact enough to assert
    whole streams."""
    return [
        ("T", item.id, item.line) if isinstance(item, Transcript) else ("E", item.kind, item.line)
        for item in items
    ]


def names(error: Transcript | ReadError, *facts: str) -> bool:
    """Whether an error's message names each of these facts (a key, an id, a number), in
    whatever words: what the error says, not how."""
    return isinstance(error, ReadError) and all(fact in error.message for fact in facts)


SHAPE, DECODE, JSON_SYNTAX = ReadErrorKind.SHAPE, ReadErrorKind.DECODE, ReadErrorKind.JSON_SYNTAX
OVER_LIMIT, MISSING = ReadErrorKind.OVER_LIMIT, ReadErrorKind.MISSING


# --------------------------------------------------------------------------- parse_role


@pytest.mark.parametrize(
    ("label", "role"),
    [
        *[(w, A) for w in ["agent", "坐席", "座席", "客服", "话务员", "話務員", "工作人员"]],
        *[(w, A) for w in ["工作人員", "客服人员", "客服人員", "人工客服", "客服代表"]],
        *[(w, C) for w in ["customer", "user", "client", "客户", "客戶", "用户", "用戶"]],
        *[(w, C) for w in ["顾客", "顧客", "来电人", "來電人", "来电者", "來電者", "客人"]],
        *[(w, S) for w in ["system", "IVR", "系统", "系統"]],
        ("Agent", A),
        ("CUSTOMER", C),
        ("ＡＧＥＮＴ", A),
        ("ｕｓｅｒ", C),
        ("  客服\t", A),
        ("\u3000客户\u3000", C),
    ],
)
def test_parse_role_knows_labels_in_both_scripts_any_case_and_width(label: str, role: Role) -> None:
    assert parse_role(label) is role


@pytest.mark.parametrize("label", ["", "主管", "注意", "机器人", "agents", "坐席1023", "客服 代表"])
def test_parse_role_rejects_anything_else(label: str) -> None:
    assert parse_role(label) is None


# --------------------------------------------------------------------------- parse_text


def test_parse_text_reads_one_turn_per_labelled_line_with_either_colon() -> None:
    transcript = parse_text(
        "坐席：您好，请问有什么可以帮您？\n客戶:我想退款\n系统：通话转接中",
        transcript_id="c1",
        source="calls/c1.txt",
    )
    assert transcript.id == "c1"
    assert transcript.source == "calls/c1.txt"
    assert transcript.line is None
    assert transcript.turns == (
        Turn(A, "您好，请问有什么可以帮您？"),
        Turn(C, "我想退款"),
        Turn(S, "通话转接中"),
    )


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("坐席(1023)", A),
        ("坐席（1023）", A),
        ("客服【工号1023】", A),
        ("客服[小王]", A),
        ("客服［小王］", A),
        ("坐席1023", A),
        ("客服A12", A),
        ("agent-7", A),
        ("Agent 7", A),
        ("agent#7", A),
        ("客服小王", A),
        ("客服小王(1023)", A),
        ("客戶陳先生", C),
        ("用户 (138****0000)", C),
        ("ＡＧＥＮＴ", A),
    ],
)
def test_parse_text_labels_may_carry_an_id_or_name(label: str, role: Role) -> None:
    transcript = parse_text(f"{label}：好的", transcript_id="t", default_role=S)
    assert pairs(transcript) == [(role, "好的")]


@pytest.mark.parametrize(
    "line",
    [
        "注意：请核实身份",
        "客户反映的问题：网络卡顿",  # role word + 5 CJK chars: prose, not a name
        "备注:客户已挂机",
        "users: 3",
        "user id: 42",
        "时间:10:30",
        "http://example.com",
        "我是客服：有问题请说",
    ],
)
def test_parse_text_only_known_role_words_make_a_label(line: str) -> None:
    transcript = parse_text(f"客服：您好\n{line}", transcript_id="t")
    assert pairs(transcript) == [(A, f"您好\n{line}")]


@pytest.mark.parametrize(
    ("stamp", "start_ms"),
    [
        ("[00:01:02]", 62_000),
        ("[00:01:02] ", 62_000),
        ("00:01:02 ", 62_000),
        ("[01:02]", 62_000),
        ("［01:02］", 62_000),
        ("01:02 ", 62_000),
        ("00:01:02.500 ", 62_500),
        ("00:01:02.5 ", 62_500),
        ("[1:00:00,042]", 3_600_042),
    ],
)
def test_parse_text_leading_timestamp_sets_start_ms(stamp: str, start_ms: int) -> None:
    transcript = parse_text(f"{stamp}客户：在吗", transcript_id="t")
    assert transcript.turns == (Turn(C, "在吗", start_ms=start_ms),)


def test_parse_text_timestamp_without_label_is_plain_content() -> None:
    transcript = parse_text("客服：稍等\n[00:00:05] 嘟嘟声", transcript_id="t")
    assert transcript.turns == (Turn(A, "稍等\n[00:00:05] 嘟嘟声"),)


def test_parse_text_unlabelled_lines_continue_the_previous_turn() -> None:
    text = "客户：我的订单\r\n  还没到\r\n\r\n   \r\n已经三天了\r\n客服：我查一下"
    assert pairs(parse_text(text, transcript_id="t")) == [
        (C, "我的订单\n还没到\n已经三天了"),
        (A, "我查一下"),
    ]


def test_parse_text_keeps_text_exactly_after_the_single_separator() -> None:
    transcript = parse_text(
        "客户：  我 不 知 道  \n客服：：冒号开头\n客服:a:b：c", transcript_id="t"
    )
    assert pairs(transcript) == [(C, "我 不 知 道"), (A, "：冒号开头"), (A, "a:b：c")]


def test_parse_text_label_with_empty_content_takes_the_following_lines() -> None:
    transcript = parse_text("客服：\n您好\n客户：", transcript_id="t")
    assert pairs(transcript) == [(A, "您好"), (C, "")]


def test_parse_text_leading_unlabelled_lines_form_a_default_role_turn() -> None:
    transcript = parse_text("（通话开始）\n录音提示\n客户：喂", transcript_id="t", default_role=S)
    assert pairs(transcript) == [(S, "（通话开始）\n录音提示"), (C, "喂")]


def test_parse_text_without_any_label_is_a_draft_one_turn_per_line() -> None:
    draft = "\ufeff您好，感谢您的耐心等待。\n\n注意：不要承诺退款时间\r\n祝您生活愉快！\n"
    transcript = parse_text(draft, transcript_id="draft", default_role=C)
    assert pairs(transcript) == [
        (C, "您好，感谢您的耐心等待。"),
        (C, "注意：不要承诺退款时间"),
        (C, "祝您生活愉快！"),
    ]


@pytest.mark.parametrize("text", ["", "\n\n", " \r\n\t"])
def test_parse_text_of_nothing_has_no_turns(text: str) -> None:
    assert parse_text(text, transcript_id="t").turns == ()


# --------------------------------------------------------------------------- parse_transcript_obj


def parse(obj: object) -> Transcript | ReadError:
    return parse_transcript_obj(obj, source="f.jsonl", line=7, fallback_id="f:7")


def test_parse_transcript_obj_reads_a_full_object() -> None:
    obj = {
        "id": 1001,
        "turns": [
            {"role": "坐席", "text": "您好", "start": 1200, "end": 3400},
            {"role": "Customer", "content": "", "begin": 3500.4, "end": None},
            {"role": "system", "words": "转接中", "speaker_id": 3},
        ],
        "meta": {"agent": "小王", "team": "A"},
        "channel": "phone",
    }
    transcript = parse(obj)
    assert transcript == Transcript(
        id="1001",
        turns=(
            Turn(A, "您好", 1200, 3400),
            Turn(C, "", 3500, None),
            Turn(S, "转接中"),
        ),
        meta={"agent": "小王", "team": "A"},
        source="f.jsonl",
        line=7,
    )


def test_parse_transcript_obj_falls_back_on_missing_id_and_allows_no_meta() -> None:
    transcript = parse({"turns": [], "meta": None})
    assert isinstance(transcript, Transcript)
    assert (transcript.id, transcript.turns, dict(transcript.meta)) == ("f:7", (), {})


@pytest.mark.parametrize(
    ("obj", "facts"),
    [
        (["x"], ("list",)),
        ({"id": True, "turns": []}, ('"id"', "True")),
        ({"id": ""}, ('"id"',)),
        ({"id": "c001"}, ("'c001'", '"turns"')),
        ({"id": "c001", "turns": "x"}, ("'c001'", '"turns"', "str")),
        ({"turns": {}}, ("'f:7'", '"turns"')),
        ({"id": "c001", "turns": ["hi"]}, ("'c001'", "turn 0", "str")),
        (
            {
                "id": "c001",
                "turns": [{"role": "agent", "text": "a"}] * 3 + [{"role": "主管", "text": "b"}],
            },
            ("'c001'", "turn 3", "'主管'"),
        ),
        ({"id": "c", "turns": [{"text": "a"}]}, ("'c'", "turn 0", '"role"')),
        ({"id": "c", "turns": [{"role": 1, "text": "a"}]}, ("turn 0", '"role"', "int")),
        ({"id": "c", "turns": [{"role": "agent"}]}, ("turn 0", '"text"')),
        ({"id": "c", "turns": [{"role": "agent", "text": 12}]}, ("turn 0", '"text"', "int")),
        ({"id": "c", "turns": [{"role": "agent", "text": None}]}, ('"text"', "null")),
        ({"id": "c", "turns": [{"role": "agent", "words": ["a"]}]}, ('"words"', "list")),
        (
            {"id": "c", "turns": [{"role": "agent", "text": "a", "start": "1200"}]},
            ('"start"', "str"),
        ),
        ({"id": "c", "turns": [{"role": "agent", "text": "a", "end": True}]}, ('"end"', "bool")),
        ({"id": "c", "turns": [{"role": "agent", "text": "a", "begin": -5}]}, ('"begin"', "-5")),
        (
            {"id": "c", "turns": [{"role": "agent", "text": "a", "start": float("nan")}]},
            ('"start"', "nan"),
        ),
        ({"id": "c", "turns": [], "meta": ["x"]}, ("'c'", '"meta"', "list")),
    ],
)
def test_parse_transcript_obj_reports_what_is_wrong_and_where(
    obj: object, facts: tuple[str, ...]
) -> None:
    error = parse(obj)
    assert isinstance(error, ReadError)
    assert (error.source, error.line, error.kind) == ("f.jsonl", 7, SHAPE)
    assert names(error, *facts), error.message


# --------------------------------------------------------------------------- JSONL


def test_jsonl_one_transcript_per_line_blank_lines_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "calls.jsonl",
        jsonl(call("a", ("agent", "您好"))) + "\n  \n" + jsonl({"turns": []}),
    )
    items = list(read_path(path))
    assert summary(items) == [("T", "a", 1), ("T", "calls:4", 4)]
    assert items[0] == Transcript("a", (Turn(A, "您好"),), source=str(path), line=1)


def test_jsonl_malformed_line_in_the_middle_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    lines = [
        jsonl(call("a", ("agent", "1"))),
        '{"id": "b", "turns": [}\n',
        jsonl(call("c", ("user", "3"))),
    ]
    path = write(tmp_path / "calls.jsonl", "".join(lines))
    assert summary(read_path(path)) == [
        ("T", "a", 1),
        ("E", JSON_SYNTAX, 2),
        ("T", "c", 3),
    ]


def test_jsonl_invalid_transcript_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", jsonl(call("a"), {"id": "c001", "turns": "x"}, [1]))
    assert summary(read_path(path)) == [
        ("T", "a", 1),
        ("E", SHAPE, 2),
        ("E", SHAPE, 3),
    ]


def test_jsonl_undecodable_line_3_loses_only_line_3(tmp_path: Path) -> None:
    good = [jsonl(call(str(n), ("agent", "好"))).encode() for n in (1, 2, 4)]
    bad = b'{"id": "3", "turns": [{"role": "agent", "text": "\xff"}]}\n'
    path = write(tmp_path / "x.jsonl", good[0] + good[1] + bad + good[2])
    assert summary(read_path(path)) == [
        ("T", "1", 1),
        ("T", "2", 2),
        ("E", DECODE, 3),
        ("T", "4", 4),
    ]


def test_jsonl_lines_are_decoded_one_by_one_utf8_or_gb18030(tmp_path: Path) -> None:
    utf8 = jsonl(call("u", ("客服", "您好"))).encode("utf-8-sig")  # BOM on the first line
    gbk = jsonl(call("g", ("客户", "退款"))).encode("gb18030")
    items = list(read_path(write(tmp_path / "mixed.jsonl", utf8 + gbk)))
    assert [(t.id, pairs(t)) for t in items if isinstance(t, Transcript)] == [
        ("u", [(A, "您好")]),
        ("g", [(C, "退款")]),
    ]


def test_jsonl_in_utf16_with_bom(tmp_path: Path) -> None:
    text = jsonl(call("a", ("坐席", "您好"))) + "\n" + jsonl(call("b", ("客戶", "謝謝")))
    for codec in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
        path = write(tmp_path / f"{codec}.jsonl", bom + text.encode(codec))
        items = list(read_path(path))
        assert summary(items) == [("T", "a", 1), ("T", "b", 3)]
        assert [pairs(t) for t in items if isinstance(t, Transcript)] == [
            [(A, "您好")],
            [(C, "謝謝")],
        ]


# --------------------------------------------------------------------------- JSON


def test_json_single_object(tmp_path: Path) -> None:
    path = write(
        tmp_path / "one.json",
        "\n\n" + json.dumps({"turns": [{"role": "客服", "text": "您好"}]}, indent=2),
    )
    assert list(read_path(path)) == [
        Transcript("one", (Turn(A, "您好"),), source=str(path), line=3)
    ]


def test_json_list_reports_bad_elements_by_index_and_keeps_the_others(tmp_path: Path) -> None:
    elements = [call("a", ("agent", "1")), {"turns": "x"}, call("c", ("主管", "3")), {"turns": []}]
    path = write(tmp_path / "batch.json", json.dumps(elements, indent=1, ensure_ascii=False))
    items = list(read_path(path))
    assert summary(items) == [
        ("T", "a", 2),
        ("E", SHAPE, 11),
        ("E", SHAPE, 14),
        ("T", "batch#3", 23),
    ]
    assert names(items[1], "#1", "'batch#1'", '"turns"')
    assert names(items[2], "#2", "'c'", "turn 0", "'主管'")


def test_json_syntax_error_names_its_line_after_the_elements_before_it(tmp_path: Path) -> None:
    path = write(
        tmp_path / "broken.json", '[\n {"id": "a", "turns": []},\n {"id": "b", "turns": [,]}\n]'
    )
    assert summary(read_path(path)) == [
        ("T", "a", 2),
        ("E", JSON_SYNTAX, 3),
    ]


@pytest.mark.parametrize(
    ("content", "line", "kind"),
    [
        ("", 1, JSON_SYNTAX),
        ("[]", None, None),
        ('{"turns": []}\n\nx', 3, JSON_SYNTAX),
        ('[{"turns": []}] ]', 1, JSON_SYNTAX),
        ('[{"turns": []} {"turns": []}]', 1, JSON_SYNTAX),
        ('"just a string"', 1, SHAPE),
    ],
    ids=["empty", "empty-list", "extra-data", "extra-bracket", "missing-comma", "a-string"],
)
def test_json_document_level_problems(
    tmp_path: Path, content: str, line: int | None, kind: ReadErrorKind | None
) -> None:
    items = list(read_path(write(tmp_path / "d.json", content)))
    errors = [(i.source, i.line, i.kind) for i in items if isinstance(i, ReadError)]
    assert errors == ([] if kind is None else [(str(tmp_path / "d.json"), line, kind)])


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("cut.jsonl", '{"id": "a", "turns": [{"role": "agent", "text": "您好', 1),
        ("cut.json", '[\n{"id": "a", "turns": []},\n{"id": "b", "tu', 3),
    ],
)
def test_json_that_ends_too_early_is_reported_as_cut_short(
    tmp_path: Path, name: str, content: str, line: int
) -> None:
    [*_, error] = read_path(write(tmp_path / name, content))
    assert isinstance(error, ReadError)
    assert (error.line, error.kind) == (line, JSON_SYNTAX)
    assert names(error, "cut short")  # a hint to look for a truncated export


@pytest.mark.parametrize("content", ["[" * 100_000, "1" * 5_000, '{"id": ' + "9" * 5_000 + "}"])
def test_pathological_json_is_a_read_error_not_a_crash(tmp_path: Path, content: str) -> None:
    for name in ("p.json", "p.jsonl"):
        items = list(read_path(write(tmp_path / name, content)))
        assert len(items) == 1
        assert isinstance(items[0], ReadError)
        assert items[0].kind == OVER_LIMIT  # nested past the parser's limit, or digits past it


def test_forced_codec_without_error_positions_is_reported_without_a_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"\n\n")
    [error] = read_path(path, encoding="punycode")
    assert isinstance(error, ReadError)
    assert (error.source, error.line, error.kind) == (str(path), None, DECODE)
    assert names(error, "punycode")


def test_json_with_utf8_bom(tmp_path: Path) -> None:
    path = write(
        tmp_path / "bom.json",
        json.dumps(call("x", ("用户", "你好")), ensure_ascii=False).encode("utf-8-sig"),
    )
    assert [pairs(t) for t in read_path(path) if isinstance(t, Transcript)] == [[(C, "你好")]]


# --------------------------------------------------------------------------- TXT and encodings

TXT = "[00:00:01] 客服：您好\n客户：我要投诉\n"


def test_txt_file_is_one_transcript_named_after_its_stem(tmp_path: Path) -> None:
    path = write(tmp_path / "call-42.txt", TXT)
    assert list(read_path(path, default_role=C)) == [
        Transcript(
            "call-42", (Turn(A, "您好", 1000), Turn(C, "我要投诉")), source=str(path), line=1
        )
    ]


def test_txt_draft_uses_default_role(tmp_path: Path) -> None:
    path = write(tmp_path / "reply.txt", "您好\n请稍等")
    assert [pairs(t) for t in read_path(path, default_role=C) if isinstance(t, Transcript)] == [
        [(C, "您好"), (C, "请稍等")]
    ]


@pytest.mark.parametrize(
    "data",
    [
        TXT.encode("utf-8"),
        TXT.encode("utf-8-sig"),
        TXT.encode("gb18030"),
        TXT.encode("gbk"),
        codecs.BOM_UTF16_LE + TXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TXT.encode("utf-16-be"),
        TXT.replace("\n", "\r\n").encode("gb18030"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16le-bom", "utf16be-bom", "gb18030-crlf"],
)
def test_txt_encodings_are_detected(tmp_path: Path, data: bytes) -> None:
    items = list(read_path(write(tmp_path / "c.txt", data)))
    assert [pairs(t) for t in items if isinstance(t, Transcript)] == [
        [(A, "您好"), (C, "我要投诉")]
    ]


def test_undecodable_txt_names_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.txt", "客服：您好\n客户：好\n".encode() + b"\xff\xfe oops\n")
    [error] = read_path(path)
    assert summary([error]) == [("E", DECODE, 3)]
    assert names(error, "0xff")


def test_forced_encoding_is_used_and_its_errors_are_located(tmp_path: Path) -> None:
    path = write(tmp_path / "gbk.txt", "第一行\n客服：您好".encode("gbk"))
    assert [pairs(t) for t in read_path(path, encoding="gbk") if isinstance(t, Transcript)] == [
        [(A, "第一行"), (A, "您好")]
    ]
    errors = list(read_path(path, encoding="utf-8"))
    assert summary(errors) == [("E", DECODE, 1)]
    assert names(errors[0], "utf-8", "0xb5")


def test_forced_encoding_applies_per_jsonl_line(tmp_path: Path) -> None:
    data = (
        jsonl(call("a", ("客服", "好"))).encode("gbk") + jsonl(call("b", ("客服", "好"))).encode()
    )
    assert summary(read_path(write(tmp_path / "x.jsonl", data), encoding="gbk")) == [
        ("T", "a", 1),
        ("E", DECODE, 2),
    ]


def test_unknown_encoding_is_a_read_error(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", "hi")
    for codec in ("klingon", "base64"):  # base64 is no text encoding: bytes to bytes
        assert summary(read_path(path, encoding=codec)) == [
            ("E", ReadErrorKind.UNKNOWN_ENCODING, None)
        ]


# --------------------------------------------------------------------------- formats


def test_each_suffix_names_one_format_and_each_format_one_name() -> None:
    suffixes = [suffix for fmt in FORMATS for suffix in fmt.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in suffixes)
    assert len({fmt.name for fmt in FORMATS}) == len(FORMATS)


@pytest.mark.parametrize(
    ("line", "cut", "name"),
    [
        ('{"id": "a", "turns": []}', False, "jsonl"),
        ("\ufeff{}", False, "jsonl"),
        ("[", False, "json"),
        ('[{"id": "a",', False, "json"),
        ("[]", False, "json"),
        ("{", False, "json"),
        ('{"id": "a",', False, "json"),
        ("[00:01] 客服：您好", False, "text"),
        ("{not json", False, "text"),
        ("客服：您好", False, "text"),
        ("", False, "text"),
        ('{"id": "a", "turns": [', True, "jsonl"),
        ("[[[", True, "json"),
        ("客服：" + "好" * 10, True, "text"),
        ("通话ID,角色,内容", False, "csv"),  # a table on stdin (issue 16, item 24)
        ("call_id;speaker;text", False, "csv"),
        ("通话ID\t对话内容", False, "csv"),
        ("客服：您好,我是,内容", False, "text"),  # commas, but no header of a table
        ("id,name", False, "text"),
    ],
)
def test_a_stream_is_sniffed_from_its_first_line_and_what_no_format_claims_is_text(
    line: str, cut: bool, name: str
) -> None:
    assert sniff(line, cut=cut).name == name


@given(st.text(), st.booleans())
def test_every_line_is_sniffed_as_some_format(line: str, cut: bool) -> None:
    assert sniff(line, cut=cut) in STREAM_FORMATS.values()


def test_contributing_lists_every_module_of_the_readers_package() -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = contributing.split("### The readers package")[1].split("\n## ")[0]
    package = ROOT / "replylint" / "readers"
    for module in package.rglob("*.py"):
        name = module.relative_to(package)
        if name.parent == Path("."):
            assert f"`readers/{name}`" in section, name
        elif name.name != "__init__.py":
            assert f"`readers/{name.parent}/`" in section, name
            assert f"`{name.name}`" in section, name


def test_reliability_md_explains_every_error_kind() -> None:
    reliability = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert all(f"| `{kind}` |" in reliability for kind in ReadErrorKind)


# --------------------------------------------------------------------------- paths


def test_missing_path_is_a_read_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    [error] = read_path(missing)
    assert isinstance(error, ReadError)
    assert (error.source, error.line, error.kind) == (str(missing), None, MISSING)


def test_directory_is_read_recursively_sorted_skipping_hidden_and_other_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "客服：b")
    write(root / "a" / "z.jsonl", jsonl(call("a/z")))
    write(root / "a" / "y" / "x.json", json.dumps(call("a/y/x")))
    write(root / "a-b.TXT", "客服：a-b")
    write(root / ".hidden.txt", "客服：hidden")
    write(root / ".git" / "c.jsonl", jsonl(call("git")))
    write(root / "notes.md", "客服：md")
    write(root / "audio.wav", b"RIFF\x00\x00")
    items = list(read_path(root))
    assert [(i.id, i.source) for i in items if isinstance(i, Transcript)] == [
        ("a/y/x", str(root / "a" / "y" / "x.json")),
        ("a/z", str(root / "a" / "z.jsonl")),
        ("a-b", str(root / "a-b.TXT")),
        ("b", str(root / "b.txt")),
    ]
    assert len(items) == 4


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loops_terminate_and_each_real_file_is_read_once(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "sub" / "c.txt", "客服：c")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "sub" / "self").symlink_to(root / "sub", target_is_directory=True)
    (root / "alias.txt").symlink_to(root / "sub" / "c.txt")
    (root / "dangling.jsonl").symlink_to(root / "gone.jsonl")
    items = list(read_path(root))
    assert summary(items) == [
        ("T", "alias", 1),  # "alias.txt" sorts first; the same file via sub/ is not read again
        ("E", MISSING, None),
    ]
    assert [item.source for item in items] == [
        str(root / "alias.txt"),
        str(root / "dangling.jsonl"),
    ]


def test_explicit_file_with_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    cases = {
        "a.log": jsonl(call("l1"), call("l2")),
        "b.dat": json.dumps([call("j1"), call("j2")], indent=2),
        "c.out": json.dumps(call("obj"), indent=2),
        "d": "[00:00:01] 客服：您好",
    }
    found = {name: summary(read_path(write(tmp_path / name, data))) for name, data in cases.items()}
    assert found == {
        "a.log": [("T", "l1", 1), ("T", "l2", 2)],
        "b.dat": [("T", "j1", 2), ("T", "j2", 6)],
        "c.out": [("T", "obj", 1)],
        "d": [("T", "d", 1)],
    }


# --------------------------------------------------------------------------- stdin


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (jsonl(call("s1"), {"turns": []}).encode(), [("T", "s1", 1), ("T", "stdin:2", 2)]),
        (
            ("\n" + jsonl(call("s1")) + "oops\n").encode(),
            [("T", "s1", 2), ("E", JSON_SYNTAX, 3)],
        ),
        (json.dumps([call("s1"), {"turns": []}]).encode(), [("T", "s1", 1), ("T", "stdin#1", 1)]),
        (json.dumps({"turns": []}, indent=2).encode("utf-8-sig"), [("T", "stdin", 1)]),
        ("[00:00:03] 客服：您好".encode("gb18030"), [("T", "stdin", 1)]),
        (codecs.BOM_UTF16_LE + jsonl(call("w")).encode("utf-16-le"), [("T", "w", 1)]),
        (b"", [("T", "stdin", 1)]),
    ],
    ids=["jsonl", "jsonl-bad-line", "json-list", "json-object-bom", "text", "jsonl-utf16", "empty"],
)
def test_stdin_is_sniffed(data: bytes, expected: list[tuple[str, str, int | None]]) -> None:
    items = list(read_paths(["-"], stdin=io.BytesIO(data)))
    assert summary(items) == expected
    assert {item.source for item in items} == {"<stdin>"}


def test_stdin_text_is_parsed_with_the_default_role() -> None:
    items = list(
        read_paths(["-"], stdin=io.BytesIO("[00:00:03] 客服：您好\n你好".encode()), default_role=C)
    )
    assert items == [Transcript("stdin", (Turn(A, "您好\n你好", 3000),), source="<stdin>", line=1)]


def test_read_paths_keeps_order_across_files_stdin_and_errors(tmp_path: Path) -> None:
    first = write(tmp_path / "1.txt", "客服：一")
    last = write(tmp_path / "3.jsonl", jsonl(call("three")))
    items = read_paths(
        [first, "-", tmp_path / "missing", str(last)],
        stdin=io.BytesIO(b'{"id": "two", "turns": []}'),
    )
    assert summary(items) == [
        ("T", "1", 1),
        ("T", "two", 1),
        ("E", MISSING, None),
        ("T", "three", 1),
    ]


# --------------------------------------------------------------------------- properties


@given(st.text())
def test_parse_text_never_raises(text: str) -> None:
    transcript = parse_text(text, transcript_id="t")
    assert all(turn.text == turn.text.strip() for turn in transcript.turns)


@given(
    st.lists(
        st.text(
            alphabet=st.characters(exclude_characters=":：\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        )
    )
)
def test_a_draft_without_colons_is_one_turn_per_non_blank_line(lines: list[str]) -> None:
    transcript = parse_text("\n".join(lines), transcript_id="t", default_role=C)
    assert pairs(transcript) == [(C, line.strip()) for line in lines if line.strip()]


def _encodings_of(text: str) -> list[bytes]:
    return [
        text.encode("utf-8"),
        text.encode("utf-8-sig"),
        text.encode("gb18030"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le", errors="surrogatepass"),
    ]


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "turns", "role", "text", "start", "meta"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)
_FILE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).flatmap(lambda text: st.sampled_from(_encodings_of(text))),
    st.lists(_JSONISH, max_size=4).map(
        lambda objs: "\n".join(json.dumps(o) for o in objs).encode()
    ),
    _JSONISH.map(lambda obj: json.dumps(obj, indent=1).encode()),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(
    data=_FILE_BYTES,
    name=st.sampled_from(["f.jsonl", "f.json", "f.txt", "f.bin"]),
    encoding=st.sampled_from([None, None, "utf-8", "gbk", "utf-16", "idna"]),
)
def test_read_path_never_raises_whatever_the_bytes(
    tmp_path: Path, data: bytes, name: str, encoding: str | None
) -> None:
    path = write(tmp_path / name, data)
    items = list(read_path(path, encoding=encoding))
    assert all(isinstance(item, Transcript | ReadError) for item in items)
    assert all(item.kind in ReadErrorKind for item in items if isinstance(item, ReadError))
    assert all(item.source == str(path) for item in items)
    stdin_items = list(read_paths(["-"], stdin=io.BytesIO(data), encoding=encoding))
    assert all(isinstance(item, Transcript | ReadError) for item in stdin_items)


def test_jsonl_split_into_small_units_reads_the_same(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": f"c{n}", "turns": [{"role": "agent", "text": "您好" * n}]})
        for n in range(50)
    ]
    lines.insert(20, "{broken")
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    units = list(read_units([path], unit_bytes=200))
    assert len(units) > 10
    assert [x for unit in units for x in read_unit(unit)] == list(read_path(path))
