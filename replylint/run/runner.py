"""The run that ``check``, ``report`` and ``check --write-baseline`` make, and a library
caller can: read every input, take each call through the pipeline (in worker processes
when ``jobs`` > 1) and hand what it gives to a sink, in input order."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from replylint.model import ReadError
from replylint.readers import read_units
from replylint.run.batch import interrupts_held, lint_units, terminate_as_interrupt
from replylint.run.options import Options
from replylint.run.pipeline import Render
from replylint.run.progress import Progress
from replylint.run.result import Summary

C = TypeVar("C")


class Sink(Protocol[C]):
    """Where a run's output goes (an output format, a report, a baseline being recorded),
    in the shape of flake8's formatters. `render` makes each call's output where the call
    was linted (a worker process maybe: it must pickle); `start` comes first, then `handle`
    each call's output and `error` each input that could not be read, in input order, and
    `finish` last, with the run's counts."""

    @property
    def render(self) -> Render[C]: ...

    def start(self) -> None: ...

    def handle(self, rendered: C) -> None: ...

    def error(self, error: ReadError) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def lint_paths(
    paths: Sequence[str | Path],
    options: Options,
    sink: Sink[C],
    progress: Progress | None = None,
) -> Summary:
    """Read every transcript under ``paths`` (``-``: standard input), take each through the
    pipeline ``options`` describe, hand its output to ``sink`` in input order, and return
    the counts; ``progress`` is told after every read unit. The caller starts and finishes
    the sink. Ctrl-C (``KeyboardInterrupt``) or SIGTERM (`Terminated`) stops the workers
    and is raised; the sink has then been handed every read unit's output whole, and
    nothing of the next."""
    progress = Progress(paths) if progress is None else progress
    units = read_units(
        paths,
        default_role=options.role,
        columns=options.columns,
        encoding=options.encoding,
        limits=options.limits,
        stdin_format=options.stdin_format,
    )
    outputs = lint_units(
        options.linter(), units, sink.render, jobs=options.jobs, pipeline=options.pipeline()
    )
    with terminate_as_interrupt(), contextlib.closing(outputs):  # on Ctrl-C, stops the workers
        for output in outputs:
            with interrupts_held():  # one unit's output is handed over whole
                for item in output.items:
                    if isinstance(item, ReadError):
                        sink.error(item)
                    else:
                        sink.handle(item)
                progress.advance(output)
    progress.finish()
    return progress.summary
