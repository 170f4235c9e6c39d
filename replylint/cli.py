"""The command line: parse, call the library, render, return an exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration, input or output error, or
any failure nobody foresaw (input errors after every readable transcript is linted), 130
interrupted (Ctrl-C), 143 terminated (SIGTERM), 141 standard output closed early (``| head``).
``python -m replylint.cli > docs/cli.md`` writes the command reference from the commands' help.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

from replylint import __version__
from replylint.engine.ruletest import ConverterMissingError, check_rules
from replylint.kinds.channels import Channel
from replylint.model import Role, Severity
from replylint.output import FORMATS, Streams
from replylint.output.base import guarded
from replylint.output.evaluation import rendered
from replylint.output.files import output_to, stopped_note
from replylint.output.reports import Report, refuse_input, report_writer
from replylint.output.settings import describe
from replylint.output.statistics import check_formatter
from replylint.output.text import summary_line
from replylint.output.titles import Titles
from replylint.packs import PackError, load_packs
from replylint.packs.docs import explanation, rule_table
from replylint.readers import LIMIT_SWITCHES, STREAM_FORMATS
from replylint.run import Summary
from replylint.run.baseline import BaselineError, BaselineRecorder, read_baseline
from replylint.run.batch import MAX_JOBS, default_jobs, stopped_exit_code
from replylint.run.config import CommandLine, ConfigError, Settings
from replylint.run.evaluate import Group, LabelsError, Thresholds, shortfalls
from replylint.run.evaluation import evaluate_labels
from replylint.run.failures import failure_exit
from replylint.run.options import Options
from replylint.run.progress import Progress
from replylint.run.result import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED
from replylint.run.runner import Sink, lint_paths
from replylint.run.selectors import find_rule
from replylint.run.starter import write_starter
from replylint.run.terminal import wants_color
from replylint.run.verdicts import (
    Verdict,
    VerdictsError,
    add_verdict,
    current_user,
    read_verdicts,
)
from replylint.spark import InputFormat, Layout
from replylint.spark import spark_check_command as spark_check
from replylint.switches import HELP, Shared, reference, sharing

__all__ = ["EXIT_CLEAN", "EXIT_ERROR", "EXIT_FINDINGS", "EXIT_INTERRUPTED", "app"]
_T = TypeVar("_T")


_ENDS = vars(sys.modules[typer.Exit.__module__])  # typer's exceptions, or click's at typer 0.19
_ON_PURPOSE = (typer.Exit, typer.Abort, _ENDS.get("TyperException") or _ENDS["ClickException"])


class _Guarded(TyperGroup):
    """Every command under one guard: a failure nobody foresaw ends as `failure_exit` says
    (one line and exit 2, never a traceback nor 1, which means findings; a closed pipe: 141)."""

    def invoke(self, ctx: Any) -> Any:  # a click context (typer's vendored click)
        try:
            return super().invoke(ctx)
        except _ON_PURPOSE:
            raise
        except Exception as error:
            code, line = failure_exit(error)
            _done(line, code, err=True)


# Help is plain text: rich markup would swallow `pip install 'replylint[spark]'`.
app = typer.Typer(
    cls=_Guarded,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help=HELP["app"],
)
# The choices of --format and --stdin-format: the output and input registries' names.
OutputFormat = StrEnum("OutputFormat", {name.upper(): name for name in FORMATS})  # type: ignore[misc]
DEFAULT_FORMAT = OutputFormat("text")
StreamFormat = StrEnum("StreamFormat", {n.upper(): n for n in STREAM_FORMATS})  # type: ignore[misc]


def _version(value: bool) -> None:
    if value:
        _done(f"replylint {__version__}", EXIT_CLEAN)


def _opt(*flags: str, key: str = "", **how: Any) -> Any:
    """A switch, its help from `replylint.switches.HELP` (by ``key``, else its first flag)."""
    return typer.Option(*flags, help=HELP[key or flags[0]], **how)


def _arg(key: str) -> Any:
    return typer.Argument(help=HELP[key])


@app.callback()
def _main(
    version: Annotated[bool, _opt("--version", callback=_version, is_eager=True)] = False,
) -> None:
    """replylint: offline quality inspection for service transcripts."""


# Options several commands share, declared once: name -> (annotation, default); see sharing.
Paths = Annotated[list[str], _arg("paths")]
ConfigFile = Annotated[Path | None, _opt("--config")]
Isolated = Annotated[bool, _opt("--isolated")]
Packs = Annotated[list[str] | None, _opt("--pack")]
RuleDirs = Annotated[list[Path] | None, _opt("--rules")]
SETTINGS: Shared = {
    "config": (ConfigFile, None),
    "isolated": (Isolated, False),
    "select": (Annotated[list[str] | None, _opt("--select")], None),
    "extend_select": (Annotated[list[str] | None, _opt("--extend-select")], None),
    "ignore": (Annotated[list[str] | None, _opt("--ignore")], None),
    "profile": (Annotated[str | None, _opt("--profile")], None),
    "packs": (Packs, None),
    "rules": (RuleDirs, None),
    "channel": (Annotated[Channel | None, _opt("--channel")], None),
}
SCORING: Shared = {
    "pass_mark": (Annotated[float | None, _opt("--pass-mark", min=0, max=100)], None),
    "veto": (Annotated[list[str] | None, _opt("--veto")], None),
    "redact": (Annotated[bool | None, _opt("--redact/--no-redact")], None),
}
READING: Shared = {
    "role": (Annotated[Role, _opt("--role")], Role.AGENT),
    "columns": (Annotated[str | None, _opt("--columns")], None),
    "encoding": (Annotated[str | None, _opt("--encoding")], None),
    "stdin_format": (Annotated[StreamFormat | None, _opt("--stdin-format")], None),
    "jobs": (Annotated[int | None, _opt("--jobs", "-j", min=1, max=MAX_JOBS)], None),
    "quiet": (Annotated[bool, _opt("--quiet", "-q")], False),
    "verdicts": (Annotated[Path | None, _opt("--verdicts")], None),
    **{
        limit.field: (Annotated[int | None, _opt(limit.switch, min=1, max=limit.maximum)], None)
        for limit in LIMIT_SWITCHES
    },
}


@app.command()
@sharing(SETTINGS, SCORING, READING)
def check(
    paths: Annotated[list[str] | None, _arg("paths")] = None,
    output_format: Annotated[OutputFormat, _opt("--format", "-f")] = DEFAULT_FORMAT,
    color: Annotated[bool | None, _opt("--color/--no-color")] = None,
    show_settings: Annotated[bool, _opt("--show-settings")] = False,
    baseline: Annotated[Path | None, _opt("--baseline")] = None,
    write_baseline: Annotated[Path | None, _opt("--write-baseline")] = None,
    min_severity: Annotated[Severity | None, _opt("--min-severity")] = None,
    output_file: Annotated[Path | None, _opt("--output-file", "-o")] = None,
    exit_zero: Annotated[bool, _opt("--exit-zero")] = False,
    statistics: Annotated[bool, _opt("--statistics")] = False,
    **given: Any,
) -> None:
    """Lint transcripts and report every finding, with each call's QA score."""
    settings = _settings({**given, "min_severity": min_severity})
    if show_settings:
        roots = given["rules"] or settings.rule_roots()
        _done("\n".join(_or_fail(lambda: describe(settings, load_packs(roots)))), EXIT_CLEAN)
    if not paths:
        _fail("give files or folders to check, or - for standard input")
    _or_fail(refuse_input, output_file, paths)
    if baseline is not None and write_baseline is not None:
        _fail("--baseline and --write-baseline do not go together")
    known = None if baseline is None else _or_fail(read_baseline, baseline)
    options = replace(_options(settings, given), baseline=known)
    progress = _progress(paths, quiet=given["quiet"])
    if write_baseline is not None:
        recorder = BaselineRecorder(write_baseline, _STREAMS.err)
        summary = _lint(paths, options, recorder, progress, "no baseline was written")
        raise typer.Exit(summary.exit_code(findings_fail=False))
    stopped = stopped_note(output_file)
    use_color = wants_color(color, to_file=output_file is not None)
    with output_to(_STREAMS, output_file) as streams:  # a file not written: the guard says so
        formatter = _or_fail(
            check_formatter, streams, output_format, statistics=statistics,
            color=use_color, redacted=options.redact, rules=options.selected_rules(),
        )  # fmt: skip
        summary = _lint(paths, options, formatter, progress, stopped)
    raise typer.Exit(summary.exit_code(findings_fail=not exit_zero))


