"""Paths, folders and stdin into units, and the public readers over them."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from replylint.model import ReadError, ReadErrorKind, Role, Transcript
from replylint.readers.base import Context, FileFormat, os_kind, os_reason
from replylint.readers.decoding import DecodeError, check_encoding, decode_line
from replylint.readers.limits import DEFAULT_LIMITS, Limits
from replylint.readers.objects import SURROGATE
from replylint.readers.registry import FOLDER_SUFFIXES, STREAM_FORMATS, TABLE_SUFFIXES, by_suffix
from replylint.readers.streams import regular_size, stream_units, too_big
from replylint.readers.units import (
    UNIT_BYTES,
    ErrorUnit,
    FileUnit,
    ReadUnit,
    read_unit,
)


def _shown(name: str) -> str:
    """A path fit to print. A name in another encoding than the file system's (GBK names
    from a Windows zip) comes with surrogate escapes, which no output can hold: it is
    decoded as file contents are (UTF-8, GB18030 or Big5), else with U+FFFD."""
    if not SURROGATE.search(name):
        return name
    raw = os.fsencode(name)
    try:
        return decode_line(raw)
    except DecodeError:
        return raw.decode("utf-8", errors="replace")


def _file_units(path: Path, ctx: Context, unit_bytes: int) -> Iterator[ReadUnit]:
    fmt = by_suffix(path)
    if isinstance(fmt, FileFormat):
        with contextlib.suppress(OSError):  # reading it reports what it cannot open
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):  # a table is read whole: not from a pipe
                message = "not a regular file (a pipe, socket or device): a table is read whole"
                error = ReadError(ctx.source, None, message, ReadErrorKind.NOT_REGULAR_FILE)
                yield ErrorUnit(ctx, error)
                return
            if status.st_size > ctx.limits.file_bytes:
                yield too_big(ctx, status.st_size)
                return
        yield FileUnit(ctx, fmt, str(path))
        return
    try:
        with path.open("rb") as stream:
            regular = regular_size(stream) is not None
            yield from stream_units(stream, fmt, ctx, unit_bytes, path if regular else None)
    except OSError as err:  # also mid-file: what was read so far has been handed on
        message = f"cannot read file: {os_reason(err)}"
        yield ErrorUnit(ctx, ReadError(ctx.source, None, message, os_kind(err)))


def _file_context(path: Path, options: _Options) -> Context:
    return Context(
        _shown(str(path)),
        _shown(path.stem),
        options.default_role,
        options.encoding,
        options.columns,
        options.limits,
    )


def _error_unit(source: str, message: str, kind: ReadErrorKind, options: _Options) -> ReadUnit:
    shown = _shown(source)
    ctx = Context(shown, shown, options.default_role, None, limits=options.limits)
    return ErrorUnit(ctx, ReadError(shown, None, message, kind))


_Kind = Literal["directory", "file", "other"]


def _entry_kind(entry: os.DirEntry[str]) -> _Kind | None:
    """What a folder entry is, following symlinks; None when that cannot be found out
    (a dangling link, a link loop): opening it then says why."""
    try:
        mode = entry.stat().st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return "directory"
    return "file" if stat.S_ISREG(mode) else "other"


@dataclass(frozen=True, slots=True)
class _Options:
    default_role: Role
    encoding: str | None
    unit_bytes: int
    columns: tuple[tuple[str, str], ...] = ()
    limits: Limits = DEFAULT_LIMITS
    stdin_format: str | None = None


def _tree_units(directory: Path, visited: set[str], options: _Options) -> Iterator[ReadUnit]:
    """Depth-first, entries sorted by name: files come out sorted by relative path."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        message = f"cannot list directory: {os_reason(err)}"
        yield _error_unit(str(directory), message, os_kind(err), options)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        real = os.path.realpath(path)
        if real in visited:
            continue  # already read through another link: a loop, or a duplicate
        kind = _entry_kind(entry)
        if kind == "directory":
            visited.add(real)
            yield from _tree_units(path, visited, options)
        elif path.suffix.lower() in FOLDER_SUFFIXES:
            visited.add(real)
            if kind == "other":  # a pipe would block forever; a device, read forever
                message = "not a regular file (a pipe, socket or device): not read"
                yield _error_unit(str(path), message, ReadErrorKind.NOT_REGULAR_FILE, options)
            else:
                yield from _file_units(path, _file_context(path, options), options.unit_bytes)


def _path_units(path: Path, options: _Options) -> Iterator[ReadUnit]:
    problem = None if options.encoding is None else check_encoding(options.encoding)
    if problem is not None:
        yield _error_unit(str(path), problem, ReadErrorKind.UNKNOWN_ENCODING, options)
        return
    try:
        is_directory, exists = path.is_dir(), path.exists()
    except OSError as err:
        message = f"cannot access: {os_reason(err)}"
        yield _error_unit(str(path), message, os_kind(err), options)
        return
    if is_directory:
        yield from _tree_units(path, {os.path.realpath(path)}, options)
    elif exists:
        yield from _file_units(path, _file_context(path, options), options.unit_bytes)
    else:
        yield _error_unit(str(path), "no such file or directory", ReadErrorKind.MISSING, options)


