"""The command line: load, call the library, render, return an exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or input error (given
after every readable transcript has been linted).
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from replylint import __version__
from replylint.batch import lint_stream
from replylint.engine import Linter
from replylint.formatters import (
    Result,
    Summary,
    json_document,
    jsonl_lines,
    summary_line,
    text_lines,
)
from replylint.model import ReadError, Role
from replylint.packs import PackError, load_packs
from replylint.readers import read_paths

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Lint Chinese customer-service transcripts against service rules (质检).",
)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"


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


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files or folders (.jsonl, .json, .txt), or - for standard input."),
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.TEXT,
    role: Annotated[
        Role, typer.Option(help="Role of text that carries no role labels (a reply draft).")
    ] = Role.AGENT,
    packs: Annotated[
        list[str] | None, typer.Option("--pack", help="Only these packs (repeatable).")
    ] = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="Rule folders to load instead of the bundled packs."),
    ] = None,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour (default: on a terminal).")
    ] = None,
) -> None:
    """Lint transcripts and report every finding."""
    try:
        linter = Linter(load_packs(rules, packs=packs))
    except PackError as error:
        for problem in error.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    use_color = _use_color() if color is None else color
    summary = _run(linter, paths, role, output_format, use_color)
    raise typer.Exit(_exit_code(summary))


def _run(
    linter: Linter, paths: list[str], role: Role, output_format: OutputFormat, color: bool
) -> Summary:
    summary = Summary()
    results: list[Result] = []
    errors: list[ReadError] = []
    for item in lint_stream(linter, read_paths(paths, default_role=role)):
        if isinstance(item, ReadError):
            summary.errors += 1
            errors.append(item)
            if output_format is not OutputFormat.JSON:
                typer.echo(f"error: {item}", err=True)
            continue
        summary.add(item)
        if output_format is OutputFormat.JSON:
            results.append(item)
        else:
            render = (
                text_lines(item, color=color)
                if output_format is OutputFormat.TEXT
                else jsonl_lines(item)
            )
            for line in render:
                typer.echo(line)
    if output_format is OutputFormat.JSON:
        typer.echo(json_document(results, errors, summary))
    else:
        typer.echo(summary_line(summary), err=output_format is OutputFormat.JSONL)
    return summary


def _exit_code(summary: Summary) -> int:
    if summary.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if summary.findings else EXIT_CLEAN


def _use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def main() -> None:
    app()