@app.command()
@sharing(SETTINGS, SCORING, READING)
def report(
    paths: Paths,
    output: Annotated[Path, _opt("--output", "-o")],
    title: Annotated[str, _opt("--title")] = "replylint 质检报告",
    **given: Any,
) -> None:
    """Lint transcripts and write a report for QA leads: HTML (charts, worst calls, every
    call with its findings), XLSX (findings, calls, agents, teams, rules) or CSV."""
    if report_writer(output) is None:
        _fail(f"{output}: the report must end in .html, .xlsx or .csv")
    _or_fail(refuse_input, output, paths)
    options = _options(_settings(given), given)
    reviewed, titles = given["verdicts"] is not None, Titles.of(options.selected_rules())
    sink = Report(_STREAMS, output, title=title, reviewed=reviewed, titles=titles)
    progress = _progress(paths, quiet=given["quiet"])
    summary = _lint(paths, options, sink, progress, "no report was written")
    _done(f"{summary_line(summary)}\nreport written to {output}", summary.exit_code(), err=True)


@app.command("spark-check")
@sharing(SETTINGS, SCORING)
def spark_check_command(
    input_path: Annotated[str, _arg("input_path")],
    output_path: Annotated[str, _arg("output_path")],
    input_format: Annotated[InputFormat, _opt("--input-format")] = "parquet",
    layout: Annotated[Layout, _opt("--layout")] = "auto",
    columns: Annotated[str | None, _opt("--columns", key="spark-check --columns")] = None,
    overwrite: Annotated[bool, _opt("--overwrite/--no-overwrite")] = False,
    **given: Any,
) -> None:
    """Lint a table where it lives, for spark-submit: findings and each call's score, as
    Parquet (see docs/spark.md). Needs pyspark: pip install 'replylint[spark]'."""
    options = _options(_settings(given), given, reading=False)
    how = {"input_format": input_format, "layout": layout, "overwrite": overwrite}
    summary = _or_fail(spark_check, input_path, output_path, options, columns=columns, **how)
    _done(summary.said(output_path), summary.exit_code(), err=True)


