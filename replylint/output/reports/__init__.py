"""Reports for QA teams: results in (each carries its score), HTML, XLSX and CSV out.
Nothing here prints, lints or scores.

Every report takes an iterable of `Result` and reads agent, agent_name, team, region, date
and channel from each transcript's ``meta``. Files are written atomically: a temporary file
beside the target, then one rename.
"""

from __future__ import annotations

from typing import Any

from replylint.output.reports.csvfile import findings_csv_rows, write_findings_csv
from replylint.output.reports.html import render_html, write_html


def __getattr__(name: str) -> Any:
    # write_xlsx imports openpyxl (0.15 s): only when a workbook is wanted, so that
    # `replylint check` starts fast.
    if name == "write_xlsx":
        from replylint.output.reports.xlsx import write_xlsx  # noqa: PLC0415

        return write_xlsx
    raise AttributeError(name)


__all__ = [
    "findings_csv_rows",
    "render_html",
    "write_findings_csv",
    "write_html",
    "write_xlsx",
]
