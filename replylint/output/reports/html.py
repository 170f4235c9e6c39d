"""The report as one self-contained HTML page that opens offline, from a file, in any browser.

No remote resources: CSS and a small filter script are inline, charts are SVG drawn here.
Every transcript string and metadata value passes through `html.escape`, so a ``<script>``
in a transcript shows as text. The Content-Security-Policy allows nothing to be fetched, and
only the report's own script (by its hash) to run. Same input and ``generated_at``, same page.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Final

from replylint.fields import FIELD_BY_NAME
from replylint.model import Finding, Severity, Transcript
from replylint.output.reports._common import (
    PASS_LABELS,
    ROLE_LABELS,
    SEVERITY_LABELS,
    call_tags,
    category_label,
    number,
)
from replylint.output.reports._common import escape as _e
from replylint.output.reports.aggregate import (
    UNKNOWN,
    GroupStats,
    Headline,
    RuleCount,
    agent_label,
    by_agent,
    by_rule,
    by_tag,
    by_team,
    headline,
    meta_value,
    natural_key,
    worst_calls,
)
from replylint.output.reports.charts import charts
from replylint.output.titles import NO_TITLES, Titles
from replylint.run.files import atomic_path
from replylint.run.result import Result

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "DEFAULT_TITLE",
    "highlighted",
    "render_html",
    "write_html",
    "write_report",
]

DEFAULT_TITLE: Final = "replylint 质检报告"
_WORST_CALLS: Final = 10
_SEVERITY_ORDER: Final = (Severity.ERROR, Severity.WARNING, Severity.INFO)
# A call's metadata on the page, labelled as the field table labels them (坐席工号…).
_META_LABELS: Final = tuple(
    (name, FIELD_BY_NAME[name].label)
    for name in ("agent", "agent_name", "team", "region", "date", "channel")
)


def _percent(rate: float) -> str:
    return f"{rate:.1%}"


# --------------------------------------------------------------------------- page furniture

_STYLE: Final = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --panel:#f5f7fa; --bar:#3b82f6;
  --error:#c81e1e; --warning:#b45309; --info:#1d4ed8; --pass:#047857; --fail:#c81e1e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.55;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei", system-ui, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; } h2 { margin: 32px 0 12px; font-size: 20px; }
.generated { color: var(--muted); margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;
  margin-top: 20px; }
.card { background: var(--panel); border-radius: 8px; padding: 12px 16px; }
.card .value { font-size: 26px; font-weight: 700; } .card .label { color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 8px; }
svg.chart { width: 100%; height: auto; font-size: 12px; }
svg.chart rect.bar { fill: var(--bar); } svg.chart text { fill: var(--ink); }
svg.chart text.axis { fill: var(--muted); } .empty { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left;
  vertical-align: top; }
th { background: var(--panel); } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: var(--pass); } .fail { color: var(--fail); font-weight: 600; }
.veto { background: var(--fail); color: #fff; border-radius: 4px; padding: 0 6px; }
#filters { position: sticky; top: 0; z-index: 1; background: #fff; padding: 10px 0;
  border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 12px;
  align-items: center; }
#filters select { font: inherit; padding: 2px 4px; max-width: 220px; }
article.call { border: 1px solid var(--line); border-radius: 8px; margin: 16px 0;
  padding: 12px 16px; }
article.call header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; }
article.call h3 { margin: 0; font-size: 17px; } .score { font-size: 20px; font-weight: 700; }
.meta, .source { color: var(--muted); font-size: 13px; }
.tags { background: #ecfdf5; color: var(--pass); border-radius: 4px; padding: 0 6px;
  font-size: 13px; }
ol.turns { list-style: none; padding: 0; margin: 12px 0 0; }
li.turn { display: grid; grid-template-columns: 4.5em minmax(0, 1fr) minmax(0, 22em); gap: 10px;
  padding: 6px 0; border-top: 1px dashed var(--line); }
li.turn > * { align-self: start; } li.turn .who { color: var(--muted); font-size: 13px; }
li.turn .no { font-variant-numeric: tabular-nums; }
li.turn.agent .said { background: #eef4ff; } li.turn.customer .said { background: var(--panel); }
.said { white-space: pre-wrap; overflow-wrap: anywhere; border-radius: 6px; padding: 4px 8px; }
mark { background: #fde68a; border-bottom: 2px solid var(--warning); padding: 0 1px; }
mark.sev-error { background: #fecaca; border-color: var(--error); }
mark.sev-info { background: #dbeafe; border-color: var(--info); }
sup.tag { font-size: 10px; color: var(--error); margin-left: 1px; }
ul.notes { list-style: none; margin: 0; padding: 0; font-size: 13px; }
ul.notes li { border-left: 3px solid var(--warning); padding: 2px 8px; margin-bottom: 6px; }
ul.notes li.sev-error { border-color: var(--error); }
ul.notes li.sev-info { border-color: var(--info); }
ul.notes p { margin: 2px 0; } .tip { color: var(--pass); }
@media (max-width: 760px) { li.turn { grid-template-columns: 1fr; } }
"""

