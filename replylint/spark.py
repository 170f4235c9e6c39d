"""Lint transcripts where they live: a Spark DataFrame in, findings and call scores out.

Needs the optional ``spark`` extra (pyspark 4, Java 17+); pyspark is imported inside the
functions, so ``import replylint`` never needs it. See docs/spark.md.

Input, one of two layouts (column names can be mapped with ``columns={field: column}``)
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

With ``redact=True`` personal data is masked once linted (see `replylint.redact`): in each
finding's text (same offsets) and in string metadata columns; other columns keep their type
and value.

Rules are loaded and checked on the driver, shipped to the executors pickled, and compiled
there once per Python worker process (see `_worker_linter`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

from replylint.engine import Linter
from replylint.formatters import finding_record
from replylint.kinds import Rule
from replylint.kinds.metadata import RULE_META_KEYS
from replylint.model import Finding, Transcript, Turn
from replylint.packs import load_packs
from replylint.readers import parse_role
from replylint.redact import redact, redact_findings, redact_transcript
from replylint.scoring import DEFAULT_CONFIG, ScoreConfig, score

__all__ = [
    "CALL_FIELDS",
    "FINDING_FIELDS",
    "INPUT_FIELDS",
    "SparkCheckSummary",
    "lint_dataframe",
    "spark_check",
]

Layout = Literal["auto", "turns", "calls"]
InputFormat = Literal["parquet", "json"]

FINDING_FIELDS: Final = (
    "transcript", "turn", "role", "start", "end", "text", "rule", "pack", "severity",
    "message", "suggestion", "name", "file",
)  # fmt: skip
CALL_FIELDS: Final = ("id", "file", "turns", "findings", "score", "passed", "vetoed", "error")
INPUT_FIELDS: Final = ("id", "turn", "role", "text", "start", "end", "turns", "file")
_LAYOUTS: Final = ("auto", "turns", "calls")
_INPUT_FORMATS: Final = ("parquet", "json")
_BATCH: Final = 256  # calls per lint_batch: the engine scans a batch's turns in one pass

# Internal column names of the intermediate frames; metadata may not use them.
_ID, _FILE, _TURNS, _FIRST, _FOUND = "_rl_id", "_rl_file", "_rl_turns", "_rl_first", "_rl_found"
_INDEXES, _ROLES, _TEXTS = "_rl_indexes", "_rl_roles", "_rl_texts"
_STARTS, _ENDS = "_rl_starts", "_rl_ends"
_INTERNAL: Final = (_ID, _FILE, _TURNS, _FIRST, _FOUND, _INDEXES, _ROLES, _TEXTS, _STARTS, _ENDS)
_RESERVED: Final = frozenset({*FINDING_FIELDS, *CALL_FIELDS, *_INTERNAL})
# Metadata columns follow id, file, indexes, roles, texts, starts, ends.
_META_START: Final = 7


# --------------------------------------------------------------------------- public API


def lint_dataframe(  # noqa: PLR0913 - one keyword a setting, as in the CLI
    df: Any,
    *,
    layout: Layout = "auto",
    rules_dirs: Iterable[Path | str] | None = None,
    packs: Iterable[str] | None = None,
    rules: Iterable[Rule] | None = None,
    score_config: ScoreConfig | None = None,
    columns: Mapping[str, str] | None = None,
    profile: str | None = None,
    redact: bool = False,
) -> tuple[Any, Any]:
    """Lint a DataFrame of transcripts; returns ``(findings, calls)`` DataFrames, lazily.

    Rules: the bundled packs, or ``rules_dirs`` and ``packs`` as in ``load_packs``, or
    ``rules`` already loaded (say, by a settings file). Raises ValueError for bad input
    columns or options, and ``PackError`` for bad packs, on the driver before any job.

    Both frames come from one lint pass: the linted calls (scores and findings, no turn
    text) are persisted, memory and disk, the first time either frame is computed, so
    writing both does not lint twice. ``spark.catalog.clearCache()`` frees them.
    ``redact`` masks personal data in finding texts and string metadata.
    """
    rule_set = (_rules(rules_dirs, packs, rules), profile)
    linted = _lint(df, layout, columns, rule_set, score_config, redact=redact)
    return _split(linted.persist(_memory_and_disk()))


@dataclass(frozen=True, slots=True)
class SparkCheckSummary:
    """What `spark_check` wrote: calls, calls with findings, findings, unreadable calls."""

    calls: int
    flagged: int
    findings: int
    errors: int


def spark_check(  # noqa: PLR0913 - one keyword a setting, as in the CLI
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    input_format: InputFormat = "parquet",
    layout: Layout = "auto",
    rules_dirs: Iterable[Path | str] | None = None,
    packs: Iterable[str] | None = None,
    rules: Iterable[Rule] | None = None,
    score_config: ScoreConfig | None = None,
    columns: Mapping[str, str] | None = None,
    overwrite: bool = False,
    spark: Any = None,
    profile: str | None = None,
    redact: bool = False,
) -> SparkCheckSummary:
    """Read Parquet or JSON (lines) transcripts, lint them, write Parquet to
    ``output_path/findings`` and ``output_path/calls``. Paths may be any Spark URL
    (hdfs://, s3a://...). Uses ``spark`` or the active session (or a new one)."""
    if input_format not in _INPUT_FORMATS:
        raise ValueError(f"unknown input format {input_format!r}; expected parquet or json")
    session = spark if spark is not None else _session()
    reader = session.read
    source = os.fspath(input_path)
    df = reader.parquet(source) if input_format == "parquet" else reader.json(source)
    rule_set = (_rules(rules_dirs, packs, rules), profile)
    linted = _lint(df, layout, columns, rule_set, score_config, redact=redact)
    linted = linted.persist(_memory_and_disk())
    try:
        findings, calls = _split(linted)
        target = os.fspath(output_path).rstrip("/")
        mode = "overwrite" if overwrite else "errorifexists"
        findings.write.mode(mode).parquet(f"{target}/findings")
        calls.write.mode(mode).parquet(f"{target}/calls")
        return _summary(linted)
    finally:
        linted.unpersist()


# --------------------------------------------------------------------------- the driver


@dataclass(frozen=True, slots=True)
class _Shape:
    """Where the input's fields are: the layout, a column per field, the metadata."""

    layout: Literal["turns", "calls"]
    names: Mapping[str, str]  # field -> input column
    meta: tuple[str, ...]
    has_file: bool
    has_times: bool = False


def _rules(
    rules_dirs: Iterable[Path | str] | None,
    packs: Iterable[str] | None,
    rules: Iterable[Rule] | None,
) -> tuple[Rule, ...]:
    if rules is None:
        return load_packs(rules_dirs, packs=packs)
    if rules_dirs is not None or packs is not None:
        raise ValueError("give rules, or rules_dirs and packs, not both")
    return tuple(rules)


def _column_names(columns: Mapping[str, str] | None) -> dict[str, str]:
    given = dict(columns or {})
    unknown = sorted(set(given) - set(INPUT_FIELDS))
    if unknown:
        raise ValueError(
            f"unknown field(s) {', '.join(map(repr, unknown))} in columns; "
            f"fields: {', '.join(INPUT_FIELDS)}"
        )
    empty = sorted(key for key, name in given.items() if not isinstance(name, str) or not name)
    if empty:
        raise ValueError(f"columns must map fields to column names; bad: {', '.join(empty)}")
    return {field: given.get(field, field) for field in INPUT_FIELDS}


# The fields each layout needs, and the ones it reads when present (not metadata).
_REQUIRED: Final = {"turns": ("id", "turn", "role", "text"), "calls": ("id", "turns")}
_OPTIONAL: Final = {"turns": ("start", "end", "file"), "calls": ("file",)}


def _shape(schema: Any, layout: str, names: Mapping[str, str]) -> _Shape:
    if layout not in _LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(_LAYOUTS)}")
    present = schema.fieldNames()
    chosen = _detect_layout(set(present), names) if layout == "auto" else layout
    missing = [_described(f, names) for f in _REQUIRED[chosen] if names[f] not in present]
    if missing:
        raise ValueError(
            f"{chosen} layout: missing column(s) {', '.join(missing)}; the input has "
            f"{', '.join(present)}. Map yours with columns={{field: column}}."
        )
    own = {names[field] for field in (*_REQUIRED[chosen], *_OPTIONAL[chosen])}
    meta = tuple(name for name in present if name not in own)
    shape = _Shape(
        "calls" if chosen == "calls" else "turns",
        dict(names),
        meta,
        names["file"] in present,
        _has_times(schema, chosen, names),
    )
    _check_types(schema, shape)
    return shape


