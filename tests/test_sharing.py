"""One compiled linter, shared: by threads, and by processes (pickled to spawned ones,
inherited by forked ones). Every way gives exactly the findings of linting in sequence.

The linters here are fresh: jieba (for FP011's word boundaries) is not loaded yet, so the
threads race to load it, and each process loads its own.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from replylint import Finding, Linter, Transcript, load_packs, read_path
from replylint.text.segment import Segmenter
from tests.conftest import CONTRACT_RULES, dialogue

ROOT = Path(__file__).parent.parent
THREADS = 8
ROUNDS = 6

# Word boundaries decide these: 没有用 is a finding, 没有用电 is not.
BOUNDARY_CALLS = (
    dialogue(("agent", "您跟我在这里叫没有用，我也没办法。"), transcript_id="useless"),
    dialogue(("agent", "您家这个月没有用电，所以电费是零。"), transcript_id="no-power-used"),
)


def corpus() -> list[Transcript]:
    calls = [item for item in read_path(ROOT / "corpus") if isinstance(item, Transcript)]
    return [*calls, *BOUNDARY_CALLS]


def lint_each(linter: Linter, transcripts: Sequence[Transcript]) -> list[list[Finding]]:
    return [linter.lint(transcript) for transcript in transcripts]


def lint_rounds(linter: Linter, transcripts: Sequence[Transcript]) -> list[list[list[Finding]]]:
    """Each round one way or the other: a call at a time, or as one batch."""
    return [
        lint_each(linter, transcripts) if number % 2 else linter.lint_batch(transcripts)
        for number in range(ROUNDS)
    ]


@pytest.fixture(scope="module")
def transcripts() -> list[Transcript]:
    return corpus()


@pytest.fixture(scope="module")
def expected(transcripts: list[Transcript]) -> list[list[Finding]]:
    findings = lint_each(Linter(load_packs()), transcripts)
    by_call = dict(zip((t.id for t in transcripts), findings, strict=True))
    forbidden = [f.rule for f in by_call["useless"] if f.pack == "forbidden-phrases"]
    assert forbidden == ["FP011"]
    assert [f for f in by_call["no-power-used"] if f.pack == "forbidden-phrases"] == []
    assert sum(map(len, findings)) > 80  # the corpus's findings, and more
    return findings


@pytest.mark.parametrize("segmenter", ["jieba", "rjieba"])
def test_one_linter_shared_by_eight_threads_gives_the_sequential_findings(
    transcripts: list[Transcript], expected: list[list[Finding]], segmenter: Segmenter
) -> None:
    shared = Linter(load_packs(), segmenter=segmenter)
    start = threading.Barrier(THREADS)

    def work(_: int) -> list[list[list[Finding]]]:
        start.wait()  # all at once, to race for the segmenter's dictionary
        return lint_rounds(shared, transcripts)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))
    assert results == [[expected] * ROUNDS] * THREADS


def test_threads_racing_for_the_dictionary_load_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import replylint.text.segment  # noqa: PLC0415 - patched below

    loads: list[int] = []
    load = replylint.text.segment._load_jieba

    def slow_load() -> Callable[[str], list[str]]:
        loads.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every other thread to reach the lock
        return load()

    monkeypatch.setattr(replylint.text.segment, "_load_jieba", slow_load)
    shared = Linter(CONTRACT_RULES, segmenter="jieba")  # a reply: no etiquette to check
    start = threading.Barrier(THREADS)

    def work(_: int) -> list[Finding]:
        start.wait()
        return shared.lint(BOUNDARY_CALLS[0])

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))
    assert len(loads) == 1
    assert [[f.rule for f in found] for found in results] == [["FP011"]] * THREADS


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_one_linter_shared_by_processes_gives_the_sequential_findings(
    transcripts: list[Transcript], expected: list[list[Finding]], start_method: str
) -> None:
    shared = Linter(load_packs())
    context = multiprocessing.get_context(start_method)
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        results = list(pool.map(lint_rounds, [shared] * 4, [transcripts] * 4))
    assert results == [[expected] * ROUNDS] * 4
    assert lint_each(shared, transcripts) == expected  # the parent's copy still works