@app.command("rules")
def list_rules(
    packs: Packs = None,
    config: ConfigFile = None,
    rules: RuleDirs = None,
    profile: Annotated[str | None, _opt("--profile")] = None,
    isolated: Isolated = False,
) -> None:
    """List the rules: code, name, pack, kind, severity, and whether the settings enable it."""
    settings = _settings({"config": config, "profile": profile, "isolated": isolated})
    states = _or_fail(settings.rule_states, rules, packs=packs)
    enabled = {rule.info.code for rule, on in states if on}
    lines = rule_table([rule for rule, _ in states], lambda rule: rule.info.code in enabled)
    typer.echo("\n".join(lines))


@app.command()
def explain(
    code: Annotated[str, _arg("code")],
    config: ConfigFile = None,
    rules: RuleDirs = None,
    isolated: Isolated = False,
) -> None:
    """Explain a rule: what it flags and why, its message, suggestion, source and examples."""
    states = _or_fail(_settings({"config": config, "isolated": isolated}).rule_states, rules)
    rule, enabled = _or_fail(find_rule, code, states)
    typer.echo("\n".join(explanation(rule, enabled=enabled)))


@app.command("test-rules")
def rule_tests(
    paths: Annotated[list[Path] | None, _arg("test-rules paths")] = None,
    config: ConfigFile = None,
    isolated: Isolated = False,
    traditional: Annotated[
        bool | None, _opt("--traditional/--no-traditional", show_default=False)
    ] = None,
    channels: Annotated[bool, _opt("--channels")] = False,
) -> None:
    """Load packs strictly, check their data and run every rule's flag and pass examples.
    Exit 0 when all is well, 1 when a pack does not load or a check or example fails."""
    settings = _settings({"config": config, "isolated": isolated})
    try:
        loaded = load_packs(paths or settings.rule_roots())
    except PackError as error:
        _done("\n".join(f"FAIL {problem}" for problem in error.problems), EXIT_FINDINGS)
    try:
        result = check_rules(loaded, traditional=traditional, channels=channels)
    except ConverterMissingError as error:
        _fail(str(error))
    _done("\n".join(result.lines()), EXIT_CLEAN if result.passed else EXIT_FINDINGS)


