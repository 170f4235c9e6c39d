"""The options of a run: one frozen object that ``check``, ``report``, Spark and library
callers build once and hand to the run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from replylint.engine import Linter
from replylint.kinds import Rule
from replylint.kinds.channels import Channel
from replylint.model import Role
from replylint.packs import load_packs
from replylint.readers import (
    DEFAULT_LIMITS,
    STREAM_FORMATS,
    Limits,
    check_encoding,
    limits_from,
    parse_column_mapping,
)
from replylint.run.baseline import Baseline
from replylint.run.config import ConfigError, Settings
from replylint.run.pipeline import Pipeline
from replylint.run.scoring import DEFAULT_CONFIG, ScoreConfig
from replylint.run.verdicts import Verdicts


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """What one run does.

    Which rules, and how calls are scored (what settings give; see `from_settings`):
        rules      the selection: the enabled rules, with the severities and thresholds the
                   settings give them (None: every bundled rule)
        profile    the industry those rules were chosen for (see `Linter`)
        channel    of calls whose metadata and data name none (see `Linter`)
        scoring    how a call's findings become its QA score
        redact     mask personal data once linted, in everything shown
    What is left out:
        verdicts   findings reviewers marked as false positives: set aside, not scored
        baseline   findings known before: dropped
    How input is read and linted (Spark reads and spreads work its own way: it uses only
    ``columns`` of these):
        jobs       worker processes
        role       of text that carries no role labels
        columns    where each field is: table headers (id=通话ID...), or Spark columns
        encoding   of text, JSON, JSONL and CSV input (None: detected)
        stdin_format  of standard input, one of `STREAM_FORMATS` (None: sniffed)
        limits     how much one line, file or transcript may hold
    """

    rules: tuple[Rule, ...] | None = None
    profile: str | None = None
    channel: Channel | None = None
    scoring: ScoreConfig = DEFAULT_CONFIG
    redact: bool = False
    verdicts: Verdicts | None = None
    baseline: Baseline | None = None
    jobs: int = 1
    role: Role = Role.AGENT
    columns: Mapping[str, str] | None = None
    encoding: str | None = None
    stdin_format: str | None = None
    limits: Limits = DEFAULT_LIMITS

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        rule_dirs: Iterable[Path] | None = None,
        packs: Iterable[str] | None = None,
    ) -> Options:
        """The selection, profile, channel, scoring and redact of ``settings`` (rules from
        ``rule_dirs`` instead of the settings' packs, only ``packs`` when given); the rest
        as the defaults. Raises ``PackError`` or ``ConfigError``."""
        rules = settings.load_rules(rule_dirs, packs=packs)
        return cls(
            rules=rules,
            profile=settings.profile,
            channel=settings.channel,
            scoring=settings.scoring(rules),
            redact=settings.redact,
        )

    def reading(  # noqa: PLR0913 - the command line's reading switches, by name
        self,
        *,
        jobs: int | None = None,
        role: Role = Role.AGENT,
        columns: str | None = None,
        encoding: str | None = None,
        stdin_format: str | None = None,
        limits: Mapping[str, int | None] | None = None,
    ) -> Options:
        """These options reading input as a command line says: ``columns`` as written
        (``id=通话ID,role=角色``), ``limits`` by `Limits` field (None: the default).
        Raises ``ConfigError`` with every switch that is wrong, named."""
        problems: list[str] = []
        mapping, parsed = None, DEFAULT_LIMITS
        try:
            mapping = None if columns is None else parse_column_mapping(columns)
        except ValueError as error:
            problems.append(f"--columns: {error}")
        if encoding is not None and (problem := check_encoding(encoding)) is not None:
            problems.append(f"--encoding: {problem}")
        if stdin_format is not None and stdin_format not in STREAM_FORMATS:
            problems.append(f"--stdin-format: one of {', '.join(STREAM_FORMATS)}")
        try:
            parsed = limits_from({k: v for k, v in (limits or {}).items() if v is not None})
        except ValueError as error:
            problems.extend(str(error).split("; "))
        if problems:
            raise ConfigError(problems)
        return replace(
            self, jobs=jobs or self.jobs, role=role, columns=mapping, encoding=encoding,
            stdin_format=stdin_format, limits=parsed,
        )  # fmt: skip

    def selected_rules(self) -> tuple[Rule, ...]:
        return load_packs() if self.rules is None else self.rules

    def linter(self) -> Linter:
        return Linter(self.selected_rules(), profile=self.profile, channel=self.channel)

    def pipeline(self) -> Pipeline:
        return Pipeline(self.scoring, self.redact, self.verdicts, self.baseline)
