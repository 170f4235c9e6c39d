"""replylint.spark: findings from Spark equal findings from the library and `replylint check`.

Runs pyspark in local[2] mode (Java 17+ needed; CI installs it). One session for the whole run:
starting a JVM takes seconds.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pyspark.errors import AnalysisException
from pyspark.sql import SparkSession

import replylint.spark.executors
from replylint import PACKS, Linter, ReadError, Transcript, load_packs, read_path
from replylint.output.records import finding_record
from replylint.run.config import load_settings
from replylint.run.options import Options
from replylint.run.scoring import ScoreConfig, score
from replylint.spark import FINDING_FIELDS, lint_dataframe, spark_check
from tests.test_redact_output import write_pack

# The made-up calls below are lone replies or mini-calls without an opening or goodbye: the
# tests about them run the contract packs, as the CLI tests do (tests/conftest.py).
CONTRACT = Options(rules=load_packs(packs=list(PACKS)))

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "check-corpus.jsonl"
META = ("agent", "area", "channel", "date", "industry", "team")  # the corpus calls' metadata keys
TURN = "struct<role: string, text: string, start: bigint, end: bigint>"
CALLS_SCHEMA = ", ".join(
    ["id string", "file string", f"turns array<{TURN}>", *(f"{key} string" for key in META)]
)
TURNS_SCHEMA = ", ".join(
    [
        "id string",
        "turn int",
        "role string",
        "text string",
        "start bigint",
        "end bigint",
        "file string",
        *(f"{key} string" for key in META),
    ]
)
FindingKey = tuple[Any, ...]


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    # Workers must run this interpreter (pyspark's default is whatever `python3` is), and a
    # loopback address keeps the JVM off the network and quiet about the host name.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("replylint-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus() -> list[Transcript]:
    items = list(read_path(ROOT / "corpus"))
    assert [item for item in items if isinstance(item, ReadError)] == []
    return [item for item in items if isinstance(item, Transcript)]


def relative_file(transcript: Transcript) -> str:
    """The file as `replylint check corpus/` names it, run from the repository."""
    assert transcript.source is not None
    return Path(transcript.source).relative_to(ROOT).as_posix()


def call_row(transcript: Transcript) -> tuple[Any, ...]:
    turns = [(t.role.value, t.text, t.start_ms, t.end_ms) for t in transcript.turns]
    meta = tuple(transcript.meta.get(key) for key in META)
    return (transcript.id, relative_file(transcript), turns, *meta)


def turn_rows(transcript: Transcript) -> Iterator[tuple[Any, ...]]:
    meta = tuple(transcript.meta.get(key) for key in META)
    for number, t in enumerate(transcript.turns):
        row = (t.role.value, t.text, t.start_ms, t.end_ms, relative_file(transcript), *meta)
        yield (transcript.id, number, *row)


def calls_frame(spark: Any, transcripts: list[Transcript]) -> Any:
    return spark.createDataFrame([call_row(t) for t in transcripts], CALLS_SCHEMA)


def turns_frame(spark: Any, transcripts: list[Transcript]) -> Any:
    """One row per turn, shuffled: grouping must not rely on the order rows arrive in."""
    rows = [row for t in transcripts for row in turn_rows(t)]
    random.Random(8).shuffle(rows)
    return spark.createDataFrame(rows, TURNS_SCHEMA).repartition(3)


def frame(spark: Any, transcripts: list[Transcript], layout: str) -> Any:
    return (calls_frame if layout == "calls" else turns_frame)(spark, transcripts)


def library_findings(linter: Linter, transcripts: list[Transcript]) -> list[FindingKey]:
    keys = []
    for transcript in transcripts:
        for finding in linter.lint(transcript):
            record = finding_record(finding, relative_file(transcript))
            keys.append(tuple(record[field] for field in FINDING_FIELDS))
    return sorted(keys)


def spark_findings(findings: Any) -> list[FindingKey]:
    return sorted(tuple(row[field] for field in FINDING_FIELDS) for row in findings.collect())


def by_id(calls: Any) -> dict[str, Any]:
    return {row["id"]: row for row in calls.collect()}


# --------------------------------------------------------------------------- equality


@pytest.mark.parametrize("layout", ["calls", "turns"])
def test_findings_equal_the_library_on_the_corpus(
    spark: Any, corpus: list[Transcript], linter: Linter, layout: str
) -> None:
    findings, calls = lint_dataframe(frame(spark, corpus, layout))
    assert findings.columns == [*FINDING_FIELDS, *META]
    expected = library_findings(linter, corpus)
    assert len(expected) > 50
    assert spark_findings(findings) == expected
    metadata = {t.id: dict(t.meta) for t in corpus}
    for row in findings.collect():
        carried = {key: row[key] for key in META if row[key] is not None}
        assert carried == metadata[row["transcript"]]
    scores = by_id(calls)
    assert scores.keys() == {t.id for t in corpus}
    for transcript in corpus:
        found = linter.lint(transcript)
        expected_score, row = score(found), scores[transcript.id]
        assert (row["score"], row["passed"], row["vetoed"]) == (
            expected_score.score,
            expected_score.passed,
            expected_score.vetoed,
        )
        assert (row["turns"], row["findings"], row["error"]) == (
            len(transcript.turns),
            len(found),
            None,
        )


def test_findings_equal_replylint_check_jsonl(spark: Any, corpus: list[Transcript]) -> None:
    """The golden output of `replylint check corpus --format jsonl`, record for record:
    the contract fields, the call's metadata, score and pass/fail."""
    findings, calls = lint_dataframe(calls_frame(spark, corpus))
    scores = by_id(calls)
    records = []
    for row in findings.collect():
        record = {field: row[field] for field in FINDING_FIELDS}
        record["meta"] = {key: row[key] for key in META if row[key] is not None}
        call = scores[row["transcript"]]
        record["score"], record["passed"] = call["score"], call["passed"]
        records.append(record)
    golden_lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    golden = [json.loads(line) for line in golden_lines]
    fields = [*FINDING_FIELDS, "meta", "score", "passed"]
    expected = [{field: record[field] for field in fields} for record in golden]

    def order(record: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(record[field] for field in ("transcript", "turn", "start", "end", "rule"))

    assert sorted(records, key=order) == sorted(expected, key=order)


def test_packs_and_score_config_reach_the_executors(spark: Any, corpus: list[Transcript]) -> None:
    config = ScoreConfig(veto_rules=frozenset({"FP005"}), pass_mark=90)
    linter = Linter(load_packs(packs=["forbidden-phrases"]))
    options = Options(rules=load_packs(packs=["forbidden-phrases"]), scoring=config)
    findings, calls = lint_dataframe(calls_frame(spark, corpus), options)
    assert spark_findings(findings) == library_findings(linter, corpus)
    scores = by_id(calls)
    vetoed = {t.id for t in corpus if any(f.rule == "FP005" for f in linter.lint(t))}
    assert vetoed
    assert {key for key, row in scores.items() if row["vetoed"]} == vetoed
    for transcript in corpus:
        expected = score(linter.lint(transcript), config)
        assert (scores[transcript.id]["score"], scores[transcript.id]["passed"]) == (
            expected.score,
            expected.passed,
        )


def test_rules_and_scores_of_a_settings_file_reach_the_executors(
    spark: Any, corpus: list[Transcript], tmp_path: Path
) -> None:
    config = tmp_path / "replylint.toml"
    config.write_text(
        'ignore = ["NT001"]\n[severity]\nFP005 = "info"\n[score]\npass_mark = 90\n',
        encoding="utf-8",
    )
    settings = load_settings(explicit_path=config)
    linter = Linter(settings.load_rules())
    options = Options(rules=settings.load_rules(), scoring=settings.score)
    findings, calls = lint_dataframe(calls_frame(spark, corpus), options)
    found = spark_findings(findings)
    assert found == library_findings(linter, corpus)
    rules = {(key[6], key[8]) for key in found}  # (rule, severity)
    assert ("FP005", "info") in rules
    assert not any(rule == "NT001" for rule, _ in rules)
    scores = by_id(calls)
    for transcript in corpus:
        assert (
            scores[transcript.id]["passed"] == score(linter.lint(transcript), settings.score).passed
        )


# --------------------------------------------------------------------------- layouts


def test_turn_rows_in_any_order_are_sorted_by_their_index(spark: Any) -> None:
    rows = [
        ("c1", 30, "agent", "我们会尽快给您回复。"),
        ("c2", 5, "agent", "您好，请问有什么可以帮您？"),
        ("c1", 10, "customer", "我要投诉！"),
        ("c1", 20, "坐席", "这个我不知道。"),
    ]
    df = spark.createDataFrame(rows, "id string, turn int, role string, text string")
    findings, calls = lint_dataframe(df.repartition(4), CONTRACT, layout="turns")
    found = sorted((r["transcript"], r["turn"], r["rule"], r["text"]) for r in findings.collect())
    assert found == [
        ("c1", 0, "MA001", "我要投诉"),
        ("c1", 1, "FP005", "我不知道"),
        ("c1", 2, "NT001", "回复"),
    ]
    assert by_id(calls)["c1"]["turns"] == 3


def test_a_call_without_findings_is_in_calls_with_full_marks(spark: Any) -> None:
    rows = [
        ("clean", [("customer", "我要投诉！"), ("agent", "非常抱歉，两小时内给您回复。")], "A1"),
        ("bad", [("agent", "这个我不知道。")], "A2"),
    ]
    df = spark.createDataFrame(
        rows, "id string, turns array<struct<role: string, text: string>>, agent string"
    )
    findings, calls = lint_dataframe(df, CONTRACT)
    assert {r["transcript"] for r in findings.collect()} == {"bad"}
    clean = by_id(calls)["clean"]
    assert (clean["score"], clean["passed"], clean["findings"], clean["agent"]) == (
        100.0,
        True,
        0,
        "A1",
    )


def test_mapped_columns_and_integer_ids(spark: Any) -> None:
    rows = [(1001, 1, "坐席", "这个我不知道。", "95598-夜班二组")]
    df = spark.createDataFrame(
        rows, "`通话ID` bigint, `序号` int, `角色` string, `内容` string, `班组` string"
    )
    mapping = {"id": "通话ID", "turn": "序号", "role": "角色", "text": "内容"}
    findings, calls = lint_dataframe(df, replace(CONTRACT, columns=mapping))
    [finding] = findings.collect()
    assert (finding["transcript"], finding["rule"], finding["班组"]) == (
        "1001",
        "FP005",
        "95598-夜班二组",
    )
    assert calls.columns[-1] == "班组"


def test_redact_masks_finding_texts_and_string_metadata(spark: Any, tmp_path: Path) -> None:
    """Offsets hold; a number column keeps its type and value (docs/reliability.md)."""
    from typer.testing import CliRunner  # noqa: PLC0415 - as in test_spark_check_command

    from replylint.cli import app  # noqa: PLC0415

    pack = write_pack(tmp_path / "pd")
    turns = [("agent", "好的我记一下 13812345678 对吧")]
    df = spark.createDataFrame(
        [("c1", turns, "13900139000", 13700137000)],
        "id string, turns array<struct<role: string, text: string>>, caller string, account bigint",
    )
    options = Options(rules=load_packs([pack]))
    [before] = lint_dataframe(df, options)[0].collect()
    [after] = lint_dataframe(df, replace(options, redact=True))[0].collect()
    assert (before["text"], before["caller"]) == ("记一下 13812345678 对吧", "13900139000")
    assert (after["text"], after["caller"], after["account"]) == (
        "记一下 138****5678 对吧",
        "139****9000",
        13700137000,
    )
    assert (after["start"], after["end"]) == (before["start"], before["end"])
    source, out = tmp_path / "calls.parquet", tmp_path / "out"
    df.write.parquet(str(source))
    result = CliRunner().invoke(
        app, ["spark-check", str(source), str(out), "--rules", str(pack), "--redact"]
    )
    assert result.exit_code == 1, result.stderr
    [written] = spark.read.parquet(str(out / "findings")).collect()
    assert (written["text"], written["caller"]) == ("记一下 138****5678 对吧", "139****9000")
    [call] = spark.read.parquet(str(out / "calls")).collect()
    assert call["caller"] == "139****9000"


def test_an_unreadable_call_is_reported_and_the_rest_still_linted(spark: Any) -> None:
    rows = [
        ("ok", 0, "agent", "这个我不知道。"),
        ("who", 0, "robot", "您好"),
        ("empty", 0, "agent", None),
        ("twice", 0, "agent", "您好"),
        ("twice", 0, "customer", "你好"),
    ]
    df = spark.createDataFrame(rows, "id string, turn int, role string, text string")
    findings, calls = lint_dataframe(df, CONTRACT)
    assert [r["transcript"] for r in findings.collect()] == ["ok"]
    errors = {key: row["error"] for key, row in by_id(calls).items()}
    assert errors == {
        "ok": None,
        "who": "turn 0: unknown role 'robot'",
        "empty": "turn 0: text is null",
        "twice": "turn index 0 appears more than once",
    }
    assert by_id(calls)["who"]["score"] is None


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("schema", "options", "message"),
    [
        ("call string, turn int, role string, text string", {}, "missing column(s) 'id'"),
        ("id string, turn int, role string", {}, "cannot tell the layout"),
        ("id string, turn int, role string", {"layout": "turns"}, "missing column(s) 'text'"),
        ("id string, role string, text string", {}, "missing column(s) 'turn'"),
        ("id string, turns string", {}, "must be an array of structs"),
        ("id string, turn int, role string, text int", {}, "'text' (text) must be a string"),
        ("id string, turn int, role string, text string", {"layout": "rows"}, "unknown layout"),
        ("id string, turn int, role string, text string, name string", {}, "'name' would clash"),
        ("id string, turn int, role string, text string", {"columns": {"txt": "x"}}, "'txt'"),
        (
            "id string, turn int, role string, content string",
            {"columns": {"text": "内容"}},
            "'内容' (the text field)",
        ),
    ],
)
def test_bad_input_columns_fail_clearly_before_any_job(
    spark: Any, schema: str, options: dict[str, Any], message: str
) -> None:
    df = spark.createDataFrame([], schema)
    with pytest.raises(ValueError, match=re.escape(message)):
        lint_dataframe(
            df, Options(columns=options.get("columns")), layout=options.get("layout", "auto")
        )


