"""The command line: load, call the library, render, return an exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or input error (given
after every readable transcript has been linted), 130 interrupted (Ctrl-C).
``python -m replylint.cli > docs/cli.md`` writes the command reference from the commands'
help.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from replylint import __version__
from replylint.engine.ruletest import ConverterMissingError, check_rules
from replylint.kinds.metadata import PROFILES
from replylint.model import Role
from replylint.output import FORMATS, Streams
from replylint.output.evaluation import dumps as evaluation_json
from replylint.output.evaluation import text_report
from replylint.output.reports import Report, is_input, report_writer
from replylint.output.text import summary_line
from replylint.packs import PackError, load_packs
from replylint.packs.docs import explanation, rule_table
from replylint.readers import check_encoding, parse_column_mapping
from replylint.run.baseline import Baseline, BaselineError, BaselineRecorder, read_baseline
from replylint.run.batch import default_jobs
from replylint.run.config import CommandLine, ConfigError, Settings, describe
from replylint.run.evaluate import Group, LabelsError, Thresholds, shortfalls
from replylint.run.evaluation import default_paths, evaluate_paths
from replylint.run.options import Options
from replylint.run.progress import Progress
from replylint.run.result import Summary
from replylint.run.runner import Sink, lint_paths
from replylint.run.starter import write_starter
from replylint.run.verdicts import Verdict, VerdictsError, add_verdict, read_verdicts
from replylint.spark import InputFormat, Layout

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program stopped by Ctrl-C
_T = TypeVar("_T")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Lint Chinese customer-service transcripts against service rules (质检).",
)


# The choices of --format: the output format registry's names.
OutputFormat = StrEnum("OutputFormat", {name.upper(): name for name in FORMATS})  # type: ignore[misc]
DEFAULT_FORMAT = OutputFormat("text")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"replylint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """replylint: offline quality inspection for service transcripts."""


# Options that several commands share, defined once.
_PATHS_HELP = "Files or folders (.jsonl, .json, .txt, .csv, .xlsx), or - for standard input."
Paths = Annotated[list[str], typer.Argument(help=_PATHS_HELP)]
ConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Settings file (default: replylint.toml, or pyproject.toml with a tool.replylint "
        "table, here or in a folder above).",
    ),
]
Select = Annotated[
    list[str] | None,
    typer.Option("--select", help="Only these rule codes, code prefixes or packs (repeatable)."),
]
ExtendSelect = Annotated[
    list[str] | None,
    typer.Option("--extend-select", help="Rule codes, prefixes or packs to add (repeatable)."),
]
Ignore = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Rule codes, prefixes or packs to leave out (repeatable)."),
]
RoleOption = Annotated[
    Role, typer.Option(help="Role of text that carries no role labels (a reply draft).")
]
Packs = Annotated[
    list[str] | None,
    typer.Option("--pack", help="Only these packs, after select and ignore (repeatable)."),
]
RuleDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules", help="Rule folders to load instead of the bundled and configured packs."
    ),
]
MAX_JOBS = 256  # more workers would each fork, and hold units in flight, for nothing
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, max=MAX_JOBS, help="Worker processes (default: the cores)."
    ),
]
PassMark = Annotated[
    float | None,
    typer.Option(
        min=0, max=100, help="Score a call needs to pass (100 minus deductions; default 80)."
    ),
]
Vetoes = Annotated[
    list[str] | None,
    typer.Option("--veto", help="Rule code whose finding fails a call outright (一票否决)."),
]
Columns = Annotated[
    str | None,
    typer.Option(help="CSV/XLSX columns, e.g. 'id=通话ID,role=角色,text=内容'."),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        help=f"Only the rules written for this industry ({', '.join(PROFILES)}), with its "
        "thresholds (default: every rule).",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no timing line.")]
Redact = Annotated[
    bool | None,
    typer.Option(
        "--redact/--no-redact",
        help="Mask phone, ID and bank card numbers and emails in all output, after linting "
        "(default: the setting redact, else off).",
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Read text, JSON, JSONL and CSV inputs in this encoding (gbk, big5, utf-16…) "
        "instead of detecting it (UTF-8, UTF-16 with a BOM, GB18030 or Big5).",
    ),
]
VerdictsFile = Annotated[
    Path | None,
    typer.Option(
        "--verdicts",
        help="Review verdicts (JSONL): findings marked as false positives are not reported "
        "or scored.",
    ),
]


@app.command()
def check(
    paths: Annotated[list[str] | None, typer.Argument(help=_PATHS_HELP)] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DEFAULT_FORMAT,
    role: RoleOption = Role.AGENT,
    config: ConfigFile = None,
    select: Select = None,
    extend_select: ExtendSelect = None,
    ignore: Ignore = None,
    profile: ProfileOption = None,
    packs: Packs = None,
    rules: RuleDirs = None,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour (default: on a terminal).")
    ] = None,
    jobs: Jobs = None,
    pass_mark: PassMark = None,
    veto: Vetoes = None,
    columns: Columns = None,
    quiet: Quiet = False,
    show_settings: Annotated[
        bool,
        typer.Option(
            "--show-settings", help="Print the settings in effect, and where each came from."
        ),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report (and score) only findings not in this file."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            help="Record today's findings in this file instead of reporting them.",
        ),
    ] = None,
    verdicts: VerdictsFile = None,
    redact: Redact = None,
    encoding: EncodingOption = None,
) -> None:
    """Lint transcripts and report every finding, with each call's QA score."""
    settings = _settings(config, CommandLine(
        select=select, extend_select=extend_select, ignore=ignore, profile=profile,
        pass_mark=pass_mark, veto=veto, redact=redact,
    ))  # fmt: skip
    if show_settings:
        _show_settings(settings, rules)
    if not paths:
        _fail("give files or folders to check, or - for standard input")
    options = replace(
        _options(settings, rules, packs),
        jobs=jobs or default_jobs(),
        role=role,
        columns=_parsed("--columns", parse_column_mapping, columns),
        encoding=_encoding(encoding),
        verdicts=_read(read_verdicts, verdicts),
        baseline=_baseline(baseline, write_baseline),
    )
    progress = _progress(paths, quiet=quiet)
    if write_baseline is not None:
        _record_baseline(write_baseline, paths, options, progress)
    use_color = _use_color() if color is None else color
    formatter = FORMATS[output_format](_STREAMS, color=use_color, redacted=options.redact)
    formatter.start()
    with _stop_on_interrupt(progress, "the output above is complete up to there"):
        summary = lint_paths(paths, options, formatter, progress)
    formatter.finish(summary)
    raise typer.Exit(_exit_code(summary))


