"""The compiled linter: every rule's phrases in one automaton per role, one scan per turn.

A turn is folded (one ``str.translate``) and scanned once; rules are only evaluated on
turns where their triggers occur, and segmentation runs only around hits that need word
boundaries. ``Linter`` is immutable after construction, thread-safe and picklable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from replylint import kinds
from replylint.matcher import Hit, PhraseMatcher, Slot, Target
from replylint.model import Finding, Role, Transcript, Turn
from replylint.normalize import FoldedText, fold, phrase_variants
from replylint.rules import Boundary, Detector, PhraseRule, ResponseRule, Rule
from replylint.segment import WordBoundaries
from replylint.timeexpr import find_concrete_time

Span = tuple[int, int]


class Linter:
    """Lint transcripts with a fixed set of rules.

    ``reference=True`` swaps every fast path for its obviously-correct twin (brute-force
    phrase search, boundaries checked on every candidate); tests compare the two.
    """

    __slots__ = ("_boundaries", "_matchers", "_reference", "rules")

    def __init__(self, rules: Iterable[Rule], *, reference: bool = False) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self._reference = reference
        self._boundaries = WordBoundaries()
        self._matchers = {role: PhraseMatcher(_phrase_targets(self.rules, role)) for role in Role}

    def lint(self, transcript: Transcript | str) -> list[Finding]:
        """Findings sorted by turn and position. A plain string is one agent turn."""
        if isinstance(transcript, str):
            transcript = Transcript(id="text", turns=(Turn(Role.AGENT, transcript),))
        scan = _Scan(self, transcript)
        findings: list[Finding] = []
        for index, turns in sorted(scan.trigger_turns.items()):
            findings.extend(kinds.check(self.rules[index], index, scan, turns))
        findings.sort(key=Finding.sort_key)
        return findings

    def lint_many(self, transcripts: Iterable[Transcript]) -> Iterator[list[Finding]]:
        for transcript in transcripts:
            yield self.lint(transcript)

    def _is_word(self, folded: FoldedText, start: int, end: int) -> bool:
        whole_turn = self._reference  # the fast path segments a small window only
        return self._boundaries.is_word(folded, start, end, whole_turn=whole_turn)

    def _scan_view(self, role: Role, view: str) -> list[Hit]:
        matcher = self._matchers[role]
        return matcher.scan_reference(view) if self._reference else matcher.scan(view)


def _phrase_targets(rules: Sequence[Rule], role: Role) -> Iterator[tuple[str, Target]]:
    """Every folded spelling of every phrase a turn of ``role`` must be scanned for."""
    for index, rule in enumerate(rules):
        for slot, phrases in _phrases_for_role(rule, role):
            for phrase in phrases:
                for variant in phrase_variants(phrase):
                    yield variant, Target(index, slot)


def _phrases_for_role(rule: Rule, role: Role) -> Iterator[tuple[Slot, Sequence[str]]]:
    match rule:
        case PhraseRule():
            if role in rule.roles:
                yield Slot.TRIGGER, rule.phrases
                yield Slot.EXCEPTION, rule.exceptions
        case ResponseRule():
            if role in rule.trigger_roles:
                yield Slot.TRIGGER, rule.triggers
                yield Slot.EXCEPTION, rule.trigger_exceptions
            if role in rule.response_roles:
                yield Slot.RESPONSE, rule.responses


@dataclass(slots=True)
class _TurnScan:
    folded: FoldedText
    spans: dict[Target, list[Span]] = field(default_factory=dict)


class _Scan:
    """One transcript's scan: folded turns and their hits, grouped by rule and slot."""

    __slots__ = ("_linter", "_turns", "transcript", "trigger_turns")

    def __init__(self, linter: Linter, transcript: Transcript) -> None:
        self._linter = linter
        self.transcript = transcript
        self._turns: list[_TurnScan | None] = []
        self.trigger_turns: dict[int, list[int]] = {}
        for number, turn in enumerate(transcript.turns):
            self._turns.append(self._scan_turn(number, turn))

    def _scan_turn(self, number: int, turn: Turn) -> _TurnScan | None:
        if not self._linter._matchers[turn.role] or not turn.text:
            return None
        folded = fold(turn.text)
        scan = _TurnScan(folded)
        for hit in self._linter._scan_view(turn.role, folded.view):
            scan.spans.setdefault(hit.target, []).append((hit.start, hit.end))
            if hit.target.slot is Slot.TRIGGER:
                turns = self.trigger_turns.setdefault(hit.target.rule, [])
                if not turns or turns[-1] != number:
                    turns.append(number)
        return scan

    def roles(self) -> list[Role]:
        return [turn.role for turn in self.transcript.turns]

    def matches(self, turn: int, rule: int) -> list[Span]:
        scan = self._turns[turn]
        if scan is None:
            return []
        triggers = scan.spans.get(Target(rule, Slot.TRIGGER), [])
        exceptions = scan.spans.get(Target(rule, Slot.EXCEPTION), [])
        needs_word = self._linter.rules[rule].boundary is Boundary.WORD
        chosen: list[Span] = []
        # Leftmost, then longest; a candidate inside an exception or off word
        # boundaries gives way to the next one.
        for start, end in sorted(set(triggers), key=lambda s: (s[0], s[0] - s[1])):
            if chosen and start < chosen[-1][1]:
                continue
            if any(x_start < end and start < x_end for x_start, x_end in exceptions):
                continue
            if needs_word and not self._linter._is_word(scan.folded, start, end):
                continue
            chosen.append((start, end))
        return chosen

    def has_response(self, turn: int, rule: int, detector: Detector | None) -> bool:
        scan = self._turns[turn]
        if scan is not None and Target(rule, Slot.RESPONSE) in scan.spans:
            return True
        if detector is not Detector.TIME:
            return False
        folded = scan.folded if scan is not None else fold(self.transcript.turns[turn].text)
        return find_concrete_time(folded.view) is not None

    def finding(self, rule: Rule, turn: int, span: Span) -> Finding:
        scan = self._turns[turn]
        assert scan is not None  # a span only comes from a scanned turn
        start, end = scan.folded.original_span(*span)
        text = self.transcript.turns[turn].text
        info = rule.info
        return Finding(
            transcript=self.transcript.id,
            turn=turn,
            role=self.transcript.turns[turn].role,
            start=start,
            end=end,
            text=text[start:end],
            rule=info.code,
            name=info.name,
            pack=info.pack,
            severity=info.severity,
            message=info.message,
            suggestion=info.suggestion,
        )
