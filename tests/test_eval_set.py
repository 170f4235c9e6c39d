"""The evaluation set (corpus/eval): what its README promises, and labels that point true."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from replylint import Role, Transcript, read_path
from replylint.run.evaluate import Label, check_labels, read_labels

EVAL = Path(__file__).parent.parent / "corpus" / "eval"
PARTS = ("dev", "frozen")
CHANNELS = {"ph": "phone", "ch": "chat", "so": "social"}
_ID = re.compile(r"ev-(ph|ch|so)-([df])\d{3}")
# Rules whose findings stand on the customer's words; every other rule reports the agent's.
_ON_CUSTOMER = re.compile(r"MA001|LS001|LS002|ES00\d|ET003")
_TRADITIONAL = re.compile(
    r"[們這說來電話問題還會點]"
)  # common characters only traditional text has
_PHONE_ONLY = ("ET001", "ET002", "ET003", "ET004", "LS001")


def transcripts(part: str) -> list[Transcript]:
    found = [t for t in read_path(EVAL / part) if isinstance(t, Transcript)]
    assert found, part
    return found


@pytest.fixture(scope="module")
def sets() -> dict[str, tuple[list[Transcript], list[Label]]]:
    return {part: (transcripts(part), read_labels(EVAL / part)) for part in PARTS}


def test_the_labels_name_real_rules_transcripts_turns_and_words(
    sets: dict[str, tuple[list[Transcript], list[Label]]], rule_codes: set[str]
) -> None:
    for calls, labels in sets.values():
        check_labels(labels, {t.id: t for t in calls}, rule_codes)


def test_ids_name_their_channel_and_part_once(
    sets: dict[str, tuple[list[Transcript], list[Label]]],
) -> None:
    ids = [t.id for calls, _ in sets.values() for t in calls]
    assert len(ids) == len(set(ids))
    for part, (calls, _) in sets.items():
        for call in calls:
            match = _ID.fullmatch(call.id)
            assert match, call.id
            assert match[2] == part[0], call.id
            assert Path(call.source or "").stem == CHANNELS[match[1]], call.id


def test_each_label_stands_on_the_turn_its_rule_reports(
    sets: dict[str, tuple[list[Transcript], list[Label]]],
) -> None:
    for calls, labels in sets.values():
        by_id = {t.id: t for t in calls}
        for label in labels:
            role = by_id[label.transcript].turns[label.turn].role
            expected = Role.CUSTOMER if _ON_CUSTOMER.fullmatch(label.rule) else Role.AGENT
            assert role is expected, label


def test_phone_etiquette_is_labelled_on_phone_calls_only(
    sets: dict[str, tuple[list[Transcript], list[Label]]],
) -> None:
    for _, labels in sets.values():
        for label in labels:
            if label.rule in _PHONE_ONLY:
                assert label.transcript.startswith("ev-ph-"), label


def test_the_set_is_as_large_and_varied_as_the_issue_asks(
    sets: dict[str, tuple[list[Transcript], list[Label]]],
) -> None:
    calls = [t for part_calls, _ in sets.values() for t in part_calls]
    labelled = {label.transcript for _, labels in sets.values() for label in labels}
    agent_turns = sum(1 for t in calls for turn in t.turns if turn.role is Role.AGENT)
    assert len(calls) >= 250
    assert agent_turns >= 600
    assert len(sets["frozen"][0]) * 3 >= len(calls)
    for part_calls, labels in sets.values():
        clean = {t.id for t in part_calls} - {label.transcript for label in labels}
        assert len(clean) / len(part_calls) >= 0.4
    assert Counter(t.id[3:5] for t in calls).keys() == CHANNELS.keys()
    traditional = [t for t in calls if _TRADITIONAL.search("".join(x.text for x in t.turns))]
    assert len(traditional) / len(calls) >= 0.2
    assert labelled <= {t.id for t in calls}
