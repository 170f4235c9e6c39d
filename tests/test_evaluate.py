"""Scoring rules against labels: what counts as right, a false alarm and a miss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Linter, Transcript
from replylint.model import Finding
from replylint.output.evaluation import dumps, text_report
from replylint.run.evaluate import (
    Counts,
    Group,
    Label,
    LabelsError,
    Outcome,
    RuleFacts,
    Thresholds,
    check_labels,
    read_labels,
    score_findings,
    shortfalls,
)
from replylint.run.evaluation import evaluate_paths
from replylint.run.verdicts import Verdict, Verdicts
from tests.conftest import dialogue

HEADER = "transcript\tturn\trule\ttext\tnote\n"


def facts(linter: Linter) -> dict[str, RuleFacts]:
    return {rule.info.code: RuleFacts(rule.info.pack) for rule in linter.rules}


def results(linter: Linter, *transcripts: Transcript) -> list[tuple[Transcript, list[Finding]]]:
    return [(t, linter.lint(t)) for t in transcripts]


def test_counts_give_precision_recall_and_f1() -> None:
    counts = Counts(right=3, false_alarms=1, missed=3)
    assert counts.precision == 0.75
    assert counts.recall == 0.5
    assert counts.f1 == pytest.approx(0.6)
    assert Counts().precision is None
    assert Counts().recall is None
    assert Counts(false_alarms=2).precision == 0.0
    assert Counts(false_alarms=2).f1 is None  # nothing labelled: recall is not defined


def test_labels_are_read_from_a_file_or_every_label_file_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.labels.tsv").write_text(HEADER + "t1\t2\tNT001\t联系您\t无时间\n", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.labels.tsv").write_text(HEADER + "t2\t0\tFP005\t\t\n", "utf-8")
    (tmp_path / "notes.tsv").write_text("not labels\n", "utf-8")
    labels = read_labels(tmp_path)
    assert [label.key for label in labels] == [("t1", 2, "NT001"), ("t2", 0, "FP005")]
    assert labels[0].text == "联系您"
    assert [label.key for label in read_labels(tmp_path / "a.labels.tsv")] == [("t1", 2, "NT001")]


def test_every_problem_of_the_label_files_is_named_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.labels.tsv").write_text(
        HEADER + "t1\tx\tNT001\t\t\n" + "\t1\tNT001\t\t\n" + "t1\t1\tNT001\t\t\n" * 2, "utf-8"
    )
    (tmp_path / "b.labels.tsv").write_text("id\tturn\n", "utf-8")
    with pytest.raises(LabelsError) as raised:
        read_labels(tmp_path)
    where = [problem.split(": ")[0] for problem in raised.value.problems]
    assert where == [
        f"{tmp_path}/a.labels.tsv:2",
        f"{tmp_path}/a.labels.tsv:3",
        f"{tmp_path}/b.labels.tsv:1",
        f"{tmp_path}/a.labels.tsv:5",
    ]


def test_an_empty_folder_has_no_labels(tmp_path: Path) -> None:
    with pytest.raises(LabelsError):
        read_labels(tmp_path)


def test_labels_must_name_a_known_rule_a_read_transcript_and_a_turn_it_has() -> None:
    call = dialogue(("customer", "你们太差了"), ("agent", "好的"), transcript_id="t1")
    labels = [
        Label("t1", 0, "XX999", where="f:2"),
        Label("t9", 0, "MA001", where="f:3"),
        Label("t1", 5, "MA001", where="f:4"),
        Label("t1", 0, "MA001", text="不在这里", where="f:5"),
        Label("t1", 0, "MA001", text="太差了", where="f:6"),
    ]
    with pytest.raises(LabelsError) as raised:
        check_labels(labels, {"t1": call}, {"MA001"})
    assert [problem.split(":")[1] for problem in raised.value.problems] == ["2", "3", "4", "5"]


def test_findings_and_labels_agree_on_transcript_turn_and_rule(contract_linter: Linter) -> None:
    flagged = dialogue(
        ("customer", "你们怎么搞的，我要投诉！"),
        ("agent", "请问您的户号是多少？"),
        ("customer", "[数字1]"),
        ("agent", "我帮您上报，有结果了通知您。"),
        transcript_id="flagged",
    )
    clean = dialogue(("agent", "这个我不知道。"), transcript_id="clean")
    labels = [
        Label("flagged", 0, "MA001"),  # found: right
        Label("flagged", 2, "NT001"),  # on the wrong turn: missed, and turn 3 a false alarm
    ]
    evaluation = score_findings(
        labels, results(contract_linter, flagged, clean), facts(contract_linter)
    )
    outcomes = {(c.transcript, c.turn, c.rule): c.outcome for c in evaluation.cases}
    assert outcomes == {
        ("flagged", 0, "MA001"): Outcome.RIGHT,
        ("flagged", 2, "NT001"): Outcome.MISSED,
        ("flagged", 3, "NT001"): Outcome.FALSE_ALARM,
        ("clean", 0, "FP005"): Outcome.FALSE_ALARM,  # no label row: the transcript is clean
    }
    assert evaluation.by_pack["missing-apology"] == Counts(right=1)
    assert evaluation.by_pack["no-time-commitment"] == Counts(false_alarms=1, missed=1)
    assert evaluation.total == Counts(right=1, false_alarms=2, missed=1)
    assert (evaluation.transcripts, evaluation.agent_turns) == (2, 3)
    assert (evaluation.flagged_agent_turns, evaluation.serious_agent_turns) == (2, 2)


def test_labels_of_rules_that_did_not_run_are_left_out(contract_linter: Linter) -> None:
    call = dialogue(("agent", "喂"), ("customer", "你好"), transcript_id="t")
    evaluation = score_findings(
        [Label("t", 0, "ET001")], results(contract_linter, call), facts(contract_linter)
    )
    assert evaluation.total == Counts()
    assert evaluation.ignored_labels == 1


def test_figures_are_given_by_channel_and_by_pack_and_channel(contract_linter: Linter) -> None:
    phone = Transcript("p", dialogue(("agent", "我不知道")).turns, {"channel": "phone"})
    chat = Transcript("c", dialogue(("agent", "我不知道")).turns, {"渠道": "在线"})
    bare = Transcript("u", dialogue(("agent", "我不知道")).turns)
    labels = [Label("p", 0, "FP005")]
    evaluation = score_findings(
        labels, results(contract_linter, phone, chat, bare), facts(contract_linter)
    )
    assert evaluation.by_channel == {
        "phone": Counts(right=1),
        "在线": Counts(false_alarms=1),
        "unknown": Counts(false_alarms=1),
    }
    assert evaluation.by_pack_and_channel[("forbidden-phrases", "phone")] == Counts(right=1)


def test_review_verdicts_count_as_labels(contract_linter: Linter) -> None:
    reviewed = dialogue(("agent", "我不知道。我们会联系您。"), transcript_id="r")
    unreviewed = dialogue(("agent", "我不知道。"), transcript_id="u")
    verdicts = Verdicts.of([Verdict("r", "NT001", "联系", "wangfang", "2026-12-01")])
    evaluation = score_findings(
        None,
        results(contract_linter, reviewed, unreviewed),
        facts(contract_linter),
        verdicts=verdicts,
    )
    assert evaluation.by_rule == {"FP005": Counts(right=1), "NT001": Counts(false_alarms=1)}
    assert evaluation.transcripts == 1
    assert evaluation.unreviewed_misses


def test_thresholds_name_each_group_below_them(contract_linter: Linter) -> None:
    call = dialogue(("agent", "我不知道。我们会联系您。"), transcript_id="t")
    evaluation = score_findings(
        [Label("t", 0, "FP005")], results(contract_linter, call), facts(contract_linter)
    )
    assert shortfalls(evaluation, Thresholds(precision=0.9)) == [
        "pack no-time-commitment: precision 0.00 < 0.90"
    ]
    assert shortfalls(evaluation, Thresholds(recall=0.9, per=Group.RULE)) == []
    assert shortfalls(evaluation, Thresholds(f1=0.9, per=Group.TOTAL)) == [
        "total all: f1 0.67 < 0.90"
    ]


def test_reports_name_every_confusion_with_its_words(contract_linter: Linter) -> None:
    call = dialogue(("agent", "我们会联系您。"), ("customer", "好"), transcript_id="t")
    evaluation = score_findings(
        [Label("t", 1, "MA001", text="好")], results(contract_linter, call), facts(contract_linter)
    )
    report = text_report(evaluation)
    assert "false alarm t turn 0 NT001 [unknown] 我们会【联系】您。" in report
    assert "missed      t turn 1 MA001 [unknown] 【好】" in report
    document = json.loads(dumps(evaluation))
    assert [c["outcome"] for c in document["confusions"]] == ["false alarm", "missed"]
    assert document["by_pack"]["no-time-commitment"]["precision"] == 0.0


_TEXTS = st.sampled_from(
    ["我不知道", "我们会联系您", "你们太差了", "好的", "两小时内给您回复", "这不是我们的事", "您好"]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["agent", "customer"]), _TEXTS), min_size=1, max_size=6),
    st.data(),
)
def test_labels_equal_to_the_findings_score_perfectly_and_each_dropped_one_is_a_miss(
    contract_linter: Linter, turns: list[tuple[str, str]], data: st.DataObject
) -> None:
    call = dialogue(*turns, transcript_id="h")
    findings = contract_linter.lint(call)
    keys = sorted({(f.transcript, f.turn, f.rule) for f in findings})
    kept = data.draw(st.lists(st.sampled_from(keys), unique=True) if keys else st.just([]))
    labels = [Label(*key) for key in kept]
    evaluation = score_findings(labels, [(call, findings)], facts(contract_linter))
    assert evaluation.total == Counts(right=len(kept), false_alarms=len(keys) - len(kept))
    perfect = score_findings(
        [Label(*key) for key in keys], [(call, findings)], facts(contract_linter)
    )
    assert perfect.total == Counts(right=len(keys))


def test_a_run_leaves_out_labels_of_rules_not_loaded_and_counts_them(
    contract_linter: Linter, tmp_path: Path
) -> None:
    call = {"id": "t", "turns": [{"role": "agent", "text": "这个我不知道。"}]}
    (tmp_path / "calls.jsonl").write_text(json.dumps(call, ensure_ascii=False) + "\n", "utf-8")
    labels = tmp_path / "calls.labels.tsv"
    labels.write_text(HEADER + "t\t0\tFP005\t\t\nt\t0\tXX999\t\t\n", "utf-8")
    evaluation, errors = evaluate_paths(labels, [tmp_path], contract_linter)
    assert errors == []
    assert evaluation.ignored_labels == 1
    assert evaluation.by_rule["FP005"] == Counts(right=1)
