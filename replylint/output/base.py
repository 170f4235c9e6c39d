"""What every output format is: a formatter in the shape of flake8's, which a run drives."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from replylint.model import ReadError
from replylint.run.files import output_error
from replylint.run.pipeline import Render
from replylint.run.result import Summary
from replylint.run.terminal import printable

C = TypeVar("C")
Write = Callable[[str], None]  # writes one line; the caller decides where and how


def guarded(write: Write, where: str) -> Write:
    """``write``, with a failure to write (a full disk, /dev/full) raised as an
    `OutputError` naming ``where``; a closed pipe stays a `BrokenPipeError`, for the
    program to end quietly."""

    def write_or_fail(line: str) -> None:
        try:
            write(line)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise output_error(where, error) from None

    return write_or_fail


@dataclass(frozen=True, slots=True)
class Streams:
    """Where a formatter writes: ``out`` the output, ``err`` messages (read errors, and the
    closing summary of formats that keep standard output to data). Each writes one line."""

    out: Write
    err: Write


class Formatter(ABC, Generic[C]):
    """One output format (a `replylint.run.runner.Sink`): `render` makes a call's output
    where the call was linted, a worker process maybe, so it is a plain function of the
    `Result` that pickles; then, in input order, `start` once, `handle` each call's rendered
    output, `error` each input that could not be read, and `finish` with the run's counts.
    Nothing here lints or scores: the result carries its findings and its score."""

    def __init__(self, streams: Streams, *, color: bool = False, redacted: bool = False) -> None:
        self.streams = streams
        self.color = color  # paint the output (ANSI), when the format can
        self.redacted = redacted  # personal data was masked, for formats that say so

    @property
    @abstractmethod
    def render(self) -> Render[C]:
        """A call's output, made where it was linted."""

    def start(self) -> None:
        """Before the first call."""

    @abstractmethod
    def handle(self, rendered: C) -> None:
        """One call's output, in input order."""

    def error(self, error: ReadError) -> None:
        """An input that could not be read: a message on ``err``, file name and all escaped
        (see `printable`)."""
        self.streams.err(f"error: {printable(str(error))}")

    def finish(self, summary: Summary) -> None:
        """After the last call, with the counts of the whole run."""


class LineFormatter(Formatter[list[str]]):
    """A format that writes each call's lines as they come."""

    def handle(self, rendered: list[str]) -> None:
        for line in rendered:
            self.streams.out(line)
