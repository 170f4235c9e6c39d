"""Baselines: today's findings are accepted, and only new ones are reported afterwards."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint import Linter
from replylint.cli import app
from replylint.run.baseline import Baseline, BaselineError, entries, read_baseline, save_baseline
from tests.conftest import CONTRACT_ARGS, dialogue

ROOT = Path(__file__).parent.parent
runner = CliRunner()


def test_known_findings_are_dropped_by_transcript_rule_and_text_with_counts(
    contract_linter: Linter,
) -> None:
    linter = contract_linter
    old = linter.lint(dialogue(("agent", "我不知道。"), ("agent", "我不知道。")))
    baseline = Baseline.of(entries(old))
    assert baseline.counts == {("t", "FP005", "我不知道"): 2}
    # Moved to other turns and offsets, spaced and in traditional script: still known.
    moved = dialogue(("customer", "喂"), ("agent", "嗯，我 不 知 道"), ("agent", "我不知道"))
    assert baseline.new_findings(linter.lint(moved)) == []
    # A third one is new; so is another rule, and the same text in another call.
    three = linter.lint(
        dialogue(("agent", "我不知道。我不知道。"), ("agent", "我不知道，改天再说"))
    )
    assert [(f.turn, f.start, f.rule) for f in baseline.new_findings(three)] == [
        (1, 0, "FP005"),
        (1, 5, "FP008"),
    ]
    other_call = linter.lint(dialogue(("agent", "我不知道"), transcript_id="u"))
    assert baseline.new_findings(other_call) == other_call


def test_a_baseline_file_round_trips_sorted_one_entry_a_line(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    save_baseline(path, {("b", "FP005", "我不知道"): 2, ("a", "NT001", "给您回复"): 1})
    assert path.read_text(encoding="utf-8").splitlines() == [
        '{"version": 1, "findings": [',
        '{"transcript": "a", "rule": "NT001", "text": "给您回复", "count": 1},',
        '{"transcript": "b", "rule": "FP005", "text": "我不知道", "count": 2}',
        "]}",
    ]
    assert read_baseline(path).counts == {
        ("a", "NT001", "给你回复"): 1,
        ("b", "FP005", "我不知道"): 2,
    }


def test_a_baseline_pickles_into_worker_processes() -> None:
    baseline = Baseline.of([("a", "FP005", "我不知道")])
    assert pickle.loads(pickle.dumps(baseline)) == baseline


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[", "Expecting value"),
        ('{"findings": []}', "not a replylint baseline (version 1)"),
        ('{"version": 1, "findings": [{"transcript": "a"}]}', "finding 1 needs transcript"),
        (
            '{"version": 1, "findings": '
            '[{"transcript": "a", "rule": "X", "text": "y", "count": 0}]}',
            "finding 1 needs",
        ),
    ],
)
def test_a_bad_baseline_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError, match=re.escape(message)) as caught:
        read_baseline(path)
    assert str(caught.value).startswith(f"{path}: ")


def check(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", "--quiet", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("_in_repo_root")
def test_write_then_check_against_the_corpus(tmp_path: Path) -> None:
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    code, out, err = check("corpus", "--write-baseline", str(first))
    assert (code, out) == (0, "")
    # The reviewed golden output of `check corpus/` says what the baseline must hold.
    golden = json.loads((ROOT / "tests" / "golden" / "check-corpus.json").read_text("utf-8"))
    totals = golden["summary"]
    counts = f"{totals['findings']} findings in {totals['flagged_transcripts']} of "
    assert err == f"baseline written to {first}: {counts}{totals['transcripts']} transcripts\n"
    assert check("corpus", "--jobs", "2", "--write-baseline", str(second))[0] == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    recorded = json.loads(first.read_text(encoding="utf-8"))["findings"]
    assert sum(entry["count"] for entry in recorded) == totals["findings"]
    code, out, _ = check("corpus", "--baseline", str(first), "-f", "jsonl")
    assert (code, out) == (0, "")


@pytest.mark.usefixtures("_in_repo_root")
def test_only_new_findings_are_reported_and_scored(tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    before = {"id": "c1", "turns": [{"role": "agent", "text": "这个我不知道。"}]}
    calls.write_text(json.dumps(before, ensure_ascii=False) + "\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    check(*CONTRACT_ARGS, str(calls), "--write-baseline", str(baseline))
    after = {
        "id": "c1",
        "turns": [
            {"role": "agent", "text": "您好。"},
            {"role": "agent", "text": "嗯 这个 我不知道，改天再说吧。"},
        ],
    }
    calls.write_text(json.dumps(after, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, _ = check(*CONTRACT_ARGS, str(calls), "--baseline", str(baseline), "-f", "jsonl")
    assert code == 1
    assert [
        (r["turn"], r["rule"], r["text"], r["score"]) for r in map(json.loads, out.splitlines())
    ] == [(1, "FP008", "改天再说", 80)]


@pytest.mark.usefixtures("_in_repo_root")
def test_baseline_usage_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    code, _, err = check("corpus", "--baseline", str(missing))
    assert (code, err.startswith(f"error: {missing}: ")) == (2, True)
    code, _, err = check("corpus", "--baseline", str(missing), "--write-baseline", str(missing))
    assert (code, err) == (2, "error: --baseline and --write-baseline do not go together\n")
    assert not missing.exists()
