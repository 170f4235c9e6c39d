"""Decoding: the bytes of any call-centre export to text, or an error naming the line.

Automatic detection decides on the whole file first, and line by line only for a file
that truly mixes encodings (issue 15):
    1. UTF-16 (little or big endian) when the data starts with its BOM; decoded whole.
    2. UTF-8 when the whole data is valid UTF-8 and sure to be: it has a UTF-8 BOM, or
       enough multi-byte characters (`SURE_UTF8_EXTRA_BYTES`: GBK or Big5 bytes form
       valid UTF-8 by chance for a few characters at most, as 谢谢 in GBK is лл). Valid
       UTF-8 of fewer is read as whichever reading is likeliest (`_likeliest`, below).
    3. Otherwise, one legacy Chinese encoding throughout: GB18030 (a superset of GBK and
       GB2312) or Big5 (cp950), whichever reads the first megabyte of its non-UTF-8
       lines with fewer odd characters (`plausibility`; of as few, more hanzi; ties go to
       GB18030), when it decodes the whole file as plausible Chinese and no line of it
       reads better as UTF-8. A row of emoji among them costs nothing.
    4. Otherwise (truly mixed, damaged, or implausible as a whole), line by line. A line
       sure to be UTF-8 is UTF-8. A valid UTF-8 line of a few characters is read by the
       likeliest codec: another than UTF-8 only when it reads the line as plausible
       Chinese and better (more plausible; as plausible with more hanzi), ties to the
       file's own encoding (`Preference`). A line whose UTF-8 part holds common hanzi
       (`DAMAGED_UTF8_AFTER`) up to a bad byte is damaged UTF-8 (a cut character), unless
       a legacy codec reads the whole line as plausible Chinese. Every other line is read
       with the legacy codec that reads it best.
    5. A line that no codec decodes, or whose best reading is implausible (less than
       `PLAUSIBLE_SHARE` common characters, judged once it has `JUDGED_CHARS` non-ASCII
       characters: binary data, UTF-16 without a BOM, another encoding), is an error
       that says to force an encoding.
    A line holding a NUL character is an error too: no text export has one, binary data
    and UTF-16 without a BOM do. Each JSONL line (`decode_line`) is read as in 4 and 5,
    with its file's `Preference` judged on the file's first megabyte (`file_preference`).

A forced encoding is used as it is, for every line (for every character, when the codec
cannot be split on the byte ``\\n``, like UTF-16).

A whole document (`decode_document`) never fails for one bad line: that line comes back
decoded with U+FFFD for what could not be read, and listed in ``bad_lines`` with the
reason, so a reader can fail just the transcript that holds it.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from replylint.readers.plausible import hanzi_count, plausibility

__all__ = [
    "DAMAGED_UTF8_AFTER",
    "DEFAULT_PREFERENCE",
    "JUDGED_CHARS",
    "LEGACY_CODECS",
    "PLAUSIBLE_SHARE",
    "SURE_UTF8_EXTRA_BYTES",
    "DecodeError",
    "Decoded",
    "Preference",
    "check_encoding",
    "decode_document",
    "decode_line",
    "file_preference",
    "is_ascii_compatible",
    "plausibility",
]

LEGACY_CODECS: Final = ("gb18030", "cp950")  # GBK/GB2312's superset, and Big5 as Windows has it
PLAUSIBLE_SHARE: Final = 0.8  # Chinese text scores 0.98-1.0; a wrong codec's reading 0.2-0.7
JUDGED_CHARS: Final = 4  # fewer non-ASCII characters than this prove nothing either way
DAMAGED_UTF8_AFTER: Final = 2  # GBK bytes almost never form two common hanzi in UTF-8

_UTF16_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BOM: Final = "\ufeff"
_FORCE_HINT: Final = "force the right one (--encoding)"
_SAMPLE_BYTES: Final = 1 << 20  # of a file's non-UTF-8 lines, to choose its legacy codec
# Bytes that valid UTF-8 spends beyond one a character: past this many (32 hanzi), it is
# UTF-8 for sure. GBK or Big5 bytes form valid UTF-8 by chance for a few characters at
# most (谢谢 in GBK is лл in UTF-8), about one chance in eight a character.
SURE_UTF8_EXTRA_BYTES: Final = 64


@dataclass(frozen=True, slots=True)
class Preference:
    """How the lines of one file are read when bytes could be read more than one way:
    its legacy codecs, the likeliest first, and whether UTF-8 wins a tie of
    plausibility (a file of UTF-8) or loses it (a file in a legacy encoding)."""

    order: tuple[str, ...] = LEGACY_CODECS
    utf8_first: bool = True


DEFAULT_PREFERENCE: Final = Preference()


class DecodeError(Exception):
    """Data that cannot be decoded; ``line`` (1-based) is where, when known."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded document: its text, and the lines that could not be decoded (1-based
    line -> why), which stand in the text with U+FFFD for what could not be read."""

    text: str
    bad_lines: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))


# --------------------------------------------------------------------------- codecs


def check_encoding(encoding: str) -> str | None:
    """Why `encoding` cannot be used to read text, or None if it can."""
    try:
        b"".decode(encoding)  # also rejects bytes-to-bytes codecs such as base64
        "".encode(encoding)
    except LookupError as err:
        return f"unknown text encoding {encoding!r}: {err}"
    return None


def is_ascii_compatible(encoding: str) -> bool:
    """Whether lines of this codec can be split on the byte ``\\n`` (false for UTF-16/32)."""
    try:
        return "\n{".encode(encoding) == b"\n{"
    except UnicodeError:  # exotic codecs (idna…) refuse even this
        return False


# --------------------------------------------------------------------------- one line


def _utf8_damage(raw: bytes, err: UnicodeDecodeError) -> str | None:
    """Why a line that is UTF-8 up to ``err`` looks like damaged UTF-8, or None when
    its UTF-8 part is too short or implausible to say (GBK often forms a few Greek or
    Cyrillic letters, or Arabic digits, in UTF-8; it hardly ever forms common hanzi)."""
    prefix = raw[: err.start].decode("utf-8")
    if hanzi_count(prefix) < DAMAGED_UTF8_AFTER or plausibility(prefix)[0] < PLAUSIBLE_SHARE:
        return None
    return (
        f"damaged UTF-8 ({err.reason}, byte 0x{raw[err.start : err.start + 1].hex()}): "
        "a character cut in two, or bytes of another encoding in UTF-8 text"
    )


@dataclass(frozen=True, slots=True)
class _Reading:
    codec: str
    text: str
    share: float
    chars: int

    def rank(self) -> tuple[float, int]:
        """More plausible first; of equally plausible, the one with more hanzi."""
        return self.share, hanzi_count(self.text)


def _readings(raw: bytes, codec_names: Sequence[str]) -> list[_Reading | UnicodeDecodeError]:
    readings: list[_Reading | UnicodeDecodeError] = []
    for name in codec_names:
        try:
            text = raw.decode(name)
        except UnicodeDecodeError as err:
            readings.append(err)
            continue
        readings.append(_Reading(name, text, *plausibility(text)))
    return readings


def _alternatives(names: Sequence[str]) -> str:
    """("utf-8", "gb18030", "cp950") -> "utf-8, gb18030 or cp950"."""
    return " or ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def _undecodable(raw: bytes, tried: Sequence[str], failures: list[UnicodeDecodeError]) -> str:
    # The codec that got furthest is the likeliest intended one: report its first bad byte.
    furthest = max(failures, key=lambda failure: failure.start)
    bad = raw[furthest.start : furthest.start + 1].hex()
    return f"cannot decode as {_alternatives(tried)}: {furthest.reason} (byte 0x{bad})"


def _legacy_reading(raw: bytes, order: Sequence[str], utf8_error: UnicodeDecodeError) -> _Reading:
    """A line that is not UTF-8, read with the codec that reads it most plausibly (ties
    to the earlier in ``order``); raises `DecodeError` (line unknown) otherwise."""
    readings = _readings(raw, order)
    decoded = [r for r in readings if isinstance(r, _Reading)]
    if not decoded:
        failures = [utf8_error, *(r for r in readings if isinstance(r, UnicodeDecodeError))]
        raise DecodeError(None, _undecodable(raw, ("utf-8", *order), failures))
    best = max(decoded, key=_Reading.rank)  # max keeps the first of equals
    if best.chars >= JUDGED_CHARS and best.share < PLAUSIBLE_SHARE:
        raise DecodeError(
            None,
            f"not UTF-8, and not plausible as {_alternatives(order)} (only {best.share:.0%} "
            f"of its characters are common Chinese ones, as {best.codec}): binary data, "
            f"or another encoding; {_FORCE_HINT}",
        )
    return best


def _auto_line(raw: bytes, preference: Preference) -> str:
    """The likeliest reading of a line: UTF-8 when it is sure, else the most plausible
    (see the module docstring). A line whose UTF-8 part reads as Chinese is damaged UTF-8
    unless a legacy codec reads all of it as plausible Chinese too."""
    if b"\x00" in raw:  # UTF-16 without a BOM is mostly NUL bytes: say so, first
        _without_nul("\x00")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return _not_utf8_line(raw, preference.order, err)
    if len(raw) - len(text) >= SURE_UTF8_EXTRA_BYTES or raw.isascii() or _sure_utf8(raw, text):
        return text  # the first two: _sure_utf8's commonest cases, tested inline (per line)
    return _likeliest(raw, text, preference).text


def _sure_utf8(raw: bytes, text: str) -> bool:
    """UTF-8 that no other encoding can be: ASCII, a UTF-8 BOM, or enough multi-byte
    characters (see `SURE_UTF8_EXTRA_BYTES`)."""
    return raw.startswith(codecs.BOM_UTF8) or len(raw) - len(text) >= SURE_UTF8_EXTRA_BYTES


def _likeliest(raw: bytes, utf8_text: str, preference: Preference) -> _Reading:
    """Valid UTF-8 of a few characters, which GBK or Big5 bytes can be too: read
    otherwise only by a codec that reads it as plausible Chinese (`PLAUSIBLE_SHARE`) and
    better (`_Reading.rank`), ties to the file's own encoding."""
    utf8 = _Reading("utf-8", utf8_text, *plausibility(utf8_text))
    legacy = [
        r
        for r in _readings(raw, preference.order)
        if isinstance(r, _Reading) and r.share >= PLAUSIBLE_SHARE
    ]
    ranked = [utf8, *legacy] if preference.utf8_first else [*legacy, utf8]
    return max(ranked, key=_Reading.rank)  # max keeps the first of equals


