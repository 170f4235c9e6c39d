"""The report as an Excel workbook: sheets 明细, 通话, 坐席, 班组, 规则 and 标签.

Every sheet has Chinese headers, a frozen header row, an auto-filter and column widths fitted
to the text (CJK characters count double, capped at `MAX_WIDTH`). Text cells are neutralised
against formula injection after control characters (which XLSX cannot hold) are removed. The same
findings always give the same bytes: the workbook records no time of writing.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from replylint.fields import FIELD_BY_NAME
from replylint.output.reports._common import (
    FINDING_HEADERS,
    PASS_LABELS,
    SEVERITY_LABELS,
    Cell,
    call_tags,
    category_label,
    cell_text,
    finding_rows,
    number,
)
from replylint.output.reports.aggregate import (
    GroupStats,
    RuleCount,
    by_agent,
    by_rule,
    by_tag,
    by_team,
    meta_value,
)
from replylint.output.titles import NO_TITLES, Titles
from replylint.run.files import atomic_path
from replylint.run.result import Result

__all__ = [
    "CALL_HEADERS",
    "GROUP_HEADERS",
    "MAX_WIDTH",
    "REVIEW_HEADERS",
    "RULE_HEADERS",
    "write_report",
    "write_xlsx",
]

# The call's metadata in the workbook, labelled as the field table labels them (坐席工号…).
CALL_META: Final = ("agent", "agent_name", "team", "region", "date", "channel")
CALL_HEADERS: Final = (
    "文件", "通话ID", "得分", "结果", "一票否决", "问题数", "轮次数",
    *(FIELD_BY_NAME[name].label for name in CALL_META), "扣分明细", "标签",
)  # fmt: skip
GROUP_HEADERS: Final = ("通话数", "合格数", "合格率", "平均分", "问题数", "主要问题")
RULE_HEADERS: Final = ("规则", "名称", "规则包", "级别", "问题数", "涉及通话数")
REVIEW_HEADERS: Final = ("确认误报数", "误报率")  # with review verdicts
MAX_WIDTH: Final = 60
_NUMBER_FORMATS: Final = {"合格率": "0.0%", "平均分": "0.0", "误报率": "0.0%"}
_BOLD: Final = Font(bold=True)
# openpyxl stamps the time of saving into docProps/core.xml and on every zip entry; these
# fixed ones (the zip format's earliest date) stand in for them.
_ZIP_DATE: Final = (1980, 1, 1, 0, 0, 0)
_CORE_PROPERTIES: Final = "docProps/core.xml"
_CORE_DATE: Final = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def _call_row(item: Result) -> tuple[Cell, ...]:
    transcript, score = item.transcript, item.score
    deductions = "; ".join(f"{d.rule} -{number(d.points)}" for d in score.deductions)
    meta = (meta_value(transcript, key) for key in CALL_META)
    return (
        transcript.source or "", transcript.id, number(score.score),
        PASS_LABELS[score.passed], "是" if score.vetoed else "否",
        len(item.findings), len(transcript.turns), *meta, deductions,
        call_tags(item),
    )  # fmt: skip


def _group_row(group: GroupStats) -> tuple[Cell, ...]:
    top = ", ".join(f"{rule}×{count}" for rule, count in group.top_rules)
    return (
        group.key, group.calls, group.passed, group.pass_rate, group.mean_score,
        group.findings, top,
    )  # fmt: skip


def _tag_row(tagged: tuple[str, GroupStats]) -> tuple[Cell, ...]:
    category, group = tagged
    return (category_label(category), *_group_row(group))


def _rule_row(rule: RuleCount) -> tuple[Cell, ...]:
    severity = SEVERITY_LABELS[rule.severity]
    return (rule.rule, rule.name, rule.pack, severity, rule.findings, rule.calls)


def _reviewed_rule_row(rule: RuleCount) -> tuple[Cell, ...]:
    return (*_rule_row(rule), rule.marked, rule.false_positive_rate)


def _safe(value: Cell) -> Cell:
    if isinstance(value, str):
        return cell_text(value)
    return value


def _display_width(value: Cell) -> int:
    """Columns the longest line needs: wide (CJK) characters count two."""
    lines = str(value).splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines
    )


def _fill(sheet: Any, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    sheet.append(list(headers))
    widths = [_display_width(header) for header in headers]
    for row in rows:
        cells = [_safe(value) for value in row]
        sheet.append(cells)
        widths = [max(w, _display_width(cell)) for w, cell in zip(widths, cells, strict=True)]
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(width + 2, MAX_WIDTH)
        sheet[f"{letter}1"].font = _BOLD
        if header in _NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = _NUMBER_FORMATS[header]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def write_xlsx(
    path: str | os.PathLike[str], items: Iterable[Result], *, reviewed: bool = False
) -> None:
    """Write the workbook to `path` atomically (a temporary file, then a rename). With
    ``reviewed`` (review verdicts were applied), the 规则 sheet adds each rule's confirmed
    false positives and false-positive rate."""
    items = list(items)
    rule_headers = (*RULE_HEADERS, *REVIEW_HEADERS) if reviewed else RULE_HEADERS
    rule_row = _reviewed_rule_row if reviewed else _rule_row
    sheets: tuple[tuple[str, Sequence[str], Iterable[Sequence[Cell]]], ...] = (
        ("明细", FINDING_HEADERS, finding_rows(items)),
        ("通话", CALL_HEADERS, map(_call_row, items)),
        ("坐席", ("坐席", *GROUP_HEADERS), map(_group_row, by_agent(items))),
        ("班组", ("班组", *GROUP_HEADERS), map(_group_row, by_team(items))),
        ("规则", rule_headers, map(rule_row, by_rule(items))),
        ("标签", ("类别", "标签", *GROUP_HEADERS), map(_tag_row, by_tag(items))),
    )
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        _fill(workbook.create_sheet(title), headers, rows)
    with atomic_path(path) as temporary:
        _save_without_times(workbook, temporary)


def write_report(
    path: Path, items: list[Result], *, title: str, reviewed: bool, titles: Titles = NO_TITLES
) -> None:
    """`report -o NAME.xlsx` (the workbook has no title)."""
    write_xlsx(path, items, reviewed=reviewed)


def _save_without_times(workbook: Workbook, path: os.PathLike[str]) -> None:
    saved = io.BytesIO()
    workbook.save(saved)
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == _CORE_PROPERTIES:
                data = _CORE_DATE.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
            target.writestr(zipfile.ZipInfo(entry.filename, _ZIP_DATE), data, zipfile.ZIP_DEFLATED)
