from __future__ import annotations

from collections.abc import Callable

import pytest

from replylint import Linter, Role, Transcript, Turn, load_packs
from replylint.rules import Rule


@pytest.fixture(scope="session")
def rules() -> tuple[Rule, ...]:
    return load_packs()


@pytest.fixture(scope="session")
def linter(rules: tuple[Rule, ...]) -> Linter:
    return Linter(rules)


@pytest.fixture(scope="session")
def reference_linter(rules: tuple[Rule, ...]) -> Linter:
    return Linter(rules, reference=True)


def dialogue(*turns: tuple[str, str], transcript_id: str = "t") -> Transcript:
    """A transcript from (role, text) pairs: dialogue(("customer", "..."), ("agent", "..."))."""
    return Transcript(transcript_id, tuple(Turn(Role(role), text) for role, text in turns))


@pytest.fixture
def codes(linter: Linter) -> Callable[..., list[tuple[int, str, str]]]:
    """(turn, rule, text) of every finding in a dialogue given as (role, text) pairs."""

    def run(*turns: tuple[str, str]) -> list[tuple[int, str, str]]:
        return [(f.turn, f.rule, f.text) for f in linter.lint(dialogue(*turns))]

    return run
