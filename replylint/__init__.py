"""replylint: offline, rule-based response-quality linter for Chinese service transcripts.

>>> import replylint
>>> linter = replylint.Linter(replylint.load_packs())
>>> [f.rule for f in linter.lint("这个我不知道，不清楚。")]
['FP005']

The names below are imported on first use (PEP 562): ``import replylint`` alone costs
a few milliseconds, and a program pays for the engine, the readers or the settings only
when it touches them.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# Where each public name lives: imported from there on first use.
_LAZY = {
    "Linter": "replylint.engine",
    "Rule": "replylint.kinds",
    "PROFILES": "replylint.kinds.metadata",
    **dict.fromkeys(
        (
            "Annotations",
            "Finding",
            "ReadError",
            "ReadErrorKind",
            "Role",
            "Severity",
            "Tag",
            "Transcript",
            "Turn",
        ),
        "replylint.model",
    ),
    **dict.fromkeys(("PackError", "load_packs"), "replylint.packs"),
    **dict.fromkeys(("Limits", "parse_text", "read_path", "read_paths"), "replylint.readers"),
    **dict.fromkeys(("PersonalData", "find_personal_data", "redact"), "replylint.redact"),
    **dict.fromkeys(("ConfigError", "Settings", "load_settings"), "replylint.run.config"),
    "evaluate": "replylint.run.evaluation",
    "Options": "replylint.run.options",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'replylint' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # found by plain lookup from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


@cache
def default_linter() -> Linter:
    """A linter with every bundled pack, compiled once per process and never mutated."""
    from replylint.engine import Linter  # noqa: PLC0415 - lazy: see the module's docstring
    from replylint.packs import load_packs  # noqa: PLC0415

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
