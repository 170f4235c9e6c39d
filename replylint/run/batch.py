"""Lint many inputs, in this process or in worker processes, always in input order.

Input is split into read units (see ``readers.read_units``); a unit is read, taken through
the pipeline and rendered where it is processed (see `process_unit`), so a worker sends
back only rendered output and counts.
At most a few units per worker are in flight: memory does not grow with the input. The
output does not depend on ``jobs``: the same units, processed the same way, in order.

Ctrl-C is the main process's to handle: workers ignore SIGINT (a terminal sends it to the
whole process group), and a batch that is interrupted, or closed early, cancels the units
not yet started and waits for the workers to exit (see ``lint_units``). ``interrupts_held``
lets the caller write one unit's output whole before an interrupt is raised. SIGTERM
(``timeout``, a cancelled CI job) is stopped the same way inside ``terminate_as_interrupt``:
it is raised as `Terminated`, a ``KeyboardInterrupt``. A worker that dies (killed, out of
memory) breaks its pool: the units the pool held are linted again, each alone, and a new
pool takes the rest (see ``_take``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Final, TypeVar

from replylint.engine import Linter
from replylint.model import ReadError, ReadErrorKind
from replylint.readers import ReadUnit
from replylint.run.pipeline import DEFAULT_PIPELINE, Pipeline, Render, UnitOutput, process_unit
from replylint.run.result import EXIT_INTERRUPTED, EXIT_TERMINATED, Summary

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.synchronize import Event as Stopping
    from types import FrameType

R = TypeVar("R")

# Units in flight per worker: enough to keep every worker busy while the main process
# writes, few enough that memory stays flat.
_IN_FLIGHT_PER_WORKER = 3


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so that a run stops as it does on Ctrl-C."""


def stopped_exit_code(stop: KeyboardInterrupt) -> int:
    """A stopped run's exit code: 143 for SIGTERM, 130 for Ctrl-C (128 + the signal)."""
    return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED


MAX_JOBS = 256  # more workers would each fork, and hold units in flight, for nothing


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
    start = partial(
        ProcessPoolExecutor,
        mp_context=context,
        initializer=_start_worker,
        initargs=(linter, render, pipeline, stopping),
    )
    pools = _Pools(start, jobs)
    try:
        yield from _in_order(pools, chain(first_two, units), jobs)
    except BaseException:  # Ctrl-C, or the caller closing the batch early
        stopping.set()  # the units already handed to workers are skipped
        pools.shutdown(cancel=True)
        raise
    pools.shutdown(cancel=False)


def _in_order(pools: _Pools, units: Iterator[ReadUnit], jobs: int) -> Iterator[UnitOutput[R]]:
    """Each unit's output in input order, with at most a few units per worker in flight.

    When it is interrupted, ``lint_units`` cancels the units not yet handed out, tells the
    workers to skip the ones they were handed, and lets each finish the unit it is linting
    (killing one mid-unit could leave the pool's pipe half-written and the pool hanging):
    stopping takes at most as long as linting one unit.
    """
    pending: deque[tuple[ReadUnit, Future[UnitOutput[Any]]]] = deque()
    for unit in units:
        pending.append((unit, pools.submit(unit)))
        if len(pending) >= jobs * _IN_FLIGHT_PER_WORKER:
            yield from _take(pools, pending)
    while pending:
        yield from _take(pools, pending)


def _take(
    pools: _Pools, pending: deque[tuple[ReadUnit, Future[UnitOutput[Any]]]]
) -> Iterator[UnitOutput[Any]]:
    """The first pending unit's output. Should a worker have died (killed, out of memory),
    the pool is broken: every unit it held is linted again, each alone in a worker of its
    own (`_Pools.alone`), in order, and a new pool takes the rest."""
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415 - see lint_units

    try:
        output = pending[0][1].result()
    except BrokenProcessPool:
        held = list(pending)
        pending.clear()
        pools.restart()
        for unit, future in held:
            done = _result_if_done(future)
            yield pools.alone(unit) if done is None else done
        return
    pending.popleft()
    yield output


def _result_if_done(future: Future[UnitOutput[Any]]) -> UnitOutput[Any] | None:
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return None


