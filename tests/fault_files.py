"""The crafted input files of the fault suite, as bytes: `FILES` maps each file name in
tests/data/faults/ to its content. ``python -m tests.fault_files`` writes them; a test
checks that the committed files are exactly these. Every witness transcript has one
agent turn with one finding: FP005 on 我不知道."""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path
from typing import Any

from tests.xlsx_builder import Formula, sheet_xml, xlsx

FAULTS = Path(__file__).parent / "data" / "faults"
WITNESS = "这个我不知道"  # FP005 on 我不知道, turn 0
WITNESS_TRADITIONAL = "這個我不知道"


def call(call_id: Any, text: str = WITNESS, role: str = "agent", **extra: Any) -> dict[str, Any]:
    return {"id": call_id, "turns": [{"role": role, "text": text}], **extra}


def line(obj: object, encoding: str = "utf-8") -> bytes:
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode(encoding)


def lines(*objects: object) -> bytes:
    return b"".join(line(obj) for obj in objects)


def _nested(depth: int) -> object:
    value: object = "bottom"
    for _ in range(depth):
        value = {"level": value}
    return value


def _arbitrary_bytes() -> bytes:
    """A PNG header and seeded random bytes: what a mislabelled attachment holds."""
    noise = random.Random(7).randbytes(400)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise


def _broken_element_json() -> bytes:
    good = json.dumps([call("before")], ensure_ascii=False, indent=2)[1:-2]
    after = json.dumps([call("after")], ensure_ascii=False, indent=2)[1:-2]
    broken = (  # a comma missing between "role" and "text"
        '\n  {\n    "id": "broken",\n    "turns": [\n'
        '      {"role": "agent" "text": "x"}\n    ]\n  }'
    )
    return f"[{good},{broken},{after}\n]\n".encode()


def _truncated_list_json() -> bytes:
    whole = json.dumps([call("one"), call("two"), call("three")], ensure_ascii=False, indent=2)
    cut = whole.index('"three"') + 3
    return whole[:cut].encode()


def _mixed_encodings_jsonl() -> bytes:
    return b"".join(
        [
            line(call("utf8-bom")).replace(b"{", codecs.BOM_UTF8 + b"{", 1),
            line(call("gbk", role="坐席"), "gbk"),
            line(call("big5", WITNESS_TRADITIONAL, role="客服"), "cp950"),
            line(call("gb18030", WITNESS + "😀", role="坐席"), "gb18030"),
            line(call("utf8")),
        ]
    )


# Customers' words can hold anything: each of these stands around the witness phrase.
ODDITIES: dict[str, str] = {
    "controls": "\x07\x1b[31m\t\r",
    "escaped-nul": "\x00",
    "rtl-override": "\u202eabc\u202c",
    "zero-width": "\u200b\u200d\ufeff",
    "line-separators": "\u2028\u2029\x85",
    "emoji": "😀👍🏻👨‍👩‍👧",
    "combining": "e\u0301\u0336",
    "markup": "<script>alert(1)</script>&amp;",
    "formula": "=cmd|' /C calc'!A0",
    "private-use": "\ue000\U000f0000",
    "noncharacters": "\ufffe\uffff",
    "rare-hanzi": "𠀀𪚥",
}


def _anything_at_all_jsonl() -> bytes:
    return b"".join(
        line(
            {
                "id": name,
                "turns": [
                    {"role": "customer", "text": oddity},
                    {"role": "agent", "text": f"{oddity}{WITNESS}{oddity}"},
                ],
                "meta": {"agent": oddity},
            }
        )
        for name, oddity in ODDITIES.items()
    )


def _gbk_csv() -> bytes:
    rows = [
        "通话ID,角色,内容",
        "c1,客户,我想问一下账单",
        f"c1,坐席,{WITNESS}",
        f"c2,坐席,{WITNESS}",
    ]
    return "\r\n".join(rows).encode("gbk") + b"\r\n"


def _big5_csv() -> bytes:
    rows = ["通話ID,角色,內容", "t1,客戶,我想問一下帳單", f"t1,客服,{WITNESS_TRADITIONAL}"]
    return "\r\n".join(rows).encode("cp950") + b"\r\n"


def _csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return "".join(row + "\r\n" for row in rows).encode(encoding)


