"""Reports for QA teams: results in (each carries its score), HTML, XLSX and CSV out.
Nothing here prints, lints or scores.

Every report takes an iterable of `Result` and reads agent, agent_name, team, region, date
and channel from each transcript's ``meta``. Files are written atomically: a temporary file
beside the target, then one rename.

`REPORTS` is the registry of ``report -o``: a file suffix names the module that writes that
kind of report with its ``write_report(path, results, *, title, reviewed)``. A module is
imported only when its report is wanted (openpyxl takes 0.15 s to import).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import import_module
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Protocol

from replylint.output.base import Formatter, Streams
from replylint.output.reports.csvfile import findings_csv_rows, write_findings_csv
from replylint.output.reports.html import render_html, write_html
from replylint.output.titles import NO_TITLES, Titles
from replylint.run.files import check_writable
from replylint.run.pipeline import Render
from replylint.run.result import Result, Summary

REPORTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        ".html": "html",
        ".htm": "html",
        ".xlsx": "xlsx",
        ".csv": "csvfile",
    }
)


class WriteReport(Protocol):
    def __call__(
        self, path: Path, items: list[Result], *, title: str, reviewed: bool, titles: Titles
    ) -> None:
        """Write the report of ``items`` to ``path``, atomically; ``titles`` names rules
        and packs in Chinese where the report shows names (HTML)."""


def report_writer(path: Path) -> WriteReport | None:
    """What writes the report ``path`` names by its suffix; None for an unknown one."""
    module = REPORTS.get(path.suffix.lower())
    if module is None:
        return None
    writer: WriteReport = import_module(f"replylint.output.reports.{module}").write_report
    return writer


def is_input(report: Path, paths: Sequence[str | Path]) -> bool:
    """Whether the report would overwrite one of the inputs (or a file in an input folder)."""
    target = report.resolve()
    for path in paths:
        if str(path) == "-":
            continue
        given = Path(path).resolve()
        if target == given or (given.is_dir() and given in target.parents):
            return True
    return False


def refuse_input(output: Path | None, paths: Sequence[str | Path]) -> None:
    """ValueError when ``output`` would overwrite one of the inputs (see `is_input`)."""
    if output is not None and is_input(output, paths):
        raise ValueError(f"{output}: is one of the inputs; replylint never overwrites an input")


def whole(result: Result) -> Result:
    """What a report keeps of each call: all of it."""
    return result


class Report(Formatter[Result]):
    """``report``: every call kept whole (read errors go to ``err``), then at `finish` the
    report written atomically: all of it, or nothing. ``reviewed``: review verdicts were
    applied, so the report shows each rule's false positives."""

    def __init__(
        self,
        streams: Streams,
        path: Path,
        *,
        title: str,
        reviewed: bool,
        titles: Titles = NO_TITLES,
    ) -> None:
        super().__init__(streams)
        writer = report_writer(path)
        if writer is None:
            raise ValueError(f"{path}: the report must end in .html, .xlsx or .csv")
        self.write_report = writer
        self.path = path
        self.title = title
        self.reviewed = reviewed
        self.titles = titles
        self.results: list[Result] = []

    @property
    def render(self) -> Render[Result]:
        return whole

    def start(self) -> None:
        """Fail fast (`OutputError`) when the report could not be written at the end."""
        check_writable(self.path)

    def handle(self, rendered: Result) -> None:
        self.results.append(rendered)

    def finish(self, summary: Summary) -> None:
        self.write_report(
            self.path, self.results, title=self.title, reviewed=self.reviewed, titles=self.titles
        )


def __getattr__(name: str) -> Any:
    # write_xlsx imports openpyxl (0.15 s): only when a workbook is wanted, so that
    # `replylint check` starts fast.
    if name == "write_xlsx":
        from replylint.output.reports.xlsx import write_xlsx  # noqa: PLC0415

        return write_xlsx
    raise AttributeError(name)


__all__ = [
    "REPORTS",
    "Report",
    "findings_csv_rows",
    "is_input",
    "refuse_input",
    "render_html",
    "report_writer",
    "write_findings_csv",
    "write_html",
    "write_xlsx",
]
