"""CSV on standard output (`check --format csv`): the report's findings table, streamed a
call at a time after one header line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from replylint.output.base import LineFormatter
from replylint.output.reports._common import FINDING_HEADERS
from replylint.output.reports.csvfile import findings_csv_rows
from replylint.run.pipeline import Render
from replylint.run.result import Result

_NEEDS_QUOTES: Final = re.compile('[,"\r\n]')


class CsvFormatter(LineFormatter):
    """For spreadsheets: the findings table, its header first; no summary."""

    def start(self) -> None:
        self.streams.out("\ufeff" + csv_header())  # the BOM lets Excel show Chinese

    @property
    def render(self) -> Render[list[str]]:
        return csv_block


def _csv_text(rows: Iterable[list[str]]) -> str:
    """Rows as CSV, a line each (\\n). A cell holding a comma, a quote, or a line break of
    either kind is quoted: the csv module with \\n line ends leaves a bare CR unquoted, and
    a spreadsheet then splits the row there."""
    return "\n".join(",".join(map(_csv_cell, row)) for row in rows)


def _csv_cell(text: str) -> str:
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def csv_header() -> str:
    """The header line of `check --format csv`."""
    return _csv_text([list(FINDING_HEADERS)])


def csv_block(result: Result) -> list[str]:
    """One call's findings as CSV text (no header), for streaming `check --format csv`.
    One string, not a line each: a quoted cell may hold a line break."""
    text = _csv_text(findings_csv_rows([result], header=False))
    return [text] if text else []