# Runs once at the end of <body>. Everything it needs is in data attributes; it fetches nothing.
_SCRIPT: Final = """
(function () {
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));
  var calls = Array.prototype.slice.call(document.querySelectorAll("article.call"));
  var shown = document.getElementById("shown");
  function matches(call, name, wanted) {
    if (!wanted) { return true; }
    if (name === "rule") { return call.dataset.rules.split(" ").indexOf(wanted) >= 0; }
    if (name === "tag") { return call.dataset.tags.split("|").indexOf(wanted) >= 0; }
    return call.dataset[name] === wanted;
  }
  function apply() {
    var count = 0;
    calls.forEach(function (call) {
      var keep = selects.every(function (s) { return matches(call, s.name, s.value); });
      call.hidden = !keep;
      if (keep) { count += 1; }
    });
    shown.textContent = String(count);
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
  document.body.setAttribute("data-filters-ready", "1");
})();
"""
_SCRIPT_HASH: Final = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
# 'unsafe-inline' is for browsers older than CSP 2; newer ones ignore it next to a hash.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'unsafe-inline' 'sha256-{_SCRIPT_HASH}'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _head(title: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
    )


# --------------------------------------------------------------------------- tables


def _card(label: str, value: str) -> str:
    return (
        f'<div class="card"><div class="value">{_e(value)}</div>'
        f'<div class="label">{_e(label)}</div></div>'
    )


