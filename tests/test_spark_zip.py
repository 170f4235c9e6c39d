"""The cluster route of docs/spark.md: replylint as a zip (tools/make_spark_zip.py) is
imported from the zip by Spark's driver and executors, bundled packs included (a wheel given
to --py-files is never imported, issue 15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pyspark
import pytest

from replylint import Linter, Transcript, read_path
from tools.make_spark_zip import write_zip

ROOT = Path(__file__).parent.parent
CALLS = ROOT / "corpus" / "auto" / "4s_calls.jsonl"
DRIVER = Path(__file__).parent / "data" / "spark" / "zip_driver.py"


@pytest.fixture(scope="module")
def replylint_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_zip(tmp_path_factory.mktemp("spark") / "replylint.zip")


def run_from_zip(replylint_zip: Path, *args: str, timeout: int = 60) -> str:
    """Run Python with the zip first on its path (as --py-files puts it), from elsewhere."""
    env = {**os.environ, "PYTHONPATH": str(replylint_zip), "SPARK_LOCAL_IP": "127.0.0.1"}
    env["PYSPARK_PYTHON"] = sys.executable
    result = subprocess.run(
        [sys.executable, *args],
        cwd=replylint_zip.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_zip_holds_the_package_its_data_and_the_bundled_packs(replylint_zip: Path) -> None:
    names = set(zipfile.ZipFile(replylint_zip).namelist())
    assert {"replylint/__init__.py", "replylint/text/fold_table.xz"} <= names
    assert "replylint/_rules/forbidden-phrases/pack.toml" in names
    assert not [name for name in names if "__pycache__" in name]


def test_replylint_imported_from_the_zip_loads_its_bundled_packs(
    replylint_zip: Path, linter: Linter
) -> None:
    probe = (
        "import replylint; from replylint import Linter, load_packs, read_path\n"
        f"calls = [c for c in read_path({str(CALLS)!r})]\n"
        "linter = Linter(load_packs())\n"
        "print(replylint.__file__, sum(len(linter.lint(c)) for c in calls))\n"
    )
    where, count = run_from_zip(replylint_zip, "-c", probe).split()
    assert Path(where).is_relative_to(replylint_zip)
    assert int(count) == len(library_findings(linter))


def library_findings(linter: Linter) -> list[list[object]]:
    calls = [c for c in read_path(CALLS) if isinstance(c, Transcript)]
    return sorted([f.transcript, f.turn, f.rule, f.text] for c in calls for f in linter.lint(c))


def test_spark_submit_py_files_on_a_local_cluster_lints_from_the_zip(
    replylint_zip: Path, linter: Linter
) -> None:
    """docs/spark.md's route as written: spark-submit --py-files replylint.zip, on a cluster
    of two executors in their own processes, each importing replylint from its copy."""
    submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    cluster = ("--master", "local-cluster[2,1,1024]", "--py-files", str(replylint_zip))
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    env.pop("PYTHONPATH", None)  # replylint comes from the zip, or from the installed copy
    result = subprocess.run(
        [str(submit), *cluster, str(DRIVER), str(CALLS)],
        cwd=replylint_zip.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(shown["driver"]).is_relative_to(replylint_zip)
    # The executors' copies, in their working folders: replylint.zip/replylint/__init__.py
    assert [Path(e).parts[:2] for e in shown["executors"]] == [("replylint.zip", "replylint")]
    assert shown["findings"] == library_findings(linter)
