"""The findings as CSV for Excel: UTF-8 with BOM, Chinese headers, formulas neutralised."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from replylint.output.reports._common import FINDING_HEADERS, cell_text, finding_rows
from replylint.output.titles import NO_TITLES, Titles
from replylint.run.files import atomic_path
from replylint.run.result import Result

__all__ = ["findings_csv_rows", "write_findings_csv", "write_report"]


def findings_csv_rows(items: Iterable[Result], *, header: bool = True) -> Iterator[list[str]]:
    """The header (unless ``header=False``), then one row of text cells per finding.

    Lazy: a result is read only when its rows are wanted, so `check --format csv` can stream.
    Every cell is passed through `cell_text`: no control characters, formulas neutralised.
    """
    if header:
        yield list(FINDING_HEADERS)
    for row in finding_rows(items):
        yield [cell_text(str(cell)) for cell in row]


def write_findings_csv(
    target: str | os.PathLike[str] | TextIO, items: Iterable[Result], *, bom: bool = True
) -> None:
    """Write the findings table to a path (atomically) or to an open text stream.

    A path is written in UTF-8 with a BOM, which Excel needs to show Chinese. A stream is
    written in its own encoding, after a BOM character unless ``bom=False``.
    """
    if isinstance(target, str | os.PathLike):
        with (
            atomic_path(target) as temporary,
            temporary.open("w", encoding="utf-8", newline="") as stream,
        ):
            _write(stream, items, bom=True)
    else:
        _write(target, items, bom=bom)


def write_report(
    path: Path, items: list[Result], *, title: str, reviewed: bool, titles: Titles = NO_TITLES
) -> None:
    """`report -o NAME.csv`: the findings table (no title; verdicts only take findings out)."""
    write_findings_csv(path, items)


def _write(stream: TextIO, items: Iterable[Result], *, bom: bool) -> None:
    if bom:
        stream.write("\ufeff")
    csv.writer(stream).writerows(findings_csv_rows(items))
