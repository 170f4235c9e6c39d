"""replylint against textlint + textlint-rule-prh on one reply per call (issue 17):
``python bench/textlint_bench.py FILE.jsonl [RUNS]`` after ``npm install`` in
bench/textlint/.

Both get the same text: the first agent reply of each call of FILE. textlint gets them as
one plain-text file, a paragraph a reply, and a prh dictionary of the literal phrases of
every agent phrase rule (the ``phrase`` kind: forbidden phrases, blame, jargon, ...);
replylint gets them as one call a reply, with every bundled pack (the default), which
covers those phrases and much more. Both run as whole processes with JSON output to a
pipe, alternately, RUNS times; the figures are characters a second, best and median, by
wall time and by CPU time (user + system: what a loaded machine distorts least).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from replylint import Role, Transcript, load_packs, read_path
from replylint.kinds.phrase import PhraseRule

TEXTLINT = Path(__file__).resolve().parent / "textlint"


def replies(path: Path) -> list[str]:
    """The first agent reply of each call, on one line (a paragraph is one reply)."""
    found = []
    for call in read_path(path):
        if isinstance(call, Transcript):
            agent = [turn.text for turn in call.turns if turn.role is Role.AGENT and turn.text]
            if agent:
                found.append(" ".join(agent[0].split()))
    return found


def agent_phrases() -> list[str]:
    phrases = {
        phrase
        for rule in load_packs()
        if isinstance(rule, PhraseRule) and Role.AGENT in rule.roles
        for phrase in rule.phrases
    }
    return sorted(phrases)


def prh_dictionary(phrases: list[str]) -> str:
    """prh's YAML: every phrase reported (its expected form is never written)."""
    lines = ["version: 1", "rules:"]
    for phrase in phrases:
        lines += [f"  - expected: {json.dumps('〔' + phrase + '〕', ensure_ascii=False)}"]
        lines += [f"    pattern: {json.dumps(phrase, ensure_ascii=False)}"]
    return "\n".join(lines) + "\n"


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of a command, its children's user and system time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    source = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    texts = replies(source)
    phrases = agent_phrases()
    characters = sum(map(len, texts))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "replies.txt").write_text("\n\n".join(texts) + "\n", encoding="utf-8")
        (folder / "prh.yml").write_text(prh_dictionary(phrases), encoding="utf-8")
        config = {"rules": {"prh": {"rulePaths": [str(folder / "prh.yml")]}}}
        (folder / "textlintrc.json").write_text(json.dumps(config), encoding="utf-8")
        calls = folder / "replies.jsonl"
        with calls.open("w", encoding="utf-8") as file:
            for number, text in enumerate(texts):
                call = {"id": f"r{number}", "turns": [{"role": "agent", "text": text}]}
                file.write(json.dumps(call, ensure_ascii=False) + "\n")
        textlint = [
            str(TEXTLINT / "node_modules" / ".bin" / "textlint"),
            "--config",
            str(folder / "textlintrc.json"),
            "--format",
            "json",
            str(folder / "replies.txt"),
        ]
        replylint = [sys.executable, "-m", "replylint", "check", "-f", "jsonl", "-j", "1"]
        replylint.append(str(calls))
        seconds: dict[str, list[float]] = {}
        for _ in range(runs):
            # From the temporary folder: replylint then comes from PYTHONPATH, not a checkout.
            for name, command, cwd in (
                ("textlint", textlint, TEXTLINT),
                ("replylint", replylint, folder),
            ):
                wall, cpu = timed(command, cwd)
                seconds.setdefault(f"{name}_wall", []).append(wall)
                seconds.setdefault(f"{name}_cpu", []).append(cpu)
    report = {
        "replies": len(texts),
        "characters": characters,
        "phrases": len(phrases),
        **{
            f"{name}_mchars_s_best_median": [
                characters / min(times) / 1e6,
                characters / statistics.median(times) / 1e6,
            ]
            for name, times in seconds.items()
        },
        "seconds": seconds,
    }
    print(json.dumps(report, ensure_ascii=False))  # noqa: T201 - a script's report


if __name__ == "__main__":
    main()