@app.command("eval")
@sharing(SETTINGS)
def eval_command(
    labels: Annotated[Path, _arg("labels")],
    paths: Annotated[list[Path] | None, _arg("eval paths")] = None,
    verdicts: Annotated[Path | None, _opt("--verdicts")] = None,
    findings: Annotated[Path | None, _opt("--findings")] = None,
    output_format: Annotated[
        Literal["text", "json"], _opt("-f", "--format", key="eval --format")
    ] = "text",
    min_precision: Annotated[float | None, _opt("--min-precision")] = None,
    min_recall: Annotated[float | None, _opt("--min-recall")] = None,
    min_f1: Annotated[float | None, _opt("--min-f1")] = None,
    per: Annotated[Group, _opt("--per")] = Group.PACK,
    confusions: Annotated[bool, _opt("--confusions/--no-confusions")] = True,
    **given: Any,
) -> None:
    """Measure the rules on labelled transcripts: precision, recall and F1 per rule, pack and
    channel, and every miss and false alarm. Exit 0 when every --min-* threshold holds, 1
    when one does not, 2 on labels that do not fit the transcripts."""
    linter = _options(_settings(given), given, reading=False).linter()
    evaluation, errors = _or_fail(
        evaluate_labels, labels, paths or [], linter, verdicts=verdicts, findings=findings
    )
    as_json = output_format == "json"
    typer.echo(rendered(evaluation, as_json=as_json, confusions=confusions), nl=False)
    thresholds = Thresholds(precision=min_precision, recall=min_recall, f1=min_f1, per=per)
    short = shortfalls(evaluation, thresholds)
    lines = [*map(str, errors), *(f"below threshold: {line}" for line in short)]
    code = EXIT_ERROR if errors else EXIT_FINDINGS if short else EXIT_CLEAN
    _done("\n".join(lines), code, err=True)


@app.command()
def init(folder: Annotated[Path, _arg("folder")] = Path()) -> None:
    """Write a starter replylint.toml and a custom pack with one example rule: edit the rule,
    run `replylint test-rules`, then `replylint check`. Never overwrites: settings or a pack
    already there are kept (and said so), and the rest is written."""
    typer.echo("\n".join(write_starter(folder).lines()))


review_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help=HELP["review"])
app.add_typer(review_app, name="review")


@review_app.command("add")
def review_add(
    verdicts: Annotated[Path, _opt("--verdicts", key="review --verdicts")],
    transcript: Annotated[str, _opt("--transcript")],
    rule: Annotated[str, _opt("--rule")],
    text: Annotated[str, _opt("--text")],
    note: Annotated[str, _opt("--note")] = "",
    reviewer: Annotated[str | None, _opt("--reviewer")] = None,
    date: Annotated[str | None, _opt("--date")] = None,
) -> None:
    """Mark a finding (transcript, rule, matched text) as a false positive.

    `check` and `report` with --verdicts then no longer report or score it, and reports show
    each rule's confirmed false positives and false-positive rate."""
    who = reviewer if reviewer is not None else current_user()
    if who is None:
        _fail("give --reviewer: your user name is not known here")
    verdict = Verdict.given(transcript, rule, text, reviewer=who, date=date, note=note)
    earlier = _or_fail(add_verdict, verdicts, verdict)
    if earlier is not None:
        by = f"by {earlier.reviewer} on {earlier.date}"
        _done(f"already marked as a false positive {by}; {verdicts} is unchanged", EXIT_CLEAN)
    typer.echo(f"marked {verdict.rule} {verdict.text!r} in {verdict.transcript} in {verdicts}")