def _has_times(schema: Any, layout: str, names: Mapping[str, str]) -> bool:
    """Whether turns carry ASR start and end times (columns, or fields of the turn structs)."""
    if layout == "turns":
        present = set(schema.fieldNames())
    else:
        element = getattr(schema[names["turns"]].dataType, "elementType", None)
        present = set(getattr(element, "fieldNames", list)())
    return names["start"] in present and names["end"] in present


def _described(field: str, names: Mapping[str, str]) -> str:
    """'text', or 'content' (the text field) when it was mapped."""
    column = repr(names[field])
    return column if names[field] == field else f"{column} (the {field} field)"


def _detect_layout(present: set[str], names: Mapping[str, str]) -> str:
    if names["turns"] in present:
        return "calls"
    if names["text"] in present:
        return "turns"
    raise ValueError(
        f"cannot tell the layout: no {_described('turns', names)} column (one row per call) "
        f"and no {_described('text', names)} column (one row per turn); the input has "
        f"{', '.join(sorted(present))}"
    )


def _check_types(schema: Any, shape: _Shape) -> None:
    problems = list(_type_problems(schema, shape))
    clashes = sorted(name for name in shape.meta if name in _RESERVED)
    if clashes:
        problems.append(
            f"metadata column(s) {', '.join(map(repr, clashes))} would clash with output "
            "columns; rename them first (DataFrame.withColumnRenamed)"
        )
    if problems:
        raise ValueError("; ".join(problems))


