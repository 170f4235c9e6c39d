"""Output: results rendered for people and tools (text, JSON, JSON Lines, CSV) and the
reports for QA teams (HTML, XLSX, CSV). Nothing here lints or scores.

`FORMATS` is the registry of ``check --format``: a format is one module with a `Formatter`
and one line here. The reports have theirs in `replylint.output.reports`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from replylint.output.base import Formatter, Streams
from replylint.output.csv import CsvFormatter
from replylint.output.json import JsonFormatter
from replylint.output.jsonl import JsonlFormatter
from replylint.output.text import TextFormatter

FORMATS: Final[Mapping[str, type[Formatter[Any]]]] = MappingProxyType(
    {
        "text": TextFormatter,
        "json": JsonFormatter,
        "jsonl": JsonlFormatter,
        "csv": CsvFormatter,
    }
)

__all__ = ["FORMATS", "Formatter", "Streams"]
