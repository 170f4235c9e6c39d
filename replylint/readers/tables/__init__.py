"""Tables: CSV and XLSX exports of call-centre systems, read into transcripts; never raises.

Layouts, decided from the header row (the first non-empty row)
    one row per turn  columns id, role and text, plus optional turn order, start, end and
                      metadata. Rows are grouped into calls by id wherever they stand in the
                      file: calls come out in first-seen order, turns in row order, or by the
                      turn column (序号, 轮次) when there is one.
    one row per call  columns id and transcript, the transcript in the plain-text format of
                      `replylint.readers.parse_text`.
    A text column means one row per turn, even when there is a transcript column too.

Headers are recognised from the field table (`replylint.fields`), ignoring case,
width, spaces, punctuation and traditional characters (通話ID = 通话id = Call ID). An explicit
``columns`` mapping (field -> header) wins over recognition; mapping a field to "" ignores
that column.

Values
    Metadata (agent, agent_name, team, region, date, channel, industry, direction) goes into
    ``Transcript.meta`` from the first row of a call that fills each; later rows that
    disagree are ignored. A missing role column gives every turn ``default_role``; an
    empty role cell is an error. ``start`` and ``end`` are milliseconds or
    ``[hh:]mm:ss[.fff]`` clock times.

CSV: encodings are detected as for every text input (see `replylint.readers.decoding`: UTF-8,
UTF-16 with a BOM, GB18030 or Big5); ``encoding=`` forces one codec. The delimiter is a tab
in a .tsv file, else whichever of comma, tab and semicolon the header line has most of. Row
numbers in errors are the lines where records start.

XLSX: the first sheet only. Whole numbers read as integers (Excel stores the id 1001 as
1001.0), dates as ``YYYY-MM-DD``.

Errors are yielded in-stream as `ReadError` with the file and row: a bad row fails its call
(one row per turn) or itself (one row per call); every other call is still read. A table
whose columns cannot be found is one error listing the headers found and the names expected.

Memory: one-row-per-call tables stream. One-row-per-turn tables hold every call until the
end of the table, since the rows of a call may stand anywhere in it.
"""

from __future__ import annotations

from replylint.readers.tables.columns import parse_column_mapping
from replylint.readers.tables.rows import read_rows

__all__ = ["parse_column_mapping", "read_rows"]
