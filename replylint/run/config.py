"""Settings: which rules run, at which severity, from which packs, and how calls are scored.

Read from ``replylint.toml``, or the ``[tool.replylint]`` table of ``pyproject.toml``, in the
start folder or the nearest folder above it that has one (or from an explicit file); the
command line overrides them key by key. Every value remembers where it came from, for
``replylint check --show-settings``. A bad file raises ``ConfigError`` naming file and key.

    select = ["ALL"]              # codes, code prefixes (FP, FP00) or pack names
    extend_select = ["FP003"]     # added to select
    ignore = ["no-time-commitment", "FP009"]
    extra_packs = ["our-rules"]   # pack folders, relative to this file
    entry_points = true           # also packs installed packages offer (replylint.packs)
    redact = true                 # mask personal data in every output (see redact.py)
    profile = "power"             # only rules for this industry (rules/profiles.toml)
    channel = "phone"             # of calls whose metadata and data name none
    min_severity = "warning"      # only rules of this severity or graver run
    [severity]
    NT001 = "info"
    [thresholds]                  # a timing or commitment rule's limit, by code
    TM001 = 8                     # seconds of silence before the agent's reply
    [score]                       # see scoring.py
    pass_mark = 85
    veto_rules = ["FP003"]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from replylint.kinds import Rule, kind_of
from replylint.kinds.channels import Channel
from replylint.kinds.metadata import PROFILES
from replylint.model import Severity
from replylint.packs import PackError, bundled_rules_dir, entry_point_dirs, load_packs
from replylint.packs.datafile import DataFileError, read_toml
from replylint.packs.profiles import get_profile
from replylint.run.scoring import DEFAULT_CONFIG, ScoreConfig, load_score_config
from replylint.run.selectors import (
    ALL,
    selected_codes,
    specificity,
    split_selectors,
    unknown_codes,
    unknown_packs,
    unknown_selectors,
)

CONFIG_NAME = "replylint.toml"
PYPROJECT_NAME = "pyproject.toml"
DEFAULT = "default"  # the origin of a value nobody set

LIST_KEYS = ("select", "extend_select", "ignore", "extra_packs")
_KEYS = (
    *LIST_KEYS,
    "entry_points",
    "redact",
    "profile",
    "channel",
    "min_severity",
    "severity",
    "thresholds",
    "score",
)
_GRAVITY = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


Problem = Callable[[str, str], None]  # (key, message)


class ConfigError(Exception):
    """Settings that cannot be used; ``problems`` lists every one, naming file (or option)
    and key."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Settings:
    """Effective settings. ``origins`` maps a key (``select``, ``score.pass_mark``...) to the
    file or option that set it; keys not in it are defaults."""

    select: tuple[str, ...] = (ALL,)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    # Rule code -> limit, over the profile's thresholds and the pack's own.
    thresholds: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    extra_packs: tuple[Path, ...] = ()
    entry_points: bool = True
    redact: bool = False  # mask personal data in all output (redact.py)
    profile: str | None = None  # None: every rule, whatever industry it was written for
    channel: Channel | None = None  # of a call whose metadata and data name none
    min_severity: Severity = Severity.INFO  # rules of a lesser severity do not run
    score: ScoreConfig = DEFAULT_CONFIG
    config_file: Path | None = None
    origins: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def origin(self, key: str) -> str:
        return self.origins.get(key, DEFAULT)

    def override(self, origin: str, **values: Any) -> Settings:
        """These settings with some values replaced (``None`` values are left alone). A new
        ``select`` starts the selection afresh: earlier ``extend_select`` and ``ignore`` go."""
        given = {key: value for key, value in values.items() if value is not None}
        if not given:
            return self
        if "select" in given:
            given = {"extend_select": (), "ignore": ()} | given
        origins = dict(self.origins) | dict.fromkeys(given, origin)
        return dataclasses.replace(self, **given, origins=MappingProxyType(origins))

    def override_score(self, origin: str, **values: Any) -> Settings:
        given = {key: value for key, value in values.items() if value is not None}
        if not given:
            return self
        try:
            score = dataclasses.replace(self.score, **given)
        except ValueError as error:
            raise ConfigError([f"{origin}: {error}"]) from None
        origins = dict(self.origins) | {f"score.{key}": origin for key in given}
        return dataclasses.replace(self, score=score, origins=MappingProxyType(origins))

    def rule_roots(self) -> list[Path]:
        """The folders packs are loaded from: the bundled packs, then those of installed
        packages (the ``replylint.packs`` entry points, unless ``entry_points`` is off), then
        the extra ones. Raises ``PackError`` for an entry point that gives no folder."""
        installed = entry_point_dirs() if self.entry_points else []
        return [bundled_rules_dir(), *installed, *self.extra_packs]

    def load_rules(
        self, roots: Iterable[Path] | None = None, *, packs: Iterable[str] | None = None
    ) -> tuple[Rule, ...]:
        """The enabled rules of the packs under ``roots`` (default: ``rule_roots()``), only
        those of ``packs`` when given. Raises ``PackError`` or ``ConfigError``."""
        return tuple(rule for rule, enabled in self.rule_states(roots, packs=packs) if enabled)

    def rule_states(
        self, roots: Iterable[Path] | None = None, *, packs: Iterable[str] | None = None
    ) -> list[tuple[Rule, bool]]:
        """Every rule of the packs (as the settings leave it: severity overrides), and
        whether the settings enable it."""
        loaded = load_packs(self.rule_roots() if roots is None else roots)
        self._check_names(loaded)
        if packs is not None:
            wanted = set(packs)
            unknown = unknown_packs(wanted, (rule.info.pack for rule in loaded))
            if unknown:
                raise PackError(unknown)
            loaded = tuple(rule for rule in loaded if rule.info.pack in wanted)
        return [(self._adjusted(rule), self.enabled(rule)) for rule in loaded]

    def apply(self, rules: Iterable[Rule]) -> tuple[Rule, ...]:
        """The enabled rules, with severity overrides; unknown codes or selectors raise."""
        rules = tuple(rules)
        self._check_names(rules)
        return tuple(self._adjusted(rule) for rule in rules if self.enabled(rule))

    def enabled(self, rule: Rule) -> bool:
        """The most specific matching selector decides; on a tie, ``ignore`` wins."""
        selectors = (*self.select, *self.extend_select)
        selected = max((specificity(s, rule) for s in selectors), default=-1)
        ignored = max((specificity(s, rule) for s in self.ignore), default=-1)
        return (
            selected >= 0
            and selected > ignored
            and self._fits_profile(rule)
            and self._grave_enough(rule)
        )

    def _grave_enough(self, rule: Rule) -> bool:
        """Under ``min_severity``, whether the rule (at the severity these settings give it)
        runs; rules that label calls (topics) always run: tags are no findings."""
        severity = self.severity.get(rule.info.code, rule.info.severity)
        labels = kind_of(rule).label(rule) is not None
        return labels or _GRAVITY[severity] >= _GRAVITY[self.min_severity]

    def _fits_profile(self, rule: Rule) -> bool:
        if self.profile is None:
            return True
        ignored = get_profile(self.profile).ignore
        return rule.info.in_profile(self.profile) and rule.info.code not in ignored

    def _adjusted(self, rule: Rule) -> Rule:
        """The rule with the severity and threshold these settings give it."""
        code = rule.info.code
        severity = self.severity.get(code)
        if severity is not None and severity is not rule.info.severity:
            rule = dataclasses.replace(rule, info=dataclasses.replace(rule.info, severity=severity))
        limit = self.limits().get(code)
        kind = kind_of(rule)
        return (
            kind.with_threshold(rule, limit) if limit is not None and kind.takes_threshold else rule
        )

    def limits(self) -> Mapping[str, float]:
        """Thresholds by rule code: the profile's, then the configured ones over them."""
        profile = {} if self.profile is None else get_profile(self.profile).thresholds
        return {**profile, **self.thresholds}

    def scoring(self, rules: Iterable[Rule]) -> ScoreConfig:
        """The score settings with the veto selectors (codes, prefixes, packs) made the
        codes of ``rules`` they name."""
        vetoes = selected_codes(self.score.veto_rules, rules)
        return dataclasses.replace(self.score, veto_rules=vetoes)

    def _check_names(self, rules: Sequence[Rule]) -> None:
        """Every selector and code the settings give names a rule of ``rules``: else a
        ``ConfigError`` with each unknown name and the closest real ones."""
        problems = [
            problem
            for key in ("select", "extend_select", "ignore")
            for problem in unknown_selectors(self._where(key), getattr(self, key), rules)
        ]
        vetoes = sorted(self.score.veto_rules)
        problems += unknown_selectors(self._where("score.veto_rules"), vetoes, rules)
        problems += [
            problem
            for key in ("severity", "thresholds")
            for problem in unknown_codes(self._where(key), getattr(self, key), rules)
        ]
        weights = sorted(self.score.rule_weights)
        problems += unknown_codes(self._where("score.rule_weights"), weights, rules)
        codes = {rule.info.code for rule in rules}
        measured = {r.info.code for r in rules if kind_of(r).takes_threshold}
        problems += [
            f"{self.origin('thresholds')}: 'thresholds': {code} has no threshold (only timing "
            "and commitment rules have one)"
            for code in self.thresholds
            if code in codes - measured
        ]
        if problems:
            raise ConfigError(problems)

    def _where(self, key: str) -> str:
        return f"{self.origin(key)}: '{key}'"


