"""Lint many inputs, in this process or in worker processes, always in input order.

Input is split into read units (see ``readers.read_units``); a unit is read, taken through
the pipeline and rendered where it is processed (see `process_unit`), so a worker sends
back only rendered output and counts.
At most a few units per worker are in flight: memory does not grow with the input. The
output does not depend on ``jobs``: the same units, processed the same way, in order.

Ctrl-C is the main process's to handle: workers ignore SIGINT (a terminal sends it to the
whole process group), and a batch that is interrupted, or closed early, cancels the units
not yet started and waits for the workers to exit (see ``lint_units``). ``interrupts_held``
lets the caller write one unit's output whole before an interrupt is raised.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, TypeVar

from replylint.engine import Linter
from replylint.readers import ReadUnit
from replylint.run.pipeline import DEFAULT_PIPELINE, Pipeline, Render, UnitOutput, process_unit
from replylint.run.result import Summary

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.synchronize import Event as Stopping
    from types import FrameType

R = TypeVar("R")

# Units in flight per worker: enough to keep every worker busy while the main process
# writes, few enough that memory stays flat.
_IN_FLIGHT_PER_WORKER = 3


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def lint_units(
    linter: Linter,
    units: Iterable[ReadUnit],
    render: Render[R],
    *,
    jobs: int = 1,
    pipeline: Pipeline = DEFAULT_PIPELINE,
) -> Generator[UnitOutput[R], None, None]:
    """Process every unit (see `process_unit`) and yield its output in input order, with
    ``jobs`` processes. Interrupting it (Ctrl-C), or closing it before the end, stops its
    workers."""
    units = iter(units)
    first_two = list(islice(units, 2))
    if jobs <= 1 or len(first_two) < 2:  # a pool only pays off for more than one unit
        for unit in chain(first_two, units):
            yield process_unit(linter, render, unit, pipeline)
        return
    # Imported here: a run that needs no pool (most small ones) starts faster without them.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    linter.prepare()  # forked workers then share what it loaded instead of each loading it
    context = _fork_context()
    stopping = (context or multiprocessing).Event()
    with ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(linter, render, pipeline, stopping),
    ) as pool:
        try:
            yield from _in_order(pool, chain(first_two, units), jobs)
        except BaseException:  # Ctrl-C, or the caller closing the batch early
            stopping.set()  # the units already handed to workers are skipped
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _in_order(
    pool: ProcessPoolExecutor, units: Iterator[ReadUnit], jobs: int
) -> Iterator[UnitOutput[R]]:
    """Each unit's output in input order, with at most a few units per worker in flight.

    When it is interrupted, ``lint_units`` cancels the units not yet handed out, tells the
    workers to skip the ones they were handed, and lets each finish the unit it is linting
    (killing one mid-unit could leave the pool's pipe half-written and the pool hanging):
    stopping takes at most as long as linting one unit.
    """
    pending: deque[Future[UnitOutput[Any]]] = deque()
    for unit in units:
        pending.append(_submit(pool, unit))
        if len(pending) >= jobs * _IN_FLIGHT_PER_WORKER:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _submit(pool: ProcessPoolExecutor, unit: ReadUnit) -> Future[UnitOutput[Any]]:
    # A submit may fork the workers: none of them may see a Ctrl-C before it ignores it.
    with _interrupts_blocked():
        return pool.submit(_work, unit)


def _fork_context() -> Any:  # a multiprocessing context, or None for the default
    """Fork where the platform has it (workers start fast and share the parent's loaded
    dictionaries); elsewhere the default, which pickles the linter to each worker."""
    import multiprocessing  # noqa: PLC0415 - see lint_units

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


# A worker process gets the compiled linter, the renderer and the pipeline once, at start,
# rather than with every unit. This is per-process state of the worker, never of the caller.
_worker: tuple[Linter, Render[object], Pipeline, Stopping] | None = None


def _start_worker(
    linter: Linter, render: Render[object], pipeline: Pipeline, stopping: Stopping
) -> None:
    global _worker  # noqa: PLW0603 - see above
    _worker = (linter, render, pipeline, stopping)
    # Ctrl-C on a terminal reaches every process of the group; the parent stops the batch.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # see _interrupts_blocked


def _work(unit: ReadUnit) -> UnitOutput[object]:
    assert _worker is not None, "worker not started"
    linter, render, pipeline, stopping = _worker
    if stopping.is_set():  # the batch was interrupted: nobody wants this unit's output
        return UnitOutput([], Summary(), 0, unit.ctx.source)
    return process_unit(linter, render, unit, pipeline)


@contextlib.contextmanager
def _interrupts_blocked() -> Iterator[None]:
    """SIGINT held back from this thread (and from processes forked meanwhile, which inherit
    the mask until ``_start_worker`` ignores it); delivered as soon as the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # not on every platform
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C inside the block is raised as ``KeyboardInterrupt`` when the block ends, so
    that what the block writes (one unit's output) is written whole. A second Ctrl-C is
    raised at once. Does nothing outside the main thread, or when the program has its own
    SIGINT handler."""
    on_main_thread = threading.current_thread() is threading.main_thread()
    if not on_main_thread or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    caught: list[int] = []

    def hold(number: int, frame: FrameType | None) -> None:
        if caught:
            raise KeyboardInterrupt
        caught.append(number)

    signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt
