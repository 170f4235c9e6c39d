"""Profiles: one per industry, as data (``rules/profiles.toml``). A profile picks the rules
written for it (a rule's ``profiles`` key; ``kinds.metadata`` names the industries), the
thresholds that suit its calls and the rules that do not fit it; a run without one runs
every rule with the thresholds of its pack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from replylint.kinds.base import CODE, NOT_A_KEY, Problem, reads
from replylint.kinds.metadata import PROFILES
from replylint.packs.datafile import DataFileError, read_toml
from replylint.packs.loader import PackError, bundled_rules_dir
from replylint.packs.schema import check_keys, keys, read_record

PROFILES_FILE = "profiles.toml"


def _codes(raw: list[object], key: str, problem: Problem) -> frozenset[str]:
    codes = [code for code in raw if isinstance(code, str) and CODE.fullmatch(code)]
    wrong = [code for code in raw if code not in codes]
    if wrong:
        problem(f"'{key}': {wrong!r} are no rule codes (AB123)")
    return frozenset(codes)


def _thresholds(raw: dict[str, object], key: str, problem: Problem) -> Mapping[str, float]:
    limits: dict[str, float] = {}
    for code, limit in raw.items():
        if not CODE.fullmatch(code):
            problem(f"'{key}': {code!r} is no rule code (AB123)")
        elif not isinstance(limit, int | float) or isinstance(limit, bool) or limit <= 0:
            problem(f"'{key}': {code} must be a number above 0, got {limit!r}")
        else:
            limits[code] = float(limit)
    return MappingProxyType(limits)


@dataclass(frozen=True, slots=True)
class Profile:
    """One industry's table in ``profiles.toml``."""

    name: str = field(metadata={NOT_A_KEY: True})
    title: str  # what a QA lead calls the industry
    # Rule code -> threshold replacing the rule's limit (seconds, characters a minute...).
    thresholds: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({}), metadata=reads(dict, _thresholds)
    )
    # Rule codes that do not fit the industry.
    ignore: frozenset[str] = field(default=frozenset(), metadata=reads(list, _codes))


def load_profiles(path: Path) -> Mapping[str, Profile]:
    """Every profile in a profiles file: a table for each industry, read strictly; raises
    ``PackError`` listing every problem, each naming the file."""
    try:
        data = read_toml(path)
    except DataFileError as error:
        raise PackError([str(error)]) from None
    problems: list[str] = []
    problems += [
        f"{path}: no table for the profile '{name}'" for name in PROFILES if name not in data
    ]
    problems += [
        f"{path}: '{name}' is no profile; expected some of {', '.join(PROFILES)}"
        for name in data
        if name not in PROFILES
    ]
    profiles = {
        name: _profile(path, name, data[name], problems) for name in PROFILES if name in data
    }
    if problems:
        raise PackError(problems)
    return MappingProxyType(profiles)


def _profile(path: Path, name: str, table: Any, problems: list[str]) -> Profile:
    def problem(text: str) -> None:
        problems.append(f"{path} [{name}]: {text}")

    if not isinstance(table, dict):
        problem(f"must be a table, got {type(table).__name__}")
        table = {}
    check_keys(table, keys(Profile), problem)
    profile: Profile = read_record(Profile, table, problem, {"name": name})
    return profile


@cache
def bundled_profiles() -> Mapping[str, Profile]:
    """The profiles shipped with replylint, read once a process."""
    return load_profiles(bundled_rules_dir() / PROFILES_FILE)


def get_profile(name: str) -> Profile:
    """The profile called ``name``; ``KeyError`` names the known ones."""
    try:
        return bundled_profiles()[name]
    except KeyError:
        raise KeyError(f"unknown profile {name!r}; expected one of {', '.join(PROFILES)}") from None
