"""The command line: formats, exit codes, errors; golden outputs for the corpus."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

import pytest
from typer.testing import CliRunner

from replylint.cli import app
from replylint.output import FORMATS
from replylint.output.reports import REPORTS
from tests.conftest import CONTRACT_ARGS

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("REPLYLINT_UPDATE_GOLDEN") == "1"
runner = CliRunner()

# These made-up calls have no greeting, 工号 or goodbye: the tests that read as the spec of
# the check command's output select the four contract packs (CONTRACT_ARGS), so that only
# the violations they are about are found (etiquette would report the opening and closing).
BAD_CALL = "客户：我要投诉！\n坐席：这个我不知道。\n坐席：我们会尽快给您回复。\n"
CLEAN_CALL = "客户：我要投诉！\n坐席：非常抱歉，两小时内给您回复。\n"


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # golden outputs name files relative to the repository


def check(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("output_format", ["text", "jsonl", "json"])
def test_corpus_output_matches_golden(output_format: str) -> None:
    code, out, _ = check("corpus", "--format", output_format, "--no-color")
    golden = GOLDEN / f"check-corpus.{output_format}"
    if UPDATE:
        golden.write_text(out, encoding="utf-8")
    assert code == 1
    assert out == golden.read_text(encoding="utf-8")


def test_exit_codes(tmp_path: Path) -> None:
    assert check(*CONTRACT_ARGS, write(tmp_path, "clean.txt", CLEAN_CALL))[0] == 0
    assert check(*CONTRACT_ARGS, write(tmp_path, "bad.txt", BAD_CALL))[0] == 1
    assert runner.invoke(app, ["check"]).exit_code == 2  # usage
    assert check("--format", "xml", write(tmp_path, "x.txt", CLEAN_CALL))[0] == 2


def test_jsonl_holds_only_findings_with_the_contract_fields(tmp_path: Path) -> None:
    code, out, err = check(*CONTRACT_ARGS, "-f", "jsonl", write(tmp_path, "bad.txt", BAD_CALL))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(r["turn"], r["rule"], r["text"]) for r in records] == [
        (0, "MA001", "我要投诉"),
        (1, "FP005", "我不知道"),
        (2, "NT001", "回复"),
    ]
    contract = {
        "transcript",
        "turn",
        "role",
        "start",
        "end",
        "text",
        "rule",
        "pack",
        "severity",
        "message",
        "suggestion",
    }
    assert all(contract <= set(r) for r in records)
    assert records[1]["pack"] == "forbidden-phrases"
    assert records[1]["role"] == "agent"
    assert "3 findings" in err  # the summary goes to stderr, stdout stays parseable


def test_text_output_marks_the_match_in_the_turn(tmp_path: Path) -> None:
    _, out, _ = check(*CONTRACT_ARGS, "--no-color", write(tmp_path, "bad.txt", BAD_CALL))
    assert "bad turn 1 (agent) FP005 agent-does-not-know [error]" in out
    assert "| 这个【我不知道】。" in out
    assert out.rstrip().endswith(
        "3 findings (1 error, 2 warning) in 1 of 1 transcripts (3 turns); 0 input errors"
    )


def test_stdin_and_role_for_unlabelled_text() -> None:
    code, out, _ = check(*CONTRACT_ARGS, "-f", "jsonl", "-", stdin="这个我不知道\n")
    assert code == 1
    assert json.loads(out)["role"] == "agent"
    code, out, _ = check("-f", "jsonl", "--role", "customer", "-", stdin="这个我不知道\n")
    assert (code, out) == (0, "")


def test_input_errors_are_reported_and_the_rest_is_still_linted(tmp_path: Path) -> None:
    good = json.dumps(
        {"id": "ok", "turns": [{"role": "agent", "text": "这个我不知道"}]}, ensure_ascii=False
    )
    data = write(tmp_path, "calls.jsonl", f'{good}\n{{"id": "broken", "turns": [\n{good}\n')
    code, out, err = check(*CONTRACT_ARGS, "-f", "jsonl", data, str(tmp_path / "missing.json"))
    assert code == 2
    assert len(out.splitlines()) == 2  # both good transcripts linted
    assert f"error: {data}:2:" in err
    assert "missing.json" in err
    assert "2 input errors" in err


def test_json_document_has_transcripts_findings_and_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "calls.jsonl", '{"id": "x", "turns": "oops"}\n')
    code, out, _ = check(*CONTRACT_ARGS, "-f", "json", path, write(tmp_path, "bad.txt", BAD_CALL))
    document = json.loads(out)
    assert code == 2
    assert document["summary"]["transcripts"] == 1
    assert document["summary"]["read_errors"] == 1
    assert [t["id"] for t in document["transcripts"]] == ["bad"]
    assert len(document["findings"]) == 3
    assert document["errors"][0]["line"] == 1


def test_a_broken_pack_is_a_configuration_error(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "r.toml").write_text('code = "XX001"\nkind = "phrase"\n', encoding="utf-8")
    code, _, err = check("--rules", str(tmp_path), write(tmp_path, "c.txt", CLEAN_CALL))
    assert code == 2
    assert "missing key 'message'" in err


def test_pack_selection(tmp_path: Path) -> None:
    code, out, _ = check(
        "-f", "jsonl", "--pack", "forbidden-phrases", write(tmp_path, "b.txt", BAD_CALL)
    )
    assert code == 1
    assert [json.loads(line)["rule"] for line in out.splitlines()] == ["FP005"]
    assert check("--pack", "nope", write(tmp_path, "c.txt", CLEAN_CALL))[0] == 2


def test_the_installed_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "replylint", "check", *CONTRACT_ARGS, "-f", "jsonl", "-"],
        input="改天再和你联络".encode(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["rule"] == "FP008"


# Files of every kind (JSON, text, CSV, XLSX), many read units: the workers share them.
MIXED_INPUT = ("corpus", "docs/examples/calls-export.csv", "docs/examples/calls-export.xlsx")
# (PYTHONHASHSEED, --jobs): every run differs from the others in both.
RUNS = (("0", "1"), ("1", "2"), ("4242", "3"))


def run_with_seeds(*args: str, output: str | None = None) -> list[tuple[int, bytes, bytes]]:
    """replylint once per run of ``RUNS``, side by side, each in a fresh interpreter with
    its hash seed (set order, str hashes) and jobs; ``output`` is formatted with the seed.
    Each run's exit code, stdout and stderr."""
    processes = []
    for seed, jobs in RUNS:
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        extra = [] if output is None else ["-o", output.format(seed=seed)]
        command = [sys.executable, "-m", "replylint", *args, *extra, "--jobs", jobs]
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=PIPE, stderr=PIPE))
    outputs = [process.communicate() for process in processes]
    return [(p.returncode, out, err) for p, (out, err) in zip(processes, outputs, strict=True)]


