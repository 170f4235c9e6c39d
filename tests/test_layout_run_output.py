"""The run and output side's rooms: imports go one way (the run knows no output, output knows
no command line, nothing below the run knows it), output neither lints nor scores, typer
stays in cli.py, CONTRIBUTING's layout table names every module, and every registered format
can be driven by worker processes."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from replylint.output import FORMATS, Streams
from replylint.output.reports import REPORTS, Report

PACKAGE = Path(__file__).parent.parent / "replylint"
ROOT = PACKAGE.parent

# Lowest first: the rooms of the run and output side.
LAYERS = {
    "replylint.run": 5,
    "replylint.output": 6,
    "replylint.cli": 7,
    "replylint.spark": 7,
    "replylint.quality": 7,
}
# The package's facade re-exports the public API from every layer.
FACADES = ("replylint", "replylint.__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The layer of a module: its room's, or 4 (the rule side and readers) outside them."""
    rooms = [room for room in LAYERS if module == room or module.startswith(room + ".")]
    return LAYERS[max(rooms, key=len)] if rooms else 4


def imported(path: Path) -> set[str]:
    """Every module the file imports, at its top or inside a function, with each name it
    takes from one (``replylint.run.scoring.score``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_a_module_imports_only_from_its_layer_or_lower_ones(path: Path) -> None:
    name = module_name(path)
    if name in FACADES:
        return
    own = layer(name)
    ours = {module for module in imported(path) if module.startswith("replylint.")}
    higher = sorted(module for module in ours if layer(module) > own)
    assert higher == [], f"{name} (layer {layer(name)}) imports {higher}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "output").rglob("*.py")), ids=module_name)
def test_nothing_in_output_lints_or_scores(path: Path) -> None:
    names = imported(path)
    assert not any(name.startswith("replylint.engine") for name in names)
    assert "replylint.run.scoring.score" not in names
    assert ".scored(" not in path.read_text(encoding="utf-8")  # Result.scored scores


def test_typer_is_imported_only_by_the_command_line() -> None:
    users = sorted(
        module_name(path)
        for path in MODULES
        if any(name == "typer" or name.startswith("typer.") for name in imported(path))
    )
    assert users == ["replylint.cli"]


def test_the_layout_table_names_every_module_of_the_run_and_output_side() -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for room in ("run", "output", "spark"):
        assert f"`replylint/{room}/`" in contributing, room
        for path in (PACKAGE / room).rglob("*.py"):
            if path.name != "__init__.py":
                assert f"{path.name}`" in contributing, path.relative_to(PACKAGE)


def nowhere(line: str) -> None:
    """A stream for formatters under test: writes nothing."""


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_calls_where_they_are_linted(name: str) -> None:
    """``render`` runs in worker processes (``--jobs``): it must pickle, and come back whole."""
    formatter = FORMATS[name](Streams(out=nowhere, err=nowhere), color=True)
    assert pickle.loads(pickle.dumps(formatter.render)) is not None


@pytest.mark.parametrize("suffix", sorted(REPORTS))
def test_every_report_suffix_has_a_writer_and_renders_where_calls_are_linted(
    suffix: str, tmp_path: Path
) -> None:
    report = Report(
        Streams(out=nowhere, err=nowhere), tmp_path / f"r{suffix}", title="t", reviewed=False
    )
    assert callable(report.write_report)
    assert pickle.loads(pickle.dumps(report.render)) is not None
