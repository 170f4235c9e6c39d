"""A damaged sheet cut back to its last whole row, so that the rows before the damage
can be read (issue 16: damage at the end of a sheet lost every call).

calamine reads a sheet whole or not at all. When it cannot, the sheet's XML is unpacked
up to the damage (a zip stream broken part way), checked by expat (C speed) for the first
byte that is not well-formed, and cut after the last ``</row>`` before it; the sheet is
closed there and put back in a copy of the workbook, in memory, which calamine reads.
What `sheetscan` found bounds the bytes unpacked.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import Final
from xml.parsers import expat

_CHUNK: Final = 1 << 14  # what a broken zip stream loses: the piece it broke in
_CLOSING: Final = b"</sheetData></worksheet>"
_NEEDED_SUFFIXES: Final = (".xml", ".rels")


@dataclass(frozen=True, slots=True)
class Repaired:
    """A workbook whose first sheet ends before its damage; ``why`` says what it was."""

    workbook: bytes
    why: str


def _unpacked(archive: zipfile.ZipFile, name: str) -> tuple[bytes, str | None]:
    """A part's bytes up to the end or the damage, and what the damage was."""
    pieces: list[bytes] = []
    try:
        with archive.open(name) as part:
            while chunk := part.read(_CHUNK):
                pieces.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        return b"".join(pieces), str(err)
    return b"".join(pieces), None


def _first_fault(xml: bytes) -> tuple[int, str] | None:
    """Where expat finds the XML not well-formed (a byte offset), and why; None if it is."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as err:
        return parser.ErrorByteIndex, str(err)
    return None


def repaired_workbook(archive: zipfile.ZipFile, sheet: str) -> Repaired | None:
    """The workbook with its first sheet cut after the last whole row before the damage;
    None when the sheet is not damaged, or no whole row stands before the damage."""
    xml, zip_damage = _unpacked(archive, sheet)
    fault = _first_fault(xml)
    if fault is None and zip_damage is None:
        return None
    end, why = fault if fault is not None else (len(xml), "")
    why = zip_damage or why
    cut = xml.rfind(b"</row>", 0, end)
    if cut < 0:
        return None
    sheet_xml = xml[: cut + len(b"</row>")] + _CLOSING
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for info in archive.infolist():
            if info.filename == sheet:
                copy.writestr(info.filename, sheet_xml)
            elif info.filename.endswith(_NEEDED_SUFFIXES) and "worksheets/" not in info.filename:
                copy.writestr(info.filename, archive.read(info.filename))
    return Repaired(buffer.getvalue(), why)