def _summary(numbers: Headline) -> str:
    cards = (
        ("通话数", str(numbers.calls)),
        ("轮次数", str(numbers.turns)),
        ("问题数", str(numbers.findings)),
        ("有问题的通话", str(numbers.flagged_calls)),
        ("合格通话", str(numbers.passed)),
        ("合格率", _percent(numbers.pass_rate)),
        ("平均分", str(number(numbers.mean_score))),
        ("一票否决", str(numbers.vetoed)),
    )
    return '<section class="cards">' + "".join(_card(*card) for card in cards) + "</section>"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: frozenset[int]) -> str:
    """A table of already-escaped cells; columns in `numeric` are right-aligned."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _result_cell(item: Result) -> str:
    verdict = PASS_LABELS[item.score.passed]
    css = "pass" if item.score.passed else "fail"
    veto = ' <span class="veto">一票否决</span>' if item.score.vetoed else ""
    return f'<span class="{css}">{verdict}</span>{veto}'


def _worst(worst: Sequence[Result], anchors: dict[int, str]) -> str:
    rows = (
        (
            f'<a href="#{anchors[id(item)]}">{_e(item.transcript.id)}</a>',
            _e(number(item.score.score)),
            _result_cell(item),
            _e(agent_label(item.transcript)),
            _e(meta_value(item.transcript, "team")),
            _e(meta_value(item.transcript, "date")),
            str(len(item.findings)),
            _e(" ".join(sorted({d.rule for d in item.score.deductions}))),
        )
        for item in worst
    )
    headers = ("通话ID", "得分", "结果", "坐席", "班组", "日期", "问题数", "扣分规则")
    return "<h2>得分最低的通话</h2>" + _table(headers, rows, frozenset({1, 6}))


def _groups_table(title: str, key_header: str, groups: Sequence[GroupStats]) -> str:
    rows = (
        (
            _e(g.key), str(g.calls), _percent(g.pass_rate), str(number(g.mean_score)),
            str(g.findings), _e(", ".join(f"{rule}×{n}" for rule, n in g.top_rules)),
        )
        for g in groups
    )  # fmt: skip
    headers = (key_header, "通话数", "合格率", "平均分", "问题数", "主要问题")
    return f"<h2>{_e(title)}</h2>" + _table(headers, rows, frozenset({1, 2, 3, 4}))


def _tags_table(tagged: Sequence[tuple[str, GroupStats]]) -> str:
    """Calls by topic and customer type; nothing when no call has a tag."""
    if not tagged:
        return ""
    rows = (
        (
            _e(category_label(category)), _e(g.key), str(g.calls), _percent(g.pass_rate),
            str(number(g.mean_score)), str(g.findings),
            _e(", ".join(f"{rule}×{n}" for rule, n in g.top_rules)),
        )
        for category, g in tagged
    )  # fmt: skip
    headers = ("类别", "标签", "通话数", "合格率", "平均分", "问题数", "主要问题")
    return "<h2>话题与客户类型</h2>" + _table(headers, rows, frozenset({2, 3, 4, 5}))


def rule_label(rule: str, name: str, titles: Titles) -> str:
    """What a QA team calls a rule: its Chinese title, else its name."""
    return titles.rule(rule) or name


def pack_label(pack: str, titles: Titles) -> str:
    """What a QA team calls a pack: its Chinese title, else its name."""
    return titles.pack(pack) or pack


def _rules_table(rules: Sequence[RuleCount], titles: Titles, *, reviewed: bool) -> str:
    """With ``reviewed``, also each rule's confirmed false positives and their rate."""
    rows = (
        (
            _e(r.rule),
            f'<span title="{_e(r.name)}">{_e(rule_label(r.rule, r.name, titles))}</span>',
            f'<span title="{_e(r.pack)}">{_e(pack_label(r.pack, titles))}</span>',
            SEVERITY_LABELS[r.severity],
            str(r.findings),
            str(r.calls),
            *((str(r.marked), f"{r.false_positive_rate:.1%}") if reviewed else ()),
        )
        for r in rules
    )
    headers: tuple[str, ...] = ("规则", "名称", "规则包", "级别", "问题数", "涉及通话")
    if reviewed:
        headers = (*headers, "确认误报", "误报率")
        return "<h2>规则</h2>" + _table(headers, rows, frozenset({4, 5, 6, 7}))
    return "<h2>规则</h2>" + _table(headers, rows, frozenset({4, 5}))


# --------------------------------------------------------------------------- filters


def _select(name: str, label: str, options: Iterable[tuple[str, str]]) -> str:
    choices = "".join(f'<option value="{_e(value)}">{_e(text)}</option>' for value, text in options)
    return (
        f'<label>{_e(label)} <select name="{name}">'
        f'<option value="">全部</option>{choices}</select></label>'
    )


