"""The fold table is package data made by tools/make_fold_table.py: current, complete, and
replylint needs no ``opencc`` module, so it lives beside the official OpenCC package."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from replylint.engine.ruletest import ConverterMissingError, check_rules, traditional_available
from replylint.packs import load_packs
from replylint.text.normalize import _phrase_spellings, fold_table
from tools import make_fold_table

ROOT = Path(__file__).resolve().parent.parent

# Imports replylint, folds and lints traditional text, and says which `opencc` (if any)
# is loaded afterwards and where the fold data was read from.
PROBE = """
import sys
import replylint
from replylint.text.normalize import fold
assert fold("這種問題連小孩子都會！").view == "这种问题连小孩子都会"
linter = replylint.Linter(replylint.load_packs(packs=["forbidden-phrases"]))
findings = linter.lint("這個我不知道，不清楚。")
assert [f.rule for f in findings] == ["FP005"], findings
print(sys.modules["opencc"].__file__ if "opencc" in sys.modules else "no opencc")
"""


def test_the_shipped_table_is_what_the_generator_makes_now() -> None:
    assert make_fold_table.read() == make_fold_table.make()


def test_the_runtime_reads_the_shipped_table_and_spellings() -> None:
    shipped = make_fold_table.read()
    assert "".join(fold_table()) == shipped.table
    rows = [line.split("\t") for line in shipped.spellings.splitlines() if line[0] != "#"]
    assert [tuple(row) for row in rows] == list(_phrase_spellings())


def test_the_skipped_blocks_really_hold_nothing_to_fold() -> None:
    for block in make_fold_table.UNFOLDED_BLOCKS:
        assert [hex(c) for c in block if make_fold_table.fold_char(chr(c)) is not None] == []


def test_the_opencc_licence_ships_inside_the_package() -> None:
    notice = (ROOT / "replylint" / "text" / "OPENCC-LICENSE.txt").read_text(encoding="utf-8")
    assert "Apache License" in notice
    assert "Version 2.0" in notice


def _probe(path: list[Path], python: str = sys.executable) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, [*path, ROOT]))}
    done = subprocess.run(
        [python, "-c", PROBE], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.strip()


def test_replylint_never_imports_an_opencc_module(tmp_path: Path) -> None:
    # Any `opencc` first on the path: importing it would fail loudly.
    (tmp_path / "opencc.py").write_text("raise ImportError('replylint must not import me')\n")
    assert _probe([tmp_path]) == "no opencc"


def test_replylint_works_beside_the_official_opencc_in_a_venv(tmp_path: Path) -> None:
    """The official `opencc` (compiled, from PyPI) installed in a venv that also sees this
    environment's packages: both import, and OpenCC still converts."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    # This environment's packages after the venv's own (so the official opencc comes first).
    (site / "outer.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--only-binary", ":all:", "--target", str(site), "opencc"],
        check=True, capture_output=True,
    )  # fmt: skip
    probe = PROBE + "import opencc; print(opencc.OpenCC('s2t').convert('汉字'))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [python, "-c", probe], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines() == ["no opencc", "漢字"]
    located = [str(python), "-c", "import opencc; print(opencc.__file__)"]
    assert subprocess.run(located, capture_output=True, text=True, check=True).stdout.startswith(
        str(site)
    )


def test_examples_run_in_traditional_script_too_when_opencc_is_there() -> None:
    assert traditional_available()  # a development install has opencc-python-reimplemented
    both = check_rules(load_packs(packs=["forbidden-phrases"]))
    assert {o.script for o in both.outcomes} == {"simplified", "traditional"}
    assert not both.simplified_only


SIMPLIFIED_ONLY = """
from replylint.engine import ruletest
from replylint.packs import load_packs
rules = load_packs(packs=["forbidden-phrases"])
result = ruletest.check_rules(rules)
print(result.simplified_only, *sorted({o.script.value for o in result.outcomes}))
try:
    ruletest.check_rules(rules, traditional=True)
except ruletest.ConverterMissingError:
    print("missing")
"""


def test_without_opencc_examples_run_in_simplified_script_and_say_so(tmp_path: Path) -> None:
    (tmp_path / "opencc.py").write_text("raise ImportError('not installed')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", SIMPLIFIED_ONLY], env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert done.stdout.splitlines() == ["True simplified", "missing"]
    assert issubclass(ConverterMissingError, ImportError)
