"""The executors' half of the Spark adapter: the partition function, which turns rows of
calls into transcripts, takes them through the same pipeline as ``replylint check`` and
gives back rows of findings and scores. Plain Python: pyspark is not imported here."""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise
from types import MappingProxyType
from typing import Any, Final

from replylint.engine import Linter
from replylint.kinds.metadata import RULE_META_KEYS
from replylint.model import Annotations, Transcript, Turn
from replylint.output.records import finding_record
from replylint.readers import parse_role
from replylint.redact import redact
from replylint.run.pipeline import Pipeline
from replylint.spark.fields import _BATCH, _META_START, FINDING_FIELDS

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
        rules, profile, channel = pickle.loads(rules_blob)  # our own driver's bytes
        linter = Linter(rules, profile=profile, channel=channel)
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
    pipeline: Pipeline  # what becomes of a call once linted: the same as in `replylint check`
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
        found = iter(linter.annotate_batch(readable))
        for row, item in zip(batch, parsed, strict=True):
            if isinstance(item, Transcript):
                call = self._linted(item, next(found))
            else:
                call = _unreadable(row, item)
            yield (*call, *self._meta(row[_META_START:]))

    def _meta(self, values: Sequence[Any]) -> Sequence[Any]:
        if not self.pipeline.redact:
            return values
        return [redact(value) if isinstance(value, str) else value for value in values]

    def _linted(self, transcript: Transcript, annotations: Annotations) -> tuple[Any, ...]:
        result = self.pipeline.result(transcript, annotations)
        source = transcript.source
        records = [finding_record(finding, source) for finding in result.findings]
        return (
            transcript.id,
            source,
            len(transcript.turns),
            len(result.findings),
            result.score.score,
            result.score.passed,
            result.score.vetoed,
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
