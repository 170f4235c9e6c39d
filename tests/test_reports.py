"""Reports: aggregations, the findings CSV, the XLSX workbook and the HTML page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import replylint
from replylint import Linter
from replylint.model import Finding, Role, Severity, Transcript, Turn
from replylint.output.reports import aggregate as agg
from replylint.output.reports import (
    findings_csv_rows,
    render_html,
    write_findings_csv,
    write_html,
    write_xlsx,
)
from replylint.output.reports._common import FINDING_HEADERS, neutralise
from replylint.output.reports.html import CONTENT_SECURITY_POLICY, highlighted
from replylint.run.result import Result
from replylint.run.scoring import ScoreConfig
from tests.conftest import CONTRACT_RULES
from tests.report_samples import IMG_PAYLOAD, SCRIPT_PAYLOAD, STYLE_PAYLOAD, sample_scored

EVIL = "evil<script>"


@pytest.fixture(scope="module")
def scored() -> list[Result]:
    return sample_scored()


def call(transcript_id: str, score: float, date: str | None = None) -> Result:
    """A result with no findings whose score is forced, for ordering tests."""
    meta = {} if date is None else {"date": date}
    item = Result.scored(Transcript(transcript_id, (), meta), [])
    return replace(item, score=replace(item.score, score=score, passed=score >= 80))


# --------------------------------------------------------------------------- aggregate


def test_headline(scored: list[Result]) -> None:
    numbers = agg.headline(scored)
    assert numbers == agg.Headline(
        calls=4, turns=10, findings=6, flagged_calls=3, passed=2, vetoed=0, mean_score=75.0
    )
    assert numbers.pass_rate == 0.5
    assert agg.headline([]) == agg.Headline(0, 0, 0, 0, 0, 0, 0.0)
    assert agg.headline([]).pass_rate == 0.0


def test_findings_by_rule_and_pack(scored: list[Result]) -> None:
    assert [(r.rule, r.pack, r.severity, r.findings, r.calls) for r in agg.by_rule(scored)] == [
        ("FP005", "forbidden-phrases", Severity.ERROR, 2, 2),
        ("BS002", "blame-shifting", Severity.ERROR, 1, 1),
        ("FP011", "forbidden-phrases", Severity.ERROR, 1, 1),
        ("MA001", "missing-apology", Severity.WARNING, 1, 1),
        ("NT001", "no-time-commitment", Severity.WARNING, 1, 1),
    ]
    assert agg.by_pack(scored) == (
        ("forbidden-phrases", 3),
        ("blame-shifting", 1),
        ("missing-apology", 1),
        ("no-time-commitment", 1),
    )


def test_by_agent_and_team_lowest_mean_score_first(scored: list[Result]) -> None:
    assert agg.by_agent(scored) == (
        agg.GroupStats("张三 (1001)", 2, 0, 60.0, 5, (("BS002", 1), ("FP005", 1), ("FP011", 1))),
        agg.GroupStats(IMG_PAYLOAD, 1, 1, 80.0, 1, (("FP005", 1),)),
        agg.GroupStats("李四 (1002)", 1, 1, 100.0, 0, ()),
    )
    assert [(g.key, g.calls, g.mean_score) for g in agg.by_team(scored)] == [
        ("一组", 2, 60.0),
        (STYLE_PAYLOAD, 1, 80.0),
        ("二组", 1, 100.0),
    ]
    assert agg.by_team([call("x", 90)]) == (agg.GroupStats("未知", 1, 1, 90.0, 0, ()),)


def test_score_histogram_has_ten_bins(scored: list[Result]) -> None:
    bins = agg.score_histogram([*scored, call("z", 0), call("y", 99.5)])
    assert [b.label for b in bins] == [
        "0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–100",
    ]  # fmt: skip
    assert [b.calls for b in bins] == [1, 0, 0, 0, 0, 1, 0, 1, 1, 2]


def test_trend_by_day_and_month_unknown_last(scored: list[Result]) -> None:
    assert agg.trend_period(scored) == "month"
    assert [
        (p.key, p.calls, p.passed, p.mean_score, p.findings) for p in agg.trend(scored, "month")
    ] == [
        ("2024-05", 2, 1, 85.0, 2),
        ("2024-06", 1, 0, 50.0, 3),
        ("未知", 1, 1, 80.0, 1),
    ]
    assert [p.key for p in agg.trend(scored, "day")] == ["2024-05-01", "2024-06-03", "未知"]
    assert agg.trend_period(scored[:2]) == "day"


@pytest.mark.parametrize(
    ("date", "day"),
    [
        ("2024-05-01", "2024-05-01"),
        ("2024/5/1 10:30", "2024-05-01"),
        ("2024.05.01", "2024-05-01"),
        ("2024年5月1日", "2024-05-01"),
        ("20240501", "2024-05-01"),
        ("2024-02-30", None),
        ("五月一日", None),
        ("", None),
    ],
)
def test_call_day_reads_the_usual_date_spellings(date: str, day: str | None) -> None:
    assert agg.call_day(Transcript("d", (), {"date": date})) == day


def test_worst_calls_lowest_score_first_ties_by_id() -> None:
    items = [call("b", 40), call("a", 40), call("c", 10), call("d", 90)]
    worst = agg.worst_calls(items, limit=3)
    assert [item.transcript.id for item in worst] == ["c", "a", "b"]


def test_results_are_scored_with_the_config(scored: list[Result]) -> None:
    config = ScoreConfig(veto_rules=frozenset({"FP011"}))
    rescored = [Result.scored(r.transcript, r.findings, r.tags, scoring=config) for r in scored]
    assert [item.score.vetoed for item in rescored] == [
        False,
        False,
        True,
        False,
    ]


# --------------------------------------------------------------------------- CSV


def test_csv_rows(scored: list[Result]) -> None:
    rows = list(findings_csv_rows(scored))
    assert rows[0] == [
        "文件", "通话ID", "轮次", "角色", "规则", "名称", "规则包", "级别", "命中文本",
        "开始", "结束", "说明", "建议", "坐席", "班组", "区域", "日期", "得分", "标签",
    ]  # fmt: skip
    assert len(rows) == 7
    first = rows[1]
    assert first[:11] == [
        "c1.txt", "c1", "1", "坐席", "FP005", "agent-does-not-know", "forbidden-phrases", "错误",
        "我不知道，不清楚", "2", "10",
    ]  # fmt: skip
    assert first[13:] == [
        "张三 (1001)", "一组", "华东", "2024-05-01", "70", "话题：宽带；客户类型：情绪激动"
    ]  # fmt: skip
    found = scored[0].findings[0]
    assert first[11:13] == [found.message, found.suggestion]
    assert [row[1] for row in rows[1:]] == ["c1", "c1", "c3", "c3", "c3", EVIL]


def test_csv_rows_are_lazy_and_header_optional() -> None:
    def items() -> Iterator[Result]:
        yield from sample_scored()[:1]
        raise AssertionError("read past the first result")

    rows = findings_csv_rows(items(), header=False)
    assert next(rows)[1] == "c1"


def test_csv_file_is_utf8_with_bom_and_reads_back(tmp_path: Path, scored: list[Result]) -> None:
    path = tmp_path / "findings.csv"
    write_findings_csv(path, scored)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\xe6\x96\x87\xe4\xbb\xb6,")  # BOM, 文件
    with path.open(encoding="utf-8-sig", newline="") as stream:
        assert list(csv.reader(stream)) == list(findings_csv_rows(scored))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.csv"]  # no temporary left


def test_csv_to_a_stream(scored: list[Result]) -> None:
    stream = io.StringIO()
    write_findings_csv(stream, scored[:1])
    assert stream.getvalue().startswith("\ufeff文件,通话ID,")
    stream = io.StringIO()
    write_findings_csv(stream, scored[:1], bom=False)
    assert stream.getvalue().startswith("文件,通话ID,")


def formula_result() -> Result:
    text = '坐席：=HYPERLINK("http://x","点我") 这个我不知道，不清楚。'
    transcript = replylint.parse_text(text, transcript_id="-1+1", source="@calls.txt")
    meta = {"agent": "+86", "team": "=cmd|' /C calc'!A0", "date": "-2024"}
    transcript = replace(transcript, meta=meta)
    findings = Linter(CONTRACT_RULES).lint(transcript)  # the forbidden phrase, no etiquette
    return Result.scored(transcript, findings)


def test_csv_neutralises_formulas() -> None:
    (row,) = findings_csv_rows([formula_result()], header=False)
    assert (row[0], row[1], row[13], row[14], row[16]) == (
        "'@calls.txt",
        "'-1+1",
        "'+86",
        "'=cmd|' /C calc'!A0",
        "'-2024",
    )
    assert row[8] == "我不知道，不清楚"


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
        ("＝全角", "＝全角"),
    ],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


@given(st.text())
def test_neutralise_any_text(text: str) -> None:
    safe = neutralise(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe in (text, "'" + text)
    assert (safe == text) == (not text.startswith(("=", "+", "-", "@", "\t", "\r")))


# --------------------------------------------------------------------------- XLSX


def sheet_values(path: Path, title: str) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path)
    return list(workbook[title].iter_rows(values_only=True))


def test_xlsx_sheets_headers_and_layout(tmp_path: Path, scored: list[Result]) -> None:
    path = tmp_path / "report.xlsx"
    write_xlsx(path, scored)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["明细", "通话", "坐席", "班组", "规则", "标签"]
    headers = {sheet.title: [c.value for c in sheet[1]] for sheet in workbook}
    assert headers == {
        "明细": list(FINDING_HEADERS),
        "通话": [
            "文件", "通话ID", "得分", "结果", "一票否决", "问题数", "轮次数", "坐席工号",
            "坐席姓名", "班组", "区域", "日期", "渠道", "扣分明细", "标签",
        ],
        "坐席": ["坐席", "通话数", "合格数", "合格率", "平均分", "问题数", "主要问题"],
        "班组": ["班组", "通话数", "合格数", "合格率", "平均分", "问题数", "主要问题"],
        "规则": ["规则", "名称", "规则包", "级别", "问题数", "涉及通话数"],
        "标签": ["类别", "标签", "通话数", "合格数", "合格率", "平均分", "问题数", "主要问题"],
    }  # fmt: skip
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_xlsx_cell_values(tmp_path: Path, scored: list[Result]) -> None:
    path = tmp_path / "report.xlsx"
    write_xlsx(path, scored)
    assert sheet_values(path, "通话")[1] == (
        "c1.txt", "c1", 70, "不合格", "否", 2, 3, "1001", "张三", "一组", "华东", "2024-05-01",
        "电话", "FP005 -20; NT001 -10", "话题：宽带；客户类型：情绪激动",
    )  # fmt: skip
    assert sheet_values(path, "标签")[1:] == [
        ("客户类型", "情绪激动", 2, 0, 0, 60, 5, "BS002×1, FP005×1, FP011×1"),
        ("话题", SCRIPT_PAYLOAD, 1, 1, 1, 80, 1, "FP005×1"),
        ("话题", "宽带", 1, 0, 0, 70, 2, "FP005×1, NT001×1"),
    ]
    assert sheet_values(path, "明细")[1][:5] == ("c1.txt", "c1", 1, "坐席", "FP005")
    assert sheet_values(path, "坐席")[1] == (
        "张三 (1001)",
        2,
        0,
        0,
        60,
        5,
        "BS002×1, FP005×1, FP011×1",
    )
    assert sheet_values(path, "规则")[1:3] == [
        ("FP005", "agent-does-not-know", "forbidden-phrases", "错误", 2, 2),
        ("BS002", "problem-pushed-elsewhere", "blame-shifting", "错误", 1, 1),
    ]
    workbook = openpyxl.load_workbook(path)
    assert workbook["坐席"]["D2"].number_format == "0.0%"


def test_xlsx_neutralises_formulas_and_drops_control_characters(tmp_path: Path) -> None:
    item = formula_result()
    item = replace(item, transcript=replace(item.transcript, id="=1+1\x07"))
    path = tmp_path / "report.xlsx"
    write_xlsx(path, [item])
    workbook = openpyxl.load_workbook(path)
    for title in ("明细", "通话"):
        cell = workbook[title]["B2"]
        assert (cell.value, cell.data_type) == ("'=1+1", "s")
    assert workbook["通话"]["H2"].value == "'+86"


def test_xlsx_column_widths_count_cjk_double(tmp_path: Path, scored: list[Result]) -> None:
    path = tmp_path / "report.xlsx"
    write_xlsx(path, scored)
    calls = openpyxl.load_workbook(path)["通话"]
    assert calls.column_dimensions["B"].width == len(EVIL) + 2  # 通话ID: "evil<script>"
    assert calls.column_dimensions["N"].width == len("MA001 -10; BS002 -20; FP011 -20") + 2
    assert calls.column_dimensions["I"].width == 2 * len("坐席姓名") + 2
    findings = openpyxl.load_workbook(path)["明细"]
    assert findings.column_dimensions["L"].width == 60  # long messages are capped


def test_xlsx_failed_write_keeps_the_old_file(
    tmp_path: Path, scored: list[Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"old")

    def broken_save(self: object, saved: io.BytesIO) -> None:
        saved.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_xlsx(path, scored)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_xlsx_records_no_time_of_writing(tmp_path: Path, scored: list[Result]) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    write_xlsx(first, scored)
    write_xlsx(second, scored)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as workbook:
        assert {entry.date_time for entry in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    properties = openpyxl.load_workbook(first).properties
    assert properties.created == properties.modified == dt.datetime(1980, 1, 1)


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def page(scored: list[Result]) -> str:
    return render_html(scored, generated_at="2024-07-01 09:00")


def test_html_is_self_contained(page: str) -> None:
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert (
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">' in page
    )
    assert CONTENT_SECURITY_POLICY.startswith(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline' 'sha256-"
    )
    assert CONTENT_SECURITY_POLICY.endswith("; img-src data:; base-uri 'none'; form-action 'none'")
    # Nothing is fetched: no external src/href, no @import or url() in the CSS.
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//|file:)""", page)
    assert "@import" not in page
    assert "url(" not in page
    assert page.count("<script>") == 1
    assert page.count("<style>") == 1
    assert page.count("</style>") == 1


