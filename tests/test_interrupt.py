"""Ctrl-C during a batch: workers stop, the output so far stays whole, exit code 130.

The end-to-end tests run replylint as a person would: stderr on a (pseudo-)terminal, in a
process group of its own, and SIGINT sent to the whole group (as a terminal does) once
the first progress line appears.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pty
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint import Linter, load_packs
from replylint.cli import EXIT_INTERRUPTED, app
from replylint.output.jsonl import jsonl_block
from replylint.readers import ReadUnit, read_units
from replylint.run.batch import interrupts_held, lint_units
from replylint.run.result import EXIT_TERMINATED
from tests.conftest import CONTRACT_ARGS
from tests.test_progress import read_terminal

ROOT = Path(__file__).parent.parent
# One call, one finding (FP005): the findings written are the calls linted.
CALL = {
    "turns": [
        {"role": "customer", "text": "你好，我想查一下电费账单。"},
        {"role": "agent", "text": "您好，请稍等，我帮您查询一下。这个我不知道，不清楚。"},
    ]
}
CALLS = 120_000  # about 25 MB: many seconds of work, interrupted after the first unit


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("interrupt") / "calls.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for number in range(CALLS):
            file.write(json.dumps({"id": f"c{number}", **CALL}, ensure_ascii=False) + "\n")
    return path


def group_members(group: int) -> set[int]:
    """The processes of a process group, from /proc (field 5 of stat is the group)."""
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # it ended while we looked
                continue
            if int(stat.rsplit(")", 1)[1].split()[2]) == group:
                members.add(int(entry.name))
    return members


def interrupt_after_progress(
    args: list[str], stdout: Path, stop: signal.Signals = signal.SIGINT, *, group: bool = True
) -> tuple[int, str, set[int]]:
    """Run replylint, Ctrl-C its process group at the first progress line (or send ``stop``
    to the group, or to the main process only); the exit code, everything the terminal
    showed, and the workers seen just before the interrupt."""
    master, slave = pty.openpty()
    with stdout.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "replylint", *args],
            cwd=ROOT,
            stdout=out,
            stderr=slave,
            env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"},
            start_new_session=True,  # its own process group, as a terminal job has
        )
    os.close(slave)
    shown = read_terminal(master, until=" calls, ")
    workers = group_members(process.pid) - {process.pid}
    if group:
        os.killpg(process.pid, stop)
    else:
        os.kill(process.pid, stop)
    shown += read_terminal(master)  # the rest, until the program closes the terminal
    code = process.wait(timeout=60)
    os.close(master)
    assert " calls, " in shown, "no progress line before the program ended"
    assert group_members(process.pid) == set(), "a worker outlived the interrupt"
    return code, shown, workers


def interrupted_line(shown: str) -> tuple[int, str]:
    """The calls linted and the share of the input, from the partial summary."""
    match = re.search(
        r"interrupted: ([\d,]+) calls linted from 1 file \(([\d.]+) MB of ([\d.]+) MB of input",
        shown,
    )
    assert match, shown
    return int(match[1].replace(",", "")), match[3]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_check_keeps_every_line_written_whole(
    big_input: Path, tmp_path: Path, jobs: str
) -> None:
    stdout = tmp_path / "findings.jsonl"
    args = ["check", *CONTRACT_ARGS, "-f", "jsonl", "--jobs", jobs, str(big_input)]
    code, shown, workers = interrupt_after_progress(args, stdout)
    assert code == EXIT_INTERRUPTED == 130
    assert len(workers) == (2 if jobs == "2" else 0)
    assert "Traceback" not in shown
    assert "KeyboardInterrupt" not in shown
    linted, total_mb = interrupted_line(shown)
    assert total_mb == f"{big_input.stat().st_size / 1e6:.1f}"
    assert 0 < linted < CALLS
    assert "the output above is complete up to there" in shown
    text = stdout.read_text(encoding="utf-8")
    assert text.endswith("\n")
    findings = [json.loads(line) for line in text.splitlines()]
    # Every call linted is written, whole and in order; nothing after it.
    assert [f["transcript"] for f in findings] == [f"c{n}" for n in range(linted)]
    assert {f["rule"] for f in findings} == {"FP005"}


@pytest.mark.parametrize(("jobs", "group"), [("1", False), ("2", False), ("2", True)])
def test_sigterm_during_check_stops_the_workers_and_keeps_every_line_whole(
    big_input: Path, tmp_path: Path, jobs: str, group: bool
) -> None:
    """SIGTERM to the main process (a CI job cancelled) or to its group (``timeout``)."""
    stdout = tmp_path / "findings.jsonl"
    args = ["check", *CONTRACT_ARGS, "-f", "jsonl", "--jobs", jobs, str(big_input)]
    code, shown, workers = interrupt_after_progress(args, stdout, signal.SIGTERM, group=group)
    assert code == EXIT_TERMINATED == 143
    assert len(workers) == (2 if jobs == "2" else 0)
    assert "Traceback" not in shown
    linted, _ = interrupted_line(shown)
    assert 0 < linted < CALLS
    findings = [json.loads(line) for line in stdout.read_text(encoding="utf-8").splitlines()]
    assert [f["transcript"] for f in findings] == [f"c{n}" for n in range(linted)]


def test_sigterm_during_report_leaves_no_report(big_input: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    args = ["report", "--jobs", "2", "-o", str(report), str(big_input)]
    code, shown, _ = interrupt_after_progress(
        args, tmp_path / "stdout", signal.SIGTERM, group=False
    )
    assert code == 143
    assert "no report was written" in shown
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stdout"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_report_leaves_no_report_and_no_temporary_file(
    big_input: Path, tmp_path: Path, jobs: str
) -> None:
    report = tmp_path / "report.html"
    args = ["report", "--jobs", jobs, "-o", str(report), str(big_input)]
    code, shown, workers = interrupt_after_progress(args, tmp_path / "stdout")
    assert code == 130
    assert len(workers) == (2 if jobs == "2" else 0)
    assert "Traceback" not in shown
    linted, _ = interrupted_line(shown)
    assert 0 < linted < CALLS
    assert "no report was written" in shown
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stdout"]  # no report, no .tmp
    assert (tmp_path / "stdout").read_bytes() == b""


def test_ctrl_c_while_the_report_is_written_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted_rename(source: object, target: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted_rename)  # the step that makes a report
    report = tmp_path / "report.xlsx"
    result = CliRunner().invoke(app, ["report", "--jobs", "1", "-o", str(report), "corpus"])
    assert result.exit_code == 130
    assert "no report was written" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_a_baseline_is_recorded_writes_no_baseline(tmp_path: Path) -> None:
    """Simulated in the reading of the input (a unit that cannot be read: Ctrl-C)."""
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("replylint.run.runner.read_units", lambda *a, **k: interrupted_units(2))
        result = runner.invoke(
            app, ["check", "--jobs", "1", "--write-baseline", str(baseline), "corpus"]
        )
    assert result.exit_code == 130
    assert "no baseline was written" in result.stderr
    assert not baseline.exists()


def interrupted_units(after: int) -> Iterator[ReadUnit]:
    """The corpus's units, then Ctrl-C (as KeyboardInterrupt) after ``after`` of them."""
    units = read_units([ROOT / "corpus"])
    for _ in range(after):
        yield next(units)
    raise KeyboardInterrupt


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_interrupted_batch_stops_its_workers(jobs: int) -> None:
    outputs = lint_units(Linter(load_packs()), interrupted_units(4), jsonl_block, jobs=jobs)
    with pytest.raises(KeyboardInterrupt):
        list(outputs)
    assert multiprocessing.active_children() == []


def test_a_batch_closed_early_stops_its_workers() -> None:
    units = read_units([ROOT / "corpus"])
    outputs = lint_units(Linter(load_packs()), units, jsonl_block, jobs=2)
    first = next(outputs)
    assert multiprocessing.active_children()  # the pool is running
    outputs.close()
    assert multiprocessing.active_children() == []
    assert first.summary.transcripts > 0


def write_while_interrupted(written: list[str], interrupts: int) -> None:
    """Ctrl-C ``interrupts`` times, then write, all while interrupts are held."""
    with interrupts_held():
        for _ in range(interrupts):
            os.kill(os.getpid(), signal.SIGINT)
        written.append("the whole unit")


def test_a_ctrl_c_while_output_is_written_is_raised_when_it_is_written() -> None:
    written: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        write_while_interrupted(written, 1)
    assert written == ["the whole unit"]  # the interrupt waited for the block
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_ctrl_c_is_raised_at_once() -> None:
    written: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        write_while_interrupted(written, 2)
    assert written == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_program_with_its_own_sigint_handler_keeps_it() -> None:
    calls: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: calls.append(number))
    try:
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
        assert calls == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, previous)
