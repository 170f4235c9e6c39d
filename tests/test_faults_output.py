"""The fault suite of the run and its outputs (issue 16): what replylint does when writing
fails, when a reader stops reading, when something nobody foresaw goes wrong. Exit code 1
means findings and nothing else: every failure here is exit code 2 and one line, never a
traceback."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import subprocess
import sys
import tracemalloc
from collections.abc import Mapping
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner
from typer.testing import Result as CliResult

from replylint.cli import EXIT_ERROR, app
from replylint.model import Finding, ReadError, ReadErrorKind, Role, Severity, Transcript, Turn
from replylint.output import Streams
from replylint.output.json import JsonFormatter, json_document, json_parts
from replylint.output.records import MAX_META_CHARS, MAX_META_VALUE
from replylint.output.reports._common import FORMULA_TRIGGERS
from replylint.output.text import CONTEXT, text_block
from replylint.run.result import EXIT_BROKEN_PIPE, Result, Summary
from tests.conftest import CONTRACT_ARGS
from tests.test_interrupt import group_members

ROOT = Path(__file__).parent.parent
runner = CliRunner()
# One call, one finding (FP005).
CALL = {
    "turns": [
        {"role": "customer", "text": "你好，我想查一下电费账单。"},
        {"role": "agent", "text": "您好，请稍等，我帮您查询一下。这个我不知道，不清楚。"},
    ]
}


def calls_file(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as file:
        for number in range(count):
            file.write(json.dumps({"id": f"c{number}", **CALL}, ensure_ascii=False) + "\n")
    return path


def replylint(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "replylint", *args],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )


def one_error_line(stderr: str) -> str:
    """The one line a failure gives; no traceback."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, stderr
    return lines[0]


# --------------------------------------------------------------------------- the guard


def failing(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("a bug")


@pytest.mark.parametrize(
    ("target", "args"),
    [
        ("replylint.run.runner.lint_units", ["check", "corpus"]),
        ("replylint.run.runner.lint_units", ["report", "corpus", "-o", "{tmp}/r.html"]),
        ("replylint.cli.rule_table", ["rules"]),
        ("replylint.spark.spark_check", ["spark-check", "{tmp}/in", "{tmp}/out"]),
    ],
)
def test_an_unforeseen_failure_is_one_line_naming_where_and_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, args: list[str]
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(target, failing)
    result = runner.invoke(app, [arg.format(tmp=tmp_path) for arg in args])
    assert result.exit_code == EXIT_ERROR
    line = one_error_line(result.stderr)
    assert "ZeroDivisionError: a bug" in line
    assert re.search(r" at replylint/[\w/]+\.py:\d+ ", line)  # where: file and line


def test_a_failure_inside_replylint_names_its_module_and_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("replylint.output.text.score_record", failing)
    result = runner.invoke(app, ["check", "--jobs", "1", "corpus"])
    assert result.exit_code == EXIT_ERROR
    assert "internal error at replylint/output/text.py:" in one_error_line(result.stderr)


# --------------------------------------------------------------------------- writing fails


def test_standard_output_on_a_full_disk_fails_at_once_with_one_line() -> None:
    with Path("/dev/full").open("wb") as full:
        process = replylint("check", "--jobs", "1", "corpus", stdout=full.fileno())
        _, stderr = process.communicate(timeout=120)
    assert process.returncode == EXIT_ERROR
    assert one_error_line(stderr.decode()) == "error: standard output: No space left on device"


@pytest.mark.parametrize("option", [["report", "-o"], ["check", "--write-baseline"]])
def test_a_file_output_into_a_missing_folder_fails_before_linting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: list[str]
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("replylint.cli.lint_paths", failing)  # never reached
    target = tmp_path / "missing" / "out.html"
    result = runner.invoke(app, [option[0], "corpus", option[1], str(target)])
    assert result.exit_code == EXIT_ERROR
    assert one_error_line(result.stderr).startswith(f"error: {target.parent}: ")


def test_a_baseline_written_to_a_full_device_is_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["check", "--jobs", "1", "corpus", "--write-baseline", "/dev/full"])
    assert result.exit_code == EXIT_ERROR
    assert one_error_line(result.stderr) == "error: /dev/full: No space left on device"


