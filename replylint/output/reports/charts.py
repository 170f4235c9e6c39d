"""The HTML report's charts: SVG drawn here, with no script and nothing fetched."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

from replylint.output.reports._common import escape as _e
from replylint.output.reports._common import number
from replylint.output.reports.aggregate import (
    UNKNOWN,
    GroupStats,
    RuleCount,
    by_agent,
    by_pack,
    by_team,
    score_histogram,
    trend,
    trend_period,
)
from replylint.output.titles import NO_TITLES, Titles
from replylint.run.result import Result

_CHART_WIDTH: Final = 560
_CHART_ROWS: Final = 12  # bars per chart: the rest is in the tables below


def _short(label: str, columns: int = 26) -> str:
    """`label` cut to fit the chart's label column; CJK characters are twice as wide."""
    used = 0
    for index, char in enumerate(label):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > columns:
            return label[: index - 1] + "…"
    return label


def _svg(height: float, label: str, body: Iterable[str]) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{_e(label)}" viewBox="0 0 {_CHART_WIDTH} {height:g}">'
        + "".join(body)
        + "</svg>"
    )


def _item(name: str, value_text: str, *shapes: str) -> str:
    """One bar or column: a tooltip with the full name and value, then what is drawn."""
    return f"<g><title>{_e(name)}：{_e(value_text)}</title>{''.join(shapes)}</g>"


def _rect(x: float, y: float, width: float, height: float) -> str:
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
        f'height="{height:.1f}" rx="2"/>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "") -> str:
    style = f' class="{css}"' if css else ""
    return f'<text{style} x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{_e(text)}</text>'


def _bar_chart(label: str, rows: Sequence[tuple[str, float, str]]) -> str:
    """Horizontal bars: (name, value, value text) each, in the given order."""
    if not rows:
        return '<p class="empty">暂无数据</p>'
    row_height, left, bar_space = 24, 190, _CHART_WIDTH - 190 - 70
    peak = max(value for _, value, _ in rows) or 1.0

    def bar(index: int, name: str, value: float, text: str) -> str:
        y, width = 4 + index * row_height, bar_space * value / peak
        return _item(
            name,
            text,
            _text(left - 8, y + 16, _short(name), "end"),
            _rect(left, y + 4, width, 16),
            _text(left + width + 6, y + 16, text),
        )

    body = (bar(i, *row) for i, row in enumerate(rows))
    return _svg(row_height * len(rows) + 8, label, body)


def _column_chart(label: str, columns: Sequence[tuple[str, float, str]], peak: float) -> str:
    """Vertical columns on a 0..peak scale: (name, value, value text) each, left to right."""
    if not columns:
        return '<p class="empty">暂无数据</p>'
    top, plot, slot = 20, 160, (_CHART_WIDTH - 20) / len(columns)
    every = math.ceil(len(columns) / 12)  # label at most 12 columns so the names stay legible

    def column(index: int, name: str, value: float, text: str) -> str:
        height = plot * value / (peak or 1.0)
        x, width = 10 + index * slot + slot * 0.15, slot * 0.7
        middle, y = x + width / 2, top + plot - height
        axis = _text(middle, top + plot + 16, name, "middle", "axis") if index % every == 0 else ""
        return _item(
            name, text, _rect(x, y, width, height), _text(middle, y - 4, text, "middle"), axis
        )

    body = (column(i, *item) for i, item in enumerate(columns))
    return _svg(top + plot + 24, label, body)


def _figure(caption: str, chart: str) -> str:
    return f"<figure><figcaption>{_e(caption)}</figcaption>{chart}</figure>"


def _top_by_findings(groups: Sequence[GroupStats]) -> list[tuple[str, float, str]]:
    ranked = sorted(groups, key=lambda g: (-g.findings, g.key))[:_CHART_ROWS]
    return [(g.key, g.findings, str(g.findings)) for g in ranked]


def _trend_chart(items: Sequence[Result]) -> str:
    period = trend_period(items)
    points = trend(items, period)
    columns = [
        (
            p.key[5:] if period == "day" and p.key != UNKNOWN else p.key,
            p.mean_score,
            str(number(p.mean_score)),
        )
        for p in points
    ]
    caption = f"平均分趋势（按{'日' if period == 'day' else '月'}）"
    return _figure(caption, _column_chart(caption, columns, 100.0))


def charts(items: Sequence[Result], rules: Sequence[RuleCount], titles: Titles = NO_TITLES) -> str:
    """The report's charts section: scores, findings by pack, rule, agent and team, trend.
    Packs and rules are labelled by their Chinese titles, where they have one."""
    histogram = [(b.label, b.calls, str(b.calls)) for b in score_histogram(items)]
    packs = [(titles.pack(pack) or pack, n, str(n)) for pack, n in by_pack(items)]
    rule_bars = [
        (f"{r.rule} {titles.rule(r.rule) or r.name}", r.findings, str(r.findings))
        for r in rules[:_CHART_ROWS]
    ]
    figures = (
        _figure(
            "得分分布（通话数）",
            _column_chart("得分分布", histogram, max(c for _, c, _ in histogram) or 1),
        ),
        _figure("问题数：按规则包", _bar_chart("问题数：按规则包", packs)),
        _figure("问题数：按规则", _bar_chart("问题数：按规则", rule_bars)),
        _figure("问题数：按坐席", _bar_chart("问题数：按坐席", _top_by_findings(by_agent(items)))),
        _figure("问题数：按班组", _bar_chart("问题数：按班组", _top_by_findings(by_team(items)))),
        _trend_chart(items),
    )
    return '<h2>图表</h2><div class="charts">' + "".join(figures) + "</div>"