_HUGE = "1" * 400  # a number no time can be: a spreadsheet's overflow, or a fuzzer's


def _unclosed_element_json() -> bytes:
    """A transcript missing its closing brace, between two whole ones."""
    unclosed = json.dumps(call("unclosed"), ensure_ascii=False)[:-1]
    return (
        f"[\n{json.dumps(call('before'), ensure_ascii=False)},\n{unclosed},\n".encode()
        + (json.dumps(call("after"), ensure_ascii=False) + "\n]\n").encode()
    )


def _damaged_gbk_csv() -> bytes:
    rows = [
        "通话ID,角色,内容",
        f"before,坐席,{WITNESS}",
        f"damaged,坐席,{WITNESS}",
        "damaged,客户,好的",
        f"after,坐席,{WITNESS}",
    ]
    data = _csv(*rows, encoding="gbk")
    at = data.index("好的".encode("gbk"))
    return data[:at] + b"\xff" + data[at + 1 :]  # the first byte of 好: now no character


_TURN_HEADER = ["通话ID", "角色", "内容"]


def _cut_sheet() -> bytes:
    """A sheet whose XML ends in the middle of its fourth row: damage at the end."""
    whole = sheet_xml(
        [
            _TURN_HEADER,
            ["before", "坐席", WITNESS],
            ["cut", "客户", "您好"],
            ["cut", "坐席", WITNESS],
        ]
    )
    return whole[: whole.index(b'<row r="4">') + 30]


