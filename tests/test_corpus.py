"""The bundled corpus: the linter's findings equal the reviewed golden list, row for row."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from replylint import PACKS, Linter, ReadError, Transcript, read_path
from replylint.kinds import Rule
from replylint.kinds.metadata import PROFILES
from replylint.kinds.tag import TagRule
from replylint.model import Tag
from replylint.run.config import Settings
from replylint.text.segment import Segmenter

CORPUS = Path(__file__).parent.parent / "corpus"
EVAL = CORPUS / "eval"  # the evaluation set: labelled on its own (tests/test_eval_set.py)
Row = tuple[str, str, int, str, str]
TagRow = tuple[str, str, str, str]  # file, transcript, category, tag


def tsv(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter="\t"))


def key(row: dict[str, str]) -> Row:
    return (row["file"], row["transcript"], int(row["turn"]), row["rule"], row["text"])


@pytest.fixture(scope="module")
def transcripts() -> list[Transcript]:
    items = list(read_path(CORPUS))
    assert [i for i in items if isinstance(i, ReadError)] == []
    return [i for i in items if isinstance(i, Transcript) and not in_eval_set(i)]


def in_eval_set(transcript: Transcript) -> bool:
    return transcript.source is not None and Path(transcript.source).is_relative_to(EVAL)


def corpus_file(transcript: Transcript) -> str:
    assert transcript.source is not None
    return Path(transcript.source).relative_to(CORPUS).as_posix()


def found(linter: Linter, transcripts: list[Transcript]) -> Counter[Row]:
    rows: Counter[Row] = Counter()
    for transcript in transcripts:
        file = corpus_file(transcript)
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


TaggedCall = tuple[str, Tag]  # the corpus file, one of its call's tags


@pytest.fixture(scope="module")
def industry_tags(rules: tuple[Rule, ...], transcripts: list[Transcript]) -> list[TaggedCall]:
    """Every tag of every call, each call linted under the profile of its industry folder
    (power/, telecom/...), as a QA lead of that industry runs it."""
    linters = {p: Linter(Settings(profile=p).apply(rules), profile=p) for p in PROFILES}
    tags = []
    for transcript in transcripts:
        file = corpus_file(transcript)
        tags += [(file, tag) for tag in linters[file.split("/")[0]].annotate(transcript).tags]
    return tags


def test_known_misses_are_still_missed(
    linter: Linter, transcripts: list[Transcript], industry_tags: list[TaggedCall]
) -> None:
    """When a gap is fixed, its row belongs in expected.tsv (a tag's in expected-tags.tsv):
    this keeps the list honest. A missed tag is one its rule does not give the call at all."""
    misses = {key(r) for r in tsv("known-gaps.tsv") if r["kind"] == "missed"}
    assert misses
    found_rules = {row[:4] for row in found(linter, transcripts)}
    tagged = {(file, tag.transcript, tag.rule) for file, tag in industry_tags}
    assert [m for m in misses if m[:4] in found_rules or (m[0], m[1], m[3]) in tagged] == []


def test_tags_equal_the_judged_list(industry_tags: list[TaggedCall]) -> None:
    """Topics and customer types, judged from each call's content (expected-tags.tsv)."""
    expected = {
        (r["file"], r["transcript"], r["category"], r["tag"]) for r in tsv("expected-tags.tsv")
    }
    actual = [(file, t.transcript, t.category, t.tag) for file, t in industry_tags]
    assert len(actual) == len(set(actual)), "a call got the same tag twice"
    assert sorted(set(actual) - expected) == [], "tagged, not expected"
    assert sorted(expected - set(actual)) == [], "expected, not tagged"


def test_every_tag_points_at_its_evidence(
    transcripts: list[Transcript], industry_tags: list[TaggedCall]
) -> None:
    by_id = {t.id: t for t in transcripts}
    for _, tag in industry_tags:
        assert by_id[tag.transcript].turns[tag.turn].text[tag.start : tag.end] == tag.text, tag


def test_every_golden_row_points_into_its_turn(transcripts: list[Transcript]) -> None:
    by_id = {t.id: t for t in transcripts}
    for row in tsv("expected.tsv") + tsv("known-gaps.tsv"):
        turn = by_id[row["transcript"]].turns[int(row["turn"])]
        assert row["text"] in turn.text, row
    assert {r["transcript"] for r in tsv("expected-tags.tsv")} <= set(by_id)


def test_the_corpus_is_what_the_readme_promises(transcripts: list[Transcript]) -> None:
    assert len(transcripts) >= 40
    assert len({t.id for t in transcripts}) == len(transcripts)
    assert sum(script(t.id) == "traditional" for t in transcripts) >= 10
    assert {t.id[:2] for t in transcripts} == {"pw", "tc", "bk", "au", "ec"}
    flagged = {r["transcript"] for r in tsv("expected.tsv")}
    assert len({t.id for t in transcripts} - flagged) >= 15  # clean calls
    assert {r["rule"] for r in tsv("expected.tsv")} >= {f"FP{n:03}" for n in range(1, 12)}


@pytest.mark.parametrize("pack", [*PACKS, "etiquette", "restraint", "listening", "escalation"])
def test_every_pack_has_flagged_and_clean_calls_in_both_scripts(
    pack: str, rules: tuple[Rule, ...], transcripts: list[Transcript]
) -> None:
    codes = {rule.info.code for rule in rules if rule.info.pack == pack}
    flagged = {r["transcript"] for r in tsv("expected.tsv") if r["rule"] in codes}
    for scripted in ("simplified", "traditional"):
        calls = {t.id for t in transcripts if script(t.id) == scripted}
        assert calls & flagged, f"no {scripted} call flagged by {pack}"
        assert calls - flagged, f"no {scripted} call clean of {pack}"


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


def script(transcript_id: str) -> str:
    return "traditional" if "-tw-" in transcript_id or "-hk-" in transcript_id else "simplified"


def test_jargon_and_tags_have_marked_and_unmarked_calls_in_both_scripts(
    rules: tuple[Rule, ...], transcripts: list[Transcript]
) -> None:
    tags = tsv("expected-tags.tsv")
    marked = {
        "jargon": {r["transcript"] for r in tsv("expected.tsv") if r["rule"].startswith("JG")},
        "topic": {r["transcript"] for r in tags if r["category"] == "topic"},
        "customer-type": {r["transcript"] for r in tags if r["category"] == "customer-type"},
    }
    for scripted in ("simplified", "traditional"):
        calls = {t.id for t in transcripts if script(t.id) == scripted}
        for what, ids in marked.items():
            assert calls & ids, f"no {scripted} call with {what}"
            assert calls - ids, f"no {scripted} call without {what}"
    labels = {rule.tag for rule in rules if isinstance(rule, TagRule)}
    assert labels == {r["tag"] for r in tags}, "every tag labels some call"
