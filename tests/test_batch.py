"""Batches: nothing lost when one transcript cannot be linted."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from replylint import Linter, ReadError, Transcript
from replylint.model import Annotations
from replylint.output.jsonl import jsonl_block
from replylint.readers import read_units
from replylint.run.pipeline import process_unit
from tests.conftest import CONTRACT_RULES


class BrokenOnOneCall(Linter):
    """A linter with a bug that shows on one transcript only."""

    def annotate_batch(self, transcripts: Sequence[Transcript]) -> list[Annotations]:
        if any(t.id == "bad" for t in transcripts):
            raise RuntimeError("boom")
        return super().annotate_batch(transcripts)


def test_a_transcript_that_cannot_be_linted_is_reported_and_the_rest_go_on(
    tmp_path: Path,
) -> None:
    calls = [
        {"id": call_id, "turns": [{"role": "agent", "text": "这个我不知道"}]}
        for call_id in ("first", "bad", "last")
    ]
    data = tmp_path / "calls.jsonl"
    data.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in calls) + "\n")
    (unit,) = read_units([data])
    output = process_unit(BrokenOnOneCall(CONTRACT_RULES), jsonl_block, unit)
    first, error, last = output.items
    assert isinstance(first, list)
    assert isinstance(last, list)
    assert [json.loads(line)["transcript"] for line in first + last] == ["first", "last"]
    assert isinstance(error, ReadError)
    assert (error.source, error.line) == (str(data), 2)
    assert error.message.startswith("transcript 'bad': could not be linted (RuntimeError: boom)")
    assert (output.summary.transcripts, output.summary.errors) == (2, 1)
