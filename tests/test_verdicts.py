"""Review verdicts: false positives marked by a reviewer are suppressed from output and
scores, and reports show each rule's confirmed false-positive count and rate."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from replylint import PACKS
from replylint.cli import app
from replylint.run.verdicts import Verdict, Verdicts, VerdictsError, read_verdicts

runner = CliRunner()

# Two calls: c1 has FP005 (我不知道) and FP009 (这种问题我们见得多); c2 has FP005 twice.
CALLS = [
    {"id": "c1", "turns": [{"role": "agent", "text": "这个我不知道，这种问题我们见得多了。"}]},
    {"id": "c2", "turns": [{"role": "agent", "text": t} for t in ("我不知道。", "我 不知道！")]},
]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no configuration from the repository applies
    lines = "".join(json.dumps(call, ensure_ascii=False) + "\n" for call in CALLS)
    (tmp_path / "calls.jsonl").write_text(lines, encoding="utf-8")
    # The calls are agent fragments without an opening or a goodbye: only the contract packs.
    select = ", ".join(f'"{pack}"' for pack in PACKS)
    (tmp_path / "replylint.toml").write_text(f"select = [{select}]\n", encoding="utf-8")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def mark(transcript: str, rule: str, text: str, note: str = "") -> tuple[int, str, str]:
    return run(
        "review", "add", "--verdicts", "v.jsonl", "--transcript", transcript, "--rule", rule,
        "--text", text, "--note", note, "--reviewer", "wangfang", "--date", "2026-07-20",
    )  # fmt: skip


def findings(*args: str) -> list[tuple[str, str, str, int]]:
    code, out, _ = run("check", "-q", "-f", "jsonl", "calls.jsonl", *args)
    assert code == 1
    found = map(json.loads, out.splitlines())
    return [(f["transcript"], f["rule"], f["text"], f["score"]) for f in found]


def test_review_add_appends_one_verdict_a_line(tmp_path: Path) -> None:
    assert mark("c1", "fp005", "我 不知道", "复述客户的话") == (
        0,
        "marked FP005 '我 不知道' in c1 in v.jsonl\n",
        "",
    )
    assert mark("c1", "FP005", "我不知道") == (
        0,
        "already marked as a false positive by wangfang on 2026-07-20; v.jsonl is unchanged\n",
        "",
    )
    assert mark("c2", "FP005", "我不知道")[0] == 0
    assert (tmp_path / "v.jsonl").read_text(encoding="utf-8") == (
        '{"transcript": "c1", "rule": "FP005", "text": "我 不知道", "verdict": "false-positive", '
        '"reviewer": "wangfang", "date": "2026-07-20", "note": "复述客户的话"}\n'
        '{"transcript": "c2", "rule": "FP005", "text": "我不知道", "verdict": "false-positive", '
        '"reviewer": "wangfang", "date": "2026-07-20", "note": ""}\n'
    )
    assert read_verdicts(tmp_path / "v.jsonl") == Verdicts(
        frozenset({("c1", "FP005", "我不知道"), ("c2", "FP005", "我不知道")})
    )


def test_check_suppresses_marked_findings_from_output_and_scores() -> None:
    assert findings() == [
        ("c1", "FP005", "我不知道", 60),
        ("c1", "FP009", "这种问题我们见得多", 60),
        ("c2", "FP005", "我不知道", 60),
        ("c2", "FP005", "我 不知道", 60),
    ]
    mark("c1", "FP005", "我不知道")
    assert findings("--verdicts", "v.jsonl") == [
        ("c1", "FP009", "这种问题我们见得多", 80),
        ("c2", "FP005", "我不知道", 60),
        ("c2", "FP005", "我 不知道", 60),
    ]
    mark("c2", "FP005", "我，不知道")  # every such finding of the call, compared folded
    code, out, _ = run("check", "-q", "calls.jsonl", "--verdicts", "v.jsonl")
    assert code == 1
    assert out.splitlines()[-1] == (
        "1 findings (1 error) in 1 of 2 transcripts (3 turns); 1 passed; 0 input errors"
    )


def test_verdicts_and_a_baseline_apply_together(tmp_path: Path) -> None:
    mark("c2", "FP005", "我不知道")
    code, _, _ = run(
        "check", "-q", "calls.jsonl", "--write-baseline", "b.json", "--verdicts", "v.jsonl"
    )
    assert code == 0
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"] == [
        {"transcript": "c1", "rule": "FP005", "text": "我不知道", "count": 1},
        {"transcript": "c1", "rule": "FP009", "text": "这种问题我们见得多", "count": 1},
    ]
    code, out, _ = run(
        "check", "-q", "calls.jsonl", "--baseline", "b.json", "--verdicts", "v.jsonl"
    )
    assert (code, out.splitlines()[-1]) == (
        0,
        "0 findings in 0 of 2 transcripts (3 turns); 2 passed; 0 input errors",
    )


def test_reports_show_each_rule_s_confirmed_false_positives(tmp_path: Path) -> None:
    mark("c2", "FP005", "我不知道")
    code, _, err = run("report", "-q", "calls.jsonl", "--verdicts", "v.jsonl", "-o", "r.xlsx")
    assert code == 1
    assert err == (
        "by pack: forbidden-phrases 2\n"
        "2 findings (2 error) in 1 of 2 transcripts (3 turns); 1 passed; 0 input errors\n"
        "report written to r.xlsx\n"
    )
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx")["规则"].values)
    assert rows == [
        ("规则", "名称", "规则包", "级别", "问题数", "涉及通话数", "确认误报数", "误报率"),
        ("FP005", "agent-does-not-know", "forbidden-phrases", "错误", 1, 1, 2, 2 / 3),
        ("FP009", "problem-seen-often", "forbidden-phrases", "错误", 1, 1, 0, 0),
    ]
    assert run("report", "-q", "calls.jsonl", "--verdicts", "v.jsonl", "-o", "r.html")[0] == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert (
        "<th>问题数</th><th>涉及通话</th><th>确认误报</th><th>误报率</th></tr></thead><tbody>"
        '<tr><td>FP005</td><td><span title="agent-does-not-know">说“我不知道”</span></td>'
        '<td><span title="forbidden-phrases">服务禁语</span></td><td>错误</td>'
        '<td class="num">1</td><td class="num">1</td><td class="num">2</td>'
        '<td class="num">66.7%</td></tr>'
    ) in page
    assert run("report", "-q", "calls.jsonl", "-o", "plain.xlsx")[0] == 1
    plain = list(openpyxl.load_workbook(tmp_path / "plain.xlsx")["规则"].values)
    assert plain[0] == ("规则", "名称", "规则包", "级别", "问题数", "涉及通话数")
    assert plain[1] == ("FP005", "agent-does-not-know", "forbidden-phrases", "错误", 3, 2)


GOOD = {
    "transcript": "c1",
    "rule": "FP005",
    "text": "我不知道",
    "verdict": "false-positive",
    "reviewer": "w",
    "date": "2026-07-20",
}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        (
            '{"transcript": "c1"}',
            "needs transcript, rule, text, verdict, reviewer, date (and an optional note); "
            "missing ['rule', 'text', 'verdict', 'reviewer', 'date'], unknown nothing",
        ),
        (
            json.dumps(GOOD | {"verdict": "ok"}),
            "'verdict' must be 'false-positive', got 'ok'",
        ),
        (
            json.dumps(GOOD | {"date": "7/20"}),
            "'date' must be a day like 2026-07-20, got '7/20'",
        ),
        (
            json.dumps(GOOD | {"reviewer": 7}),
            "'reviewer' must be a string, got 7",
        ),
    ],
)
def test_a_bad_verdicts_file_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    mark("c1", "FP005", "我不知道")
    with (tmp_path / "v.jsonl").open("a", encoding="utf-8") as file:
        file.write(line + "\n")
    error = f"error: v.jsonl:2: {message}\n"
    assert run("check", "-q", "calls.jsonl", "--verdicts", "v.jsonl") == (2, "", error)
    assert mark("c2", "FP005", "我不知道") == (2, "", error)


def test_review_add_refuses_text_that_can_never_match() -> None:
    assert mark("c1", "FP005", "，。") == (
        2,
        "",
        "error: 'text' '，。' can never match (nothing left after normalisation)\n",
    )


def test_verdicts_pickle_into_worker_processes() -> None:
    verdicts = Verdicts.of([Verdict("c1", "FP005", "我不知道", "w", "2026-07-20")])
    assert pickle.loads(pickle.dumps(verdicts)) == verdicts
    with pytest.raises(VerdictsError):
        read_verdicts(Path("missing.jsonl"))
