"""What every reader shares: the item a reader yields, and where its bytes come from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from replylint.model import ReadError, Role, Transcript
from replylint.readers.limits import DEFAULT_LIMITS, Limits

FormatName = Literal["jsonl", "json", "text"]
Item = Transcript | ReadError


@dataclass(frozen=True, slots=True)
class Context:
    """Where the bytes come from and how to read them."""

    source: str  # shown in errors and stored on transcripts
    stem: str  # basis for fallback transcript ids
    default_role: Role
    encoding: str | None
    columns: tuple[tuple[str, str], ...] = ()  # field -> column, for CSV/XLSX tables
    limits: Limits = DEFAULT_LIMITS
