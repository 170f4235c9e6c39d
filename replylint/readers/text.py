"""The plain-text format: one ``角色：内容`` turn per line, optionally timed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Final

from replylint.model import ReadError, ReadErrorKind, Role, Transcript, Turn
from replylint.readers.base import Context, DocumentFormat, Item
from replylint.readers.clock import leading_timestamp
from replylint.readers.decoding import Decoded
from replylint.readers.roles import ROLE_BY_WORD, fold_label

# Longest words first, so 客服人员 wins over 客服 + suffix (same role, but a cleaner match).
_ROLE_ALTERNATION = "|".join(sorted(map(re.escape, ROLE_BY_WORD), key=len, reverse=True))
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A suffix naming the speaker. An id may start with a letter only after a CJK role word,
# so "users:" or "user id:" are not labels while 客服A12, agent-7 and agent 7 are.
_ID_SUFFIX = r"(?<![a-z])[0-9a-z#_-]{1,12}|\s?[#_-]?[0-9][0-9a-z#_-]{0,11}|[#_-][0-9a-z#_-]{1,11}"
_NAME_SUFFIX = rf"[{_CJK}]{{1,3}}"  # 客服小王; longer runs are prose: 客户反映的问题
_BRACKETED = r"\([^()]{1,20}\)|\[[^\[\]]{1,20}\]|【[^【】]{1,20}】|〔[^〔〕]{1,20}〕"
_LABEL: Final = re.compile(
    rf"(?P<role>{_ROLE_ALTERNATION})(?:{_ID_SUFFIX}|{_NAME_SUFFIX})?(?:\s?(?:{_BRACKETED}))?"
)
_MAX_LABEL_CHARS: Final = 40
_SEPARATOR: Final = re.compile(r"[:：]")
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class _Label:
    role: Role
    content: str
    start_ms: int | None
    end_ms: int | None = None


def _label_role(label: str) -> Role | None:
    match = _LABEL.fullmatch(fold_label(label))
    return None if match is None else ROLE_BY_WORD[match["role"]]


def _split_label(line: str) -> _Label | None:
    """``[00:01] 客服(1023)：内容`` -> role, content and start; None if the line has no label."""
    stamp = leading_timestamp(line)
    body = line[stamp.end :] if stamp else line
    separator = _SEPARATOR.search(body, 0, _MAX_LABEL_CHARS + 1)
    if separator is None:
        return None
    role = _label_role(body[: separator.start()])
    if role is None:
        return None
    content = body[separator.end() :].strip()
    if stamp is None:
        return _Label(role, content, None)
    return _Label(role, content, stamp.start_ms, stamp.end_ms)


@dataclass(slots=True)
class _OpenTurn:
    """A turn still collecting continuation lines."""

    role: Role
    lines: list[str]
    start_ms: int | None = None
    end_ms: int | None = None

    def close(self) -> Turn:
        return Turn(self.role, "\n".join(self.lines), self.start_ms, self.end_ms)


def _stripped_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, stripped, one at a time: no list of them all."""
    start = 0
    for match in _LINE_BREAK.finditer(text):
        yield text[start : match.start()].strip()
        start = match.end()
    yield text[start:].strip()


def parse_text(
    text: str,
    *,
    transcript_id: str,
    source: str | None = None,
    default_role: Role = Role.AGENT,
    max_turns: int | None = None,
) -> Transcript:
    """Parse the plain-text format: one ``角色：内容`` turn per line.

    A line without a label continues the previous turn; unlabelled lines before the first
    label form one `default_role` turn. A text with no label at all (a reply draft, a script)
    becomes one `default_role` turn per non-blank line. Never raises.

    ``max_turns``: stop once there are more turns (or unlabelled lines before the first
    label) than this; the transcript then has more than ``max_turns`` turns, for the
    caller to report as over its limit without building every turn first.
    """
    preamble: list[str] = []
    turns: list[_OpenTurn] = []
    for line in filter(None, _stripped_lines(text.removeprefix("\ufeff"))):
        label = _split_label(line)
        if label is not None:
            turns.append(
                _OpenTurn(
                    label.role,
                    [label.content] if label.content else [],
                    label.start_ms,
                    label.end_ms,
                )
            )
        elif turns:
            turns[-1].lines.append(line)
        else:
            preamble.append(line)
        if max_turns is not None and max(len(turns), len(preamble)) > max_turns:
            break
    if not turns:  # a draft: each line is a reply of its own
        turns = [_OpenTurn(default_role, [line]) for line in preamble]
    elif preamble:
        turns.insert(0, _OpenTurn(default_role, preamble))
    return Transcript(id=transcript_id, turns=tuple(t.close() for t in turns), source=source)


def sniff(line: str, cut: bool) -> bool:
    """Any line: what no other format claims is plain text."""
    return True


def read(decoded: Decoded, ctx: Context) -> Iterator[Item]:
    """One file, one transcript."""
    yield _transcript(decoded, ctx)


def _transcript(decoded: Decoded, ctx: Context) -> Item:
    if decoded.bad_lines:  # one file, one transcript: a line that cannot be read fails it
        line = min(decoded.bad_lines)
        return ReadError(ctx.source, line, decoded.bad_lines[line], ReadErrorKind.DECODE)
    limit = ctx.limits.turns
    transcript = parse_text(
        decoded.text,
        transcript_id=ctx.stem,
        source=ctx.source,
        default_role=ctx.default_role,
        max_turns=limit,
    )
    if len(transcript.turns) > limit:  # parsing stopped there: the count is not known
        message = f"transcript {ctx.stem!r}: more than the limit of {limit:,} turns"
        return ReadError(ctx.source, 1, message, ReadErrorKind.OVER_LIMIT)
    return replace(transcript, line=1)


FORMAT = DocumentFormat(name="text", suffixes=(".txt",), sniff=sniff, read=read)