@app.command()
def report(
    paths: Paths,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The report: a .html, .xlsx or .csv file.")
    ],
    title: Annotated[str, typer.Option(help="Title of the HTML report.")] = "replylint 质检报告",
    role: RoleOption = Role.AGENT,
    config: ConfigFile = None,
    select: Select = None,
    extend_select: ExtendSelect = None,
    ignore: Ignore = None,
    profile: ProfileOption = None,
    packs: Packs = None,
    rules: RuleDirs = None,
    jobs: Jobs = None,
    pass_mark: PassMark = None,
    veto: Vetoes = None,
    columns: Columns = None,
    quiet: Quiet = False,
    verdicts: VerdictsFile = None,
    redact: Redact = None,
    encoding: EncodingOption = None,
) -> None:
    """Lint transcripts and write a report for QA leads: HTML (charts, worst calls, every
    call with its findings), XLSX (findings, calls, agents, teams, rules) or CSV."""
    if report_writer(output) is None:
        _fail(f"{output}: the report must end in .html, .xlsx or .csv")
    if is_input(output, paths):
        _fail(f"{output}: is one of the inputs; replylint never overwrites an input")
    settings = _settings(config, CommandLine(
        select=select, extend_select=extend_select, ignore=ignore, profile=profile,
        pass_mark=pass_mark, veto=veto, redact=redact,
    ))  # fmt: skip
    options = replace(
        _options(settings, rules, packs),
        jobs=jobs or default_jobs(),
        verdicts=_read(read_verdicts, verdicts),
        role=role,
        columns=_parsed("--columns", parse_column_mapping, columns),
        encoding=_encoding(encoding),
    )
    sink = Report(_STREAMS, output, title=title, reviewed=verdicts is not None)
    summary = _lint(paths, options, sink, _progress(paths, quiet=quiet), "no report was written")
    typer.echo(f"{summary_line(summary)}\nreport written to {output}", err=True)
    raise typer.Exit(_exit_code(summary))


