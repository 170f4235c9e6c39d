"""Reports for QA teams: scored results in, HTML, XLSX and CSV out. Nothing here prints.

Every report takes an iterable of `ScoredResult` (a `Result` plus its `Score`; see
`score_results`) and reads agent, agent_name, team, region, date and channel from each
transcript's ``meta``. Files are written atomically: a temporary file beside the target,
then one rename.
"""

from __future__ import annotations

from replylint.reports.aggregate import ScoredResult, score_results
from replylint.reports.csvfile import findings_csv_rows, write_findings_csv
from replylint.reports.html import render_html, write_html
from replylint.reports.xlsx import write_xlsx

__all__ = [
    "ScoredResult",
    "findings_csv_rows",
    "render_html",
    "score_results",
    "write_findings_csv",
    "write_html",
    "write_xlsx",
]
