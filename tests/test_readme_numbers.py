"""Every number the README states about `replylint check corpus/` is what a real run gives."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from replylint import load_packs
from replylint.cli import app

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "corpus"

# The Quick start's sentence on the first command, which may wrap anywhere.
SENTENCE = (
    r"The first command runs the (?P<rules>[\d,]+) rules of the (?P<packs>\d+) bundled"
    r" packs and prints (?P<findings>[\d,]+) findings in (?P<flagged>[\d,]+) of the"
    r" (?P<calls>[\d,]+) sample calls \((?P<samples>[\d,]+) sample calls and the"
    r" (?P<dialogues>[\d,]+) dialogues of the evaluation set, `corpus/eval/`\) and"
    r" exits with code (?P<code>\d)"
)
CLAIM = re.compile(r"\s+".join(SENTENCE.split(" ")))


def stated() -> dict[str, int]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    claim = CLAIM.search(readme)
    assert claim is not None, "the Quick start no longer says what check corpus/ prints"
    return {name: int(value.replace(",", "")) for name, value in claim.groupdict().items()}


@pytest.fixture(scope="module")
def corpus_run() -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, ["check", str(CORPUS), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_the_quick_start_states_the_real_run_of_check_corpus(
    corpus_run: tuple[int, dict[str, Any]],
) -> None:
    code, report = corpus_run
    summary = report["summary"]
    in_eval = sum(Path(c["file"]).is_relative_to(CORPUS / "eval") for c in report["transcripts"])
    rules = load_packs()  # what check loads when no pack is named
    assert stated() == {
        "rules": len(rules),
        "packs": len({rule.info.pack for rule in rules}),
        "findings": summary["findings"],
        "flagged": summary["flagged_transcripts"],
        "calls": summary["transcripts"],
        "samples": summary["transcripts"] - in_eval,
        "dialogues": in_eval,
        "code": code,
    }
