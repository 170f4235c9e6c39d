"""Readers: turn files into `Transcript` objects, streaming, never dropping anything silently.

Every problem (missing path, unreadable or undecodable file, malformed JSON, invalid
transcript) is yielded in-stream as a `ReadError`; reading then goes on with the next
transcript or file. Nothing here raises for bad input.

Formats (`FORMATS`, in `replylint.readers.registry`; one module each)
    ``.jsonl``  one transcript object per line, streamed line by line (`jsonl`).
    ``.json``   one transcript object, or a list of them (`jsondoc`).
    ``.txt``    the plain-text format of `parse_text`; one transcript per file (`text`).
    ``.csv``, ``.tsv``, ``.xlsx``, ``.xlsm``  tables of calls (`tables`); ``.tsv`` only
                when named, not in folders.
    Other suffixes (given explicitly) and stdin are sniffed from the first non-blank line:
    a complete JSON object -> JSONL; ``{`` opening a multi-line object, or ``[`` followed by
    ``{``/``]``/end of line -> JSON; a header naming the call id and text columns,
    split by comma, tab or semicolon -> CSV; anything else -> text (so
    ``[00:01] 客服：…`` is text). ``stdin_format=`` names stdin's format instead.

Encodings: see `replylint.readers.decoding`. In short, decided on the whole file first:
    UTF-8 (with or without BOM), UTF-16 with a BOM, then GB18030 or Big5, whichever reads
    as more plausible Chinese; per line only when a file truly mixes; ``encoding=``
    forces one codec. JSONL is decoded per line, so one bad line loses only itself; in a JSON
    list, a line that cannot be decoded loses only the transcript that holds it.

Faults
    A JSON list with a syntax error (a missing "}" too) loses only the transcript the
    error is in: reading resumes at the next object holding "turns". A bad row of a
    table (bytes that do not decode, a quote never closed, a formula without its value)
    loses only its call; a workbook is bounded while it is unpacked (`Limits.cells`,
    `Limits.workbook_bytes`, `MAX_SHEET_ROWS`), and one damaged part way keeps the rows
    before the damage. A key or column given twice is an error: which one is meant is
    not known. Should a reader fail unforeseen, the rest of its unit is one error. Lone
    surrogates escaped in JSON (half an emoji) become U+FFFD. Past a `Limits` limit (a
    line, a file read whole, the turns or characters of a transcript) or
    `MAX_META_DEPTH`, the piece is an error naming the limit. In folders, pipes, sockets
    and devices are reported, not read; a pipe named explicitly is streamed. File names
    that are not valid in the file system's encoding are shown decoded as file contents
    are.

Indices in error messages are 0-based, as in the JSON arrays they point into:
``transcript #3`` is the fourth element of a JSON list, ``turn 0`` the first turn.
"""

from __future__ import annotations

from replylint.readers.decoding import check_encoding
from replylint.readers.fields import CALL_FIELDS, Field
from replylint.readers.limits import (
    DEFAULT_LIMITS,
    LIMIT_SWITCHES,
    MAX_CELLS,
    MAX_CHARS,
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    MAX_META_DEPTH,
    MAX_TURNS,
    MAX_WORKBOOK_BYTES,
    Limits,
    limit_problem,
    limits_from,
)
from replylint.readers.objects import parse_transcript_obj
from replylint.readers.paths import input_size, read_path, read_paths, read_table, read_units
from replylint.readers.registry import FORMATS, STREAM_FORMATS, TABLE_SUFFIXES
from replylint.readers.roles import parse_role
from replylint.readers.tables import parse_column_mapping
from replylint.readers.tables.sheetscan import MAX_SHEET_ROWS
from replylint.readers.text import parse_text
from replylint.readers.units import ReadUnit, read_unit

__all__ = [
    "CALL_FIELDS",
    "DEFAULT_LIMITS",
    "FORMATS",
    "LIMIT_SWITCHES",
    "MAX_CELLS",
    "MAX_CHARS",
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "MAX_META_DEPTH",
    "MAX_SHEET_ROWS",
    "MAX_TURNS",
    "MAX_WORKBOOK_BYTES",
    "STREAM_FORMATS",
    "TABLE_SUFFIXES",
    "Field",
    "Limits",
    "ReadUnit",
    "check_encoding",
    "input_size",
    "limit_problem",
    "limits_from",
    "parse_column_mapping",
    "parse_role",
    "parse_text",
    "parse_transcript_obj",
    "read_path",
    "read_paths",
    "read_table",
    "read_unit",
    "read_units",
]