def half_then_disk_full(self: Path, data: str, *args: object, **kwargs: object) -> int:
    with self.open("w", encoding="utf-8") as file:
        file.write(data[: len(data) // 2])
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


OLD_VERDICT = (
    '{"transcript": "t0", "rule": "FP005", "text": "不知道", "verdict": "false-positive", '
    '"reviewer": "r", "date": "2026-07-20", "note": ""}\n'
)


@pytest.mark.parametrize("command", ["baseline", "verdict", "report"])
def test_a_full_disk_while_a_file_is_written_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(ROOT)
    target = tmp_path / {"baseline": "b.json", "verdict": "v.jsonl", "report": "r.html"}[command]
    old = OLD_VERDICT if command == "verdict" else "the old file\n"
    target.write_text(old, encoding="utf-8")
    monkeypatch.setattr(Path, "write_text", half_then_disk_full)
    args = {
        "baseline": ["check", "--jobs", "1", "corpus", "--write-baseline", str(target)],
        "verdict": ["review", "add", "--verdicts", str(target), "--transcript", "t",
                    "--rule", "FP005", "--text", "不知道", "--reviewer", "r"],
        "report": ["report", "--jobs", "1", "corpus", "-o", str(target)],
    }[command]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_ERROR
    assert one_error_line(result.stderr).endswith("No space left on device")
    assert target.read_text(encoding="utf-8") == old
    assert [path.name for path in tmp_path.iterdir()] == [target.name]  # no temporary file


# --------------------------------------------------------------------------- a closed pipe


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_stops_reading_ends_the_run_quietly(tmp_path: Path, jobs: str) -> None:
    source = calls_file(tmp_path / "calls.jsonl", 20_000)
    process = replylint("check", *CONTRACT_ARGS, "--jobs", jobs, "-f", "jsonl", str(source))
    assert process.stdout is not None
    first = process.stdout.readline()  # | head -1
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    assert json.loads(first)["transcript"] == "c0"
    assert process.returncode == EXIT_BROKEN_PIPE == 141  # 128 + SIGPIPE, as Unix tools end
    assert stderr.decode() == ""
    assert group_members(process.pid) == set()  # the workers stopped too


# --------------------------------------------------------------------------- text output

AGENT_SAYS = "这个我不知道，不清楚。"  # FP005 finds 我不知道，不清楚


def text_check(tmp_path: Path, name: str, call: dict[str, object], *args: str) -> CliResult:
    path = tmp_path / name
    path.write_text(json.dumps(call, ensure_ascii=False) + "\n", encoding="utf-8")
    return runner.invoke(app, ["check", *CONTRACT_ARGS, "--jobs", "1", *args, str(path)])


def agent_call(text: str, call_id: str = "c1") -> dict[str, object]:
    return {"id": call_id, "turns": [{"role": "agent", "text": text}]}


def test_a_long_turn_with_many_findings_shows_a_window_around_each(tmp_path: Path) -> None:
    """A 600 KB turn with many findings needed over 3 GB: the whole turn for each."""
    filler = "我们这边正在为您核实相关的情况请您耐心等待。" * 20  # 440 characters
    turn = (filler + AGENT_SAYS) * 200
    result = text_check(tmp_path, "long.jsonl", agent_call(turn), "--no-color")
    shown = [line for line in result.stdout.splitlines() if line.startswith("    | ")]
    assert len(shown) == 200
    before, after = (filler + "这个")[-CONTEXT:], ("。" + filler)[:CONTEXT]
    assert shown[1] == f"    | …{before}【我不知道，不清楚】{after}…"
    assert max(map(len, shown)) <= len("    | …【我不知道，不清楚】…") + 2 * CONTEXT
    assert len(result.stdout) < 200 * 400


def test_a_short_turn_is_shown_whole_and_a_long_match_by_its_ends() -> None:
    short = "您好，这个我不知道。"
    assert highlighted_line(short, short.index("不知道"), 3) == "您好，这个我【不知道】。"
    long_match = "甲" * 100 + "乙" * 100
    assert highlighted_line(long_match, 0, 200) == "【" + "甲" * 40 + "…" + "乙" * 40 + "】"


def highlighted_line(text: str, start: int, length: int) -> str:
    transcript = Transcript("t", (Turn(Role.AGENT, text),))
    finding = Finding(
        "t", 0, Role.AGENT, start, start + length, text[start : start + length], "FP005",
        "name", "forbidden-phrases", Severity.ERROR, "message", "suggestion",
    )  # fmt: skip
    lines = text_block(Result.scored(transcript, [finding]))
    return lines[2].removeprefix("    | ")


ESCAPE_SEQUENCES = "\x1b[2J\x1b]0;owned\x07\x9b31m\u202e"  # clear, title, C1 CSI, RTL


@pytest.mark.parametrize("color", ["--no-color", "--color"])
def test_escape_sequences_in_text_ids_and_file_names_are_shown_escaped(
    tmp_path: Path, color: str
) -> None:
    call = agent_call(f"{ESCAPE_SEQUENCES}{AGENT_SAYS}{ESCAPE_SEQUENCES}", f"id{ESCAPE_SEQUENCES}")
    result = text_check(tmp_path, f"calls{ESCAPE_SEQUENCES}.jsonl", call, color)
    ours = re.sub(r"\x1b\[(?:1|2|7|31|33|36|0)m", "", result.stdout)  # the colours we paint
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", ours)
    escaped = "\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202e"
    assert ours.count(escaped) == 6  # the file and the id twice, the text on either side
    assert result.exit_code == 1


def test_a_newline_in_a_file_name_or_id_cannot_split_a_record(tmp_path: Path) -> None:
    call = agent_call(f"第一行\n第二行{AGENT_SAYS}", "call\nid")
    result = text_check(tmp_path, "two\nlines.jsonl", call, "--no-color")
    header, _, turn, _, score = result.stdout.splitlines()[:5]
    assert header.startswith(f"{tmp_path}/two\\nlines.jsonl: call\\nid turn 0 (agent) FP005")
    assert turn == "    | 第一行 ⏎ 第二行这个【我不知道，不清楚】。"
    assert score.startswith(f"{tmp_path}/two\\nlines.jsonl: call\\nid 得分 score")


def test_a_read_error_naming_a_file_with_a_newline_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname\x1b[2J.json"
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["check", "--jobs", "1", str(path)])
    assert result.exit_code == EXIT_ERROR
    assert "\\n" in one_error_line(result.stderr)
    assert "\x1b" not in result.stderr


# --------------------------------------------------------------------------- json and jsonl


def call_with_meta(findings: int, meta: Mapping[str, object]) -> dict[str, object]:
    turns = [{"role": "agent", "text": AGENT_SAYS} for _ in range(findings)]
    return {"id": "big-meta", "turns": turns, "meta": meta}


def test_a_call_s_large_metadata_is_bounded_in_each_of_its_findings(tmp_path: Path) -> None:
    """A 12 MB line with 300 findings ran out of memory: its metadata copied 300 times."""
    long_value = "备注" * 100_000  # 200,000 characters
    meta = {"agent": "A001", "team": "T1", "notes": long_value, "list": [long_value], "date": "d"}
    result = text_check(tmp_path, "meta.jsonl", call_with_meta(300, meta), "-f", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 300
    assert len(result.stdout) < 300 * (MAX_META_CHARS + 1000)
    for record in records:
        assert record["meta_truncated"] is True
        assert len(json.dumps(record["meta"], ensure_ascii=False)) <= MAX_META_CHARS
        assert (record["meta"]["agent"], record["meta"]["date"]) == ("A001", "d")
        assert record["meta"]["notes"] == long_value[:MAX_META_VALUE] + "…"
        assert record["meta"]["list"].endswith("…")


def test_the_json_document_has_a_call_s_metadata_whole_once(tmp_path: Path) -> None:
    meta = {"agent": "A001", "notes": "备注" * 5_000}
    result = text_check(tmp_path, "meta.jsonl", call_with_meta(3, meta), "-f", "json")
    document = json.loads(result.stdout)
    assert document["transcripts"][0]["meta"] == meta
    assert all(f["meta_truncated"] and f["meta"]["agent"] == "A001" for f in document["findings"])


def test_small_metadata_is_carried_whole_and_unmarked(tmp_path: Path) -> None:
    meta = {"agent": "A001", "team": "T1", "tags": ["a", "b"], "score": 3.5}
    result = text_check(tmp_path, "meta.jsonl", call_with_meta(1, meta), "-f", "jsonl")
    record = json.loads(result.stdout)
    assert record["meta"] == meta
    assert "meta_truncated" not in record


class Counted:
    """Standard output that keeps only its size and its first characters."""

    def __init__(self) -> None:
        self.size = 0
        self.head = ""

    def write(self, line: str) -> None:
        self.size += len(line) + 1
        self.head = self.head or line[:200]


def test_the_json_document_is_never_held_in_memory() -> None:
    """`check --format json` took 1.44 GB for 31 MB of input."""
    meta = {"agent": "A001", "notes": "备注" * 1_000}
    transcript = Transcript("t", (Turn(Role.AGENT, AGENT_SAYS),), meta, "x.jsonl", 1)
    result = Result.scored(transcript, [])
    out = Counted()
    formatter = JsonFormatter(Streams(out=out.write, err=out.write))
    tracemalloc.start()
    try:
        formatter.start()
        for _ in range(20_000):
            formatter.handle(formatter.render(result))
        formatter.finish(Summary(transcripts=20_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.size > 45_000_000  # characters, most of them Chinese: 130 MB of UTF-8
    assert out.head.startswith("{")
    assert peak < 40_000_000


@pytest.mark.parametrize("calls", [0, 1, 3])
def test_the_streamed_json_document_is_the_document_made_in_memory(calls: int) -> None:
    meta = {"agent": "A001"}
    results = [
        Result.scored(Transcript(f"t{n}", (Turn(Role.AGENT, "x"),), meta, "x.jsonl", n), [])
        for n in range(calls)
    ]
    errors = [ReadError("bad.jsonl", n, "broken", ReadErrorKind.JSON_SYNTAX) for n in range(calls)]
    summary = Summary(transcripts=calls)
    lines: list[str] = []
    formatter = JsonFormatter(Streams(out=lines.append, err=lines.append), redacted=True)
    for result, error in zip(results, errors, strict=True):
        formatter.handle(formatter.render(result))
        formatter.error(error)
    formatter.finish(summary)
    expected = json_document(map(json_parts, results), errors, summary, redacted=True)
    assert "\n".join(lines) == expected


# --------------------------------------------------------------------------- spreadsheets

# Formulas dressed to pass a check of the first character: an escape sequence, a NUL,
# C1 and DEL in front, and the full-width forms Excel in Chinese takes for = + - @.
HIDDEN_FORMULAS = [
    '\x1b[0m=HYPERLINK("http://x")',
    "\x00+1+1",
    "\x9b\x7f-2+3",
    "＝1+1",
    "＋86",
    "－1",
    "＠SUM(A1)",
]


def spreadsheet_call(call_id: str) -> dict[str, object]:
    text = f"第一行\r第二行{AGENT_SAYS}\r\n第三行"  # a bare CR, then CR LF
    return {"id": call_id, "turns": [{"role": "agent", "text": text}], "meta": {"team": call_id}}


def written_calls(tmp_path: Path) -> Path:
    path = tmp_path / "calls.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for call_id in HIDDEN_FORMULAS:
            file.write(json.dumps(spreadsheet_call(call_id), ensure_ascii=False) + "\n")
    return path


def assert_neutralised(rows: list[list[str]]) -> None:
    """One row a call (no row split by a line break), each id and team without its control
    characters and neutralised."""
    header, *body = rows
    ids, teams = header.index("通话ID"), header.index("班组")
    assert len(body) == len(HIDDEN_FORMULAS)
    for row, hidden in zip(body, HIDDEN_FORMULAS, strict=True):
        bare = re.sub("[\x00-\x1f\x7f-\x9f]", "", hidden)
        shown = "'" + bare if bare.startswith(FORMULA_TRIGGERS) else bare
        assert (row[ids], row[teams]) == (shown, shown)
        assert not row[ids].startswith(FORMULA_TRIGGERS)
        assert "我不知道，不清楚" in row[header.index("命中文本")]


def test_check_csv_quotes_line_breaks_and_neutralises_hidden_formulas(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", *CONTRACT_ARGS, "--jobs", "1", "-f", "csv", str(written_calls(tmp_path))]
    )
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"), newline="")))
    assert_neutralised(rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_reports_neutralise_hidden_formulas(tmp_path: Path, suffix: str) -> None:
    report = tmp_path / f"report{suffix}"
    args = [
        "report",
        *CONTRACT_ARGS,
        "--jobs",
        "1",
        "-o",
        str(report),
        str(written_calls(tmp_path)),
    ]
    assert runner.invoke(app, args).exit_code == 1
    if suffix == ".csv":
        text = report.read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    else:
        sheet = openpyxl.load_workbook(report)["明细"]
        rows = [[str(cell.value or "") for cell in row] for row in sheet.iter_rows()]
    assert_neutralised(rows)