def _lint(
    paths: list[str], options: Options, sink: Sink[_T], progress: Progress, outcome: str
) -> Summary:
    """A run, its sink started and finished. Ctrl-C stops the workers, says how far the run
    got and ``outcome`` (a file a sink writes whole at its finish is not written): exit 130."""
    sink.start()
    try:
        summary = lint_paths(paths, options, sink, progress)
        sink.finish(summary)
    except KeyboardInterrupt as stop:  # SIGTERM is stopped the same way (run/batch.py)
        progress.interrupted(summary_line(progress.summary), outcome)
        raise typer.Exit(stopped_exit_code(stop)) from None
    return summary


def _or_fail(make: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """What ``make`` gives; packs, settings or values it refuses end the command, all said."""
    try:
        return make(*args, **kwargs)
    except (PackError, ConfigError, LabelsError) as error:
        _fail(*error.problems)
    except (ValueError, BaselineError, VerdictsError) as error:
        _fail(str(error))


def _fail(*problems: str) -> NoReturn:
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _done(text: str, code: int, *, err: bool = False) -> NoReturn:
    if text:
        typer.echo(text, err=err)
    raise typer.Exit(code)


_COMMAND_LINE = frozenset(field.name for field in fields(CommandLine))


def _settings(given: Mapping[str, Any]) -> Settings:
    """The configuration found (or given), with the command line's options over it."""
    line = CommandLine(**{key: value for key, value in given.items() if key in _COMMAND_LINE})
    return _or_fail(line.settings, given.get("config"), Path.cwd())


def _options(settings: Settings, given: Mapping[str, Any], *, reading: bool = True) -> Options:
    """A run's options: the settings' part (selection, profile, scoring, redact), then, when
    ``reading``, how input is read (the READING options)."""
    rule_dirs, packs = given.get("rules"), given.get("packs")
    options = _or_fail(Options.from_settings, settings, rule_dirs=rule_dirs, packs=packs)
    if not reading:
        return options
    how = {key: given[key] for key in ("role", "columns", "encoding", "stdin_format")}
    limits = {limit.field: given[limit.field] for limit in LIMIT_SWITCHES}
    options = _or_fail(options.reading, jobs=given["jobs"] or default_jobs(), limits=limits, **how)
    verdicts = given["verdicts"]
    return replace(options, verdicts=verdicts and _or_fail(read_verdicts, verdicts))


def _progress(paths: list[str], *, quiet: bool) -> Progress:
    """On a terminal, a progress line; unless quiet, the timing line at the end."""
    shown = not quiet and sys.stderr.isatty()
    echo = functools.partial(typer.echo, err=True, nl=False)
    return Progress(paths, echo, shown=shown, quiet=quiet)


_STREAMS = Streams(
    out=guarded(typer.echo, "standard output"), err=functools.partial(typer.echo, err=True)
)


def help_reference() -> str:
    """docs/cli.md: what ``--help`` prints for the program and every command, at a fixed
    width and without colour."""
    from typer.testing import CliRunner  # noqa: PLC0415 - only the docs need it

    group = typer.main.get_command(app)
    names = [f"{name} {sub}".strip() for name, command in getattr(group, "commands", {}).items()
             for sub in ["", *getattr(command, "commands", {})]]  # fmt: skip
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    invoke = functools.partial(CliRunner().invoke, app, prog_name="replylint", env=env)
    return reference(names, lambda name: invoke([*name.split(), "--help"]).stdout)


if __name__ == "__main__":
    typer.echo(help_reference(), nl=False)