# --------------------------------------------------------------------------- spark_check


def test_spark_check_round_trips_through_parquet(
    spark: Any, corpus: list[Transcript], linter: Linter, tmp_path: Path
) -> None:
    source = tmp_path / "calls.parquet"
    calls_frame(spark, corpus).write.parquet(str(source))
    summary = spark_check(source, tmp_path / "out", spark=spark)
    findings = spark.read.parquet(str(tmp_path / "out" / "findings"))
    calls = spark.read.parquet(str(tmp_path / "out" / "calls"))
    expected = library_findings(linter, corpus)
    assert spark_findings(findings) == expected
    assert calls.count() == len(corpus)
    flagged = sum(bool(linter.lint(t)) for t in corpus)
    assert (summary.calls, summary.flagged, summary.findings, summary.errors) == (
        len(corpus),
        flagged,
        len(expected),
        0,
    )
    with pytest.raises(AnalysisException, match="already exists"):
        spark_check(source, tmp_path / "out", spark=spark)
    assert spark_check(source, tmp_path / "out", spark=spark, overwrite=True) == summary


def test_spark_check_reads_json_lines(
    spark: Any, corpus: list[Transcript], linter: Linter, tmp_path: Path
) -> None:
    """JSONL as `replylint check` reads it, with a file column: meta arrives as a struct."""
    source = tmp_path / "calls.jsonl"
    lines = []
    for t in corpus:
        turns = [
            {"role": u.role.value, "text": u.text, "start": u.start_ms, "end": u.end_ms}
            for u in t.turns
        ]
        call = {"id": t.id, "file": relative_file(t), "turns": turns, "meta": dict(t.meta)}
        lines.append(json.dumps(call, ensure_ascii=False))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spark_check(source, tmp_path / "out", input_format="json", spark=spark)
    findings = spark.read.parquet(str(tmp_path / "out" / "findings"))
    assert spark_findings(findings) == library_findings(linter, corpus)
    metadata = {t.id: dict(t.meta) for t in corpus}
    for row in findings.collect():
        carried = {key: value for key, value in row["meta"].asDict().items() if value is not None}
        assert carried == metadata[row["transcript"]]