def _type_problems(schema: Any, shape: _Shape) -> Iterator[str]:
    types = _types()
    names = shape.names
    kinds = {field.name: field.dataType for field in schema.fields}
    if not isinstance(kinds[names["id"]], types.StringType | types.IntegralType):
        yield f"column {names['id']!r} (id) must be a string or an integer"
    if shape.has_file and not isinstance(kinds[names["file"]], types.StringType):
        yield f"column {names['file']!r} (file) must be a string"
    if shape.layout == "calls":
        yield from _turns_type_problems(kinds[names["turns"]], names)
        return
    if not isinstance(kinds[names["turn"]], types.NumericType):
        yield f"column {names['turn']!r} (turn) must be a number: the turn's order in its call"
    for field in ("role", "text"):
        if not isinstance(kinds[names[field]], types.StringType):
            yield f"column {names[field]!r} ({field}) must be a string"


def _turns_type_problems(kind: Any, names: Mapping[str, str]) -> Iterator[str]:
    types = _types()
    element = kind.elementType if isinstance(kind, types.ArrayType) else None
    if not isinstance(element, types.StructType):
        yield f"column {names['turns']!r} (turns) must be an array of structs (role, text)"
        return
    fields = {field.name: field.dataType for field in element.fields}
    for field in ("role", "text"):
        if not isinstance(fields.get(names[field]), types.StringType):
            yield f"turns must have a string field {names[field]!r} ({field})"


