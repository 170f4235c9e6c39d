"""The lowest versions pyproject.toml allows, as a pip constraints file on stdout: each
``name>=X`` dependency becomes ``name==X``. CI installs them in a venv of their own and
runs the command-line tests there, so that a floor that no longer works is found."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

FLOOR = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(?:,.*)?$")


def floors(pyproject: Path) -> list[str]:
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for requirement in dependencies:
        match = FLOOR.match(requirement.split(";")[0])
        if match is None:
            sys.exit(f"{requirement!r}: every dependency needs a floor (name>=version)")
        pins.append(f"{match[1]}=={match[2]}")
    return pins


if __name__ == "__main__":
    pins = floors(Path(__file__).parent.parent / "pyproject.toml")
    sys.stdout.write("".join(f"{pin}\n" for pin in pins))