def test_html_escapes_every_transcript_and_metadata_string(page: str) -> None:
    for payload in (SCRIPT_PAYLOAD, IMG_PAYLOAD, STYLE_PAYLOAD, EVIL):
        assert payload not in page
    assert "&lt;script&gt;document.body.setAttribute(&#x27;data-pwned&#x27;,&#x27;1&#x27;)" in page
    assert "&quot;&gt;&lt;img src=x onerror=&quot;" in page
    assert "<h3>通话 evil&lt;script&gt;</h3>" in page
    assert "<img" not in page
    assert "onerror=" not in page.replace("onerror=&quot;", "")


def test_html_marks_findings_in_place_with_message_and_suggestion(page: str) -> None:
    mark = (
        '<mark class="sev-error" data-rule="FP005" title="FP005">我不知道，不清楚</mark>'
        '<sup class="tag">FP005</sup>'
    )
    assert '<div class="said">这个' + mark + "。</div>" in page
    assert page.count('<mark class="sev-error" data-rule="FP005"') == 2
    assert '<mark class="sev-warning" data-rule="NT001" title="NT001">处理</mark>' in page
    assert '<li class="sev-error"><b>FP005</b> agent-does-not-know （错误）<p>' in page
    assert '<p class="tip">建议：' in page


def test_html_sections_charts_and_filters(page: str) -> None:
    assert "<title>replylint 质检报告</title>" in page
    assert '<p class="generated">生成时间：2024-07-01 09:00</p>' in page
    for caption in ("得分分布（通话数）", "问题数：按规则包", "问题数：按规则", "问题数：按坐席",
                    "问题数：按班组", "平均分趋势（按月）", "得分最低的通话"):  # fmt: skip
        assert caption in page
    assert page.count('<svg class="chart"') == 6
    assert '<div class="value">75</div><div class="label">平均分</div>' in page
    assert '<div class="value">50.0%</div><div class="label">合格率</div>' in page
    assert (
        '<article class="call" id="call-0" data-agent="张三 (1001)" data-team="一组" '
        'data-rules="FP005 NT001" data-tags="topic:宽带|customer-type:情绪激动" '
        'data-result="fail">'
    ) in page
    assert '<span class="tags">话题：宽带；客户类型：情绪激动</span>' in page
    assert "<h2>话题与客户类型</h2>" in page
    assert '<option value="customer-type:情绪激动">客户类型：情绪激动</option>' in page
    assert '<option value="FP011">FP011 complaint-called-useless</option>' in page
    assert (
        '<select name="result"><option value="">全部</option><option value="pass">合格</option>'
        in page
    )
    assert page.count('<article class="call"') == 4