def _calls_frame(df: Any, shape: _Shape) -> Any:
    """One row per call, whatever the layout: id, file, turn indexes (or null), roles,
    texts, then the metadata. Arrays of strings reach Python far faster than structs."""
    fn = _functions()
    names = shape.names
    file = _col(names["file"]) if shape.has_file else fn.lit(None).cast("string")
    meta = [_col(name) for name in shape.meta]
    no_times = fn.lit(None).cast("array<long>")
    if shape.layout == "calls":
        turns = _col(names["turns"])

        def times(field: str) -> Any:
            if not shape.has_times:
                return no_times
            return fn.transform(turns, lambda turn: turn[names[field]].cast("long"))

        return df.select(
            _col(names["id"]).alias(_ID),
            file.alias(_FILE),
            fn.lit(None).alias(_INDEXES),
            fn.transform(turns, lambda turn: turn[names["role"]]).alias(_ROLES),
            fn.transform(turns, lambda turn: turn[names["text"]]).alias(_TEXTS),
            times("start").alias(_STARTS),
            times("end").alias(_ENDS),
            *meta,
        )
    order = _col(names["turn"])
    timed = shape.has_times
    turn = fn.struct(
        order.alias("turn"),
        _col(names["role"]).alias("role"),
        _col(names["text"]).alias("text"),
        (_col(names["start"]) if timed else fn.lit(None)).cast("long").alias("start"),
        (_col(names["end"]) if timed else fn.lit(None)).cast("long").alias("end"),
    )
    grouped = df.groupBy(_col(names["id"]).alias(_ID)).agg(
        # Sorted by the turn index (a struct sorts by its first field), nulls first.
        fn.sort_array(fn.collect_list(turn)).alias(_TURNS),
        fn.min_by(fn.struct(file.alias(_FILE), *meta), order).alias(_FIRST),
    )
    first, turns = fn.col(_FIRST), fn.col(_TURNS)
    return grouped.select(
        _ID,
        first.getField(_FILE).alias(_FILE),
        fn.transform(turns, lambda turn: turn["turn"]).alias(_INDEXES),
        fn.transform(turns, lambda turn: turn["role"]).alias(_ROLES),
        fn.transform(turns, lambda turn: turn["text"]).alias(_TEXTS),
        fn.transform(turns, lambda turn: turn["start"]).alias(_STARTS),
        fn.transform(turns, lambda turn: turn["end"]).alias(_ENDS),
        *(first.getField(name).alias(name) for name in shape.meta),
    )


def _col(name: str) -> Any:
    """A column by its exact name, even with dots or spaces in it."""
    fn = _functions()
    return fn.col("`" + name.replace("`", "``") + "`")


# Output types that are not strings (Spark's simple type names).
_TYPES: Final = {
    "turn": "integer", "start": "integer", "end": "integer", "turns": "integer",
    "findings": "integer", "score": "double", "passed": "boolean", "vetoed": "boolean",
}  # fmt: skip


def _struct(fields: Iterable[str]) -> Any:
    struct = _types().StructType()
    for name in fields:
        struct.add(name, _TYPES.get(name, "string"))
    return struct


def _linted_schema(df: Any, shape: _Shape) -> Any:
    """`CALL_FIELDS`, the findings (an array of `FINDING_FIELDS`), the metadata as it came."""
    schema = _struct(CALL_FIELDS)
    schema.add(_FOUND, _types().ArrayType(_struct(FINDING_FIELDS), containsNull=False))
    for name in shape.meta:
        schema.add(df.schema[name])
    return schema


def _lint(  # noqa: PLR0913 - one a setting, as in the CLI
    df: Any,
    layout: str,
    columns: Mapping[str, str] | None,
    rule_set: tuple[tuple[Rule, ...], str | None],
    score_config: ScoreConfig | None,
    *,
    redact: bool = False,
) -> Any:
    """One row per call: `CALL_FIELDS`, the findings as an array, then the metadata.
    Input and options are checked here, on the driver, before any job runs."""
    shape = _shape(df.schema, layout, _column_names(columns))
    blob = pickle.dumps(rule_set)
    lint_calls = _LintCalls(
        fingerprint=hashlib.sha256(blob).hexdigest(),
        rules_blob=blob,
        score_config=score_config or DEFAULT_CONFIG,
        redact=redact,
        industry_columns=tuple(
            (position, name)
            for position, name in enumerate(shape.meta)
            if name in RULE_META_KEYS or name == _NESTED_META
        ),
    )
    rows = _calls_frame(df, shape).rdd.mapPartitions(lint_calls)
    return df.sparkSession.createDataFrame(rows, _linted_schema(df, shape), verifySchema=False)


