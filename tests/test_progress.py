"""The progress line, seen as a person sees it: stderr on a (pseudo-)terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).parent.parent


def run_with_terminal_stderr(*args: str) -> tuple[int, str, str]:
    """Run replylint with stderr on a pseudo-terminal; stdout stays a pipe."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "replylint", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "COLUMNS": "120"},
    )
    os.close(slave)
    # Drain stdout meanwhile: a jsonl report outgrows the pipe's buffer, and a child blocked
    # on a full stdout would never close the terminal read here until the end.
    pipe, out = process.stdout, []
    assert pipe is not None
    reader = threading.Thread(target=lambda: out.append(pipe.read()))
    reader.start()
    terminal = read_terminal(master)
    reader.join()
    stdout = b"".join(out).decode()
    code = process.wait()
    os.close(master)
    return code, stdout, terminal


def read_terminal(master: int, until: str | None = None) -> str:
    """What the terminal shows, read until ``until`` appears or the program closes it."""
    seen = b""
    while until is None or until.encode() not in seen:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the program closed its end
            break
        if not chunk:
            break
        seen += chunk
    return seen.decode("utf-8", "replace")


def without_terminal(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "replylint", *args], cwd=ROOT, capture_output=True, check=False
    ).stdout.decode()


def test_a_terminal_sees_progress_with_rate_share_and_eta() -> None:
    code, stdout, terminal = run_with_terminal_stderr("check", "-f", "jsonl", "corpus")
    assert code == 1
    assert stdout == without_terminal("check", "-f", "jsonl", "corpus")  # progress stays off stdout
    progress = [part for part in terminal.split("\r") if "ETA" in part]
    assert progress  # redrawn in place with carriage returns
    assert all(" calls, " in p and "/s, " in p and "%, ETA " in p for p in progress)
    assert "100%, ETA 0 s" in terminal
    summary = terminal.rstrip().splitlines()[-1]
    total = re.search(r"in \d+ of (\d+) transcripts", summary)
    assert total is not None
    assert f"linted {total[1]} calls in " in terminal  # the timing line, after the progress
    assert summary.endswith("input errors")  # jsonl puts the summary on stderr, last
    assert "ETA" not in summary


def test_quiet_shows_no_progress_even_on_a_terminal() -> None:
    code, _, terminal = run_with_terminal_stderr("check", "-f", "jsonl", "--quiet", "corpus")
    assert code == 1
    assert "ETA" not in terminal
    assert "linted" not in terminal
    *by, totals = terminal.strip().splitlines()  # the summary only
    assert by[0].startswith("by pack: ")
    assert all(line.startswith("by ") for line in by)  # and by topic, by customer type
    assert totals.endswith("input errors")
