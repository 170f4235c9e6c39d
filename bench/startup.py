"""Start-up costs, each in fresh processes, median (and min) of N runs.

    python bench/startup.py [--runs 5]

- ``import replylint``: the wall time of ``python -c "import replylint"`` less that of
  ``python -c pass`` (the interpreter's own start);
- first fold: the first ``fold()`` of a process (the fold table built or read), timed in it;
- the first reply needing segmentation (a rule checks word boundaries), timed in the
  process: cold, and after ``Linter.prepare()`` (timed too), and a second reply (warm);
- ``replylint check one.json``: the wall time of the whole command on a one-call file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_FIRST_FOLD = """
import time
from replylint.text.normalize import fold
start = time.perf_counter()
fold("您好，請問有什麼可以幫您？")
print(time.perf_counter() - start)
"""

_FIRST_SEGMENTATION = """
import time
import replylint
linter = replylint.Linter(replylint.load_packs(packs=["forbidden-phrases"]))
reply = "这个问题您跟我在这里叫没有用，我也没办法。"
start = time.perf_counter()
{prepare}
prepared = time.perf_counter()
linter.lint(reply)
first = time.perf_counter()
linter.lint(reply)
print(prepared - start, first - prepared, time.perf_counter() - first)
"""


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def _inside(code: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return [float(value) for value in done.stdout.split()]


def _figure(runs: int, measure: Callable[[], float]) -> tuple[float, float]:
    values = [measure() for _ in range(runs)]
    return statistics.median(values), min(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    one = {"id": "one", "turns": [{"role": "agent", "text": "这个我不知道，不清楚。"}]}
    with tempfile.TemporaryDirectory() as folder:
        one_file = Path(folder) / "one.json"
        one_file.write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
        python = _figure(runs, lambda: _wall([sys.executable, "-c", "pass"]))
        figures = {
            "python -c pass": python,
            "import replylint (less python -c pass)": _figure(
                runs,
                lambda: _wall([sys.executable, "-c", "import replylint"]) - python[0],
            ),
            "first fold": _figure(runs, lambda: _inside(_FIRST_FOLD)[0]),
            "first reply needing segmentation, cold": _figure(
                runs, lambda: _inside(_FIRST_SEGMENTATION.format(prepare=""))[1]
            ),
            "Linter.prepare()": _figure(
                runs, lambda: _inside(_FIRST_SEGMENTATION.format(prepare="linter.prepare()"))[0]
            ),
            "first reply needing segmentation, prepared": _figure(
                runs, lambda: _inside(_FIRST_SEGMENTATION.format(prepare="linter.prepare()"))[1]
            ),
            "a reply needing segmentation, warm": _figure(
                runs, lambda: _inside(_FIRST_SEGMENTATION.format(prepare=""))[2]
            ),
            "replylint check one.json": _figure(
                runs,
                lambda: _wall([sys.executable, "-m", "replylint", "check", str(one_file)]),
            ),
        }
    for name, (median, least) in figures.items():
        sys.stdout.write(f"{name:45} median {median * 1000:8.1f} ms   min {least * 1000:8.1f} ms\n")


if __name__ == "__main__":
    main()