@app.command("spark-check")
def spark_check_command(
    input_path: Annotated[
        str, typer.Argument(help="A Parquet or JSON-lines table (file or folder; HDFS/S3 too).")
    ],
    output_path: Annotated[str, typer.Argument(help="Folder for findings/ and calls/ (Parquet).")],
    input_format: Annotated[InputFormat, typer.Option(help="Format of the input.")] = "parquet",
    layout: Annotated[
        Layout, typer.Option(help="One row per turn, one per call, or auto-detect.")
    ] = "auto",
    config: ConfigFile = None,
    select: Select = None,
    extend_select: ExtendSelect = None,
    ignore: Ignore = None,
    profile: ProfileOption = None,
    packs: Packs = None,
    rules: RuleDirs = None,
    pass_mark: PassMark = None,
    veto: Vetoes = None,
    columns: Annotated[
        str | None, typer.Option(help="Input columns, e.g. 'id=call_id,text=content,turn=seq'.")
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output folder.")] = False,
    redact: Redact = None,
) -> None:
    """Lint a table where it lives, for spark-submit: findings and each call's score, as
    Parquet (see docs/spark.md). Needs pyspark: pip install 'replylint[spark]'."""
    settings = _settings(config, CommandLine(
        select=select, extend_select=extend_select, ignore=ignore, profile=profile,
        pass_mark=pass_mark, veto=veto, redact=redact,
    ))  # fmt: skip
    options = _options(settings, rules, packs)
    try:
        from pyspark.errors import AnalysisException  # noqa: PLC0415 - optional, and slow

        from replylint.spark import (  # noqa: PLC0415
            describe_failure,
            parse_columns,
            spark_check,
        )
    except ImportError:
        _fail("spark-check needs pyspark: pip install 'replylint[spark]'")
    options = replace(options, columns=_parsed("--columns", parse_columns, columns))
    try:
        summary = spark_check(
            input_path, output_path, options, input_format=input_format, layout=layout,
            overwrite=overwrite,
        )  # fmt: skip
    except (ValueError, AnalysisException) as error:
        _fail(str(error).splitlines()[0])
    except Exception as error:  # a crashed job is exit 2 with one line, never a traceback
        _fail(describe_failure(error))
    typer.echo(
        f"{summary.findings} findings in {summary.flagged} of {summary.calls} calls; "
        f"{summary.errors} unreadable calls; written to {output_path}",
        err=True,
    )
    raise typer.Exit(
        EXIT_ERROR if summary.errors else EXIT_FINDINGS if summary.findings else EXIT_CLEAN
    )


@app.command("rules")
def list_rules(
    packs: Packs = None,
    config: ConfigFile = None,
    rules: RuleDirs = None,
    profile: ProfileOption = None,
) -> None:
    """List the rules: code, name, pack, kind, severity, and whether the settings enable it."""
    settings = _settings(config, CommandLine(profile=profile))
    states = _or_fail(partial(settings.rule_states, rules, packs=packs))
    enabled = {rule.info.code for rule, on in states if on}
    lines = rule_table([rule for rule, _ in states], lambda rule: rule.info.code in enabled)
    typer.echo("\n".join(lines))


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code (FP005) or name.")],
    config: ConfigFile = None,
    rules: RuleDirs = None,
) -> None:
    """Explain a rule: what it flags and why, its message, suggestion, source and examples."""
    wanted = code.strip()
    states = _or_fail(partial(_settings(config).rule_states, rules))
    found = [(r, on) for r, on in states if wanted.upper() == r.info.code or wanted == r.info.name]
    if not found:
        _fail(f"no rule {code!r}; `replylint rules` lists them")
    rule, enabled = found[0]
    typer.echo("\n".join(explanation(rule, enabled=enabled)))


