"""The fault suite (issue #7): whatever a call-centre system exports, replylint never
crashes, names the file and line (or transcript) of what it cannot read, lints every
other transcript, exits with 2, and its summary accounts for every input transcript:
linted + errors == transcripts in the input.

Crafted inputs are in tests/data/faults/ (see its README, and `tests.fault_files`); the
giant ones and the folder faults are made here, in tmp_path. docs/reliability.md lists
every case with the test that covers it.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from replylint import Linter, ReadError, ReadErrorKind, Transcript
from replylint.cli import app
from replylint.readers import (
    DEFAULT_LIMITS,
    LIMIT_SWITCHES,
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    Limits,
    limit_problem,
    limits_from,
    read_path,
    read_paths,
)
from tests.conftest import CONTRACT_ARGS, CONTRACT_RULES
from tests.fault_files import FAULTS, FILES, ODDITIES, WITNESS, call, line, lines

ROOT = Path(__file__).parent.parent
runner = CliRunner()
FOUND = [(0, "FP005", "我不知道")]  # what a witness transcript gives: turn, rule, text
Findings = dict[str, list[tuple[int, str, str]]]
DECODE, JSON_SYNTAX, SHAPE = ReadErrorKind.DECODE, ReadErrorKind.JSON_SYNTAX, ReadErrorKind.SHAPE
OVER_LIMIT, UNREADABLE = ReadErrorKind.OVER_LIMIT, ReadErrorKind.UNREADABLE
DUPLICATE = ReadErrorKind.DUPLICATE
NOT_REGULAR_FILE = ReadErrorKind.NOT_REGULAR_FILE


# --------------------------------------------------------------------------- running


def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
    """The command line, in this process; it must end with an exit code, never an
    exception, and print no traceback."""
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


@dataclass(frozen=True)
class Outcome:
    """What ``check --format json`` gave."""

    code: int
    document: dict[str, Any]
    stderr: str

    @property
    def by_file(self) -> dict[tuple[str, str], list[tuple[int, str, str]]]:
        """Every linted transcript as (file name, id), with its findings as (turn, rule,
        text)."""
        found: dict[tuple[str, str], list[tuple[int, str, str]]] = {
            (Path(t["file"]).name, t["id"]): [] for t in self.document["transcripts"]
        }
        for f in self.document["findings"]:
            found[Path(f["file"]).name, f["transcript"]].append((f["turn"], f["rule"], f["text"]))
        return found

    @property
    def linted(self) -> Findings:
        """`by_file` for one input file: by transcript id alone."""
        assert len({name for name, _ in self.by_file}) <= 1, "several files: use by_file"
        return {call_id: found for (_, call_id), found in self.by_file.items()}

    @property
    def errors(self) -> list[tuple[str, int | None, str]]:
        return [(e["file"], e["line"], e["message"]) for e in self.document["errors"]]

    def accounts_for(self, transcripts: int) -> bool:
        summary = self.document["summary"]
        return bool(summary["transcripts"] + summary["read_errors"] == transcripts)


def errors_of(
    outcome: Outcome, *paths: str | Path, **options: Any
) -> list[tuple[str, int | None, ReadErrorKind]]:
    """The errors the command line reported as (file, line, kind): the kind is the one
    reading the same input gives, and reading must give the same files and lines."""
    read = [
        (error.source, error.line, error.kind)
        for error in read_paths(paths, **options)
        if isinstance(error, ReadError)
    ]
    assert [(file, line) for file, line, _ in read] == [(f, n) for f, n, _ in outcome.errors]
    return read


def check(*args: str, stdin: str | bytes | None = None, jobs: int = 1) -> Outcome:
    # The contract packs: the witness calls are lone replies, without an opening or goodbye.
    options = ("check", *CONTRACT_ARGS, "-f", "json", "--quiet", "--jobs", str(jobs))
    result = invoke(*options, *args, stdin=stdin)
    return Outcome(result.exit_code, json.loads(result.stdout), result.stderr)


_MEASURED = (  # the program, then its peak memory: its own or a worker's, if larger
    "import atexit, resource, runpy, sys\n"
    "peak = lambda who: resource.getrusage(who).ru_maxrss\n"
    "atexit.register(lambda: print('peak-rss-kb', "
    "max(peak(resource.RUSAGE_SELF), peak(resource.RUSAGE_CHILDREN)), file=sys.stderr))\n"
    "sys.argv = ['replylint', *sys.argv[1:]]\n"
    "runpy.run_module('replylint', run_name='__main__')\n"
)


@dataclass(frozen=True)
class Measured:
    """A run of the real program in its own process, with its peak memory."""

    code: int
    document: dict[str, Any]
    stderr: str
    peak_kb: int


def measured_check(*args: str, stdin: Path | None = None) -> Measured:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    options = ["check", *CONTRACT_ARGS, "-f", "json", "--quiet"]
    command = [sys.executable, "-c", _MEASURED, *options, *args]
    with open(stdin or os.devnull, "rb") as given:
        done = subprocess.run(
            command, stdin=given, capture_output=True, cwd=ROOT, env=env, check=False
        )
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr
    peak = int(stderr.rsplit("peak-rss-kb ", 1)[1])
    return Measured(done.returncode, json.loads(done.stdout), stderr, peak)


# --------------------------------------------------------------------------- crafted files


@dataclass(frozen=True)
class Case:
    """A crafted file: what must be linted (transcript -> findings), which lines are
    errors (line, kind), and how many transcripts the file holds."""

    file: str
    transcripts: int
    linted: Findings = field(default_factory=dict)
    errors: list[tuple[int | None, ReadErrorKind]] = field(default_factory=list)


WITNESSES = {"before": FOUND, "after": FOUND}
CASES = [
    Case("arbitrary-bytes.txt", 1, errors=[(3, DECODE)]),  # it holds a NUL character
    Case("arbitrary-bytes-line.jsonl", 3, WITNESSES, [(2, DECODE)]),
    Case("truncated-utf8.jsonl", 3, WITNESSES, [(2, DECODE)]),  # damaged UTF-8
    Case("truncated-file.jsonl", 3, WITNESSES, [(3, JSON_SYNTAX)]),
    Case("truncated-list.json", 3, {"one": FOUND, "two": FOUND}, [(21, JSON_SYNTAX)]),
    Case(
        "mixed-encodings.jsonl",
        5,
        dict.fromkeys(("utf8-bom", "gbk", "big5", "gb18030", "utf8"), FOUND),
    ),
    Case("mixed-encodings.txt", 1, {"mixed-encodings": [(1, "FP005", "我不知道")]}),
    Case("bom-utf8.json", 2, {"a": FOUND, "b": FOUND}),
    Case("bom-utf16le.jsonl", 2, {"a": FOUND, "b": FOUND}),
    Case("bom-utf16be.txt", 1, {"bom-utf16be": FOUND}),
    Case("utf16-without-bom.txt", 1, errors=[(1, DECODE)]),
    Case("gbk.csv", 2, {"c1": [(1, "FP005", "我不知道")], "c2": FOUND}),
    Case("gb18030.txt", 1, {"gb18030": [(1, "FP005", "我不知道")]}),
    Case("big5.txt", 1, {"big5": [(1, "FP005", "我不知道")]}),
    Case("big5.csv", 1, {"t1": [(1, "FP005", "我不知道")]}),
    Case("broken-json-line.jsonl", 3, WITNESSES, [(2, JSON_SYNTAX)]),
    Case("broken-element.json", 3, WITNESSES, [(14, JSON_SYNTAX)]),  # and the next is read
    Case(
        "wrong-types.jsonl",
        10,
        {"before": FOUND, "1001": FOUND, "after": FOUND},
        [(line, SHAPE) for line in range(2, 9)],
    ),
    Case("unknown-role.jsonl", 3, WITNESSES, [(2, SHAPE)]),
    Case("empty-transcript.jsonl", 3, {**WITNESSES, "empty": []}),
    Case("empty-turns.jsonl", 1, {"gaps": [(2, "FP005", "我不知道")]}),
    Case("empty.jsonl", 0),
    Case("empty.json", 1, errors=[(1, JSON_SYNTAX)]),
    Case("empty.txt", 1, {"empty": []}),
    Case("empty.csv", 1, errors=[(None, ReadErrorKind.COLUMNS)]),  # no header row
    Case("lone-surrogate.jsonl", 3, {**WITNESSES, "half-emoji": FOUND}),
    Case("nul-bytes.txt", 1, errors=[(2, DECODE)]),
    Case("deep-meta.jsonl", 3, WITNESSES, [(2, OVER_LIMIT)]),  # "meta" nests more than 32
    Case("anything-at-all.jsonl", 12, {name: [(1, "FP005", "我不知道")] for name in ODDITIES}),
    # issue 16, item 2: a 400-digit time cell, a 401-digit JSON integer (they crashed)
    Case("huge-time.csv", 3, WITNESSES, [(3, SHAPE)]),
    Case("huge-time.jsonl", 3, WITNESSES, [(2, SHAPE)]),
    # item 17: a transcript missing its "}" lost the next one too
    Case("unclosed-element.json", 3, WITNESSES, [(3, JSON_SYNTAX)]),
    # items 23 and 22: a key or a column given twice, read silently as the last or first
    Case("duplicate-keys.jsonl", 4, WITNESSES, [(2, DUPLICATE), (3, DUPLICATE)]),
    Case("duplicate-column.csv", 1, errors=[(1, DUPLICATE)]),
    # item 4: an unclosed quote is its row's error, and the rows it swallowed are read
    Case("unclosed-quote.csv", 3, WITNESSES, [(3, ReadErrorKind.CSV_SYNTAX)]),
    # item 8: a damaged byte or a NUL loses only its row's call (the whole table before)
    Case("damaged-byte.csv", 3, WITNESSES, [(4, DECODE)]),
    Case("nul-byte.csv", 3, WITNESSES, [(3, DECODE)]),
    # issue 15: short GBK lines read as Chinese, not as the Cyrillic their bytes are in UTF-8
    Case("short-gbk.csv", 2, {"c1": [], "c2": []}),
    Case("short-gbk.jsonl", 2, {"thanks": [], "after": FOUND}),
    # item 9: merged call-id cells read as filled; item 10: a formula without its value
    Case("merged-call-id.xlsx", 2, {"merged": [(1, "FP005", "我不知道")], "after": FOUND}),
    Case("formula-without-value.xlsx", 3, WITNESSES, [(3, ReadErrorKind.FORMULA)]),
    # item 26: no sheet; item 8: damage at the end loses the call it cuts, not the table
    Case("no-sheet.xlsx", 1, errors=[(None, ReadErrorKind.WORKBOOK)]),
    Case("damaged-end.xlsx", 2, {"before": FOUND}, [(4, ReadErrorKind.WORKBOOK)]),
    Case("huge-time.xlsx", 3, WITNESSES, [(3, SHAPE)]),  # item 2, in a spreadsheet
]


def expected_code(case: Case) -> int:
    if case.errors:
        return 2
    return 1 if any(case.linted.values()) else 0


def test_the_committed_fault_files_are_the_crafted_ones_and_each_is_a_case() -> None:
    on_disk = {p.name: p.read_bytes() for p in FAULTS.iterdir() if p.name != "README.md"}
    assert on_disk == FILES, "run: python -m tests.fault_files"
    assert sorted(case.file for case in CASES) == sorted(FILES)
    readme = (FAULTS / "README.md").read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in readme for name in FILES)


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_a_faulty_file_is_reported_and_everything_else_linted(case: Case) -> None:
    path = str(FAULTS / case.file)
    outcome = check(path)
    assert outcome.linted == case.linted
    assert errors_of(outcome, path) == [(path, line, kind) for line, kind in case.errors]
    assert outcome.accounts_for(case.transcripts)
    assert outcome.code == expected_code(case)


def test_all_faulty_files_at_once_in_worker_processes_give_the_same_as_one_by_one() -> None:
    together = check(str(FAULTS), jobs=2)
    assert together.by_file == {
        (case.file, call_id): found for case in CASES for call_id, found in case.linted.items()
    }
    assert len(together.errors) == sum(len(case.errors) for case in CASES)
    assert together.accounts_for(sum(case.transcripts for case in CASES))
    assert together.code == 2


FINDINGS = sum(len(found) for case in CASES for found in case.linted.values())


@pytest.mark.parametrize(
    ("output_format", "finding_lines"),
    [
        ("text", lambda out: [x for x in out.splitlines() if " FP005 " in x]),
        ("jsonl", lambda out: out.split("\n")[:-1]),  # text may hold U+2028: not splitlines
        ("csv", lambda out: out.splitlines()[1:]),
    ],
)
def test_every_output_format_copes_with_faulty_files(
    output_format: str, finding_lines: Any
) -> None:
    options = ("check", *CONTRACT_ARGS, "-f", output_format, "--quiet", "--jobs", "1")
    result = invoke(*options, str(FAULTS))
    assert result.exit_code == 2
    assert f"error: {FAULTS / 'broken-json-line.jsonl'}:2: " in result.stderr
    assert len(finding_lines(result.stdout)) == FINDINGS


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".csv"])
def test_report_of_faulty_files_is_written_and_names_the_errors(
    tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"report{suffix}"
    inputs = ["anything-at-all.jsonl", "lone-surrogate.jsonl", "broken-element.json"]
    result = invoke(
        "report", *(str(FAULTS / name) for name in inputs), "-o", str(target), "--quiet"
    )
    assert result.exit_code == 2
    assert f"error: {FAULTS / 'broken-element.json'}:14: " in result.stderr
    assert "in 17 of 17 transcripts" in result.stderr  # 12 + 3 + 2: all but the broken one
    assert "1 input errors" in result.stderr
    if suffix == ".html":
        page = target.read_text(encoding="utf-8")
        assert all(name in page for name in ("half-emoji", "rtl-override", "after"))
        assert "<script>alert(1)</script>" not in page  # customers' markup stays text


def test_every_finding_in_odd_text_points_at_the_original_characters() -> None:
    linter = Linter(CONTRACT_RULES)
    items = list(read_path(FAULTS / "anything-at-all.jsonl"))
    transcripts = [item for item in items if isinstance(item, Transcript)]
    assert len(transcripts) == len(items) == 12
    for transcript in transcripts:
        (finding,) = linter.lint(transcript)
        assert transcript.turns[finding.turn].text[finding.start : finding.end] == finding.text


def test_a_lone_surrogate_becomes_one_replacement_character() -> None:
    items = list(read_path(FAULTS / "lone-surrogate.jsonl"))
    half = next(item for item in items if isinstance(item, Transcript) and item.id == "half-emoji")
    assert half.turns[0].text == f"\ufffd{WITNESS}\ufffd"


# --------------------------------------------------------------------------- encodings


def test_encoding_detection_reads_big5_as_big5_not_as_gb18030_garbage() -> None:
    (transcript,) = read_path(FAULTS / "big5.txt")
    assert isinstance(transcript, Transcript)
    assert [turn.text for turn in transcript.turns] == ["我的帳單不對", "這個我不知道"]


@pytest.mark.parametrize(
    ("file", "encoding", "texts"),
    [
        ("utf16-without-bom.txt", "utf-16-le", ["这个我不知道"]),
        ("gbk.csv", "gbk", ["我想问一下账单", "这个我不知道"]),
        ("big5.txt", "big5", ["我的帳單不對", "這個我不知道"]),
        ("gb18030.txt", "GB18030", ["我的账单不对😀", "这个我不知道"]),
    ],
)
def test_encoding_option_forces_a_codec(file: str, encoding: str, texts: list[str]) -> None:
    outcome = check("--encoding", encoding, str(FAULTS / file))
    assert outcome.code == 1
    assert outcome.errors == []
    first = next(iter(read_path(FAULTS / file, encoding=encoding)))
    assert isinstance(first, Transcript)
    assert [turn.text for turn in first.turns] == texts


def test_a_forced_encoding_that_does_not_fit_names_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "calls.jsonl"
    data.write_bytes(lines(call("ascii")) + line(call("gbk"), "gbk") + lines(call("last")))
    outcome = check("--encoding", "utf-8", str(data))
    assert outcome.linted == {"ascii": FOUND, "last": FOUND}
    assert errors_of(outcome, data, encoding="utf-8") == [(str(data), 2, DECODE)]
    table = str(FAULTS / "gbk.csv")
    csv_outcome = check("--encoding", "utf-8", table)
    assert errors_of(csv_outcome, table, encoding="utf-8") == [(table, 1, DECODE)]
    assert (outcome.code, csv_outcome.code) == (2, 2)


@pytest.mark.parametrize("command", ["check", "report"])
def test_an_unknown_encoding_is_a_usage_error(tmp_path: Path, command: str) -> None:
    output = ["-o", str(tmp_path / "r.html")] if command == "report" else []
    result = invoke(command, "--encoding", "klingon", *output, str(FAULTS / "big5.txt"))
    assert result.exit_code == 2
    assert "error: --encoding: unknown text encoding 'klingon'" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_report_takes_the_encoding_option_too(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    file = str(FAULTS / "utf16-without-bom.txt")
    result = invoke("report", "--encoding", "utf-16-le", file, "-o", str(target), "--quiet")
    assert result.exit_code == 1
    assert "我不知道" in target.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- giant inputs


def witnessed(*middle: bytes) -> bytes:
    return line(call("before")) + b"".join(middle) + line(call("after"))


def test_a_50_mb_line_is_an_error_that_names_the_limit_and_is_never_held(tmp_path: Path) -> None:
    giant = tmp_path / "giant.jsonl"
    text = WITNESS * 3_000_000  # 54 MB of UTF-8 on one line
    giant.write_bytes(witnessed(line(call("giant", text))))
    small = tmp_path / "small.jsonl"
    small.write_bytes(witnessed())
    size = len(line(call("giant", text))) - 1
    baseline = measured_check("--jobs", "1", str(small))
    runs = [
        (["--jobs", "1", str(giant)], None),
        (["-"], giant),
        (["--jobs", "2", str(giant)], None),
    ]
    for args, stdin in runs:
        run = measured_check(*args, stdin=stdin)
        source = "<stdin>" if stdin else str(giant)
        assert run.code == 2
        (error,) = run.document["errors"]
        assert (error["file"], error["line"]) == (source, 2)
        assert all(number in error["message"] for number in (f"{size:,}", f"{MAX_LINE_BYTES:,}"))
        assert [f["transcript"] for f in run.document["findings"]] == ["before", "after"]
        assert run.peak_kb - baseline.peak_kb < 25_000  # far less than the 54 MB line
    read = [(e.line, e.kind) for e in read_path(giant) if isinstance(e, ReadError)]
    assert read == [(2, OVER_LIMIT)]


def test_a_million_turns_are_an_error_that_names_the_limit(tmp_path: Path) -> None:
    turns = [{"role": "agent", "text": "好"}] * 1_000_000
    as_json = tmp_path / "million.json"
    as_json.write_text(json.dumps([call("before"), {"id": "m", "turns": turns}, call("after")]))
    as_text = tmp_path / "million.txt"
    as_text.write_text("坐席：好\n" * 1_000_000, encoding="utf-8")
    as_jsonl = tmp_path / "million.jsonl"
    million_line = line({"id": "m", "turns": turns})
    as_jsonl.write_bytes(witnessed(million_line))
    outcome = check(str(as_json), str(as_text), str(as_jsonl))
    assert errors_of(outcome, as_json, as_text, as_jsonl) == [
        (str(as_json), 1, OVER_LIMIT),  # 1,000,000 turns
        (str(as_text), 1, OVER_LIMIT),  # more than 100,000 turns
        (str(as_jsonl), 2, OVER_LIMIT),  # a line past MAX_LINE_BYTES
    ]
    assert all("100,000" in message for _, _, message in outcome.errors[:2])
    assert outcome.by_file == {
        (name, call_id): FOUND
        for name in ("million.json", "million.jsonl")
        for call_id in ("before", "after")
    }
    assert outcome.accounts_for(7)


@pytest.mark.parametrize(
    "nested",
    ["[" * 100_000, '{"a":' * 100_000, "[" * 5_000 + "]" * 5_000],
    ids=["lists", "objects", "closed-lists"],
)
def test_deep_nesting_is_an_error_and_the_rest_is_read(tmp_path: Path, nested: str) -> None:
    as_jsonl = tmp_path / "deep.jsonl"
    as_jsonl.write_bytes(witnessed(f'{{"id": "deep", "turns": {nested}}}\n'.encode()))
    as_json = tmp_path / "deep.json"
    as_json.write_text(f"[{json.dumps(call('before'))},\n{nested}\n]", encoding="utf-8")
    outcome = check(str(as_jsonl), str(as_json))
    assert errors_of(outcome, as_jsonl, as_json) == [
        (str(as_jsonl), 2, OVER_LIMIT),  # nested deeper than the parser goes
        (str(as_json), 2, OVER_LIMIT),
    ]
    assert outcome.by_file == {
        ("deep.jsonl", "before"): FOUND,
        ("deep.jsonl", "after"): FOUND,
        ("deep.json", "before"): FOUND,
    }
    assert outcome.accounts_for(5)


def test_a_deeply_nested_transcript_in_a_list_loses_only_itself(tmp_path: Path) -> None:
    deep = '{"id": "deep", "turns": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / "calls.json"
    path.write_text(f"[{json.dumps(call('before'))},\n{deep},\n{json.dumps(call('after'))}]")
    outcome = check(str(path))
    assert outcome.linted == WITNESSES
    assert errors_of(outcome, path) == [(str(path), 2, OVER_LIMIT)]
    assert "line 3" in outcome.errors[0][2]  # where reading resumed


def test_after_a_broken_transcript_reading_resumes_at_the_list_s_next_element(
    tmp_path: Path,
) -> None:
    """Calls nested in the broken one's metadata are not the list's: none is invented."""
    history = {"history": [{"turns": [{"role": "agent", "text": "旧通话"}]}, {"turns": []}]}
    broken = '{"id": "broken" "turns": [], "meta": ' + json.dumps(history) + "}"
    path = tmp_path / "calls.json"
    path.write_text(f"[{json.dumps(call('before'))},\n{broken},\n{json.dumps(call('after'))}]")
    outcome = check(str(path))
    assert outcome.linted == WITNESSES
    assert errors_of(outcome, path) == [(str(path), 2, JSON_SYNTAX)]
    assert "line 3" in outcome.errors[0][2]  # where reading resumed


def test_a_file_too_big_to_read_whole_is_an_error_and_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as file:  # sparse: instant, and reading it would show in memory
        file.truncate(MAX_FILE_BYTES + 1)
    outcome = check(str(big), str(FAULTS / "bom-utf8.json"))
    assert outcome.by_file == {("bom-utf8.json", "a"): FOUND, ("bom-utf8.json", "b"): FOUND}
    assert errors_of(outcome, big) == [(str(big), None, OVER_LIMIT)]
    message = outcome.errors[0][2]
    assert f"{MAX_FILE_BYTES + 1:,}" in message
    assert f"{MAX_FILE_BYTES:,}" in message


def test_limits_are_configurable_in_the_library(tmp_path: Path) -> None:
    path = tmp_path / "calls.jsonl"
    four_turns = {"id": "long", "turns": [{"role": "agent", "text": "好"}] * 4}
    long_line = line(call("x" * 300))
    path.write_bytes(lines(call("ok"), four_turns, call("wordy", "好" * 45)) + long_line)
    items = list(read_path(path, limits=Limits(line_bytes=250, turns=3, chars=40)))
    assert [(i.line, i.kind) if isinstance(i, ReadError) else i.id for i in items] == [
        "ok",
        (2, OVER_LIMIT),  # 4 turns, more than 3
        (3, OVER_LIMIT),  # 45 characters, more than 40
        (4, OVER_LIMIT),  # a line of more than 250 bytes
    ]
    big = tmp_path / "big.txt"
    big.write_text("坐席：" + WITNESS * 10, encoding="utf-8")
    (error,) = read_path(big, limits=Limits(file_bytes=100))
    assert isinstance(error, ReadError)
    assert (error.line, error.kind) == (None, OVER_LIMIT)


def test_every_limit_is_checked_as_a_switch_or_setting_would_check_it() -> None:
    """Issue 16, item 27: the limits get switches (--max-line-bytes…); the library
    checks their values once, for the command line and settings alike."""
    assert [s.field for s in LIMIT_SWITCHES] == [f.name for f in dataclasses.fields(Limits)]
    assert all(s.switch == "--max-" + s.field.replace("_", "-") for s in LIMIT_SWITCHES)
    assert all(getattr(DEFAULT_LIMITS, s.field) <= s.maximum for s in LIMIT_SWITCHES)
    assert limits_from({"turns": 3, "cells": 10}) == Limits(turns=3, cells=10)
    for wrong in (0, -1, True, 2.5, "7", 10**100):
        assert limit_problem("line_bytes", wrong) is not None
        with pytest.raises(ValueError, match="--max-line-bytes"):
            Limits(line_bytes=wrong)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"unknown limit 'lines'.*--max-cells"):
        limits_from({"lines": 3, "cells": 0})


# --------------------------------------------------------------------------- folders


def test_symlink_loops_neither_hang_nor_crash(tmp_path: Path) -> None:
    root = tmp_path / "exports"
    (root / "day1").mkdir(parents=True)
    (root / "day1" / "calls.jsonl").write_bytes(witnessed())
    (root / "day1" / "again").symlink_to(root, target_is_directory=True)
    (root / "day1" / "itself").symlink_to(root / "day1", target_is_directory=True)
    (root / "loop.jsonl").symlink_to(root / "loop.jsonl")  # a link to itself
    (root / "a.jsonl").symlink_to(root / "b.jsonl")
    (root / "b.jsonl").symlink_to(root / "a.jsonl")  # two links to each other
    outcome = check(str(root))
    assert outcome.linted == WITNESSES
    assert errors_of(outcome, root) == [
        (str(root / name), None, UNREADABLE)  # too many levels of symbolic links
        for name in ("a.jsonl", "b.jsonl", "loop.jsonl")
    ]
    assert outcome.code == 2


def test_an_unreadable_file_or_folder_is_reported_and_the_rest_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "exports"
    for name in ("a", "locked", "z"):
        (root / name).mkdir(parents=True)
        (root / name / "calls.jsonl").write_bytes(lines(call(f"{name}-call")))
    (root / "secret.jsonl").write_bytes(lines(call("secret")))
    real_open, real_scandir = Path.open, os.scandir

    def deny_file(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "secret.jsonl":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def deny_folder(path: Any) -> Any:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", deny_file)
    monkeypatch.setattr(os, "scandir", deny_folder)
    outcome = check(str(root))
    assert outcome.linted == {"a-call": FOUND, "z-call": FOUND}
    assert errors_of(outcome, root) == [
        (str(root / "locked"), None, UNREADABLE),
        (str(root / "secret.jsonl"), None, UNREADABLE),
    ]
    assert outcome.code == 2


@pytest.mark.parametrize("name", ["calls.csv", "calls.xlsx"])
def test_a_device_named_as_a_table_is_refused_not_read_forever(tmp_path: Path, name: str) -> None:
    (tmp_path / name).symlink_to("/dev/zero")  # a table is read whole: this never ends
    outcome = check(str(tmp_path / name))
    assert errors_of(outcome, tmp_path / name) == [(str(tmp_path / name), None, NOT_REGULAR_FILE)]
    assert outcome.code == 2


def test_a_pipe_in_a_folder_is_reported_not_opened(tmp_path: Path) -> None:
    (tmp_path / "calls.jsonl").write_bytes(witnessed())
    os.mkfifo(tmp_path / "stuck.jsonl")  # opening it would wait for a writer forever
    outcome = check(str(tmp_path))
    assert outcome.linted == WITNESSES
    assert errors_of(outcome, tmp_path) == [(str(tmp_path / "stuck.jsonl"), None, NOT_REGULAR_FILE)]


@contextmanager
def pipe_with(data: bytes) -> Iterator[str]:
    """A pipe holding ``data``, as a path: what ``<(zcat calls.jsonl.gz)`` gives."""
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)
    try:
        yield f"/dev/fd/{read_end}"
    finally:
        os.close(read_end)


@pytest.mark.parametrize(
    "data",
    [witnessed(), json.dumps([call("before"), call("after")]).encode()],
    ids=["jsonl", "json"],
)
def test_a_pipe_named_as_a_path_is_streamed(data: bytes) -> None:
    with pipe_with(data) as path:
        outcome = check(path)
        assert outcome.linted == WITNESSES
        assert outcome.errors == []


def test_a_file_name_in_another_encoding_is_shown_decoded(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    gbk_name = os.fsencode(folder) + b"/" + "投诉录音.txt".encode("gbk")
    with open(gbk_name, "wb") as file:  # as a Windows zip unpacks: GBK bytes, not UTF-8
        file.write(f"坐席：{WITNESS}".encode())
    outcome = check(str(folder))
    assert outcome.linted == {"投诉录音": FOUND}
    assert outcome.document["findings"][0]["file"] == str(folder / "投诉录音.txt")
    target = tmp_path / "report.html"
    assert invoke("report", str(folder), "-o", str(target), "--quiet").exit_code == 1
    assert "投诉录音" in target.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- stdin


def test_faults_on_stdin_are_reported_by_line() -> None:
    data = FILES["broken-json-line.jsonl"] + FILES["truncated-utf8.jsonl"]
    outcome = check("-", stdin=data)
    assert errors_of(outcome, "-", stdin=io.BytesIO(data)) == [
        ("<stdin>", 2, JSON_SYNTAX),
        ("<stdin>", 5, DECODE),  # damaged UTF-8
    ]
    assert outcome.accounts_for(6)
    assert outcome.document["summary"]["transcripts"] == 4


# --------------------------------------------------------------------------- properties

_SEPARATOR = b"#"  # never part of a multi-byte character in UTF-8, GB18030 or Big5


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk=st.binary(max_size=200), more=st.binary(max_size=50))
def test_any_bytes_between_two_transcripts_lose_only_their_own_line(
    junk: bytes, more: bytes
) -> None:
    middle = (junk + _SEPARATOR + more).replace(b"\n", b" ")
    outcome = check("-", stdin=witnessed(middle + b"\n"))
    assert {name: outcome.linted[name] for name in WITNESSES} == WITNESSES
    assert outcome.accounts_for(3)
    assert [line for _, line, _ in outcome.errors] in ([], [2])
    assert outcome.code == (2 if outcome.errors else 1)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_any_bytes_in_a_text_file_are_one_transcript_or_one_error(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "call.txt"
    path.write_bytes(data)
    (item,) = read_path(path)
    assert item.source == str(path)
    if isinstance(item, ReadError):
        assert item.line is not None
        assert 1 <= item.line <= data.count(b"\n") + 1


# --------------------------------------------------------------------------- any exception


def test_a_reader_failing_unexpectedly_is_one_error_naming_the_file_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16's rule: an unforeseen exception is exit 2 and a one-line error naming the
    file and the last line read, never a traceback, never exit 1."""
    from replylint.readers.objects import build_transcript as real  # noqa: PLC0415

    def failing(obj: Any, source: str, number: int, *args: Any, **kwargs: Any) -> Any:
        if number == 2:
            raise ZeroDivisionError("a bug\nover two lines")
        return real(obj, source, number, *args, **kwargs)

    monkeypatch.setattr("replylint.readers.jsonl.build_transcript", failing)
    broken = tmp_path / "a.jsonl"
    broken.write_bytes(witnessed())
    after = tmp_path / "b.json"
    after.write_text(json.dumps([call("later")]), encoding="utf-8")
    outcome = check(str(broken), str(after))
    assert outcome.by_file == {("a.jsonl", "before"): FOUND, ("b.json", "later"): FOUND}
    assert errors_of(outcome, broken, after) == [(str(broken), 1, ReadErrorKind.INTERNAL)]
    assert "\n" not in outcome.errors[0][2]
    assert outcome.code == 2