@pytest.mark.parametrize("output_format", list(FORMATS))
def test_output_does_not_depend_on_jobs_or_hash_seed(output_format: str) -> None:
    runs = run_with_seeds("check", *MIXED_INPUT, "-f", output_format, "--quiet")
    code, stdout, stderr = runs[0]
    assert code == 1
    assert all(rule in stdout for rule in (b"FP003", b"BS001", b"MA001", b"NT001"))
    assert runs == [(1, stdout, stderr)] * len(RUNS)  # stderr too: read errors, summary


# A suffix for each kind of report in the registry, the first it lists (.html, not .htm).
REPORT_SUFFIXES = sorted({m: s[1:] for s, m in reversed(list(REPORTS.items()))}.values())


@pytest.mark.parametrize("suffix", REPORT_SUFFIXES)
def test_reports_do_not_depend_on_jobs_hash_seed_or_time(tmp_path: Path, suffix: str) -> None:
    output = str(tmp_path / f"seed{{seed}}.{suffix}")
    runs = run_with_seeds("report", *MIXED_INPUT, "--quiet", output=output)
    assert [code for code, _, _ in runs] == [1] * len(RUNS)
    reports = [Path(output.format(seed=seed)).read_bytes() for seed, _ in RUNS]
    assert len(reports[0]) > 10_000
    assert reports == [reports[0]] * len(RUNS)


EXPORT_CSV = "docs/examples/calls-export.csv"
EXPORT_XLSX = "docs/examples/calls-export.xlsx"


def jsonl_records(*args: str) -> list[dict[str, object]]:
    code, out, _ = check("-f", "jsonl", "--quiet", *args)
    assert code in (0, 1)
    return [json.loads(line) for line in out.splitlines()]