def test_spark_check_rejects_an_unknown_input_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown input format 'csv'"):
        spark_check(tmp_path, tmp_path / "out", input_format="csv")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the process


def test_the_linter_is_compiled_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What each executor's Python worker does: the first partition compiles, the rest reuse."""
    compiled: list[Linter] = []

    class CountingLinter(Linter):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            compiled.append(self)

    monkeypatch.setattr(replylint.spark.executors, "Linter", CountingLinter)
    monkeypatch.setattr(replylint.spark.executors, "_LINTERS", {})
    rules = load_packs(packs=["forbidden-phrases"])
    blob = pickle.dumps((rules, None))
    for _ in range(3):  # three partitions of one job, then a second job with other rules
        assert replylint.spark.executors._worker_linter("a", blob).rules == rules
    replylint.spark.executors._worker_linter("b", pickle.dumps((load_packs(), "power")))
    assert len(compiled) == 2


def test_importing_replylint_does_not_import_pyspark() -> None:
    code = "import sys, replylint, replylint.spark; sys.exit('pyspark' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --------------------------------------------------------------------------- the command


def test_spark_check_command(
    spark: Any, corpus: list[Transcript], linter: Linter, tmp_path: Path
) -> None:
    """`replylint spark-check` as spark-submit runs it: same findings, exit codes, errors."""
    from typer.testing import CliRunner  # noqa: PLC0415 - only this test drives the CLI

    from replylint.cli import app  # noqa: PLC0415

    source, out = tmp_path / "calls.parquet", tmp_path / "out"
    calls_frame(spark, corpus).write.parquet(str(source))
    runner = CliRunner()
    result = runner.invoke(app, ["spark-check", str(source), str(out)])
    expected = library_findings(linter, corpus)
    assert result.exit_code == 1, result.stderr
    assert f"{len(expected)} findings in " in result.stderr
    assert spark_findings(spark.read.parquet(str(out / "findings"))) == expected
    again = runner.invoke(app, ["spark-check", str(source), str(out)])
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    only_fp = runner.invoke(
        app, ["spark-check", str(source), str(out), "--overwrite", "--select", "FP"]
    )
    assert only_fp.exit_code == 1
    codes = {row.rule for row in spark.read.parquet(str(out / "findings")).collect()}
    assert codes
    assert all(code.startswith("FP") for code in codes)
    missing = runner.invoke(app, ["spark-check", str(tmp_path / "nope"), str(tmp_path / "o2")])
    assert missing.exit_code == 2