def _not_utf8_line(raw: bytes, order: Sequence[str], err: UnicodeDecodeError) -> str:
    damage = _utf8_damage(raw, err)
    try:
        reading = _legacy_reading(raw, order, err)
    except DecodeError as failure:
        raise DecodeError(None, damage or failure.message) from None
    if damage is not None and reading.chars < JUDGED_CHARS:
        raise DecodeError(None, damage) from None
    return reading.text


def _forced_line(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        bad = raw[err.start : err.start + 1].hex()
        raise DecodeError(
            None, f"cannot decode as {encoding}: {err.reason} (byte 0x{bad})"
        ) from None
    except UnicodeError as err:  # some codecs give no position
        raise DecodeError(None, f"cannot decode as {encoding}: {err}") from None


def _without_nul(text: str) -> str:
    if "\x00" in text:
        raise DecodeError(
            None,
            "holds a NUL character: binary data, or UTF-16 without a BOM "
            "(force it with --encoding utf-16-le)",
        )
    return text


def decode_line(
    raw: bytes, encoding: str | None = None, preference: Preference = DEFAULT_PREFERENCE
) -> str:
    """One line (of JSONL): forced ``encoding``, or detected (see the module docstring),
    ties going as the file's ``preference`` says; a leading BOM is removed. Raises
    `DecodeError` without a line number."""
    if encoding is None:  # _auto_line has looked for NUL bytes already
        return _auto_line(raw, preference).removeprefix(_BOM)
    return _without_nul(_forced_line(raw, encoding)).removeprefix(_BOM)


# --------------------------------------------------------------------------- documents


def _line_of_offset(data: bytes, offset: int, codec_name: str) -> int:
    try:
        prefix = data[:offset].decode(codec_name, errors="replace")
    except UnicodeError:  # a codec without "replace" support; bytes are close enough
        return data.count(b"\n", 0, offset) + 1
    return prefix.count("\n") + 1


def _decode_whole(data: bytes, encoding: str) -> str:
    """Codecs whose lines cannot be split on ``\\n``; a failure fails the document."""
    try:
        return data.decode(encoding).removeprefix(_BOM)
    except UnicodeDecodeError as err:
        bad = data[err.start : err.start + 1].hex()
        line = _line_of_offset(data, err.start, encoding)
        raise DecodeError(
            line, f"cannot decode as {encoding}: {err.reason} (byte 0x{bad})"
        ) from None
    except UnicodeError as err:  # some codecs give no position
        raise DecodeError(None, f"cannot decode as {encoding}: {err}") from None


def _document_order(lines: Sequence[bytes]) -> tuple[str, ...]:
    """The legacy codecs, the one that reads the file's non-UTF-8 lines best first; the
    first `_SAMPLE_BYTES` of them tell as well as all would."""
    sample = b"\n".join(lines)  # a sample already: see `_preference`

    texts = {codec: sample.decode(codec, errors="replace") for codec in LEGACY_CODECS}

    def odd_characters(codec: str) -> float:  # U+FFFD counts as implausible
        share, chars = plausibility(texts[codec])
        return (1 - share) * chars

    odd = {codec: odd_characters(codec) for codec in LEGACY_CODECS}
    if len(set(odd.values())) < len(odd):  # a tie: more hanzi (not punctuation) first
        return tuple(sorted(LEGACY_CODECS, key=lambda c: (odd[c], -hanzi_count(texts[c]))))
    return tuple(sorted(LEGACY_CODECS, key=odd.__getitem__))  # stable: ties keep GB18030 first


def file_preference(lines: Iterable[bytes]) -> Preference:
    """A file's `Preference`, from its first lines (a megabyte of those beyond ASCII):
    its legacy codecs ranked on those that are not UTF-8, and UTF-8 first unless most of
    them are not UTF-8."""
    wide = ((raw, _is_utf8(raw)) for raw in lines if not raw.isascii())
    sample = list(_accumulate_until(wide, _SAMPLE_BYTES))
    return _preference(sample, [raw for raw, valid in sample if not valid])


def _preference(wide: Sequence[object], legacy: Sequence[bytes]) -> Preference:
    """From the lines beyond ASCII, and those of them that are not UTF-8."""
    return Preference(_document_order(legacy), utf8_first=2 * len(legacy) <= len(wide))


def _accumulate_until(
    lines: Iterable[tuple[bytes, bool]], limit: int
) -> Iterator[tuple[bytes, bool]]:
    """Lines (with whether each is valid UTF-8) up to about ``limit`` bytes."""
    total = 0
    for line in lines:
        if total >= limit:
            return
        total += len(line[0])
        yield line


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _legacy_whole(data: bytes, codec: str) -> Decoded | None:
    """A document in one legacy encoding throughout, decoded at once: the fast path,
    taken when it decodes and reads as plausible Chinese as a whole."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    share, chars = plausibility(text)
    if chars >= JUDGED_CHARS and share < PLAUSIBLE_SHARE:
        return None
    return _checked_for_nul(text.removeprefix(_BOM))


def _decode_auto(data: bytes) -> Decoded:
    """Not sure to be UTF-8: in one legacy encoding throughout, judged as a whole, or
    truly mixed (or damaged), read line by line."""
    lines = data.split(b"\n")
    # Which lines are valid UTF-8, at C speed: those read without U+FFFD.
    as_utf8 = data.decode("utf-8", errors="replace").split("\n")
    wide = [
        (raw, "\ufffd" not in text)
        for raw, text in zip(lines, as_utf8, strict=True)
        if not raw.isascii()
    ]
    sample = list(_accumulate_until(wide, _SAMPLE_BYTES))
    preference = _preference(sample, [raw for raw, valid in sample if not valid])
    codec = preference.order[0]
    whole = _legacy_whole(data, codec)
    utf8_lines = (raw for raw, valid in wide if valid)
    if whole is not None and not any(_reads_better_in_utf8(raw, codec) for raw in utf8_lines):
        return whole
    return _decode_by_line(lines, lambda raw: _auto_line(raw, preference), "utf-8")


def _reads_better_in_utf8(raw: bytes, codec: str) -> bool:
    """Whether a line is UTF-8 in a file otherwise in ``codec``: the file truly mixes."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if _sure_utf8(raw, text):
        return True
    return _likeliest(raw, text, Preference((codec,), utf8_first=True)).codec == "utf-8"


def _decode_by_line(
    lines: Sequence[bytes], decode: Callable[[bytes], str], fallback: str
) -> Decoded:
    """Each line decoded on its own; one that cannot be is listed, read with U+FFFD."""
    texts: list[str] = []
    bad: dict[int, str] = {}
    for number, raw in enumerate(lines, 1):
        try:
            texts.append(_without_nul(decode(raw)))
        except DecodeError as err:
            bad[number] = err.message
            texts.append(_replaced(raw, fallback))
    return Decoded("\n".join(texts).removeprefix(_BOM), MappingProxyType(bad))


def _replaced(raw: bytes, encoding: str) -> str:
    """What can be read of a bad line, U+FFFD for the rest: it keeps the JSON around it."""
    try:
        return raw.decode(encoding, errors="replace")
    except UnicodeError:  # a codec without "replace" support
        return raw.decode("latin-1")


def decode_document(data: bytes, encoding: str | None = None) -> Decoded:
    """A whole file: forced ``encoding``, or detected (see the module docstring).

    Raises `DecodeError` only when the document cannot be read line by line (UTF-16 or
    another codec that cannot be split on ``\\n``, decoding with an error); otherwise
    undecodable lines are listed in ``bad_lines``.
    """
    if encoding is None and data.startswith(_UTF16_BOMS):
        encoding = "utf-16"
    if encoding is not None and not is_ascii_compatible(encoding):
        return _checked_for_nul(_decode_whole(data, encoding))
    if encoding is not None:
        forced = encoding
        return _decode_by_line(data.split(b"\n"), lambda raw: _forced_line(raw, forced), forced)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_auto(data)
    if _sure_utf8(data, text) or data.isascii():
        return _checked_for_nul(text.removeprefix(_BOM))
    # A few characters beyond ASCII: perhaps GBK or Big5 that is valid UTF-8 too.
    return _checked_for_nul(_likeliest(data, text, DEFAULT_PREFERENCE).text.removeprefix(_BOM))


def _checked_for_nul(text: str) -> Decoded:
    if "\x00" not in text:
        return Decoded(text)
    lines = text.split("\n")
    bad = {}
    for number, line in enumerate(lines, 1):
        try:
            _without_nul(line)
        except DecodeError as err:
            bad[number] = err.message
    return Decoded(text, MappingProxyType(bad))