FILES: dict[str, bytes] = {
    "arbitrary-bytes.txt": _arbitrary_bytes(),
    "arbitrary-bytes-line.jsonl": (
        line(call("before"))
        + random.Random(3).randbytes(120).replace(b"\n", b"")
        + b"#\n"
        + line(call("after"))
    ),
    "truncated-utf8.jsonl": (
        line(call("before"))
        + line(call("cut")).replace("不".encode(), "不".encode()[:2])
        + line(call("after"))
    ),
    "truncated-file.jsonl": lines(call("before"), call("after")) + line(call("cut"))[:60],
    "truncated-list.json": _truncated_list_json(),
    "mixed-encodings.jsonl": _mixed_encodings_jsonl(),
    "mixed-encodings.txt": (
        "客户：您好\n".encode() + f"坐席：{WITNESS}\n".encode("gbk") + "客户：好的\n".encode()
    ),
    "bom-utf8.json": codecs.BOM_UTF8 + json.dumps([call("a"), call("b")]).encode(),
    "bom-utf16le.jsonl": codecs.BOM_UTF16_LE
    + lines(call("a"), call("b")).decode().encode("utf-16-le"),
    "bom-utf16be.txt": codecs.BOM_UTF16_BE + f"坐席：{WITNESS}\n".encode("utf-16-be"),
    "utf16-without-bom.txt": f"agent: {WITNESS}\n".encode("utf-16-le"),
    "gbk.csv": _gbk_csv(),
    "gb18030.txt": f"客户：我的账单不对😀\n坐席：{WITNESS}\n".encode("gb18030"),
    "big5.txt": f"客戶：我的帳單不對\n客服：{WITNESS_TRADITIONAL}\n".encode("cp950"),
    "big5.csv": _big5_csv(),
    "broken-json-line.jsonl": (
        line(call("before")) + b'{"id": "broken", "turns": [}\n' + line(call("after"))
    ),
    "broken-element.json": _broken_element_json(),
    "wrong-types.jsonl": lines(
        call("before"),
        {"id": "turns-text", "turns": "x"},
        {"id": "text-number", "turns": [{"role": "agent", "text": 123}]},
        {"id": "start-text", "turns": [{"role": "agent", "text": "好", "start": "1200"}]},
        {"id": True, "turns": []},
        {"id": "meta-list", "turns": [], "meta": ["agent"]},
        {"id": "turn-text", "turns": ["这个我不知道"]},
        [call("in-a-list")],
        call(1001),
        call("after"),
    ),
    "unknown-role.jsonl": lines(call("before"), call("boss", role="主管"), call("after")),
    "empty-transcript.jsonl": lines(call("before"), {"id": "empty", "turns": []}, call("after")),
    "empty-turns.jsonl": lines(
        {
            "id": "gaps",
            "turns": [
                {"role": "customer", "text": ""},
                {"role": "agent", "text": ""},
                {"role": "agent", "text": WITNESS},
            ],
        }
    ),
    "empty.jsonl": b"",
    "empty.json": b"",
    "empty.txt": b"",
    "empty.csv": b"",
    "lone-surrogate.jsonl": (
        line(call("before"))
        + b'{"id": "half-emoji", "turns": [{"role": "agent", "text": "\\ud83d'
        + WITNESS.encode()
        + b'\\ude00"}]}\n'
        + line(call("after"))
    ),
    "nul-bytes.txt": "客户：您好\n坐席：这个\x00我不知道\n".encode(),
    "deep-meta.jsonl": lines(call("before"), call("deep", meta=_nested(40)), call("after")),
    "anything-at-all.jsonl": _anything_at_all_jsonl(),
    "huge-time.csv": _csv(
        "通话ID,角色,内容,开始时间",
        f"before,坐席,{WITNESS},1000",
        f"huge,坐席,{WITNESS},{_HUGE}",
        f"after,坐席,{WITNESS},00:02",
    ),
    "huge-time.jsonl": lines(
        call("before"),
        {"id": "huge", "turns": [{"role": "agent", "text": WITNESS, "start": int(_HUGE + "1")}]},
        call("after"),
    ),
    "unclosed-element.json": _unclosed_element_json(),
    "duplicate-keys.jsonl": (
        line(call("before"))
        + b'{"id": "first", "id": "second", "turns": []}\n'
        + b'{"id": "meta", "turns": [], "meta": {"agent": "1", "agent": "2"}}\n'
        + line(call("after"))
    ),
    "duplicate-column.csv": _csv("通话ID,角色,内容,内容", f"c1,坐席,您好,{WITNESS}"),
    # item 4: the quote opened on row 3 is never closed; it swallowed every later call
    "unclosed-quote.csv": _csv(
        "通话ID,角色,内容",
        f"before,坐席,{WITNESS}",
        f'open,坐席,"他说{WITNESS}',
        f"after,坐席,{WITNESS}",
    ),
    # item 8: one damaged byte in a GBK export (row 4), a NUL in a UTF-8 one (row 3)
    "damaged-byte.csv": _damaged_gbk_csv(),
    # item 9: a call id merged over its two rows was read from its first row only
    "merged-call-id.xlsx": xlsx(
        [
            _TURN_HEADER,
            ["merged", "客户", "您好"],
            [None, "坐席", WITNESS],
            ["after", "坐席", WITNESS],
        ],
        merged=["A2:A3"],
    ),
    # item 10: a formula saved without its value read as empty text
    "formula-without-value.xlsx": xlsx(
        [
            [*_TURN_HEADER, "备注"],
            ["before", "坐席", WITNESS, Formula("LEN(C2)")],
            ["formula", "坐席", Formula('CONCAT("这个","我不知道")')],
            ["after", "坐席", WITNESS],
        ]
    ),
    "no-sheet.xlsx": xlsx(no_sheet=True),  # item 26: "list index out of range"
    "damaged-end.xlsx": xlsx(sheet=_cut_sheet()),  # item 8: lost every call
    "huge-time.xlsx": xlsx(  # item 2
        [
            [*_TURN_HEADER, "开始时间"],
            ["before", "坐席", WITNESS, 1000],
            ["huge", "坐席", WITNESS, int(_HUGE)],
            ["after", "坐席", WITNESS, 2000],
        ]
    ),
    # issue 15: short GBK lines that are valid UTF-8 too (谢谢 read as лл)
    "short-gbk.csv": _csv("call_id,role,text", "c1,customer,谢谢", "c2,agent,谢谢", encoding="gbk"),
    "short-gbk.jsonl": b"".join(
        line(obj, "gbk")
        for obj in (call("thanks", "谢谢", role="customer"), call("after", role="坐席"))
    ),
    "nul-byte.csv": _csv(
        "通话ID,角色,内容",
        f"before,坐席,{WITNESS}",
        f"nul,坐席,这个\x00{WITNESS}",
        f"after,坐席,{WITNESS}",
    ),
}


def write_all(folder: Path = FAULTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in FILES.items():
        (folder / name).write_bytes(content)


if __name__ == "__main__":
    write_all()
