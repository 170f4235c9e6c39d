"""The fault suite, continued (issue 16): table cells (past the csv module's limit, a
quote never closed, a time of 400 digits), a table on stdin, and JSON keys given twice,
found however the JSON is spaced. The crafted files are in tests/data/faults/, with the
cases of `tests.test_faults`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint import ReadError, ReadErrorKind, Role, Transcript
from replylint.readers import Limits, read_path, read_paths
from replylint.readers.objects import repeated_keys
from tests.fault_files import FILES, WITNESS
from tests.test_faults import FOUND, check

SHAPE = ReadErrorKind.SHAPE


@pytest.mark.parametrize("size", [131_073, 999_990], ids=["past-csv-limit", "a-million"])
def test_a_csv_cell_past_the_csv_module_s_limit_is_read(tmp_path: Path, size: int) -> None:
    """Issue 16, item 6: a cell over 131,072 characters lost the whole table."""
    table = tmp_path / "calls.csv"
    long_text = "好" * size + WITNESS
    table.write_text(f"通话ID,角色,内容\nbefore,坐席,{WITNESS}\nlong,坐席,{long_text}\n")
    outcome = check(str(table))
    assert outcome.linted == {"before": FOUND, "long": FOUND}
    assert outcome.code == 1


def test_a_quoted_cell_running_past_the_limit_loses_only_its_row(tmp_path: Path) -> None:
    """Issue 16, item 4: a quote that closes only far later, past `Limits.chars` over
    several lines, is reported at its row; the rows it swallowed are read."""
    table = tmp_path / "calls.csv"
    middle = "".join(f"c{n},坐席,{WITNESS}\n" for n in range(50))
    table.write_text(
        f'通话ID,角色,内容\nopen,坐席,"他说{WITNESS}\n{middle}late,坐席,"好"\n', encoding="utf-8"
    )
    items = list(read_path(table, limits=Limits(chars=300)))
    assert [(e.line, e.kind) for e in items if isinstance(e, ReadError)] == [
        (2, ReadErrorKind.CSV_SYNTAX)
    ]
    assert [t.id for t in items if isinstance(t, Transcript)] == [
        *(f"c{n}" for n in range(50)),
        "late",
    ]


@pytest.mark.parametrize(
    ("data", "stdin_format"),
    [
        (FILES["gbk.csv"], None),  # sniffed from its header, as a file of another suffix is
        (FILES["gbk.csv"], "csv"),
        (FILES["gbk.csv"].replace(b",", b"\t"), "tsv"),
    ],
    ids=["sniffed", "csv", "tsv"],
)
def test_a_table_on_stdin_is_read_as_a_table(data: bytes, stdin_format: str | None) -> None:
    """Issue 16, item 24: a CSV piped on stdin was read as plain text, so the customer's
    words were taken for the agent's."""
    items = list(read_paths(["-"], stdin=io.BytesIO(data), stdin_format=stdin_format))
    assert [
        (t.id, [turn.role for turn in t.turns]) for t in items if isinstance(t, Transcript)
    ] == [
        ("c1", [Role.CUSTOMER, Role.AGENT]),
        ("c2", [Role.AGENT]),
    ]
    if stdin_format is None:
        outcome = check("-", stdin=data)
        assert outcome.linted == {"c1": [(1, "FP005", "我不知道")], "c2": FOUND}


def test_stdin_cannot_be_named_a_workbook() -> None:
    (error,) = read_paths(["-"], stdin=io.BytesIO(b"PK"), stdin_format="xlsx")
    assert isinstance(error, ReadError)
    assert (error.source, error.kind) == ("<stdin>", ReadErrorKind.UNSUPPORTED)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cell=st.text(alphabet="0123456789:.,-e+ ", max_size=500))
def test_any_time_cell_is_a_time_or_an_error_for_its_call(tmp_path: Path, cell: str) -> None:
    table = tmp_path / "calls.csv"
    table.write_text(f"通话ID,角色,内容,开始时间\nc1,坐席,{WITNESS},{cell}\nc2,坐席,{WITNESS},1\n")
    items = list(read_path(table))
    assert items[-1].line == 3  # the next call is read
    first = items[0]
    assert isinstance(first, Transcript) or first.kind in (SHAPE, ReadErrorKind.CSV_SYNTAX)


# An object as a list of pairs, so that a key may come twice, as JSON allows.
_keys = st.sampled_from(["id", "role", "text", "meta", "a", 'q":', "k\\", "时间"])
_scalars = st.one_of(st.integers(), st.sampled_from(["10:30", 'say ":"', "好", "", '\\":']))
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.lists(st.tuples(_keys, inner), max_size=4)
    ),
    max_leaves=12,
)


def _json(value: object, space: str) -> str:
    """``value`` as JSON, an object's pairs in order (repeats kept), ``space`` around colons."""
    if isinstance(value, list) and all(isinstance(v, tuple) for v in value) and value:
        pairs = (f"{json.dumps(k)}{space}:{space}{_json(v, space)}" for k, v in value)
        return "{" + ",".join(pairs) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_json(v, space) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _repeats(value: object) -> set[str]:
    if isinstance(value, list) and all(isinstance(v, tuple) for v in value) and value:
        keys = [k for k, _ in value]
        found = {k for k in keys if keys.count(k) > 1}
        return found.union(*(_repeats(v) for _, v in value))
    if isinstance(value, list):
        return set().union(*(_repeats(v) for v in value))
    return set()


@settings(max_examples=300, deadline=None)
@given(
    extra=st.lists(st.tuples(_keys, _values), max_size=4),
    turn_extra=st.lists(st.tuples(_keys, _values), max_size=2),
    space=st.sampled_from(["", " ", "\t", "  "]),
)
def test_a_key_given_twice_anywhere_is_found_however_the_json_is_spaced(
    extra: list[tuple[str, object]], turn_extra: list[tuple[str, object]], space: str
) -> None:
    """Issue 16, item 23, and the shortcut that keeps it fast: counting colons and key
    tokens must never miss a repeated key (spaces before colons, colons and escaped quotes
    in strings, keys that end in a backslash)."""
    turn = [("role", "agent"), ("text", WITNESS), *turn_extra]
    value = [("id", "x"), ("turns", [turn]), *extra]
    text = _json(value, space)
    obj = json.loads(text)
    if not isinstance(obj.get("turns"), list) or not all(isinstance(t, dict) for t in obj["turns"]):
        return  # not a transcript: refused before keys are counted
    assert set(repeated_keys(obj, text)) == _repeats(value)
