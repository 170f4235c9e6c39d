"""The fault suite for the run: a worker process killed (the OOM killer, kill -9) while
it lints. The units it held are linted again, each alone; one that kills its worker again
is an error naming where it starts, the run goes on in order, and ends with exit code 2."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from replylint import Linter, load_packs
from replylint.cli import app
from replylint.model import ReadError, ReadErrorKind
from replylint.output.jsonl import jsonl_block
from replylint.readers import read_units
from replylint.run import batch
from replylint.run.pipeline import process_unit
from tests.conftest import CONTRACT_ARGS

runner = CliRunner()
FILES = 8
KILLER = "c3"


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    """A folder of one-call files, each a unit of its own, each with one finding (FP005)."""
    folder = tmp_path / "calls"
    folder.mkdir()
    for number in range(FILES):
        turn = {"role": "agent", "text": "这个我不知道，不清楚。"}
        call = {"id": f"c{number}", "turns": [turn]}
        (folder / f"c{number}.jsonl").write_text(json.dumps(call, ensure_ascii=False) + "\n")
    return folder


def killed_on(name: str, once: Path | None = None) -> Callable[..., Any]:
    """`process_unit`, but a worker linting the file ``name`` kills itself (every time, or
    only the first time when ``once`` is a marker file to leave)."""

    def process(*args: Any) -> Any:
        unit = args[2]
        in_worker = multiprocessing.parent_process() is not None
        named = unit.ctx.source.endswith(f"{name}.jsonl")
        if in_worker and named and (once is None or not once.exists()):
            if once is not None:
                once.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return process_unit(*args)

    return process


def check(folder: Path, jobs: str) -> tuple[int, list[str], str]:
    args = ["check", *CONTRACT_ARGS, "-f", "jsonl", "--jobs", jobs, str(folder)]
    result = runner.invoke(app, args)
    ids = [json.loads(line)["transcript"] for line in result.stdout.splitlines()]
    return result.exit_code, ids, result.stderr


def test_a_unit_that_kills_its_worker_is_an_error_and_the_rest_is_linted(
    calls: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "process_unit", killed_on(KILLER))
    code, ids, errors = check(calls, "2")
    assert code == 2
    assert ids == [f"c{n}" for n in range(FILES) if f"c{n}" != KILLER]
    assert [line for line in errors.splitlines() if "c3.jsonl" in line] != []
    assert "Traceback" not in errors
    assert multiprocessing.active_children() == []


def test_a_worker_killed_once_loses_nothing(calls: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_code, expected_ids, _ = check(calls, "1")
    monkeypatch.setattr(batch, "process_unit", killed_on(KILLER, once=calls.parent / "killed"))
    code, ids, errors = check(calls, "2")
    assert (code, ids) == (expected_code, expected_ids) == (1, [f"c{n}" for n in range(FILES)])
    assert "0 input errors" in errors
    assert (calls.parent / "killed").exists()  # a worker was killed
    assert multiprocessing.active_children() == []


def test_a_lost_unit_is_a_worker_lost_error(calls: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "process_unit", killed_on(KILLER))
    units = read_units([calls])
    outputs = list(batch.lint_units(Linter(load_packs()), units, jsonl_block, jobs=2))
    errors = [item for output in outputs for item in output.items if isinstance(item, ReadError)]
    assert [(e.kind, Path(e.source).name) for e in errors] == [
        (ReadErrorKind.WORKER_LOST, "c3.jsonl")
    ]
    assert sum(output.summary.errors for output in outputs) == 1
