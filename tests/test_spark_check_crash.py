"""`replylint spark-check` never ends in a traceback: a crashed Spark job is exit 2 and one
line that says why (issue 15: run by its full path without PYSPARK_PYTHON, it was exit 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import replylint.spark
from replylint.cli import EXIT_ERROR, app

ROOT = Path(__file__).parent.parent
CALLS = ROOT / "corpus" / "auto" / "4s_calls.jsonl"

# What the JVM hands back when a worker's Python lacks replylint (shortened).
WORKER_IMPORT_FAILURE = (
    "An error occurred while calling o61.parquet.\n"
    ": org.apache.spark.SparkException: Job aborted due to stage failure: ...\n"
    "org.apache.spark.api.python.PythonException: [PYTHON_EXCEPTION] An exception was thrown"
    " from the Python worker: Traceback (most recent call last):\n"
    '  File "<frozen runpy>", line 189, in _run_module_as_main\n'
    "ModuleNotFoundError: No module named 'replylint.spark'\n SQLSTATE: 38000\n"
)


@pytest.mark.parametrize(
    ("error", "named"),
    [
        (RuntimeError(WORKER_IMPORT_FAILURE), "PYSPARK_PYTHON"),
        (RuntimeError("Python worker exited unexpectedly (crashed)"), "RuntimeError"),
        (OSError(), "OSError"),
    ],
)
def test_any_crash_of_the_job_is_exit_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, error: Exception, named: str
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(replylint.spark, "spark_check", crash)
    result = CliRunner().invoke(app, ["spark-check", str(CALLS), str(tmp_path / "out")])
    assert result.exit_code == EXIT_ERROR
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) == 1
    assert named in result.stderr


def test_workers_without_replylint_are_exit_2_naming_pyspark_python(tmp_path: Path) -> None:
    """The real thing: Spark's workers run a Python that cannot import replylint."""
    worker = tmp_path / "python-without-replylint"
    hide = "import runpy, sys; sys.modules['replylint'] = None; runpy.run_module(sys.argv[2], run_name='__main__', alter_sys=True)"  # noqa: E501 - one shell word
    worker.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "{hide}" "$@"\n', encoding="utf-8")
    worker.chmod(0o755)
    env = {
        **os.environ,
        "PYSPARK_PYTHON": str(worker),
        "PYTHONPATH": str(ROOT),
        "SPARK_LOCAL_IP": "127.0.0.1",  # as the other Spark tests: no lookup of the host
        "PYSPARK_SUBMIT_ARGS": "--master local[1] pyspark-shell",
    }
    command = [sys.executable, "-m", "replylint", "spark-check", "--input-format", "json"]
    result = subprocess.run(
        [*command, str(CALLS), str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == EXIT_ERROR, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ")
    assert "PYSPARK_PYTHON" in last
    assert "Traceback" not in result.stderr.split("error: ")[-1]
