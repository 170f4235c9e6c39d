"""Docs generated from data stay in step with it; the README's commands are the real ones."""

from __future__ import annotations

import re
from pathlib import Path

from replylint import load_packs
from replylint.ruledocs import render

ROOT = Path(__file__).parent.parent


def test_rule_docs_are_generated_from_the_packs() -> None:
    expected = render(load_packs())
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale: run python -m replylint.ruledocs > docs/rules.md"
    )


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:sh|bash|console)\n(.*?)```", quick_start, re.DOTALL)
    lines = [line for block in commands for line in block.strip().splitlines()]
    assert len(lines) == 2, lines
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci
    assert "replylint check corpus/" in lines[0]
