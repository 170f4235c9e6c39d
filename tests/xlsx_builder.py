"""Minimal XLSX workbooks, byte for byte the same at every run: the crafted spreadsheets of
the fault suite (openpyxl stamps the time of saving into its files). One sheet of rows;
a cell is text (an inline string), a number, or a `Formula` saved without its value, as
a program that writes formulas but never computes them leaves it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from replylint.readers.tables.sheetscan import column_letters

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Formula:
    """A formula cell saved without a cached value: Excel computes it on opening."""

    text: str


Cell = str | int | float | Formula | None


def _cell(ref: str, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        return f'<c r="{ref}" t="str"><f>{escape(value.text)}</f></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[Cell]], merged: Sequence[str] = ()) -> bytes:
    body = "".join(
        f'<row r="{r}">'
        + "".join(_cell(f"{column_letters(c)}{r}", value) for c, value in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, 1)
    )
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in merged)
    merge_cells = f'<mergeCells count="{len(merged)}">{merges}</mergeCells>' if merged else ""
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>{body}</sheetData>{merge_cells}</worksheet>'
    ).encode()


def _parts(sheet: bytes | None) -> dict[str, bytes]:
    sheets = '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>' if sheet is not None else ""
    worksheet_type = f"{_DOC_RELS}/worksheet"
    parts = {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ).encode(),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
            f"<sheets>{sheets}</sheets></workbook>"
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{worksheet_type}" Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode(),
    }
    if sheet is not None:
        parts["xl/worksheets/sheet1.xml"] = sheet
    return parts


def xlsx(
    rows: Sequence[Sequence[Cell]] = (),
    *,
    merged: Sequence[str] = (),
    sheet: bytes | None = None,
    no_sheet: bool = False,
    damage: Callable[[bytes], bytes] | None = None,
) -> bytes:
    """A workbook of one sheet holding ``rows`` (or the ``sheet`` XML given), with the
    ``merged`` ranges (``"A2:A3"``); ``no_sheet``: a workbook that lists no sheet at all;
    ``damage``: what becomes of the zip's bytes (a cut, a flipped byte)."""
    xml = None if no_sheet else (sheet if sheet is not None else sheet_xml(rows, merged))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in _parts(xml).items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    data = buffer.getvalue()
    return damage(data) if damage else data
