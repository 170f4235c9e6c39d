"""docs/quality-before.json: the evaluation set scored with replylint as it was before the
detection work (issue 14), so that docs/quality.md can show then beside now.

    git worktree add --detach ../before 6b53f01
    python tools/make_quality_before.py ../before

Runs the old checkout's ``check`` on each part of corpus/eval (every bundled pack, default
settings) and scores its findings with today's ``replylint eval`` on today's labels. Only
figures are kept: the confusion lines (the frozen part's words) are dropped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("dev", "frozen")


def old_findings(before: Path, part: Path) -> str:
    environment = {**os.environ, "PYTHONPATH": str(before)}
    command = [sys.executable, "-m", "replylint", "check", str(part), "--format", "jsonl"]
    run = subprocess.run(
        command, check=False, cwd=before, env=environment, capture_output=True, text=True
    )
    if run.returncode not in (0, 1):
        raise SystemExit(f"the old check failed on {part}: {run.stderr}")
    return run.stdout


def figures(part: Path, findings: str, commit: str) -> dict[str, object]:
    findings_file = ROOT / "build" / f"before-{part.name}.jsonl"
    findings_file.parent.mkdir(exist_ok=True)
    findings_file.write_text(findings, encoding="utf-8")
    command = [sys.executable, "-m", "replylint", "eval", str(part)]
    command += ["--findings", str(findings_file), "--format", "json"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    scored: dict[str, object] = json.loads(run.stdout)
    scored.pop("confusions", None)
    scored["made_with"] = (
        f"replylint {commit} (main before issue 14), all bundled packs, default settings: "
        f"replylint check corpus/eval/{part.name} --format jsonl, scored with "
        f"replylint eval corpus/eval/{part.name} --findings"
    )
    return scored


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "replylint").is_dir():
        raise SystemExit("usage: python tools/make_quality_before.py CHECKOUT (of 6b53f01)")
    before = Path(argv[0]).resolve()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=before,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    result = {}
    for name in PARTS:
        part = ROOT / "corpus" / "eval" / name
        result[name] = figures(part, old_findings(before, part), commit)
    target = ROOT / "docs" / "quality-before.json"
    target.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
