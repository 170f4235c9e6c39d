"""JSON: one transcript object, or a list of them; a syntax error in a list loses only
the transcript it is in, and reading resumes at the list's next element."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Final

from replylint.model import ReadError, ReadErrorKind
from replylint.readers.base import Context, DocumentFormat, Item
from replylint.readers.decoding import Decoded
from replylint.readers.objects import (
    JSON_DECODER,
    build_transcript,
    may_hold_surrogates,
    skip_json_space,
    syntax_message,
    too_deep_message,
)


class _Lines:
    """Line numbers of offsets into a text, counted incrementally for rising offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        if offset < self.offset:  # never expected; correct, if slower
            return self.text.count("\n", 0, offset) + 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


@dataclass(frozen=True, slots=True)
class _Broken:
    """A stretch of a JSON list that is not valid JSON, from ``start``; ``error`` is None
    when it nests too deeply. Reading resumes at the next transcript, if one is found."""

    start: int
    error: json.JSONDecodeError | None
    resumes: int | None


_Element = tuple[int, int, object] | _Broken  # (start, end, value) or what could not be read
# A transcript in a list follows "[" or ",": where to look for one after a syntax error.
_ELEMENT_START: Final = re.compile(r"[\[,][ \t\n\r]*(\{)")
_RESYNC_FAILURES: Final = 100  # each failed try costs a count of lines up to it: bounded


# Strings whole (a bracket inside one counts for nothing) and the brackets between them.
_BRACKET_TOKENS: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _list_elements_after(text: str, element: int, start: int) -> Iterator[int]:
    """Where objects of the list start after ``start``, by counting brackets from the
    broken element at ``element`` (one level into the list): objects nested inside the
    broken element (a history in its meta) are not elements of the list."""
    depth = 1
    for token in _BRACKET_TOKENS.finditer(text, element):
        bracket = token.group()
        if bracket in "[{":
            if depth == 1 and bracket == "{" and token.start() >= start:
                yield token.start()
            depth += 1
        elif bracket in "]}":
            depth -= 1
            if depth == 0:
                return  # the list has ended


def _next_transcript(text: str, element: int, start: int) -> int | None:
    """Where the next transcript of a list starts after ``start`` (the broken element at
    ``element``): an object holding "turns" that ends before a "," or "]"; None if there is
    none (or none in sight). Objects one level into the list come first; when the broken
    element's own brackets do not balance, any object after "[" or "," will do."""
    for candidates in (
        _list_elements_after(text, element, start),
        # From the broken element on: the "," before the next one may stand before
        # ``start`` (an object missing its "}" breaks exactly at the next one's "{").
        (m.start(1) for m in _ELEMENT_START.finditer(text, element) if m.start(1) >= start),
    ):
        found = _first_transcript(text, candidates)
        if found is not None:
            return found
    return None


def _first_transcript(text: str, candidates: Iterable[int]) -> int | None:
    failures = 0
    for candidate in candidates:
        try:
            value, end = JSON_DECODER.raw_decode(text, candidate)
        except (ValueError, RecursionError):
            failures += 1
            if failures > _RESYNC_FAILURES:
                return None
            continue
        after = skip_json_space(text, end)
        if isinstance(value, dict) and "turns" in value and text.startswith((",", "]"), after):
            return candidate
    return None


def _broken(text: str, start: int, error: json.JSONDecodeError | None) -> _Broken:
    resume_from = start + 1 if error is None else max(error.pos, start + 1)
    return _Broken(start, error, _next_transcript(text, start, resume_from))


def _array_elements(text: str, pos: int) -> Iterator[_Element]:
    """Each element of the JSON array opening at ``text[pos]``, or the stretch that is
    not valid JSON, after which reading resumes at the next transcript.

    Decoding element by element gives each transcript its lines, and one syntax error
    loses only the transcript it is in.
    """
    pos = skip_json_space(text, pos + 1)
    if text.startswith("]", pos):
        _expect_end(text, pos + 1)
        return
    while True:
        try:
            value, end = JSON_DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            broken = _broken(text, pos, err)
        except RecursionError:
            broken = _broken(text, pos, None)
        else:
            yield pos, end, value
            pos = skip_json_space(text, end)
            if text.startswith("]", pos):
                break
            if text.startswith(",", pos):
                pos = skip_json_space(text, pos + 1)
                continue
            broken = _broken(text, pos, json.JSONDecodeError("Expecting ',' delimiter", text, pos))
        yield broken
        if broken.resumes is None:
            return
        pos = broken.resumes
    _expect_end(text, pos + 1)