def _split(linted: Any) -> tuple[Any, Any]:
    fn = _functions()
    meta = [_col(name) for name in linted.columns[len(CALL_FIELDS) + 1 :]]
    exploded = linted.select(fn.explode(_FOUND).alias(_FOUND), *meta)
    findings = exploded.select(
        *(fn.col(_FOUND).getField(f).alias(f) for f in FINDING_FIELDS), *meta
    )
    return findings, linted.drop(_FOUND)


def _summary(linted: Any) -> SparkCheckSummary:
    fn = _functions()
    row = linted.agg(
        fn.count(fn.lit(1)),
        fn.count(fn.when(fn.col("findings") > 0, True)),
        fn.coalesce(fn.sum("findings"), fn.lit(0)),
        fn.count("error"),
    ).first()
    return SparkCheckSummary(*(int(value) for value in row))


# pyspark is an optional extra: imported on first use, so `import replylint` never needs it.


def _functions() -> Any:
    from pyspark.sql import functions  # noqa: PLC0415 - optional extra, see above

    return functions


def _types() -> Any:
    from pyspark.sql import types  # noqa: PLC0415 - optional extra, see above

    return types


def _memory_and_disk() -> Any:
    from pyspark import StorageLevel  # noqa: PLC0415 - optional extra, see above

    return StorageLevel.MEMORY_AND_DISK


def _session() -> Any:
    from pyspark.sql import SparkSession  # noqa: PLC0415 - optional extra, see above

    return SparkSession.builder.appName("replylint").getOrCreate()


# --------------------------------------------------------------------------- the executors

# The compiled linters of this Python process, by a digest of their pickled rules.
# Compiling (automaton, jieba's dictionary) takes a fraction of a second, far more than a
# small partition takes to lint, so it must not happen per row or per partition. Spark
# reuses its Python workers across tasks and jobs (spark.python.worker.reuse, on by
# default), so a module-level cache compiles once per executor process. This global state
# is safe: a Linter is immutable and thread-safe, the key is a digest of the exact rules
# (another configuration can never get a stale linter), and the cache is cleared before it
# grows past a handful of configurations.
_LINTERS: dict[str, Linter] = {}
_MAX_LINTERS: Final = 4


def _worker_linter(fingerprint: str, rules_blob: bytes) -> Linter:
    linter = _LINTERS.get(fingerprint)
    if linter is None:
        if len(_LINTERS) >= _MAX_LINTERS:
            _LINTERS.clear()
        rules, profile = pickle.loads(rules_blob)  # our own driver's bytes
        linter = Linter(rules, profile=profile)
        linter.prepare()
        _LINTERS[fingerprint] = linter
    return linter


class _CallError(Exception):
    """A call that cannot be linted; the message says why."""