def test_a_call_centre_sheet_in_csv_and_xlsx_gives_the_same_findings_with_metadata() -> None:
    from_csv, from_xlsx = jsonl_records(EXPORT_CSV), jsonl_records(EXPORT_XLSX)
    assert len(from_csv) > 10
    strip = ("file",)
    assert [{k: v for k, v in r.items() if k not in strip} for r in from_csv] == [
        {k: v for k, v in r.items() if k not in strip} for r in from_xlsx
    ]
    first = from_csv[0]
    assert first["transcript"] == "CALL-PW-001"
    assert first["meta"] == {
        "agent": "A1023",
        "agent_name": "王芳",
        "team": "城东班组",
        "region": "城东",
        "date": "2026-10-08",
    }
    assert (first["score"], first["passed"]) == (0, False)


def test_explicit_column_mapping_for_an_unusual_sheet() -> None:
    sheet = "docs/examples/calls-custom-headers.csv"
    code, _, err = check("--quiet", sheet)
    assert code == 2
    assert "headers found: 录音编号, 说话方, 转写文本, 员工" in err
    records = jsonl_records("--columns", "id=录音编号,role=说话方,text=转写文本,agent=员工", sheet)
    assert records
    assert records[0]["meta"] == {"agent": "A1023"}
    assert check("--columns", "id=录音编号,colour=x", sheet)[0] == 2


def test_scores_pass_mark_and_veto(tmp_path: Path) -> None:
    one_warning = write(tmp_path, "w.txt", "坐席：我们会尽快给您回复。\n")

    def records(*args: str) -> list[dict[str, object]]:
        return jsonl_records(*CONTRACT_ARGS, *args, one_warning)

    assert [(r["score"], r["passed"]) for r in records()] == [(90, True)]
    assert [r["passed"] for r in records("--pass-mark", "95")] == [False]
    assert [r["score"] for r in records("--veto", "NT001")] == [0]
    _, out, _ = check(*CONTRACT_ARGS, "-f", "json", "--quiet", one_warning)
    (call,) = json.loads(out)["transcripts"]
    assert call["score"] == 90
    assert call["deductions"] == [{"rule": "NT001", "points": 10, "turn": 0, "start": 7}]


def test_csv_output_has_a_bom_chinese_headers_and_no_live_formulas(tmp_path: Path) -> None:
    call = {
        "id": "c1",
        "turns": [{"role": "agent", "text": "这个我不知道"}],
        "meta": {"agent": '=HYPERLINK("http://x")', "team": "+1"},
    }
    data = write(tmp_path, "calls.jsonl", json.dumps(call, ensure_ascii=False) + "\n")
    code, out, _ = check(*CONTRACT_ARGS, "-f", "csv", "--quiet", data)
    assert code == 1
    header, row = out.splitlines()
    assert header.startswith("\ufeff文件,通话ID,轮次,角色,规则")
    cells = next(csv.reader([row]))
    assert "FP005" in cells
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'+1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".csv"])
def test_report_writes_each_format(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"report{suffix}"
    result = runner.invoke(app, ["report", EXPORT_CSV, "-o", str(target), "--quiet"])
    assert result.exit_code == 1  # the export has findings
    assert target.stat().st_size > 1000
    assert f"report written to {target}" in result.stderr
    if suffix == ".html":
        page = target.read_text(encoding="utf-8")
        assert "CALL-PW-001" in page
        assert "<mark" in page


def test_report_refuses_to_overwrite_an_input_or_guess_a_format(tmp_path: Path) -> None:
    data = write(tmp_path, "calls.txt", BAD_CALL)
    assert runner.invoke(app, ["report", data, "-o", data]).exit_code == 2
    inside = runner.invoke(app, ["report", str(tmp_path), "-o", str(tmp_path / "calls.csv")])
    assert (inside.exit_code, "never overwrites an input" in inside.stderr) == (2, True)
    assert runner.invoke(app, ["report", data, "-o", str(tmp_path / "r.pdf")]).exit_code == 2
    assert (tmp_path / "calls.txt").read_text(encoding="utf-8") == BAD_CALL


def test_quiet_drops_the_timing_line(tmp_path: Path) -> None:
    data = write(tmp_path, "c.txt", CLEAN_CALL)
    assert "linted 1 calls in" in check(data)[2]
    assert check("--quiet", data)[2] == ""


def test_the_summary_counts_findings_by_pack(tmp_path: Path) -> None:
    _, out, _ = check(*CONTRACT_ARGS, "--no-color", "--quiet", write(tmp_path, "bad.txt", BAD_CALL))
    by_pack, totals = out.rstrip().splitlines()[-2:]
    assert by_pack == "by pack: forbidden-phrases 1, missing-apology 1, no-time-commitment 1"
    assert totals.startswith("3 findings")
