"""What a run has done so far (counts, files, bytes of input) and, on a terminal, a progress
line: calls done, rate, share of the input, ETA. Nothing here prints: the caller passes in
``write``, which writes text as it is (no line break added) where messages go."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from replylint.readers import input_size
from replylint.run.pipeline import UnitOutput
from replylint.run.result import Summary

Write = Callable[[str], None]

_CLEAR_LINE = "\r\x1b[K"


def _nowhere(text: str) -> None:
    """A `Write` for a run nobody watches."""


class Progress:
    """The run's counts (``summary``) and the files its calls came from; with ``shown``,
    the progress line, redrawn after every unit; unless ``quiet``, the closing timing line."""

    def __init__(
        self,
        paths: Sequence[str | Path],
        write: Write = _nowhere,
        *,
        shown: bool = False,
        quiet: bool = True,
    ) -> None:
        self.paths = paths
        self.write = write
        self.shown = shown
        self.quiet = quiet
        self.total = input_size(paths) if shown else None
        self.done_bytes = 0
        self.summary = Summary()
        self.files: list[str] = []  # each file (or <stdin>) calls came from, in order
        self.started = time.monotonic()

    def advance(self, output: UnitOutput[Any]) -> None:
        self.done_bytes += output.size
        self.summary.merge(output.summary)
        if not self.files or self.files[-1] != output.source:  # a file's units are adjacent
            self.files.append(output.source)
        if not self.shown:
            return
        calls = self.summary.transcripts + self.summary.errors
        elapsed = max(time.monotonic() - self.started, 1e-6)
        line = f"{calls:,} calls, {calls / elapsed:,.0f}/s"
        if self.total:
            share = min(self.done_bytes / self.total, 1.0)
            eta = elapsed / share - elapsed if share else 0.0
            line += f", {share:.0%}, ETA {eta:,.0f} s"
        self.write(f"\r{line}\x1b[K")

    def finish(self) -> None:
        """The progress line cleared; unless quiet, how many calls in how long."""
        if self.shown:
            self.write(_CLEAR_LINE)
        if not self.quiet:
            elapsed = time.monotonic() - self.started
            done = self.summary.transcripts
            rate = done / elapsed if elapsed else 0.0
            self.write(f"linted {done:,} calls in {elapsed:.1f} s ({rate:,.0f}/s)\n")

    def interrupted(self, summary_line: str, outcome: str) -> None:
        """After Ctrl-C: the partial summary (as ``summary_line`` gives it), then what was
        done out of how much input, and ``outcome``, what became of the output."""
        if self.shown:
            self.write(_CLEAR_LINE)
        files = len(self.files)
        self.write(
            f"{summary_line}\ninterrupted: {self.summary.transcripts:,} calls linted from "
            f"{files} file{'' if files == 1 else 's'} ({self._input_read()}); {outcome}\n"
        )

    def _input_read(self) -> str:
        total = self.total if self.shown else input_size(self.paths)
        done = f"{self.done_bytes / 1e6:,.1f} MB"
        if not total:  # standard input: its size is not known
            return f"{done} of input"
        return f"{done} of {total / 1e6:,.1f} MB of input, {self.done_bytes / total:.0%}"