def test_html_worst_calls_link_to_their_transcripts(page: str) -> None:
    worst = page[page.index("得分最低的通话") : page.index("<h2>坐席</h2>")]
    assert re.findall(r'<a href="#(call-\d)">([^<]*)</a>', worst) == [
        ("call-2", "c3"),
        ("call-0", "c1"),
        ("call-3", "evil&lt;script&gt;"),
        ("call-1", "c2"),
    ]


def test_html_is_deterministic(scored: list[Result], page: str) -> None:
    assert render_html(scored, generated_at="2024-07-01 09:00") == page
    assert "生成时间" not in render_html(scored)


def test_html_with_no_calls() -> None:
    page = render_html([], title="空<报告>")
    assert "<title>空&lt;报告&gt;</title>" in page
    assert page.count('<p class="empty">暂无数据</p>') == 5  # the histogram has ten empty bins


def test_write_html_replaces_atomically(tmp_path: Path, scored: list[Result]) -> None:
    path = tmp_path / "report.html"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    write_html(path, scored, generated_at="x")
    assert path.read_text(encoding="utf-8") == render_html(scored, generated_at="x")
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    fresh = tmp_path / "new.html"
    write_html(fresh, [])
    assert fresh.stat().st_mode & 0o777 == 0o644


def finding(rule: str, start: int, end: int, severity: Severity = Severity.ERROR) -> Finding:
    return Finding("t", 0, Role.AGENT, start, end, "", rule, "n", "p", severity, "m", "s")


def test_overlapping_findings_never_nest_marks() -> None:
    text = "<b>您跟我叫没有用</b>"
    findings = [finding("A1", 3, 9, Severity.WARNING), finding("B2", 6, 10)]
    assert highlighted(text, findings) == (
        "&lt;b&gt;"
        '<mark class="sev-warning" data-rule="A1" title="A1">您跟我</mark>'
        '<mark class="sev-error" data-rule="A1 B2" title="A1 B2">叫没有</mark>'
        '<sup class="tag">A1</sup>'
        '<mark class="sev-error" data-rule="B2" title="B2">用</mark>'
        '<sup class="tag">B2</sup>'
        "&lt;/b&gt;"
    )
    assert highlighted("a&b", []) == "a&amp;b"


def test_a_turn_without_text_renders() -> None:
    transcript = Transcript("e", (Turn(Role.SYSTEM, ""),))
    page = render_html([Result.scored(transcript, [])])
    assert (
        '<li class="turn system" data-turn="0"><span class="who">系统</span>'
        '<div class="said"></div>' in page
    )