def find_config(start_dir: Path) -> Path | None:
    """The nearest ``replylint.toml``, or ``pyproject.toml`` with ``[tool.replylint]``, in
    ``start_dir`` or above it."""
    for folder in (start_dir.resolve(), *start_dir.resolve().parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
        pyproject = folder / PYPROJECT_NAME
        if pyproject.is_file() and _replylint_table(pyproject) is not None:
            return pyproject
    return None


def load_settings(start_dir: Path | None = None, explicit_path: Path | None = None) -> Settings:
    """Settings from ``explicit_path``, or from the configuration found from ``start_dir``
    upwards (default: the working directory), or the defaults when there is none."""
    path = explicit_path or find_config(start_dir or Path.cwd())
    if path is None:
        return Settings()
    return _settings(path, _read_table(path))


COMMAND_LINE = "command line"  # the origin of what a command line sets


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandLine:
    """What a command line says over the settings file; None leaves a setting as the file
    (or the default) has it. Selectors may be repeated or comma-separated (FP009,NT001)."""

    select: Sequence[str] | None = None
    extend_select: Sequence[str] | None = None
    ignore: Sequence[str] | None = None
    isolated: bool = False  # no settings file: not the one found upwards, and none given
    profile: str | None = None
    channel: Channel | None = None
    min_severity: Severity | None = None
    redact: bool | None = None
    pass_mark: float | None = None
    veto: Iterable[str] | None = None

    def settings(self, config: Path | None = None, start_dir: Path | None = None) -> Settings:
        """The settings of ``config``, or of the file found from ``start_dir`` upwards (see
        `load_settings`), or the defaults when ``isolated``, with these options over them.
        Raises ``ConfigError``."""
        if self.isolated and config is not None:
            raise ConfigError(["--config and --isolated do not go together"])
        if self.profile is not None and self.profile not in PROFILES:
            known = ", ".join(PROFILES)
            raise ConfigError(
                [f"--profile: unknown profile {self.profile!r}; expected one of {known}"]
            )
        found = Settings() if self.isolated else load_settings(start_dir, config)
        settings = found.override(
            COMMAND_LINE,
            select=_option_selectors("--select", self.select),
            extend_select=_option_selectors("--extend-select", self.extend_select),
            ignore=_option_selectors("--ignore", self.ignore),
            profile=self.profile,
            channel=self.channel,
            min_severity=self.min_severity,
            redact=self.redact,
        )
        vetoes = _option_selectors("--veto", self.veto)
        return settings.override_score(
            COMMAND_LINE,
            pass_mark=self.pass_mark,
            veto_rules=None if vetoes is None else frozenset(vetoes),
        )


def _option_selectors(option: str, values: Iterable[str] | None) -> tuple[str, ...] | None:
    try:
        return split_selectors(values)
    except ValueError as error:
        raise ConfigError([f"{option}: {error}"]) from None


def _read_table(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError([f"{path}: no such file"])
    if path.is_dir():
        raise ConfigError(
            [f"{path}: is a folder; give a settings file ({CONFIG_NAME} or {PYPROJECT_NAME})"]
        )
    if not path.is_file():  # /dev/null, a pipe (<(...)): refused before it is opened
        raise ConfigError(
            [f"{path}: not a regular file (a pipe or device); give a settings file, or "
             "--isolated to read none"]
        )  # fmt: skip
    table = _replylint_table(path) if path.name == PYPROJECT_NAME else _read_toml(path)
    if table is None:
        raise ConfigError([f"{path}: no [tool.replylint] table"])
    return table


def _replylint_table(path: Path) -> dict[str, Any] | None:
    table = _read_toml(path).get("tool", {}).get("replylint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError([f"{path}: 'tool.replylint' must be a table"])
    return table


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return read_toml(path)
    except DataFileError as error:
        raise ConfigError([str(error)]) from None


def _settings(path: Path, table: dict[str, Any]) -> Settings:
    problems: list[str] = []

    def problem(key: str, message: str) -> None:
        problems.append(f"{path}: '{key}': {message}")

    for key in sorted(set(table) - set(_KEYS)):
        problem(key, f"unknown setting; expected one of {', '.join(_KEYS)}")
    values: dict[str, Any] = {
        key: _strings(table, key, problem) for key in LIST_KEYS if key in table
    }
    if "extra_packs" in values:
        values["extra_packs"] = tuple(_folders(path.parent, values["extra_packs"], problem))
    for key, read in _READERS.items():
        if key in table:
            values[key] = read(table[key], problem)
    origins = dict.fromkeys(values, str(path))
    if "score" in table:
        values["score"], score_keys = _score(table["score"], problem)
        origins |= {f"score.{key}": str(path) for key in score_keys}
    if problems:
        raise ConfigError(problems)
    return Settings(config_file=path, origins=MappingProxyType(origins), **values)


def _flag(key: str) -> Callable[[object, Problem], bool]:
    """The reader of a true-or-false setting."""

    def read(value: object, problem: Problem) -> bool:
        if not isinstance(value, bool):
            problem(key, f"must be true or false, got {value!r}")
        return value is True

    return read


def _strings(table: Mapping[str, Any], key: str, problem: Problem) -> tuple[str, ...]:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        problem(key, f"must be a list of non-empty strings, got {value!r}")
        return ()
    return tuple(value)


def _folders(base: Path, names: Sequence[str], problem: Problem) -> Iterator[Path]:
    for name in names:
        folder = (base / name).resolve()
        if not folder.is_dir():
            problem("extra_packs", f"{name!r} is not a folder (looked for {folder})")
        yield folder


def _severities(value: object, problem: Problem) -> dict[str, Severity]:
    if not isinstance(value, dict):
        problem("severity", f"must be a table of rule code = severity, got {value!r}")
        return {}
    allowed = ", ".join(s.value for s in Severity)
    severities: dict[str, Severity] = {}
    for code, name in value.items():
        if isinstance(name, str) and name in Severity._value2member_map_:
            severities[code] = Severity(name)
        else:
            problem(f"severity.{code}", f"must be one of {allowed}, got {name!r}")
    return severities


def _thresholds(value: object, problem: Problem) -> dict[str, float]:
    if not isinstance(value, dict):
        problem("thresholds", f"must be a table of rule code = number, got {value!r}")
        return {}
    limits: dict[str, float] = {}
    for code, limit in value.items():
        if isinstance(limit, int | float) and not isinstance(limit, bool) and 0 < limit < 1e9:
            limits[code] = float(limit)
        else:
            problem(f"thresholds.{code}", f"must be a number above 0, got {limit!r}")
    return limits


def _choice(key: str, make: Callable[[str], Any], names: Iterable[str]) -> Callable[..., Any]:
    """The reader of a setting that is one of some names (a channel, a severity)."""
    allowed = tuple(names)

    def read(value: object, problem: Problem) -> Any:
        if isinstance(value, str) and value in allowed:
            return make(value)
        problem(key, f"must be one of {', '.join(allowed)}, got {value!r}")
        return None

    return read


_READERS: dict[str, Callable[[object, Problem], Any]] = {
    "entry_points": _flag("entry_points"),
    "redact": _flag("redact"),
    "profile": _choice("profile", str, PROFILES),
    "channel": _choice("channel", Channel, (c.value for c in Channel)),
    "min_severity": _choice("min_severity", Severity, (s.value for s in Severity)),
    "severity": lambda value, problem: MappingProxyType(_severities(value, problem)),
    "thresholds": lambda value, problem: MappingProxyType(_thresholds(value, problem)),
}


def _score(value: object, problem: Problem) -> tuple[ScoreConfig, tuple[str, ...]]:
    if not isinstance(value, dict):
        problem("score", f"must be a table, got {value!r}")
        return DEFAULT_CONFIG, ()
    try:
        return load_score_config(value), tuple(value)
    except (ValueError, TypeError) as error:
        problem("score", str(error))
        return DEFAULT_CONFIG, ()
