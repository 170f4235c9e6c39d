"""The driver's half of the Spark adapter: the input's columns checked, one row per call
made, the partition function run, the result split into findings and calls. Nothing here
runs on the executors but what `replylint.spark.executors` holds."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from replylint.kinds.metadata import RULE_META_KEYS
from replylint.run.options import Options
from replylint.spark.executors import _NESTED_META, _LintCalls
from replylint.spark.fields import (
    _ENDS,
    _FILE,
    _FIRST,
    _FOUND,
    _ID,
    _INDEXES,
    _LAYOUTS,
    _RESERVED,
    _ROLES,
    _STARTS,
    _TEXTS,
    _TURNS,
    CALL_FIELDS,
    FINDING_FIELDS,
    INPUT_FIELDS,
)


@dataclass(frozen=True, slots=True)
class _Shape:
    """Where the input's fields are: the layout, a column per field, the metadata."""

    layout: Literal["turns", "calls"]
    names: Mapping[str, str]  # field -> input column
    meta: tuple[str, ...]
    has_file: bool
    has_times: bool = False


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


def _lint(df: Any, layout: str, options: Options) -> Any:
    """One row per call: `CALL_FIELDS`, the findings as an array, then the metadata.
    Input and options are checked here, on the driver, before any job runs."""
    shape = _shape(df.schema, layout, _column_names(options.columns))
    blob = pickle.dumps((options.selected_rules(), options.profile, options.channel))
    lint_calls = _LintCalls(
        fingerprint=hashlib.sha256(blob).hexdigest(),
        rules_blob=blob,
        pipeline=options.pipeline(),
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
