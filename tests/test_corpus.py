"""The bundled corpus: the linter's findings equal the reviewed golden list, row for row."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from replylint import PACKS, Linter, ReadError, Transcript, read_path
from replylint.rules import Rule
from replylint.segment import Segmenter

CORPUS = Path(__file__).parent.parent / "corpus"
Row = tuple[str, str, int, str, str]


def tsv(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter="\t"))


def key(row: dict[str, str]) -> Row:
    return (row["file"], row["transcript"], int(row["turn"]), row["rule"], row["text"])


@pytest.fixture(scope="module")
def transcripts() -> list[Transcript]:
    items = list(read_path(CORPUS))
    assert [i for i in items if isinstance(i, ReadError)] == []
    return [i for i in items if isinstance(i, Transcript)]


def found(linter: Linter, transcripts: list[Transcript]) -> Counter[Row]:
    rows: Counter[Row] = Counter()
    for transcript in transcripts:
        assert transcript.source is not None
        file = Path(transcript.source).relative_to(CORPUS).as_posix()
        for f in linter.lint(transcript):
            rows[(file, f.transcript, f.turn, f.rule, f.text)] += 1
    return rows


def test_findings_equal_the_golden_list(linter: Linter, transcripts: list[Transcript]) -> None:
    gaps = tsv("known-gaps.tsv")
    false_positives = [key(r) for r in gaps if r["kind"] == "false-positive"]
    expected = Counter(key(r) for r in tsv("expected.tsv")) + Counter(false_positives)
    actual = found(linter, transcripts)
    assert sorted((actual - expected).elements()) == [], "found, not expected"
    assert sorted((expected - actual).elements()) == [], "expected, not found"


def test_known_misses_are_still_missed(linter: Linter, transcripts: list[Transcript]) -> None:
    """When a gap is fixed, its row belongs in expected.tsv: this keeps the list honest."""
    misses = {key(r) for r in tsv("known-gaps.tsv") if r["kind"] == "missed"}
    assert misses
    found_rules = {row[:4] for row in found(linter, transcripts)}
    assert [m for m in misses if m[:4] in found_rules] == []


def test_every_golden_row_points_into_its_turn(transcripts: list[Transcript]) -> None:
    by_id = {t.id: t for t in transcripts}
    for row in tsv("expected.tsv") + tsv("known-gaps.tsv"):
        turn = by_id[row["transcript"]].turns[int(row["turn"])]
        assert row["text"] in turn.text, row


def test_the_corpus_is_what_the_readme_promises(transcripts: list[Transcript]) -> None:
    assert len(transcripts) >= 40
    assert len({t.id for t in transcripts}) == len(transcripts)
    assert sum(traditional(t.id) for t in transcripts) >= 10
    assert {t.id[:2] for t in transcripts} == {"pw", "tc", "bk", "au", "ec"}
    flagged = {r["transcript"] for r in tsv("expected.tsv")}
    assert len({t.id for t in transcripts} - flagged) >= 15  # clean calls
    assert {r["rule"] for r in tsv("expected.tsv")} >= {f"FP{n:03}" for n in range(1, 12)}


def traditional(transcript_id: str) -> bool:
    return "-tw-" in transcript_id or "-hk-" in transcript_id


@pytest.mark.parametrize("pack", [*PACKS, "etiquette", "restraint", "listening", "escalation"])
def test_every_pack_has_flagged_and_clean_calls_in_both_scripts(
    pack: str, rules: tuple[Rule, ...], transcripts: list[Transcript]
) -> None:
    codes = {rule.info.code for rule in rules if rule.info.pack == pack}
    flagged = {r["transcript"] for r in tsv("expected.tsv") if r["rule"] in codes}
    ids = {t.id for t in transcripts}
    for script in (False, True):
        in_script = {i for i in ids if traditional(i) is script}
        assert in_script & flagged, (pack, "traditional" if script else "simplified")
        assert in_script - flagged, (pack, "traditional" if script else "simplified")


def test_every_rule_of_the_issue_6_packs_has_a_row(rules: tuple[Rule, ...]) -> None:
    """Each rule is seen at work on a realistic call, not only on its own examples."""
    packs = {"etiquette", "restraint", "listening", "escalation"}
    codes = {rule.info.code for rule in rules if rule.info.pack in packs}
    assert codes - {r["rule"] for r in tsv("expected.tsv")} == set()


@pytest.mark.parametrize("segmenter", ["jieba", "rjieba"])
def test_fast_paths_equal_the_reference_path_on_the_corpus(
    rules: tuple[Rule, ...],
    reference_linter: Linter,
    transcripts: list[Transcript],
    segmenter: Segmenter,
) -> None:
    fast = Linter(rules, segmenter=segmenter)
    expected = [reference_linter.lint(t) for t in transcripts]
    assert [fast.lint(t) for t in transcripts] == expected
    assert list(fast.lint_many(transcripts, batch_size=7)) == expected
