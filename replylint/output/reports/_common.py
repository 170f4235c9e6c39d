"""What the report writers share: Chinese labels, the findings table, safe cells."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import Final

from replylint.model import Role, Severity
from replylint.output.records import tag_labels
from replylint.output.reports.aggregate import agent_label, meta_value
from replylint.run.result import Result

ROLE_LABELS: Final = {Role.AGENT: "坐席", Role.CUSTOMER: "客户", Role.SYSTEM: "系统"}
SEVERITY_LABELS: Final = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
PASS_LABELS: Final = {True: "合格", False: "不合格"}
# Tag categories of the bundled packs; a custom category is shown as it is named.
TAG_CATEGORY_LABELS: Final = {"topic": "话题", "customer-type": "客户类型"}

FINDING_HEADERS: Final = (
    "文件", "通话ID", "轮次", "角色", "规则", "名称", "规则包", "级别", "命中文本",
    "开始", "结束", "说明", "建议", "坐席", "班组", "区域", "日期", "得分", "标签",
)  # fmt: skip

Cell = str | int | float

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection), the
# full-width forms too (Excel in Chinese and Japanese takes ＝ for =).
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# What no cell should hold: C0 controls but tab and line breaks (XML refuses them), DEL and
# C1. An escape sequence before a formula would hide it from the check.
_CONTROLS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as typed: a leading quote stops a formula from running."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_text(text: str) -> str:
    """Text for a spreadsheet cell (CSV or XLSX): control characters dropped, then
    `neutralise`d, so that nothing in front of a formula hides it."""
    return neutralise(_CONTROLS.sub("", text))


def escape(value: object) -> str:
    """For HTML: escaped for text and for quoted attribute values alike."""
    return html.escape(str(value), quote=True)


def number(value: float) -> int | float:
    """85.0 -> 85 for display; fractional scores keep one decimal."""
    return int(value) if float(value).is_integer() else round(value, 1)


def finding_rows(items: Iterable[Result]) -> Iterator[tuple[Cell, ...]]:
    """One row of `FINDING_HEADERS` per finding, in input order; numbers stay numbers."""
    for item in items:
        transcript = item.transcript
        context = (
            agent_label(transcript),
            meta_value(transcript, "team"),
            meta_value(transcript, "region"),
            meta_value(transcript, "date"),
            number(item.score.score),
            call_tags(item),
        )
        for f in item.findings:
            yield (
                transcript.source or "", transcript.id, f.turn, ROLE_LABELS[f.role], f.rule,
                f.name, f.pack, SEVERITY_LABELS[f.severity], f.text, f.start, f.end,
                f.message, f.suggestion, *context,
            )  # fmt: skip


def category_label(category: str) -> str:
    return TAG_CATEGORY_LABELS.get(category, category)


def call_tags(item: Result) -> str:
    """A call's tags in one cell: 话题：停电、电费；客户类型：重复来电."""
    labels = tag_labels(item.tags)
    return "；".join(f"{category_label(c)}：{'、'.join(tags)}" for c, tags in labels.items())
