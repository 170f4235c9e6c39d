"""Start-up: ``import replylint`` loads nothing heavy; every public name still resolves."""

from __future__ import annotations

import subprocess
import sys

import pytest

import replylint

HEAVY = ("replylint.engine", "replylint.kinds", "replylint.readers", "replylint.run", "typer")


def test_a_bare_import_loads_no_engine_reader_settings_or_cli() -> None:
    probe = f"import sys, replylint; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", replylint.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(replylint, name) is not None
    assert name in dir(replylint)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        replylint.no_such_name  # noqa: B018 - the lookup is the test