def _filters(items: Sequence[Result], rules: Sequence[RuleCount], titles: Titles) -> str:
    agents = sorted({_agent_key(item.transcript) for item in items}, key=natural_key)
    teams = sorted({_team_key(item.transcript) for item in items}, key=natural_key)
    selects = [
        _select("agent", "坐席", ((a, a) for a in agents)),
        _select("team", "班组", ((t, t) for t in teams)),
        _select(
            "rule",
            "规则",
            (
                (r.rule, f"{r.rule} {rule_label(r.rule, r.name, titles)}")
                for r in sorted(rules, key=lambda r: r.rule)
            ),
        ),
        _select("result", "结果", (("pass", "合格"), ("fail", "不合格"))),
    ]
    tags = sorted({(t.category, t.tag) for item in items for t in item.tags})
    if tags:
        options = ((_tag_key(c, t), f"{category_label(c)}：{t}") for c, t in tags)
        selects.append(_select("tag", "标签", options))
    count = f'<span>显示 <b id="shown">{len(items)}</b> / {len(items)} 个通话</span>'
    return '<h2>全部通话</h2><nav id="filters">' + "".join(selects) + count + "</nav>"


# --------------------------------------------------------------------------- transcripts


def _agent_key(transcript: Transcript) -> str:
    return agent_label(transcript) or UNKNOWN


def _tag_key(category: str, tag: str) -> str:
    return f"{category}:{tag}".replace("|", "/")  # '|' separates a call's tags


def _team_key(transcript: Transcript) -> str:
    return meta_value(transcript, "team") or UNKNOWN


def _worst_severity(severities: Iterable[Severity]) -> Severity:
    present = set(severities)
    return next(s for s in _SEVERITY_ORDER if s in present)


def highlighted(text: str, findings: Sequence[Finding]) -> str:
    """The escaped turn text with each finding in a ``<mark>``, its rule code after it.

    Overlapping findings split the text at every boundary, so marks never nest. One sweep
    over the boundaries, counting the rules open at each: linear in the findings (a turn
    with 64,000 findings took over a minute when each piece looked at every finding).
    """
    starting: defaultdict[int, list[Finding]] = defaultdict(list)
    ending: defaultdict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        starting[finding.start].append(finding)
        ending[finding.end].append(finding)
    cuts = sorted({0, len(text)} | starting.keys() | ending.keys())
    open_rules: Counter[tuple[str, Severity]] = Counter()
    parts: list[str] = []
    for start, end in pairwise(cuts):
        open_rules.update((f.rule, f.severity) for f in starting.get(start, ()))
        open_rules.subtract((f.rule, f.severity) for f in ending.get(start, ()))
        covering = [key for key, count in open_rules.items() if count > 0]
        chunk = _e(text[start:end])
        if covering:
            codes = _e(" ".join(sorted({rule for rule, _ in covering})))
            css = f"sev-{_worst_severity(severity for _, severity in covering).value}"
            chunk = f'<mark class="{css}" data-rule="{codes}" title="{codes}">{chunk}</mark>'
        parts.append(chunk)
        parts.extend(f'<sup class="tag">{_e(f.rule)}</sup>' for f in ending.get(end, ()))
    return "".join(parts)


def _note(finding: Finding, titles: Titles) -> str:
    label = rule_label(finding.rule, finding.name, titles)
    return (
        f'<li class="sev-{finding.severity.value}"><b>{_e(finding.rule)}</b> {_e(label)} '
        f"（{SEVERITY_LABELS[finding.severity]}）<p>{_e(finding.message)}</p>"
        f'<p class="tip">建议：{_e(finding.suggestion)}</p></li>'
    )


def _turns(transcript: Transcript, findings: Sequence[Finding], titles: Titles) -> str:
    """Every turn, numbered from 1 as people count (``data-turn`` keeps the 0-based index
    of the jsonl ``turn`` field), with its findings marked and explained beside it."""
    by_turn: defaultdict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_turn[finding.turn].append(finding)
    rows = []
    for index, turn in enumerate(transcript.turns):
        here = by_turn.get(index, [])
        notes = "".join(_note(finding, titles) for finding in here)
        notes = f'<ul class="notes">{notes}</ul>' if here else "<div></div>"
        rows.append(
            f'<li class="turn {turn.role.value}" data-turn="{index}">'
            f'<span class="who"><span class="no">{index + 1}</span> {ROLE_LABELS[turn.role]}</span>'
            f'<div class="said">{highlighted(turn.text, here)}</div>{notes}</li>'
        )
    return '<ol class="turns">' + "".join(rows) + "</ol>"


