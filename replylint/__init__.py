"""replylint: offline, rule-based response-quality linter for Chinese service transcripts.

>>> import replylint
>>> linter = replylint.Linter(replylint.load_packs())
>>> [f.rule for f in linter.lint("这个我不知道，不清楚。")]
['FP005']
"""

from __future__ import annotations

from functools import cache

from replylint.engine import Linter
from replylint.kinds import Rule
from replylint.kinds.metadata import PROFILES
from replylint.model import (
    Annotations,
    Finding,
    ReadError,
    ReadErrorKind,
    Role,
    Severity,
    Tag,
    Transcript,
    Turn,
)
from replylint.packs import PackError, load_packs
from replylint.readers import Limits, parse_text, read_path, read_paths
from replylint.redact import PersonalData, find_personal_data, redact
from replylint.run.config import ConfigError, Settings, load_settings
from replylint.run.evaluation import evaluate
from replylint.run.options import Options

__version__ = "0.1.0"

PACKS = ("forbidden-phrases", "blame-shifting", "missing-apology", "no-time-commitment")


@cache
def default_linter() -> Linter:
    """A linter with every bundled pack, compiled once per process and never mutated."""
    return Linter(load_packs())


def lint(transcript: Transcript | str) -> list[Finding]:
    """Lint one transcript (or one agent reply as a string) with the bundled packs."""
    return default_linter().lint(transcript)


def annotate(transcript: Transcript) -> Annotations:
    """Findings and tags (topics, customer types) of one transcript, with the bundled packs."""
    return default_linter().annotate(transcript)


__all__ = [
    "PACKS",
    "PROFILES",
    "Annotations",
    "ConfigError",
    "Finding",
    "Limits",
    "Linter",
    "Options",
    "PackError",
    "PersonalData",
    "ReadError",
    "ReadErrorKind",
    "Role",
    "Rule",
    "Settings",
    "Severity",
    "Tag",
    "Transcript",
    "Turn",
    "annotate",
    "default_linter",
    "evaluate",
    "find_personal_data",
    "lint",
    "load_packs",
    "load_settings",
    "parse_text",
    "read_path",
    "read_paths",
    "redact",
]