def _stdin_units(stream: BinaryIO, options: _Options) -> Iterator[ReadUnit]:
    problem = None if options.encoding is None else check_encoding(options.encoding)
    if problem is not None:
        yield _error_unit("<stdin>", problem, ReadErrorKind.UNKNOWN_ENCODING, options)
        return
    ctx = Context(
        "<stdin>",
        "stdin",
        options.default_role,
        options.encoding,
        options.columns,
        options.limits,
    )
    fmt = None if options.stdin_format is None else STREAM_FORMATS.get(options.stdin_format)
    if options.stdin_format is not None and fmt is None:
        message = (
            f"cannot read stdin as {options.stdin_format!r}: stdin can be "
            f"{', '.join(STREAM_FORMATS)} (a workbook is read from its file)"
        )
        yield ErrorUnit(ctx, ReadError(ctx.source, None, message, ReadErrorKind.UNSUPPORTED))
        return
    try:
        if not hasattr(stream, "peek"):  # an in-memory stream: buffered, to look ahead
            stream = io.BufferedReader(stream)  # type: ignore[type-var]
        yield from stream_units(stream, fmt, ctx, options.unit_bytes)
    except (OSError, ValueError) as err:  # ValueError: stdin already closed
        message = f"cannot read: {err}"
        yield ErrorUnit(ctx, ReadError(ctx.source, None, message, ReadErrorKind.UNREADABLE))


def read_units(  # noqa: PLR0913 - keyword-only options of the public reader
    paths: Iterable[str | Path],
    *,
    default_role: Role = Role.AGENT,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    unit_bytes: int = UNIT_BYTES,
    columns: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stdin_format: str | None = None,
) -> Iterator[ReadUnit]:
    """The units of several paths in order; ``-`` is stdin. Streams: a JSONL file is read
    a unit at a time, so memory does not grow with the input. ``encoding`` forces one
    codec for every text, JSON, JSONL and CSV input (None: detected, see
    `replylint.readers.decoding`). ``columns`` maps fields to the columns of CSV/XLSX
    tables (see `read_table`). ``limits`` bound what one line, file or transcript may
    hold. ``stdin_format`` names the format of stdin (one of `STREAM_FORMATS`: jsonl,
    json, text, csv, tsv); None sniffs it from its first line, as for a file of an
    unknown suffix."""
    columns_items = tuple(sorted((columns or {}).items()))
    options = _Options(default_role, encoding, unit_bytes, columns_items, limits, stdin_format)
    for path in paths:
        if str(path) == "-":
            yield from _stdin_units(stdin if stdin is not None else sys.stdin.buffer, options)
        else:
            yield from _path_units(Path(path), options)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:  # vanished, or unreadable: reading it will say so
        return 0


def input_size(paths: Iterable[str | Path]) -> int | None:
    """Bytes of every file the paths name or hold (as `read_units` walks them), or None
    when one is stdin: the total that progress runs towards. Never raises."""
    total = 0
    for path in map(Path, paths):
        if str(path) == "-":
            return None
        if _is_directory(path):
            total += sum(
                _file_size(f)
                for f in path.rglob("*")
                if f.suffix.lower() in FOLDER_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
        else:
            total += _file_size(path)
    return total


def _is_directory(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def read_path(
    path: str | Path,
    *,
    default_role: Role = Role.AGENT,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Transcript | ReadError]:
    """Read one file, or every transcript file under a directory (.jsonl, .json, .txt,
    .csv, .xlsx, .xlsm).

    Hidden files and directories are skipped; symlinks are followed, each real path once;
    pipes, sockets and devices inside a directory are reported, not read. A file named
    explicitly with another suffix is sniffed. Never raises for bad input.
    """
    units = read_units([Path(path)], default_role=default_role, encoding=encoding, limits=limits)
    for unit in units:
        yield from read_unit(unit)


def read_paths(  # noqa: PLR0913 - keyword-only options of the public reader
    paths: Iterable[str | Path],
    *,
    default_role: Role = Role.AGENT,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
    stdin_format: str | None = None,
) -> Iterator[Transcript | ReadError]:
    """`read_path` over several paths in order; ``-`` reads stdin, sniffed or read as
    ``stdin_format`` (see `read_units`)."""
    units = read_units(
        paths,
        default_role=default_role,
        encoding=encoding,
        stdin=stdin,
        limits=limits,
        stdin_format=stdin_format,
    )
    for unit in units:
        yield from read_unit(unit)


def read_table(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    default_role: Role = Role.AGENT,
) -> Iterator[Transcript | ReadError]:
    """Read a ``.csv``/``.tsv``/``.xlsx``/``.xlsm`` table of calls (see
    `replylint.readers.tables`). Never raises for bad input.

    ``columns`` maps fields (`replylint.readers.fields`) to headers, e.g. from
    `parse_column_mapping`;
    ``encoding`` forces a CSV codec; ``default_role`` is the role of every turn when the
    table has no role column, and of unlabelled text in a transcript column.
    """
    path = Path(path)
    fmt = by_suffix(path)
    if not isinstance(fmt, FileFormat):
        yield ReadError(str(path), None, _not_a_table(path), ReadErrorKind.UNSUPPORTED)
        return
    columns_items = tuple((columns or {}).items())
    yield from fmt.read(path, Context(str(path), path.stem, default_role, encoding, columns_items))


def _not_a_table(path: Path) -> str:
    if path.suffix.lower() == ".xls":
        return "legacy .xls workbooks are not supported; save as .xlsx or .csv"
    return f"not a table file: expected one of {', '.join(sorted(TABLE_SUFFIXES))}"
