"""The Spark adapter's column names: the output's, the input fields', and the internal ones
of the intermediate frames."""

from __future__ import annotations

from typing import Final, Literal

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
