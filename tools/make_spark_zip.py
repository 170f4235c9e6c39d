"""Write replylint as a zip for Spark's ``--py-files``: ``python -m tools.make_spark_zip [ZIP]``.

Spark puts only .zip, .egg and .jar files of ``--py-files`` on the executors' Python path (a
wheel named .whl is copied but never imported). The zip holds the package as the wheel does:
``replylint/`` with its package data, and the bundled packs as ``replylint/_rules/``, which
replylint reads from inside the zip (importlib.resources; see packs.loader). Its
dependencies are not in it: pyahocorasick is a compiled extension, which Python cannot
import from a zip, so the nodes need them installed (docs/spark.md).
"""

from __future__ import annotations

import argparse
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ZIP = ROOT / "dist" / "replylint.zip"


def members(root: Path = ROOT) -> Iterator[tuple[Path, str]]:
    """(file on disk, name in the zip) of every file the zip holds, sorted."""
    for path in sorted((root / "replylint").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path, path.relative_to(root).as_posix()
    for path in sorted((root / "rules").rglob("*")):
        if path.is_file():
            yield path, f"replylint/_rules/{path.relative_to(root / 'rules').as_posix()}"


def write_zip(target: Path, root: Path = ROOT) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in members(root):
            archive.write(path, name)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip", nargs="?", type=Path, default=DEFAULT_ZIP)
    print(write_zip(parser.parse_args().zip))  # noqa: T201 - a tool's one line of output


if __name__ == "__main__":
    main()
