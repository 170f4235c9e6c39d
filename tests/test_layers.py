"""Imports go one way: a module imports only from its own layer or lower ones (CONTRIBUTING,
"Layout"), and every module has a layer. Text knows no rules, kinds know no packs, packs know
no engine, the run knows no output, output knows no command line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from replylint.kinds import KIND_MODULES

PACKAGE = Path(__file__).parent.parent / "replylint"

# Lowest first: every room of the package (CONTRIBUTING's layout table).
LAYERS = {
    "replylint.model": 0,
    "replylint.fields": 0,
    "replylint.text": 1,
    "replylint.kinds": 2,
    "replylint.redact": 2,
    "replylint.packs": 3,
    "replylint.readers": 3,
    "replylint.engine": 4,
    "replylint.run": 5,
    "replylint.output": 6,
    "replylint.cli": 7,
    "replylint.switches": 7,
    "replylint.spark": 7,
    "replylint.quality": 7,
}
# The package's facade re-exports the public API from every layer.
FACADES = ("replylint", "replylint.__main__")


def layer(module: str) -> int | None:
    """The layer of a module, by the longest room it belongs to."""
    rooms = [room for room in LAYERS if module == room or module.startswith(room + ".")]
    return LAYERS[max(rooms, key=len)] if rooms else None


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every replylint module the file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("replylint.") and layer(name) is not None}


MODULES = sorted(PACKAGE.rglob("*.py"))
LAYERED = [path for path in MODULES if module_name(path) not in FACADES]


@pytest.mark.parametrize("path", LAYERED, ids=module_name)
def test_every_module_has_a_layer(path: Path) -> None:
    assert layer(module_name(path)) is not None, "add its room to LAYERS and CONTRIBUTING"


@pytest.mark.parametrize("path", LAYERED, ids=module_name)
def test_a_module_imports_only_from_its_layer_or_lower_ones(path: Path) -> None:
    own = layer(module_name(path))
    assert own is not None
    higher = sorted(name for name in imported(path) if (layer(name) or 0) > own)
    assert higher == [], f"{module_name(path)} (layer {own}) imports {higher}"


def test_every_room_of_the_rule_side_exists() -> None:
    for room in ("text", "text/recognise", "kinds", "packs", "engine"):
        assert (PACKAGE / room / "__init__.py").is_file(), room
    assert not (PACKAGE / "rules.py").exists()  # the data folder is rules/; no module shares it


def test_the_layout_table_names_every_module_of_the_rule_side() -> None:
    contributing = (PACKAGE.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for room in ("text", "kinds", "packs", "engine"):
        assert f"`replylint/{room}/`" in contributing, room
        for path in (PACKAGE / room).rglob("*.py"):
            kind = room == "kinds" and path.stem in KIND_MODULES  # one row covers the kinds
            if path.name != "__init__.py" and not kind:
                assert f"{path.name}`" in contributing, path.relative_to(PACKAGE)