def _call(item: Result, anchor: str, titles: Titles) -> str:
    transcript, findings = item.transcript, item.findings
    rules = " ".join(sorted({f.rule for f in findings}))
    meta = " · ".join(
        f"{label}：{_e(value)}"
        for key, label in _META_LABELS
        if (value := meta_value(transcript, key))
    )
    source = f'<span class="source">{_e(transcript.source)}</span>' if transcript.source else ""
    tags = "|".join(dict.fromkeys(_tag_key(t.category, t.tag) for t in item.tags))
    labels = f'<span class="tags">{_e(call_tags(item))}</span>' if item.tags else ""
    return (
        f'<article class="call" id="{anchor}" data-agent="{_e(_agent_key(transcript))}" '
        f'data-team="{_e(_team_key(transcript))}" data-rules="{_e(rules)}" '
        f'data-tags="{_e(tags)}" data-result="{"pass" if item.score.passed else "fail"}">'
        f"<header><h3>通话 {_e(transcript.id)}</h3>"
        f'<span class="score">{_e(number(item.score.score))}</span>{_result_cell(item)}'
        f'<span class="meta">{meta}</span>{labels}{source}</header>'
        f"{_turns(transcript, findings, titles)}</article>"
    )


# --------------------------------------------------------------------------- the page


def render_html(
    items: Iterable[Result],
    *,
    title: str = DEFAULT_TITLE,
    generated_at: str | None = None,
    reviewed: bool = False,
    titles: Titles = NO_TITLES,
) -> str:
    """The whole report as one HTML document. ``generated_at`` is shown as given, if given;
    ``reviewed`` (review verdicts were applied) adds false positives to the rules table;
    ``titles`` names rules and packs in Chinese (a rule without a title by its name)."""
    items = list(items)
    anchors: dict[int, str] = {}
    for index, item in enumerate(items):
        anchors.setdefault(id(item), f"call-{index}")  # a result listed twice: link the first
    rules = by_rule(items)
    stamp = f'<p class="generated">生成时间：{_e(generated_at)}</p>' if generated_at else ""
    body = (
        f"<main><h1>{_e(title)}</h1>{stamp}",
        _summary(headline(items)),
        charts(items, rules, titles),
        _worst(worst_calls(items, _WORST_CALLS), anchors),
        _groups_table("坐席", "坐席", by_agent(items)),
        _groups_table("班组", "班组", by_team(items)),
        _tags_table(by_tag(items)),
        _rules_table(rules, titles, reviewed=reviewed),
        _filters(items, rules, titles),
        *(_call(item, f"call-{index}", titles) for index, item in enumerate(items)),
        "</main>",
    )
    return (
        _head(title)
        + "<body>\n"
        + "\n".join(body)
        + f"\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def write_html(
    path: str | os.PathLike[str],
    items: Iterable[Result],
    *,
    title: str = DEFAULT_TITLE,
    generated_at: str | None = None,
    reviewed: bool = False,
) -> None:
    """Write `render_html` to `path` atomically, in UTF-8."""
    _write(path, render_html(items, title=title, generated_at=generated_at, reviewed=reviewed))


def _write(path: str | os.PathLike[str], page: str) -> None:
    with atomic_path(path) as temporary:
        temporary.write_text(page, encoding="utf-8")


def write_report(
    path: Path, items: list[Result], *, title: str, reviewed: bool, titles: Titles = NO_TITLES
) -> None:
    """`report -o NAME.html`."""
    _write(path, render_html(items, title=title, reviewed=reviewed, titles=titles))
