"""The command line: load, call the library, render, return an exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or input error (given
after every readable transcript has been linted).
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from replylint import __version__
from replylint.batch import Render, default_jobs, lint_units
from replylint.engine import Linter
from replylint.formatters import (
    JsonParts,
    Summary,
    json_document,
    json_parts,
    jsonl_block,
    summary_line,
    text_block,
)
from replylint.model import ReadError, Role
from replylint.packs import PackError, load_packs
from replylint.readers import read_units

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
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: the cores)."),
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
    units = read_units(paths, default_role=role)
    run = _Run(output_format, use_color)
    for output in lint_units(linter, units, run.render(), jobs=jobs or default_jobs()):
        run.write(output.items)
        run.summary.merge(output.summary)
    run.finish()
    raise typer.Exit(_exit_code(run.summary))


class _Run:
    """Writes what the workers rendered, as it comes; the json document at the end."""

    def __init__(self, output_format: OutputFormat, color: bool) -> None:
        self.output_format = output_format
        self.color = color
        self.summary = Summary()
        self.parts: list[JsonParts] = []
        self.errors: list[ReadError] = []

    def render(self) -> Render[object]:
        renders: dict[OutputFormat, Render[object]] = {
            OutputFormat.JSON: json_parts,
            OutputFormat.JSONL: jsonl_block,
            OutputFormat.TEXT: partial(text_block, color=self.color),
        }
        return renders[self.output_format]

    def write(self, items: list[object]) -> None:
        for item in items:
            if isinstance(item, ReadError):
                self.errors.append(item)
                if self.output_format is not OutputFormat.JSON:
                    typer.echo(f"error: {item}", err=True)
            elif isinstance(item, JsonParts):
                self.parts.append(item)
            else:
                assert isinstance(item, list)
                for line in item:
                    typer.echo(line)

    def finish(self) -> None:
        if self.output_format is OutputFormat.JSON:
            typer.echo(json_document(self.parts, self.errors, self.summary))
        else:
            typer.echo(summary_line(self.summary), err=self.output_format is OutputFormat.JSONL)


def _exit_code(summary: Summary) -> int:
    if summary.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if summary.findings else EXIT_CLEAN


def _use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def main() -> None:
    app()