@dataclass(frozen=True, slots=True)
class _LintCalls:
    """The partition function: rows of `_calls_frame` in, rows of `_linted_schema` out.

    Pickled into every task; the rules travel as bytes and are unpickled and compiled only
    when this process has no linter for them yet.
    """

    fingerprint: str
    rules_blob: bytes
    score_config: ScoreConfig
    redact: bool = False
    # (position among the metadata columns, name) of the columns naming a call's industry
    # or area, which decide whether an industry's rules apply to it and which service
    # commitment holds (see `Linter`).
    industry_columns: tuple[tuple[int, str], ...] = ()

    def __call__(self, rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        linter = _worker_linter(self.fingerprint, self.rules_blob)
        iterator = iter(rows)
        while batch := list(islice(iterator, _BATCH)):
            yield from self._lint_batch(linter, batch)

    def _lint_batch(self, linter: Linter, batch: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        parsed = [_transcript(row, self.industry_columns) for row in batch]
        readable = [item for item in parsed if isinstance(item, Transcript)]
        found = iter(linter.lint_batch(readable))
        for row, item in zip(batch, parsed, strict=True):
            if isinstance(item, Transcript):
                call = self._linted(item, next(found))
            else:
                call = _unreadable(row, item)
            yield (*call, *self._meta(row[_META_START:]))

    def _meta(self, values: Sequence[Any]) -> Sequence[Any]:
        if not self.redact:
            return values
        return [redact(value) if isinstance(value, str) else value for value in values]

    def _linted(self, transcript: Transcript, findings: list[Finding]) -> tuple[Any, ...]:
        result = score(findings, self.score_config)
        if self.redact:
            findings = redact_findings(findings, redact_transcript(transcript))
        source = transcript.source
        records = [finding_record(finding, source) for finding in findings]
        return (
            transcript.id,
            source,
            len(transcript.turns),
            len(findings),
            result.score,
            result.passed,
            result.vetoed,
            None,
            [tuple(record[field] for field in FINDING_FIELDS) for record in records],
        )


def _transcript(row: Any, industry_columns: Sequence[tuple[int, str]] = ()) -> Transcript | str:
    """The call of a `_calls_frame` row, or why it cannot be linted."""
    call_id, file, indexes, roles, texts, starts, ends = row[:_META_START]
    meta = _industry_meta(row, industry_columns)
    try:
        if roles is None or texts is None:
            raise _CallError("turns is null")
        if indexes is not None:
            _check_order(indexes)
        turns = _turns(roles, texts, starts, ends)
        return Transcript(_call_id(call_id), turns, MappingProxyType(meta), source=file)
    except _CallError as error:
        return str(error)


_NESTED_META: Final = "meta"  # JSON lines as `replylint check` reads them: meta as a struct


def _industry_meta(row: Any, industry_columns: Sequence[tuple[int, str]]) -> dict[str, Any]:
    """The metadata rules read (industry, area, direction, channel): top-level columns, or
    fields of ``meta``."""
    meta: dict[str, Any] = {}
    for position, name in industry_columns:
        value = row[_META_START + position]
        if name == _NESTED_META and hasattr(value, "asDict"):
            meta |= {k: v for k, v in value.asDict().items() if k in RULE_META_KEYS}
        elif name != _NESTED_META:
            meta[name] = value
    return meta


def _call_id(raw: object) -> str:
    if raw is None:
        raise _CallError("id is null")
    return raw if isinstance(raw, str) else str(raw)


def _unreadable(row: Any, error: str) -> tuple[Any, ...]:
    call_id = None if row[0] is None else str(row[0])
    return (call_id, row[1], None, None, None, None, None, error, [])


def _check_order(indexes: Sequence[float | None]) -> None:
    """Sorted turn indexes of one call: a missing or repeated one would make the order of
    turns (and so every finding's turn) a matter of chance."""
    if None in indexes:
        raise _CallError("a turn index is null")
    twice = next((a for a, b in pairwise(indexes) if a == b), None)
    if twice is not None:
        raise _CallError(f"turn index {twice} appears more than once")


def _turns(
    roles: Sequence[str | None],
    texts: Sequence[str | None],
    starts: Sequence[int | None] | None = None,
    ends: Sequence[int | None] | None = None,
) -> tuple[Turn, ...]:
    turns = []
    untimed = [None] * len(roles)
    times = zip(starts or untimed, ends or untimed, strict=True)
    for number, (role, text, (start, end)) in enumerate(zip(roles, texts, times, strict=True)):
        # parse_role: the reader's labels (agent, 坐席, 客戶...); None for a null or unknown one.
        parsed = parse_role(role) if role is not None else None
        if parsed is None or text is None:
            raise _CallError(f"turn {number}: " + _turn_problem(role, text))
        turns.append(Turn(parsed, text, start, end))
    return tuple(turns)


def _turn_problem(role: str | None, text: str | None) -> str:
    if role is None:
        return "role is null"
    if text is None and parse_role(role) is not None:
        return "text is null"
    return f"unknown role {role!r}"