@app.command("test-rules")
def rule_tests(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Rule folders (default: the bundled and the configured packs)."),
    ] = None,
    config: ConfigFile = None,
    traditional: Annotated[
        bool | None,
        typer.Option(
            "--traditional/--no-traditional",
            help="Also run every example in Taiwan traditional Chinese (needs OpenCC: "
            "pip install opencc; by default, when it is installed).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load packs strictly, check their data and run every rule's flag and pass examples.
    Exit 0 when all is well, 1 when a pack does not load or a check or example fails."""
    try:
        loaded = load_packs(paths or _settings(config).rule_roots())
    except PackError as error:
        typer.echo("\n".join(f"FAIL {problem}" for problem in error.problems))
        raise typer.Exit(EXIT_FINDINGS) from None
    try:
        result = check_rules(loaded, traditional=traditional)
    except ConverterMissingError as error:
        _fail(str(error))
    typer.echo("\n".join(result.lines()))
    raise typer.Exit(EXIT_CLEAN if result.passed else EXIT_FINDINGS)


class EvalFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("eval")
def eval_command(
    labels: Annotated[
        Path,
        typer.Argument(
            help="Labels: a .labels.tsv file, a folder of them, or a review verdicts file "
            "(.jsonl, from `review add`)."
        ),
    ],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="The labelled transcripts (default: the labels' folder)."),
    ] = None,
    config: ConfigFile = None,
    select: Select = None,
    extend_select: ExtendSelect = None,
    ignore: Ignore = None,
    profile: ProfileOption = None,
    packs: Packs = None,
    rules: RuleDirs = None,
    verdicts: VerdictsFile = None,
    findings: Annotated[
        Path | None,
        typer.Option(help="Score an earlier run: the jsonl output of `check` on the same calls."),
    ] = None,
    output_format: Annotated[
        EvalFormat, typer.Option("--format", "-f", help="text for people, json for tools.")
    ] = EvalFormat.TEXT,
    min_precision: Annotated[float | None, typer.Option(help="Exit 1 below this.")] = None,
    min_recall: Annotated[float | None, typer.Option(help="Exit 1 below this.")] = None,
    min_f1: Annotated[float | None, typer.Option(help="Exit 1 below this.")] = None,
    per: Annotated[
        Group, typer.Option(help="What the --min-* thresholds hold: each rule, pack, or the total.")
    ] = Group.PACK,
    confusions: Annotated[
        bool, typer.Option(help="List every miss and false alarm with its words.")
    ] = True,
) -> None:
    """Measure the rules on labelled transcripts: precision, recall and F1 per rule, pack and
    channel, and every miss and false alarm. Exit 0 when every --min-* threshold holds, 1
    when one does not, 2 on labels that do not fit the transcripts."""
    settings = _settings(config, CommandLine(
        select=select, extend_select=extend_select, ignore=ignore, profile=profile,
    ))  # fmt: skip
    options = _options(settings, rules, packs)
    by_verdicts = labels.suffix == ".jsonl"
    review = _read(read_verdicts, labels if by_verdicts else verdicts)
    evaluation, errors = _or_fail(partial(
        evaluate_paths, None if by_verdicts else labels, paths or default_paths(labels),
        options.linter(), verdicts=review, findings=findings,
    ))  # fmt: skip
    if output_format is EvalFormat.JSON:
        typer.echo(evaluation_json(evaluation), nl=False)
    else:
        typer.echo(text_report(evaluation, confusions=confusions), nl=False)
    thresholds = Thresholds(precision=min_precision, recall=min_recall, f1=min_f1, per=per)
    for error in errors:
        typer.echo(str(error), err=True)
    short = shortfalls(evaluation, thresholds)
    for line in short:
        typer.echo(f"below threshold: {line}", err=True)
    raise typer.Exit(EXIT_ERROR if errors else EXIT_FINDINGS if short else EXIT_CLEAN)


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Where to write (default: here).")] = Path(),
) -> None:
    """Write a starter replylint.toml and a custom pack with one example rule (never
    overwrites): edit the rule, run `replylint test-rules`, then `replylint check`."""
    try:
        written = write_starter(folder)
    except FileExistsError as error:
        _fail(str(error))
    typer.echo("\n".join(f"wrote {path}" for path in written))
    typer.echo("next: edit the rule, run `replylint test-rules`, then `replylint check FILES`")


review_app = typer.Typer(
    no_args_is_help=True,
    help="Review verdicts: mark findings as false positives, so that they are suppressed.",
)
app.add_typer(review_app, name="review")


@review_app.command("add")
def review_add(
    verdicts: Annotated[
        Path, typer.Option("--verdicts", help="The verdicts file (JSONL; created if missing).")
    ],
    transcript: Annotated[str, typer.Option("--transcript", help="The transcript (call) id.")],
    rule: Annotated[str, typer.Option("--rule", help="The rule code of the finding.")],
    text: Annotated[str, typer.Option("--text", help="The finding's matched text.")],
    note: Annotated[str, typer.Option("--note", help="Why it is a false positive.")] = "",
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Who reviewed it (default: your user name).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Day of the review, 2026-07-20 (default: today).")
    ] = None,
) -> None:
    """Mark a finding (transcript, rule, matched text) as a false positive.

    `check` and `report` with --verdicts then no longer report or score it, and reports show
    each rule's confirmed false positives and false-positive rate."""
    verdict = Verdict(
        transcript=transcript.strip(),
        rule=rule.strip().upper(),
        text=text,
        reviewer=(reviewer if reviewer is not None else _user()).strip(),
        date=date if date is not None else dt.date.today().isoformat(),
        note=note.strip(),
    )
    try:
        earlier = add_verdict(verdicts, verdict)
    except VerdictsError as error:
        _fail(str(error))
    if earlier is not None:
        typer.echo(
            f"already marked as a false positive by {earlier.reviewer} on {earlier.date}; "
            f"{verdicts} is unchanged"
        )
    else:
        typer.echo(f"marked {verdict.rule} {verdict.text!r} in {verdict.transcript} in {verdicts}")


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        _fail("give --reviewer: your user name is not known here")


@contextlib.contextmanager
def _stop_on_interrupt(progress: Progress, outcome: str) -> Iterator[None]:
    """Ctrl-C: the run stops its workers, then how far it got, and exit code 130."""
    try:
        yield
    except KeyboardInterrupt:
        progress.interrupted(summary_line(progress.summary), outcome)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _lint(
    paths: list[str], options: Options, sink: Sink[_T], progress: Progress, outcome: str
) -> Summary:
    """A run whose sink writes a file at its end (a report, a baseline): Ctrl-C until the
    file is written leaves none, and ``outcome`` says so."""
    sink.start()
    with _stop_on_interrupt(progress, outcome):
        summary = lint_paths(paths, options, sink, progress)
        sink.finish(summary)  # atomic: all of it, or nothing
    return summary


def _record_baseline(
    path: Path, paths: list[str], options: Options, progress: Progress
) -> NoReturn:
    summary = _lint(
        paths, options, BaselineRecorder(path, _STREAMS.err), progress, "no baseline was written"
    )
    typer.echo(
        f"baseline written to {path}: {summary.findings} findings in "
        f"{summary.flagged} of {summary.transcripts} transcripts",
        err=True,
    )
    raise typer.Exit(EXIT_ERROR if summary.errors else EXIT_CLEAN)


def _baseline(path: Path | None, write_baseline: Path | None) -> Baseline | None:
    if path is not None and write_baseline is not None:
        _fail("--baseline and --write-baseline do not go together")
    return _read(read_baseline, path)


def _read(read: Callable[[Path], _T], path: Path | None) -> _T | None:
    """What ``read`` makes of the file, if one is given; one it refuses ends the command."""
    try:
        return None if path is None else read(path)
    except (BaselineError, VerdictsError) as error:
        _fail(str(error))


def _or_fail(make: Callable[[], _T]) -> _T:
    """What ``make`` gives; packs or settings it refuses end the command, every problem
    said."""
    try:
        return make()
    except (PackError, ConfigError, LabelsError) as error:
        _fail(*error.problems)


def _fail(*problems: str) -> NoReturn:
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _settings(config: Path | None, given: CommandLine | None = None) -> Settings:
    """The configuration found (or given), with the command line's options over it."""
    return _or_fail(partial((given or CommandLine()).settings, config, Path.cwd()))


def _options(settings: Settings, rules: list[Path] | None, packs: list[str] | None) -> Options:
    """The settings' part of a run's options (selection, profile, scoring, redact)."""
    return _or_fail(partial(Options.from_settings, settings, rule_dirs=rules, packs=packs))


def _show_settings(settings: Settings, rules: list[Path] | None) -> NoReturn:
    lines = _or_fail(lambda: describe(settings, load_packs(rules or settings.rule_roots())))
    typer.echo("\n".join(lines))
    raise typer.Exit(EXIT_CLEAN)


def _parsed(option: str, parse: Callable[[str], _T], value: str | None) -> _T | None:
    """The option's value as ``parse`` reads it; its ValueError ends the command."""
    try:
        return None if value is None else parse(value)
    except ValueError as error:
        _fail(f"{option}: {error}")


def _encoding(name: str | None) -> str | None:
    problem = None if name is None else check_encoding(name)
    if problem is not None:
        _fail(f"--encoding: {problem}")
    return name


def _progress(paths: list[str], *, quiet: bool) -> Progress:
    """On a terminal, a progress line; unless quiet, the timing line at the end."""
    shown = not quiet and sys.stderr.isatty()
    return Progress(paths, partial(typer.echo, err=True, nl=False), shown=shown, quiet=quiet)


_STREAMS = Streams(out=typer.echo, err=partial(typer.echo, err=True))


def _exit_code(summary: Summary) -> int:
    if summary.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if summary.findings else EXIT_CLEAN


def _use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def main() -> None:
    app()


_REFERENCE_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def help_reference() -> str:
    """docs/cli.md: what ``--help`` prints for the program and for every command, at a
    fixed width and without colour."""
    from typer.testing import CliRunner  # noqa: PLC0415 - only the docs need it

    runner = CliRunner()
    group = typer.main.get_command(app)
    names: list[str] = []
    for name, command in getattr(group, "commands", {}).items():
        names.append(name)
        names += [f"{name} {sub}" for sub in getattr(command, "commands", {})]
    lines = [
        "# Command line reference",
        "",
        "Generated from `--help` by `python -m replylint.cli > docs/cli.md`; do not edit.",
    ]
    for name in ["", *names]:
        args = [*name.split(), "--help"]
        result = runner.invoke(app, args, prog_name="replylint", env=_REFERENCE_ENV)
        title = f"replylint {name}".strip()
        trimmed = "\n".join(line.rstrip() for line in result.stdout.splitlines()).strip("\n")
        lines += ["", f"## {title}", "", "```text", trimmed, "```"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    typer.echo(help_reference(), nl=False)
