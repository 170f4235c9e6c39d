"""What an install brings: rjieba as the segmenter wherever it has a wheel, jieba elsewhere,
no `opencc`; and a linter that can load everything before its first reply."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from replylint import Linter

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DEPENDENCIES = [Requirement(line) for line in PROJECT["dependencies"]]

# Where rjieba 0.2.2 has a wheel on PyPI (cp39-abi3): (sys_platform, platform_machine).
RJIEBA_WHEELS = [
    *(("linux", machine) for machine in ("x86_64", "aarch64", "i686", "armv7l", "ppc64le")),
    ("linux", "s390x"),
    ("darwin", "x86_64"),
    ("darwin", "arm64"),
    ("win32", "AMD64"),
    ("win32", "x86"),
]
NO_RJIEBA_WHEEL = [
    ("linux", "riscv64"),
    ("linux", "armv6l"),
    ("win32", "ARM64"),
    ("freebsd14", "amd64"),
]


def segmenters(implementation: str, platform: str, machine: str) -> list[str]:
    environment = {
        "platform_python_implementation": implementation,
        "sys_platform": platform,
        "platform_machine": machine,
        "python_version": "3.11",
    }
    return sorted(
        dependency.name
        for dependency in DEPENDENCIES
        if dependency.name in {"jieba", "rjieba"}
        and (dependency.marker is None or dependency.marker.evaluate(environment))
    )


@pytest.mark.parametrize(("platform", "machine"), RJIEBA_WHEELS)
def test_rjieba_is_a_dependency_wherever_it_has_a_wheel(platform: str, machine: str) -> None:
    assert segmenters("CPython", platform, machine) == ["rjieba"]


@pytest.mark.parametrize(("platform", "machine"), [*NO_RJIEBA_WHEEL, *RJIEBA_WHEELS])
def test_jieba_is_the_dependency_where_rjieba_has_no_wheel(platform: str, machine: str) -> None:
    expected = ["rjieba"] if (platform, machine) in RJIEBA_WHEELS else ["jieba"]
    assert segmenters("CPython", platform, machine) == expected
    assert segmenters("PyPy", platform, machine) == ["jieba"]  # abi3 wheels are CPython's


def test_opencc_is_no_dependency() -> None:
    names = {dependency.name for dependency in DEPENDENCIES}
    assert not {name for name in names if "opencc" in name}
    assert "rjieba" not in str(PROJECT["optional-dependencies"]["fast"])


def test_the_default_segmenter_is_rjieba_where_it_is_installed() -> None:
    assert Linter([])._boundaries.segmenter == "rjieba"


# A linter made ready, then the segmenters and the fold table made unloadable: the first
# reply needing word boundaries must not need them.
PREPARED = """
import sys
import replylint
import replylint.text.normalize as normalize
linter = replylint.Linter(replylint.load_packs(packs=["forbidden-phrases"]))
linter.prepare()
sys.modules["rjieba"] = sys.modules["jieba"] = None  # an import now fails
normalize._DATA = None  # so does reading package data
findings = linter.lint("您跟我在这里叫没有用。")
print(*[finding.rule for finding in findings])
"""


def test_prepare_loads_all_that_the_first_reply_needs() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PREPARED], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["FP011"]
