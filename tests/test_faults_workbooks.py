"""The fault suite's giant and hostile spreadsheets (issue 16, item 16; issue 15): each is
refused while it is read, in bounded memory, and never takes the batch down. Made here,
in tmp_path; the small crafted workbooks are in tests/data/faults/ (`tests.fault_files`)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from replylint import ReadError, ReadErrorKind, Transcript
from replylint.readers import Limits, read_path
from tests.fault_files import WITNESS
from tests.test_faults import measured_check
from tests.xlsx_builder import xlsx

OVER_LIMIT = ReadErrorKind.OVER_LIMIT
_SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    b'<?xml version="1.0"?><worksheet '
    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def streamed_workbook(path: Path, rows: Iterable[bytes]) -> Path:
    """A workbook whose sheet is ``rows`` of XML, compressed as it is written: a file of
    a megabyte can hold hundreds of megabytes of sheet."""
    template = zipfile.ZipFile(io.BytesIO(xlsx([["x"]])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in template.namelist():
            if name != _SHEET:
                archive.writestr(name, template.read(name))
        with archive.open(_SHEET, "w") as sheet:
            sheet.write(_SHEET_HEAD)
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return path


def errors(path: Path, limits: Limits | None = None) -> list[tuple[int | None, ReadErrorKind]]:
    items = list(read_path(path) if limits is None else read_path(path, limits=limits))
    assert all(isinstance(item, ReadError) for item in items)
    return [(item.line, item.kind) for item in items if isinstance(item, ReadError)]


def test_a_decompression_bomb_is_refused_while_it_is_unpacked(tmp_path: Path) -> None:
    """800 KB that unpack to 300 MB of one repeated cell: refused once the XML read
    passes `Limits.workbook_bytes`, never held."""
    cell = b"a" * 5000
    rows = (
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (n, n, cell)
        for n in range(1, 60_001)
    )
    bomb = streamed_workbook(tmp_path / "bomb.xlsx", rows)
    assert bomb.stat().st_size < 2_000_000
    assert errors(bomb) == [(None, OVER_LIMIT)]
    small = tmp_path / "small.xlsx"
    small.write_bytes(xlsx([["通话ID", "角色", "内容"], ["c1", "坐席", WITNESS]]))
    baseline = measured_check("--jobs", "1", str(small), str(small))
    run = measured_check("--jobs", "1", str(bomb), str(small))
    assert run.code == 2
    assert [f["transcript"] for f in run.document["findings"]] == ["c1"]
    assert run.peak_kb - baseline.peak_kb < 40_000  # far less than the 300 MB unpacked


def test_three_million_rows_are_refused_while_they_are_read(tmp_path: Path) -> None:
    """Issue 15: a sheet of 3,000,000 rows took 4 min 45 s and 1.27 GB before it was
    refused; more rows than Excel holds are refused as they are counted."""

    def rows() -> Iterable[bytes]:
        for start in range(1, 3_000_001, 100_000):
            numbers = range(start, start + 100_000)
            yield b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in numbers)

    sheet = streamed_workbook(tmp_path / "rows.xlsx", rows())
    small = tmp_path / "small.xlsx"
    small.write_bytes(xlsx([["通话ID", "角色", "内容"], ["c1", "坐席", WITNESS]]))
    baseline = measured_check("--jobs", "1", str(small))
    run = measured_check("--jobs", "1", str(sheet))
    assert [(e["file"], e["line"]) for e in run.document["errors"]] == [(str(sheet), None)]
    assert errors(sheet) == [(None, OVER_LIMIT)]
    assert run.peak_kb - baseline.peak_kb < 40_000


@pytest.mark.parametrize("far", ["XFD1048576", "A1048576", "XFD100"])
def test_a_sheet_whose_cells_span_too_big_a_rectangle_is_refused(tmp_path: Path, far: str) -> None:
    """calamine holds every cell of the rectangle from A1 to the last cell: two cells at
    A1 and XFD1048576 asked for 17 billion. Cells without ``r`` count too."""
    cells = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="2"><c r="%s"><v>1</v></c></row>' % far.encode()
    )
    path = tmp_path / "far.xlsx"
    path.write_bytes(xlsx(sheet=_SHEET_HEAD + cells + b"</sheetData></worksheet>"))
    kinds = errors(path, Limits(cells=1_000_000))
    assert kinds == [(None, OVER_LIMIT)]


def test_cells_without_references_are_counted_where_they_stand(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d">' % n + b"<c><v>1</v></c>" * 300 + b"</row>" for n in range(1, 6))
    path = tmp_path / "wide.xlsx"
    path.write_bytes(xlsx(sheet=_SHEET_HEAD + rows + b"</sheetData></worksheet>"))
    assert errors(path, Limits(cells=1_000)) == [(None, OVER_LIMIT)]  # 5 rows by 300 columns


def test_the_workbook_limits_are_configurable_and_a_sheet_within_them_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calls.xlsx"
    rows = [["通话ID", "角色", "内容"], *(["c1", "坐席", WITNESS] for _ in range(20))]
    path.write_bytes(xlsx(rows))
    assert errors(path, Limits(cells=60)) == [(None, OVER_LIMIT)]  # 21 rows by 3 columns
    assert errors(path, Limits(workbook_bytes=1_000)) == [(None, OVER_LIMIT)]
    (call,) = read_path(path, limits=Limits(cells=63))
    assert isinstance(call, Transcript)
    assert [turn.text for turn in call.turns] == [WITNESS] * 20
