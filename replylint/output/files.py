"""Output written to a file rather than standard output (``check --output-file``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from replylint.output.base import Streams, Write
from replylint.run.files import OutputError, atomic_path, output_error


@contextlib.contextmanager
def lines_to(path: Path) -> Iterator[Write]:
    """A writer of lines into ``path`` in UTF-8, atomically: the file appears whole when the
    block ends, and an error or Ctrl-C inside it leaves ``path`` as it was."""
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8") as file:

        def write(line: str) -> None:
            file.write(line + "\n")

        yield write


@contextlib.contextmanager
def output_to(streams: Streams, path: Path | None) -> Iterator[Streams]:
    """``streams``, or with ``path`` in place of their ``out``, written as `lines_to` does.
    Raises `OutputError` naming ``path`` when it cannot be written."""
    if path is None:
        yield streams
        return
    try:
        with lines_to(path) as write:
            yield replace(streams, out=write)
    except OutputError:
        raise
    except OSError as error:
        raise output_error(path, error) from error


def stopped_note(path: Path | None) -> str:
    """What a run stopped part way (Ctrl-C) says of its output: written to standard output,
    whole up to there; to a file, not written at all (it appears only whole)."""
    return "the output above is complete up to there" if path is None else f"{path} was not written"