def _expect_end(text: str, pos: int) -> None:
    pos = skip_json_space(text, pos)
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)


@dataclass(frozen=True, slots=True)
class _JsonDocument:
    """A decoded JSON document being read: its text, line numbers and bad lines."""

    decoded: Decoded
    ctx: Context
    lines: _Lines
    repair: bool
    bad_lines: tuple[int, ...]  # sorted

    def bad_line_in(self, first: int, last: int) -> int | None:
        index = bisect.bisect_left(self.bad_lines, first)
        found = self.bad_lines[index] if index < len(self.bad_lines) else None
        return found if found is not None and found <= last else None

    def element(self, start: int, end: int, value: object, index: int | None) -> Item:
        first, last = self.lines.at(start), self.lines.at(end)
        bad = self.bad_line_in(first, last)
        if bad is not None:  # a transcript that holds an undecodable line is not read
            message = self.decoded.bad_lines[bad]
            return ReadError(self.ctx.source, bad, message, ReadErrorKind.DECODE)
        stem = self.ctx.stem if index is None else f"{self.ctx.stem}#{index}"
        source, text = self.ctx.source, self.decoded.text[start:end]
        return build_transcript(
            value, source, first, stem, index, repair=self.repair, json_text=text
        )

    def broken(self, broken: _Broken) -> ReadError:
        if broken.error is None:
            line = self.lines.at(broken.start)
            error = ReadError(self.ctx.source, line, too_deep_message(), ReadErrorKind.OVER_LIMIT)
        elif broken.resumes is not None and broken.error.pos >= broken.resumes:
            error = self.unclosed(broken.start, broken.error)
        else:
            error = self.syntax_error(broken.error)
        if broken.resumes is None:
            return error
        resumed = f"; skipped to the next transcript, on line {self.lines.at(broken.resumes)}"
        return replace(error, message=error.message + resumed)

    def unclosed(self, start: int, error: json.JSONDecodeError) -> ReadError:
        """A transcript that runs into the next one (its "}" missing): the fault is its own,
        so the error names its first line, not the next transcript's."""
        line = self.lines.at(start)
        message = f"invalid JSON: the transcript is not closed ({error.msg} on line {error.lineno})"
        return ReadError(self.ctx.source, line, message, ReadErrorKind.JSON_SYNTAX)

    def syntax_error(self, error: json.JSONDecodeError) -> ReadError:
        """Where the JSON breaks; a line there that could not be decoded is the reason."""
        line = self.lines.at(error.pos)
        bad = self.decoded.bad_lines.get(line)
        if bad is not None:
            return ReadError(self.ctx.source, line, bad, ReadErrorKind.DECODE)
        if not self.decoded.text.strip():
            message = "invalid JSON: the file is empty"
        else:
            message = syntax_message(error, "file")
        return ReadError(self.ctx.source, line, message, ReadErrorKind.JSON_SYNTAX)


def _json_transcripts(document: _JsonDocument) -> Iterator[Item]:
    text = document.decoded.text
    pos = skip_json_space(text, 0)
    if not text.startswith("[", pos):
        value, end = JSON_DECODER.raw_decode(text, pos)
        _expect_end(text, end)
        yield document.element(pos, end, value, None)
        return
    for index, element in enumerate(_array_elements(text, pos)):
        if isinstance(element, _Broken):
            yield document.broken(element)
        else:
            yield document.element(*element, index)


def sniff(line: str, cut: bool) -> bool:
    """``[`` followed by ``{``, ``]`` or the end of the line, or ``{`` opening an object
    over several lines; any ``[`` that opens a line too long to hold."""
    after_bracket = line[1:].lstrip()[:1]
    if line.startswith("["):
        return cut or after_bracket in ("", "{", "]")
    return line.startswith("{") and not cut and after_bracket in ("", '"', "}")


def read(decoded: Decoded, ctx: Context) -> Iterator[Item]:
    document = _JsonDocument(
        decoded,
        ctx,
        _Lines(decoded.text),
        may_hold_surrogates(decoded.text),
        tuple(sorted(decoded.bad_lines)),
    )
    try:
        yield from _json_transcripts(document)
    except json.JSONDecodeError as err:
        yield document.syntax_error(err)
    except RecursionError:
        yield ReadError(ctx.source, None, too_deep_message(), ReadErrorKind.OVER_LIMIT)
    except ValueError as err:  # past Python's limit on the digits of an integer
        yield ReadError(ctx.source, None, f"invalid JSON: {err}", ReadErrorKind.OVER_LIMIT)


FORMAT = DocumentFormat(name="json", suffixes=(".json",), sniff=sniff, read=read)
