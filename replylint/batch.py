"""Lint a stream of read items: each transcript becomes a Result, read errors pass through."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from replylint.engine import Linter
from replylint.formatters import Result
from replylint.model import ReadError, Transcript


def lint_stream(
    linter: Linter, items: Iterable[Transcript | ReadError]
) -> Iterator[Result | ReadError]:
    """Lazily lint what the readers yield, in input order; nothing is held back."""
    for item in items:
        if isinstance(item, ReadError):
            yield item
        else:
            yield Result(item, linter.lint(item))
