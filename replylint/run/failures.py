"""A failure nobody foresaw, said in one line: what went wrong and where.

A program that meets one (the command line's guard, Spark's driver) reports this line and
exits with its error code, never with a traceback: exit code 1 means findings, and a
pipeline that reads it must not take a crash for them.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from pathlib import Path

from replylint.run.files import OutputError
from replylint.run.result import EXIT_BROKEN_PIPE, EXIT_ERROR

_PACKAGE = Path(__file__).resolve().parent.parent  # replylint/
_MAX_DETAIL = 200  # characters of the exception's own text


def failure_exit(error: BaseException) -> tuple[int, str]:
    """How a command ends on a failure nobody foresaw: its exit code and its line. A reader
    that stopped reading (``| head -1``) ends the run quietly, as Unix tools do."""
    if isinstance(error, BrokenPipeError):
        _discard_standard_output()
        return EXIT_BROKEN_PIPE, ""
    return EXIT_ERROR, f"error: {describe_failure(error)}"


def _discard_standard_output() -> None:
    """What is still buffered for a closed pipe goes nowhere, so that Python's last flush
    at exit does not complain about it."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor (a test's stream)
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
        os.close(nowhere)


def describe_failure(error: BaseException) -> str:
    """One line: the file that could not be written or read, or for anything else the
    exception and the line of replylint's source where it was raised."""
    if isinstance(error, OutputError):
        return str(error)
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror or error}"
    where = where_raised(error)
    if isinstance(error, MemoryError):
        return f"out of memory at {where}"
    detail = " ".join(str(error).split())[:_MAX_DETAIL]
    what = type(error).__name__ + (f": {detail}" if detail else "")
    return f"internal error at {where} ({what}); this is a replylint bug, please report it"


def where_raised(error: BaseException) -> str:
    """``replylint/run/pipeline.py:57``: the innermost line of replylint's own source in the
    error's traceback (the innermost line of all when none is ours)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "an unknown place"
    ours = [frame for frame in frames if _is_ours(frame.filename)]
    frame = (ours or frames)[-1]
    path = Path(frame.filename)
    shown = path.resolve().relative_to(_PACKAGE.parent) if _is_ours(frame.filename) else path
    return f"{shown.as_posix()}:{frame.lineno}"


def _is_ours(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(_PACKAGE)
