"""What a QA team meets in its first hour (issue 15): check's output switches (--output-file,
--exit-zero, --statistics, --min-severity), the default channel, --isolated, a settings
path that is no regular file, and the pass count in the summaries."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from replylint.cli import app
from replylint.engine import Linter
from replylint.packs import load_packs
from replylint.readers import LIMIT_SWITCHES
from replylint.run.result import Result
from tests.conftest import dialogue

runner = CliRunner()
BAD_CALL = "客户：我要投诉！\n坐席：这个我不知道。\n坐席：我们会尽快给您回复。\n"
# Names no channel: the phone etiquette rules run on it only when a channel is given.
BARE_CALL = "坐席：请问有什么事\n客户：我家停电了\n坐席：那您等着吧\n"
PHONE_RULES = {"ET001", "ET002", "ET004"}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no settings file from the repository applies


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin, env=env)
    return result.exit_code, result.stdout, result.stderr


def codes(jsonl: str) -> set[str]:
    return {json.loads(line)["rule"] for line in jsonl.splitlines() if '"rule"' in line}


def findings(out: str) -> set[str]:
    return {record["rule"] for record in json.loads(out)["findings"]}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_output_file_holds_what_stdout_would_and_stdout_stays_empty(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    code, shown, _ = run("check", "-q", "-f", "jsonl", "bad.txt")
    assert run("check", "-q", "-f", "jsonl", "bad.txt", "--output-file", "out.jsonl")[:2] == (
        code,
        "",
    )
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == shown


def test_output_file_that_is_an_input_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    code, _, err = run("check", "-q", "bad.txt", "-o", "bad.txt")
    assert code == 2
    assert "bad.txt" in err
    assert (tmp_path / "bad.txt").read_text(encoding="utf-8") == BAD_CALL


def test_output_file_in_a_missing_folder_is_a_usage_error_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    assert run("check", "-q", "bad.txt", "-o", "gone/out.txt")[0] == 2
    assert not (tmp_path / "gone").exists()


def test_exit_zero_keeps_findings_but_not_input_errors(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    code, out, _ = run("check", "-q", "--exit-zero", "bad.txt")
    assert code == 0
    assert "FP005" in out
    write(tmp_path / "broken.jsonl", "{not json\n")
    assert run("check", "-q", "--exit-zero", "broken.jsonl")[0] == 2


def test_statistics_counts_findings_and_calls_per_rule(tmp_path: Path) -> None:
    write(tmp_path / "calls.jsonl", "".join(
        json.dumps({"id": f"c{n}", "turns": [{"role": "agent", "text": "这个我不知道。"}]},
                   ensure_ascii=False) + "\n"
        for n in range(3)
    ))  # fmt: skip
    code, out, _ = run("check", "-q", "--statistics", "-f", "json", "calls.jsonl")
    assert code == 1
    records = {record["code"]: record for record in json.loads(out)}
    assert records["FP005"]["count"] == records["FP005"]["calls"] == 3
    assert set(records["FP005"]) >= {"code", "name", "title", "pack", "severity"}
    text_code, text, _ = run("check", "-q", "--statistics", "calls.jsonl")
    assert text_code == 1
    assert any(line.split()[:2] == ["3", "FP005"] for line in text.splitlines())


def test_statistics_refuses_a_format_it_does_not_write(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    assert run("check", "-q", "--statistics", "-f", "csv", "bad.txt")[0] == 2


def test_min_severity_runs_only_graver_rules(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    everything = codes(run("check", "-q", "-f", "jsonl", "bad.txt")[1])
    errors = codes(run("check", "-q", "-f", "jsonl", "--min-severity", "error", "bad.txt")[1])
    assert "FP005" in errors
    assert errors < everything
    assert run("check", "-q", "--min-severity", "fatal", "bad.txt")[0] == 2


def test_min_severity_setting_and_its_origin(tmp_path: Path) -> None:
    write(tmp_path / "replylint.toml", 'min_severity = "error"\n')
    write(tmp_path / "bad.txt", BAD_CALL)
    assert codes(run("check", "-q", "-f", "jsonl", "bad.txt")[1]) == codes(
        run("check", "-q", "-f", "jsonl", "--isolated", "--min-severity", "error", "bad.txt")[1]
    )
    shown = run("check", "--show-settings")[1]
    assert any(line.startswith("min_severity") and "replylint.toml" in line for line in
               shown.splitlines())  # fmt: skip


def test_channel_is_the_default_for_calls_that_name_none(tmp_path: Path) -> None:
    write(tmp_path / "bare.txt", BARE_CALL)
    args = ("check", "-q", "-f", "jsonl", "--pack", "etiquette", "bare.txt")
    assert codes(run(*args)[1]) & PHONE_RULES == set()
    assert codes(run(*args, "--channel", "phone")[1]) >= PHONE_RULES
    assert codes(run(*args, "--channel", "chat")[1]) & PHONE_RULES == set()
    write(tmp_path / "replylint.toml", 'channel = "phone"\n')
    assert codes(run(*args)[1]) >= PHONE_RULES
    assert codes(run(*args, "--channel", "social")[1]) & PHONE_RULES == set()
    assert run(*args, "--channel", "fax")[0] == 2


@pytest.mark.parametrize("command", ["report", "eval", "spark-check"])
def test_channel_is_offered_by_every_linting_command(command: str) -> None:
    assert "--channel" in run(command, "--help")[1]


def test_a_channel_setting_that_is_none_of_the_three_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "replylint.toml", 'channel = "fax"\n')
    write(tmp_path / "bare.txt", BARE_CALL)
    code, _, err = run("check", "-q", "bare.txt")
    assert code == 2
    assert "'channel'" in err


def test_isolated_ignores_the_settings_file_found_upwards(tmp_path: Path) -> None:
    write(tmp_path / "replylint.toml", 'ignore = ["FP"]\n')
    write(tmp_path / "bad.txt", BAD_CALL)
    assert "FP005" not in codes(run("check", "-q", "-f", "jsonl", "bad.txt")[1])
    assert "FP005" in codes(run("check", "-q", "-f", "jsonl", "--isolated", "bad.txt")[1])
    write(tmp_path / "replylint.toml", "broken = [\n")
    assert run("check", "-q", "--isolated", "bad.txt")[0] == 1  # the broken file is not read
    assert run("rules", "--isolated")[0] == 0


def test_isolated_and_config_do_not_go_together(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    write(tmp_path / "settings.toml", "")
    assert run("check", "-q", "--isolated", "--config", "settings.toml", "bad.txt")[0] == 2


def test_config_that_is_a_device_or_a_pipe_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    os.mkfifo(tmp_path / "pipe")  # no writer: opening it to read would wait for ever
    for given in ("/dev/null", "pipe"):
        code, out, err = run("check", "-q", "--config", given, "bad.txt")
        assert (code, out) == (2, "")
        assert err.startswith(f"error: {given}: not a regular file")
        assert "--isolated" in err


def test_config_that_is_a_folder_or_missing_is_refused_precisely(tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    (tmp_path / "folder").mkdir()
    for given in ("folder", "missing.toml"):
        code, _, err = run("check", "-q", "--config", given, "bad.txt")
        assert code == 2
        assert err.startswith(f"error: {given}:")


def test_summaries_count_the_calls_that_passed(tmp_path: Path) -> None:
    clean = "客户：我要投诉！\n坐席：非常抱歉，两小时内给您回复。\n"
    write(tmp_path / "bad.txt", BAD_CALL)
    write(tmp_path / "clean.txt", clean)
    args = ("check", "-q", "--pack", "forbidden-phrases", "bad.txt", "clean.txt")
    assert json.loads(run(*args, "-f", "json")[1])["summary"]["passed_transcripts"] == 1
    assert "; 1 passed;" in run(*args)[1].splitlines()[-1]


def test_explain_suggests_the_closest_rule_codes() -> None:
    code, _, err = run("explain", "FP0005")
    assert code == 2
    assert "FP005" in err


def commands() -> list[tuple[str, Any]]:
    group = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []
    for name, command in getattr(group, "commands", {}).items():
        subcommands = getattr(command, "commands", {})
        found += [(f"{name} {sub}", each) for sub, each in subcommands.items()]
        found += [] if subcommands else [(name, command)]
    return found


def words(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(("name", "command"), commands(), ids=[name for name, _ in commands()])
def test_help_shows_every_switch_and_its_help_as_written(name: str, command: Any) -> None:
    """Help is plain text: brackets (pip install 'replylint[spark]') are not markup."""
    code, shown, _ = run(*name.split(), "--help", env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert code == 0
    assert words(command.help or "") in words(shown)
    for param in command.params:
        assert words(getattr(param, "help", None) or "") in words(shown), param.name
        assert all(flag in shown for flag in param.opts if flag.startswith("-"))


def test_spark_check_help_keeps_the_extra_in_brackets() -> None:
    assert "pip install 'replylint[spark]'" in run("spark-check", "--help")[1]


def test_stdin_format_names_what_standard_input_holds() -> None:
    code, out, _ = run("check", "-q", "-f", "jsonl", "--stdin-format", "text", "-", stdin=BAD_CALL)
    assert code == 1
    assert "FP005" in codes(out)
    assert run("check", "-q", "--stdin-format", "jsonl", "-", stdin=BAD_CALL)[0] == 2
    assert run("check", "-q", "--stdin-format", "xlsx", "-", stdin=BAD_CALL)[0] == 2


def test_stdin_format_reads_a_table_piped_in() -> None:
    table = "id,role,text\nc1,customer,我要投诉！\nc1,agent,这个我不知道。\n"
    code, out, _ = run("check", "-q", "-f", "jsonl", "--stdin-format", "csv", "-", stdin=table)
    assert code == 1
    assert "FP005" in codes(out)


@pytest.mark.parametrize("command", ["check", "report"])
def test_limit_switches_bound_what_one_transcript_may_hold(command: str, tmp_path: Path) -> None:
    write(tmp_path / "bad.txt", BAD_CALL)
    args = ("-q", "bad.txt") if command == "check" else ("-q", "bad.txt", "-o", "r.csv")
    code, _, err = run(command, *args, "--max-turns", "2")
    assert code == 2
    assert "limit" in err
    assert run(command, *args, "--max-turns", "3")[0] == 1
    assert run(command, *args, "--max-chars", "5")[0] == 2
    assert run(command, *args, "--max-turns", "0")[0] == 2  # no limit is below 1


def test_every_limit_has_its_switch_on_check_and_report() -> None:
    for command in ("check", "report"):
        shown = run(command, "--help", env={"COLUMNS": "200"})[1]
        assert all(limit.switch in shown for limit in LIMIT_SWITCHES)


def test_report_exit_codes_are_check_s(tmp_path: Path) -> None:
    """README: 0 no findings, 1 findings, 2 an input error, the report written each time."""
    clean = "客户：我要投诉！\n坐席：非常抱歉，两小时内给您回复。\n"
    write(tmp_path / "bad.txt", BAD_CALL)
    write(tmp_path / "clean.txt", clean)
    write(tmp_path / "broken.jsonl", "{not json\n")
    pack = ("--pack", "forbidden-phrases")
    for inputs, code in ((["clean.txt"], 0), (["bad.txt"], 1), (["bad.txt", "broken.jsonl"], 2)):
        report = tmp_path / f"r{code}.csv"
        assert run("report", "-q", *pack, *inputs, "-o", str(report))[0] == code
        assert report.is_file()
    assert run("check", "-q", *pack, "clean.txt")[0] == 0
    assert run("report", "-q", "--pack", "nowhere", "bad.txt", "-o", "r.csv")[0] == 2
    assert not (tmp_path / "r.csv").exists()


def test_one_sentence_two_rules_describe_deducts_once() -> None:
    """FP008 supersedes NT001: the engine keeps one finding, so scoring deducts once."""
    call = dialogue(("agent", "这个改天再和您联络吧。"))
    rules = [rule for rule in load_packs() if rule.info.code in {"FP008", "NT001"}]
    alone = [rule for rule in rules if rule.info.code == "NT001"]
    assert [finding.rule for finding in Linter(alone).lint(call)] == ["NT001"]
    findings = Linter(rules).lint(call)
    assert [finding.rule for finding in findings] == ["FP008"]
    score = Result.scored(call, findings).score
    assert [deduction.rule for deduction in score.deductions] == ["FP008"]
    assert score.score == 80


def test_every_rule_and_pack_has_a_chinese_title() -> None:
    """What the HTML report shows QA teams: titles, in Chinese."""
    for rule in load_packs():
        for title in (rule.info.title, rule.info.pack_title):
            assert any("\u4e00" <= char <= "\u9fff" for char in title), rule.info.code
