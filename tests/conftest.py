from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from replylint import PACKS, Linter, Role, Transcript, Turn, load_packs
from replylint.kinds import Rule
from replylint.packs import PackError

# One hypothesis profile for every run. The README's test command is the one CI runs, so a
# local run keeps CI's example counts (each test's own max_examples, or hypothesis' 100). No
# deadline: a test never asserts a timing, and on a machine shared by parallel workers any
# per-example deadline would fail by chance.
settings.register_profile("replylint", deadline=None)
settings.load_profile("replylint")

# The four contract packs. Tests that read as the spec of a rule's behaviour on a few made-up
# turns lint with these only: the call-level packs of issue #6 (a greeting in the first agent
# turn, a goodbye in the last) would add findings to every such snippet.
CONTRACT_RULES = load_packs(packs=list(PACKS))
CONTRACT_ARGS = tuple(arg for pack in PACKS for arg in ("--pack", pack))  # the same, for the CLI


@pytest.fixture(scope="session")
def rules() -> tuple[Rule, ...]:
    return load_packs()


@pytest.fixture(scope="session")
def linter(rules: tuple[Rule, ...]) -> Linter:
    return Linter(rules)


@pytest.fixture(scope="session")
def contract_linter() -> Linter:
    return Linter(CONTRACT_RULES)


@pytest.fixture(scope="session")
def reference_linter(rules: tuple[Rule, ...]) -> Linter:
    return Linter(rules, reference=True)


def dialogue(*turns: tuple[str, str], transcript_id: str = "t") -> Transcript:
    """A transcript from (role, text) pairs: dialogue(("customer", "..."), ("agent", "..."))."""
    return Transcript(transcript_id, tuple(Turn(Role(role), text) for role, text in turns))


@pytest.fixture
def codes(contract_linter: Linter) -> Callable[..., list[tuple[int, str, str]]]:
    """(turn, rule, text) of every finding of the contract packs in a dialogue given as
    (role, text) pairs."""

    def run(*turns: tuple[str, str]) -> list[tuple[int, str, str]]:
        return [(f.turn, f.rule, f.text) for f in contract_linter.lint(dialogue(*turns))]

    return run


@pytest.fixture(scope="session")
def rule_codes(rules: tuple[Rule, ...]) -> set[str]:
    """Every bundled rule's code."""
    return {rule.info.code for rule in rules}


def load_rule_text(folder: Path, text: str) -> tuple[Rule, ...]:
    """The rules of one rule file written as ``text`` in a pack under ``folder``."""
    (folder / "p").mkdir()
    (folder / "p" / "r.toml").write_text(text, encoding="utf-8")
    return load_packs([folder])


def load_problems(folder: Path, text: str) -> list[str]:
    """What loading one rule file written as ``text`` reports, without the file's name."""
    with pytest.raises(PackError) as error:
        load_rule_text(folder, text)
    return [problem.split("]: ", 1)[1] for problem in error.value.problems]
