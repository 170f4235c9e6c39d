"""The command line: formats, exit codes, errors; golden outputs for the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint.cli import app

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("REPLYLINT_UPDATE_GOLDEN") == "1"
runner = CliRunner()

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
    assert check(write(tmp_path, "clean.txt", CLEAN_CALL))[0] == 0
    assert check(write(tmp_path, "bad.txt", BAD_CALL))[0] == 1
    assert runner.invoke(app, ["check"]).exit_code == 2  # usage
    assert check("--format", "xml", write(tmp_path, "x.txt", CLEAN_CALL))[0] == 2


def test_jsonl_holds_only_findings_with_the_contract_fields(tmp_path: Path) -> None:
    code, out, err = check("-f", "jsonl", write(tmp_path, "bad.txt", BAD_CALL))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(r["turn"], r["rule"], r["text"]) for r in records] == [
        (0, "MA001", "我要投诉"),
        (1, "FP005", "我不知道"),
        (2, "NT001", "给您回复"),
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
    _, out, _ = check("--no-color", write(tmp_path, "bad.txt", BAD_CALL))
    assert "bad turn 1 (agent) FP005 agent-does-not-know [error]" in out
    assert "| 这个【我不知道】。" in out
    assert out.rstrip().endswith(
        "3 findings (1 error, 2 warning) in 1 of 1 transcripts (3 turns); 0 input errors"
    )


def test_stdin_and_role_for_unlabelled_text() -> None:
    code, out, _ = check("-f", "jsonl", "-", stdin="这个我不知道\n")
    assert code == 1
    assert json.loads(out)["role"] == "agent"
    code, out, _ = check("-f", "jsonl", "--role", "customer", "-", stdin="这个我不知道\n")
    assert (code, out) == (0, "")


def test_input_errors_are_reported_and_the_rest_is_still_linted(tmp_path: Path) -> None:
    good = json.dumps(
        {"id": "ok", "turns": [{"role": "agent", "text": "这个我不知道"}]}, ensure_ascii=False
    )
    data = write(tmp_path, "calls.jsonl", f'{good}\n{{"id": "broken", "turns": [\n{good}\n')
    code, out, err = check("-f", "jsonl", data, str(tmp_path / "missing.json"))
    assert code == 2
    assert len(out.splitlines()) == 2  # both good transcripts linted
    assert f"error: {data}:2:" in err
    assert "missing.json" in err
    assert "2 input errors" in err


def test_json_document_has_transcripts_findings_and_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "calls.jsonl", '{"id": "x", "turns": "oops"}\n')
    code, out, _ = check("-f", "json", path, write(tmp_path, "bad.txt", BAD_CALL))
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
        [sys.executable, "-m", "replylint", "check", "-f", "jsonl", "-"],
        input="改天再和你联络".encode(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["rule"] == "FP008"


@pytest.mark.parametrize("output_format", ["text", "jsonl", "json"])
def test_output_does_not_depend_on_jobs(output_format: str) -> None:
    one = check("corpus", "-f", output_format, "--no-color", "--jobs", "1")
    two = check("corpus", "-f", output_format, "--no-color", "--jobs", "2")
    assert one == two
    assert one[0] == 1