class _Pools:
    """The batch's pool of workers, started again should one die, and a pool of one worker
    in which the units a broken pool held are linted again, one at a time: a unit that
    kills its worker again is reported as lost (`lost_unit`), and the others are linted."""

    def __init__(self, start: Callable[[int], ProcessPoolExecutor], jobs: int) -> None:
        self._start = start
        self._jobs = jobs
        self._pool = start(jobs)
        self._alone: ProcessPoolExecutor | None = None

    def submit(self, unit: ReadUnit) -> Future[UnitOutput[Any]]:
        return _submit(self._pool, unit)

    def restart(self) -> None:
        self._pool.shutdown(wait=True)
        self._pool = self._start(self._jobs)

    def alone(self, unit: ReadUnit) -> UnitOutput[Any]:
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        if self._alone is None:
            self._alone = self._start(1)
        try:
            return _submit(self._alone, unit).result()
        except BrokenProcessPool:
            self._alone.shutdown(wait=True)
            self._alone = None
            return lost_unit(unit)

    def shutdown(self, *, cancel: bool) -> None:
        for pool in (self._pool, self._alone):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=cancel)


def lost_unit(unit: ReadUnit) -> UnitOutput[Any]:
    """The output of a unit whose worker died twice linting it: one error naming it."""
    message = (
        "the worker process linting the calls from here on ended (killed, or out of "
        "memory?), again when tried alone: they are not linted"
    )
    line = getattr(unit, "first_line", None)
    error = ReadError(unit.ctx.source, line, message, ReadErrorKind.WORKER_LOST)
    return UnitOutput([error], Summary(errors=1), unit.size, unit.ctx.source)


def _submit(pool: ProcessPoolExecutor, unit: ReadUnit) -> Future[UnitOutput[Any]]:
    """The unit handed to the pool; a pool already broken gives a future that says so."""
    from concurrent.futures import Future  # noqa: PLC0415 - see lint_units
    from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

    # A submit may fork the workers: none of them may see a Ctrl-C before it ignores it.
    with _interrupts_blocked():
        try:
            return pool.submit(_work, unit)
        except BrokenProcessPool as broken:
            failed: Future[UnitOutput[Any]] = Future()
            failed.set_exception(broken)
            return failed


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
    signal.signal(signal.SIGTERM, _worker_terminated)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # see _interrupts_blocked


def _work(unit: ReadUnit) -> UnitOutput[object]:
    assert _worker is not None, "worker not started"
    linter, render, pipeline, stopping = _worker
    if stopping.is_set():  # the batch was interrupted: nobody wants this unit's output
        return UnitOutput([], Summary(), 0, unit.ctx.source)
    _terms.append(_IN_UNIT)
    try:
        return process_unit(linter, render, unit, pipeline)
    finally:
        if _terms.pop() is not _IN_UNIT:  # SIGTERM came while linting: see _worker_terminated
            os._exit(_EXIT_TERMINATED)


# In a worker, SIGTERM (``timeout`` signals the whole group; a broken pool terminates its
# workers) ends the process between units, never while it writes a result to the pool's
# pipe, which would leave the pool waiting forever: at once when idle, after its unit when
# linting one.
_IN_UNIT: Final = object()
_terms: list[object] = []
_EXIT_TERMINATED: Final = 128 + signal.SIGTERM


def _worker_terminated(number: int, frame: FrameType | None) -> None:
    if not _terms:
        os._exit(_EXIT_TERMINATED)
    _terms[-1] = number


@contextlib.contextmanager
def _interrupts_blocked() -> Iterator[None]:
    """SIGINT and SIGTERM held back from this thread (and from processes forked meanwhile,
    which inherit the mask until ``_start_worker`` sets their own handling); delivered as
    soon as the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # not on every platform
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _raise_terminated(number: int, frame: FrameType | None) -> None:
    raise Terminated


# The signals that stop a run, with the handler that raises each and what it raises.
_STOPS: Final = {signal.SIGINT, signal.SIGTERM}
_RAISERS: Final[dict[int, tuple[object, type[KeyboardInterrupt]]]] = {
    signal.SIGINT: (signal.default_int_handler, KeyboardInterrupt),
    signal.SIGTERM: (_raise_terminated, Terminated),
}


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM inside the block raised as `Terminated`: the run stops its workers and keeps
    its output whole, as on Ctrl-C. Does nothing outside the main thread, or when the
    program has its own SIGTERM handler."""
    if not _on_main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C (or SIGTERM inside ``terminate_as_interrupt``) inside the block is raised when
    the block ends, so that what the block writes (one unit's output) is written whole. A
    second one is raised at once. Does nothing outside the main thread, or for a signal
    the program has its own handler for."""
    held = [n for n, (raiser, _) in _RAISERS.items() if signal.getsignal(n) is raiser]
    if not _on_main_thread() or not held:
        yield
        return
    caught: list[int] = []

    def hold(number: int, frame: FrameType | None) -> None:
        if caught:
            raise _RAISERS[number][1]
        caught.append(number)

    previous = {number: signal.signal(number, hold) for number in held}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if caught:
        raise _RAISERS[caught[0]][1]
