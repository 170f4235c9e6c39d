"""Before and after, interleaved: ``python bench/compare.py BEFORE_TREE AFTER_TREE FILE
[RUNS [WHICH]]`` runs bench/targets.py on FILE with each tree first on PYTHONPATH, alternately,
RUNS times each (the machine's load then weighs on both alike), and prints a Markdown
table of each figure's min and median, with the load average before and after. WHICH
(library, process, cli: comma-separated) limits the figures, as targets.py's own argument.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

TARGETS = Path(__file__).resolve().parent / "targets.py"
# Figures where less is better (times); the others are rates.
LOWER_IS_BETTER = ("_s", "_us")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(tree: str, data: str, which: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": tree}
    command = [sys.executable, str(TARGETS), data, which]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def summary(samples: list[dict[str, float]], name: str) -> str:
    values = [sample[name] for sample in samples]
    best = min(values) if name.endswith(LOWER_IS_BETTER) else max(values)
    return f"{best:.3g} / {statistics.median(values):.3g}"


def main() -> None:
    before_tree, after_tree, data = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    which = sys.argv[5] if len(sys.argv) > 5 else "all"
    load_before = load_average()
    samples: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(runs):
        samples["before"].append(run(before_tree, data, which))
        samples["after"].append(run(after_tree, data, which))
    print(f"load average before / after: {load_before} / {load_average()}; {runs} runs each")  # noqa: T201
    print("\n| figure | before (best / median) | after (best / median) |")  # noqa: T201
    print("|---|---|---|")  # noqa: T201
    for name in samples["after"][0]:
        before, after = summary(samples["before"], name), summary(samples["after"], name)
        print(f"| {name} | {before} | {after} |")  # noqa: T201
    print("\nraw:", json.dumps(samples))  # noqa: T201


if __name__ == "__main__":
    main()
