"""Lint transcripts where they live: a Spark DataFrame in, findings and call scores out.

Needs the optional ``spark`` extra (pyspark 4, Java 17+); pyspark is imported inside the
functions, so ``import replylint`` never needs it. See docs/spark.md.

Input, one of two layouts (column names can be mapped with ``Options(columns={field: column})``)
    ``turns``  one row per turn: ``id``, ``turn`` (its order in the call), ``role``,
               ``text``; optional ``start``, ``end`` (ASR ms, for timing rules) and ``file``.
               Rows are
               grouped into calls by id on the executors, never collected to the driver;
               metadata comes from a call's first turn.
    ``calls``  one row per call: ``id``, ``turns`` (an array of structs with ``role`` and
               ``text``, and optionally ``start``, ``end``), optional ``file``.
    Every other column is metadata: copied, with its type, onto the call's findings and
    onto its row in ``calls``. ``auto`` picks ``calls`` when there is a ``turns`` column.

Output
    findings  the jsonl record fields (`FINDING_FIELDS`), then the metadata columns.
              ``turn`` is the 0-based position of the turn in its call, as in jsonl.
    calls     `CALL_FIELDS`, then the metadata columns: one row per call, flagged or not.
              A call that cannot be read (unknown role, null text, a turn index twice)
              has its reason in ``error`` and no score; the rest of the job goes on.

The options (`replylint.run.options.Options`) are those of ``replylint check``: the rules,
profile, scoring, redact, verdicts and baseline, and ``columns``. Each call goes through the
same pipeline as there (`replylint.run.pipeline.Pipeline`). With ``redact`` personal data is
masked once linted (see `replylint.redact`): in each finding's text (same offsets) and in
string metadata columns; other columns keep their type and value.

Rules are loaded and checked on the driver, shipped to the executors pickled, and compiled
there once per Python worker process (see `executors._worker_linter`).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, replace
from typing import Any

from replylint.run.options import Options
from replylint.run.result import Summary
from replylint.spark.driver import _functions, _lint, _memory_and_disk, _session, _split
from replylint.spark.fields import (
    _INPUT_FORMATS,
    CALL_FIELDS,
    FINDING_FIELDS,
    INPUT_FIELDS,
    InputFormat,
    Layout,
)

__all__ = [
    "CALL_FIELDS",
    "FINDING_FIELDS",
    "INPUT_FIELDS",
    "InputFormat",
    "Layout",
    "SparkCheckSummary",
    "describe_failure",
    "lint_dataframe",
    "parse_columns",
    "spark_check",
    "spark_check_command",
]


def lint_dataframe(
    df: Any, options: Options | None = None, *, layout: Layout = "auto"
) -> tuple[Any, Any]:
    """Lint a DataFrame of transcripts; returns ``(findings, calls)`` DataFrames, lazily.

    ``options``: as for ``replylint check`` (default: every bundled rule, default scoring);
    ``options.columns`` maps fields to the DataFrame's columns. Raises ValueError for bad
    input columns or options, and ``PackError`` for bad packs, on the driver before any job.

    Both frames come from one lint pass: the linted calls (scores and findings, no turn
    text) are persisted, memory and disk, the first time either frame is computed, so
    writing both does not lint twice. ``spark.catalog.clearCache()`` frees them.
    """
    linted = _lint(df, layout, options or Options())
    return _split(linted.persist(_memory_and_disk()))


@dataclass(frozen=True, slots=True)
class SparkCheckSummary:
    """What `spark_check` wrote: calls, calls with findings, findings, unreadable calls."""

    calls: int
    flagged: int
    findings: int
    errors: int

    def said(self, output_path: str | os.PathLike[str]) -> str:
        """What `spark-check` says when it is done."""
        return (
            f"{self.findings} findings in {self.flagged} of {self.calls} calls; "
            f"{self.errors} unreadable calls; written to {output_path}"
        )

    def exit_code(self) -> int:
        """As `Summary.exit_code`: 2 with unreadable calls, else 1 with findings, else 0."""
        return Summary(errors=self.errors).exit_code() or int(self.findings > 0)


def spark_check(  # noqa: PLR0913 - the options, and how to read and write
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    options: Options | None = None,
    *,
    input_format: InputFormat = "parquet",
    layout: Layout = "auto",
    overwrite: bool = False,
    spark: Any = None,
) -> SparkCheckSummary:
    """Read Parquet or JSON (lines) transcripts, lint them with ``options`` (see
    `lint_dataframe`), write Parquet to ``output_path/findings`` and ``output_path/calls``.
    Paths may be any Spark URL (hdfs://, s3a://...). Uses ``spark`` or the active session
    (or a new one)."""
    if input_format not in _INPUT_FORMATS:
        raise ValueError(f"unknown input format {input_format!r}; expected parquet or json")
    session = spark if spark is not None else _session()
    reader = session.read
    source = os.fspath(input_path)
    df = reader.parquet(source) if input_format == "parquet" else reader.json(source)
    linted = _lint(df, layout, options or Options()).persist(_memory_and_disk())
    try:
        findings, calls = _split(linted)
        target = os.fspath(output_path).rstrip("/")
        mode = "overwrite" if overwrite else "errorifexists"
        findings.write.mode(mode).parquet(f"{target}/findings")
        calls.write.mode(mode).parquet(f"{target}/calls")
        return _summary(linted)
    finally:
        linted.unpersist()


def spark_check_command(  # noqa: PLR0913 - the command's switches, by name
    input_path: str,
    output_path: str,
    options: Options,
    *,
    columns: str | None,
    input_format: InputFormat,
    layout: Layout,
    overwrite: bool,
) -> SparkCheckSummary:
    """`spark_check` as ``replylint spark-check`` runs it: ``columns`` as written
    (``id=call_id,text=content``); no pyspark, a wrong column, an input Spark cannot read
    or a job that crashed (`describe_failure`) is a ValueError of one line."""
    try:
        from pyspark.errors import AnalysisException  # noqa: PLC0415 - optional, and slow
    except ImportError:
        raise ValueError("spark-check needs pyspark: pip install 'replylint[spark]'") from None
    try:
        options = replace(options, columns=None if columns is None else parse_columns(columns))
        how = {"input_format": input_format, "layout": layout, "overwrite": overwrite}
        return spark_check(input_path, output_path, options, **how)  # type: ignore[arg-type]
    except (ValueError, AnalysisException) as error:
        raise ValueError(str(error).splitlines()[0]) from None
    except Exception as error:
        if not _from_spark(error):  # ours: the command line's guard names where it was raised
            raise
        raise ValueError(describe_failure(error)) from None


def parse_columns(text: str) -> dict[str, str]:
    """'field=column,...' (either comma width) as `Options.columns`; `lint_dataframe` checks
    the field names. Raises ValueError."""
    pairs = [part.split("=", 1) for part in text.replace("，", ",").split(",") if part.strip()]
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"expected field=column pairs, got {text!r}")
    return {field.strip(): column.strip() for field, column in pairs}


def _summary(linted: Any) -> SparkCheckSummary:
    fn = _functions()
    row = linted.agg(
        fn.count(fn.lit(1)),
        fn.count(fn.when(fn.col("findings") > 0, True)),
        fn.coalesce(fn.sum("findings"), fn.lit(0)),
        fn.count("error"),
    ).first()
    return SparkCheckSummary(*(int(value) for value in row))


# A worker's traceback, carried in the JVM's error text, ends with the Python error.
_WORKER_IMPORT_ERROR = re.compile(r"(?:ModuleNotFoundError|ImportError): [^\n]*")


def _from_spark(error: BaseException) -> bool:
    """Whether a failure is the Spark job's (raised by pyspark or py4j, or a worker that
    could not import replylint), not a fault of replylint's own code."""
    module = type(error).__module__.split(".")[0]
    return module in ("pyspark", "py4j") or _WORKER_IMPORT_ERROR.search(str(error)) is not None


def describe_failure(error: BaseException) -> str:
    """One line for a Spark job that crashed, for ``spark-check``'s exit 2. The usual cause
    is named: workers that run a Python without replylint (``PYSPARK_PYTHON`` unset, so
    Spark starts the ``python3`` on the PATH)."""
    text = str(error)
    missing = _WORKER_IMPORT_ERROR.search(text)
    if missing is not None:
        return (
            f"the Spark workers' Python cannot import replylint ({missing.group(0).strip()}): "
            f"set PYSPARK_PYTHON to a Python that has it, such as {sys.executable}"
        )
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f"the Spark job failed: {type(error).__name__}" + (f": {first}" if first else "")
