"""Issue 17's targets, measured on the code first on ``PYTHONPATH``: ``python
bench/targets.py FILE.jsonl``. Prints one JSON line of figures. It uses the public API
only, so that the same script measures an older tree (before/after runs interleaved by
``bench/compare.py``).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ahocorasick

from replylint import PACKS, Linter, Transcript, load_packs, read_path
from replylint.kinds.phrase import PhraseRule
from replylint.kinds.response import ResponseRule

REPLIES = (
    "您好，请问有什么可以帮您？",
    "好的，我帮您查询一下，请稍等。",
    "这个问题我帮您上报，两个工作日内给您回复。",
    "这个我不知道，不清楚。",
    "您跟我在这里叫没有用。",
    "非常抱歉给您带来不便，师傅四十分钟内到达。",
)


def cpu_seconds(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def library(linter: Linter, calls: list[Transcript], chars: int) -> float:
    """M chars/s of ``lint_many`` over calls in memory, by CPU time (the process's own)."""
    linter.lint("您说没有用电")  # the segmenter loaded: start-up is measured apart
    return chars / cpu_seconds(lambda: sum(map(len, linter.lint_many(calls)))) / 1e6


def bare_scan(calls: list[Transcript], chars: int) -> float:
    """The limit: parsing aside, one pyahocorasick pass per turn with the packs' phrases."""
    automaton = ahocorasick.Automaton()
    for rule in load_packs():
        if isinstance(rule, PhraseRule):
            phrases = {*rule.phrases, *rule.exceptions}
        elif isinstance(rule, ResponseRule):
            phrases = {*rule.triggers, *rule.trigger_exceptions, *rule.responses}
        else:
            continue
        for phrase in phrases:
            automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    texts = [turn.text for call in calls for turn in call.turns]
    return chars / cpu_seconds(lambda: [sum(1 for _ in automaton.iter(t)) for t in texts]) / 1e6


def naive(calls: list[Transcript]) -> float:
    """Convert to simplified, jieba, one regex a phrase: M chars/s on a slice."""
    import re  # noqa: PLC0415

    import jieba  # noqa: PLC0415
    import opencc  # noqa: PLC0415

    converter = opencc.OpenCC("t2s")
    jieba.setLogLevel(60)
    jieba.initialize()
    phrases = set()
    for rule in load_packs():
        if isinstance(rule, PhraseRule):
            phrases |= {*rule.phrases, *rule.exceptions}
    patterns = [re.compile(re.escape(p)) for p in sorted(phrases)]
    texts = [turn.text for call in calls[:300] for turn in call.turns]

    def run() -> None:
        for text in texts:
            simplified = converter.convert(text)
            jieba.lcut(simplified)
            sum(1 for pattern in patterns if pattern.search(simplified))

    return sum(map(len, texts)) / cpu_seconds(run) / 1e6


def reply_latency(linter: Linter) -> tuple[float, float]:
    for reply in REPLIES * 50:
        linter.lint(reply)
    samples = []
    for i in range(20_000):
        start = time.thread_time_ns()  # CPU time: a loaded machine's waits left out
        linter.lint(REPLIES[i % len(REPLIES)])
        samples.append((time.thread_time_ns() - start) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)]


def process(*args: str) -> tuple[float, float]:
    """(wall, CPU) seconds of a fresh interpreter running ``args``, from a folder of its
    own: run from a checkout, ``-c`` and ``-m`` would import the checkout's replylint
    before the one on PYTHONPATH. CPU time (user + system, children included) is what a
    loaded machine distorts least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as elsewhere:
        # A check exits 1 when it finds something: the status is not the measurement.
        subprocess.run([sys.executable, *args], capture_output=True, check=False, cwd=elsewhere)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def timed(figures: dict[str, float], name: str, seconds: tuple[float, float]) -> None:
    figures[f"{name}_s"], figures[f"{name}_cpu_s"] = seconds


def main() -> None:
    path = Path(sys.argv[1])
    which = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else {"all"}
    every = "all" in which
    figures: dict[str, float] = {}
    if every or "library" in which:
        calls = [c for c in read_path(path) if isinstance(c, Transcript)]
        chars = sum(len(turn.text) for call in calls for turn in call.turns)
        linter = Linter(load_packs())
        figures["library_all"] = library(linter, calls, chars)
        figures["library_core"] = library(Linter(load_packs(packs=PACKS)), calls, chars)
        figures["bare_scan"] = bare_scan(calls, chars)
        figures["naive"] = naive(calls)
        figures["reply_p50_us"], figures["reply_p99_us"] = reply_latency(linter)
    if every or "process" in which:
        with tempfile.TemporaryDirectory() as tmp:
            one = Path(tmp) / "one.json"
            turn = {"role": "agent", "text": REPLIES[0]}
            one.write_text(json.dumps({"id": "one", "turns": [turn]}, ensure_ascii=False))
            timed(figures, "cold_start", process("-m", "replylint", "check", str(one)))
        timed(figures, "import", process("-c", "import replylint"))
        timed(figures, "python", process("-c", "pass"))
    if every or "cli" in which:
        for jobs in ("1", "2"):
            run = process(
                "-m", "replylint", "check", "-f", "jsonl", "-j", jobs, str(path.resolve())
            )
            timed(figures, f"cli_jobs{jobs}", run)
    print(json.dumps(figures))  # noqa: T201 - a command-line script's report


if __name__ == "__main__":
    main()
