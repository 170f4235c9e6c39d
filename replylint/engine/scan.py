"""One call's scan: every phrase hit by turn, rule and slot, and what a kind's check may
ask about the call (the `DialogueScan` protocol of ``kinds.base``). Where a hit becomes a
match (exceptions, the rule's `MatchOptions`, patterns grown from anchors) is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING

from replylint.kinds.base import Boundary, MatchOptions, Rule, Values
from replylint.kinds.channels import Channel, transcript_channel
from replylint.kinds.metadata import transcript_area, transcript_profile
from replylint.model import Annotations, Finding, Role, Tag, Transcript
from replylint.text.matcher import (
    EXCEPTION,
    RESPONSE,
    TRIGGER,
    PhraseMatcher,
    Slot,
    Target,
    is_trigger,
    overlaps,
    target,
    target_rule,
)
from replylint.text.normalize import FoldedText, fold, fold_view
from replylint.text.pattern import PatternMatcher
from replylint.text.reading import ClauseFeature, TurnReading, may_hold_marks, reading_of
from replylint.text.recognise import RECOGNISERS

if TYPE_CHECKING:
    from replylint.engine.linter import Linter

Span = tuple[int, int]


_UNKNOWN_INDUSTRY = object()  # a call's industry not yet read from its metadata


class CallScan:
    """One transcript's scan: every phrase hit, by turn, rule and slot (view offsets).

    Fast path: the turns of one role are joined, folded and scanned in one go; a turn is
    folded on its own (with its offset index) only when a finding or a word boundary
    needs its offsets. Reference path: every turn folded and searched on its own, by
    brute force.
    """

    __slots__ = (
        "_channel",
        "_channel_read",
        "_folded",
        "_hits",
        "_industry",
        "_linter",
        "_marked",
        "_readings",
        "_roles",
        "_spoken",
        "_timed",
        "_views",
        "personal",
        "transcript",
        "trigger_turns",
    )

    def __init__(self, linter: Linter, transcript: Transcript) -> None:
        self._linter = linter
        self.transcript = transcript
        self._hits: dict[tuple[int, Target], list[Span]] = {}  # (turn, target) -> spans
        self._folded: dict[int, FoldedText] = {}
        self._views: dict[int, str] = {}
        self.trigger_turns: dict[int, set[int]] = {}  # rule -> turns with a trigger
        self.personal: set[int] = set()  # turns that may hold personal data (fast path)
        self._timed: bool | None = None
        self._industry: object = _UNKNOWN_INDUSTRY  # read from meta on need
        self._channel: Channel | None = None  # read from meta or the first turns on need
        self._channel_read = False
        self._roles: list[Role] | None = None
        self._spoken: dict[Role, list[int]] | None = None  # spoken turns by role, on need
        self._readings: dict[int, TurnReading] = {}  # turns read for marks or clauses
        self._marked: dict[int, bool] = {}  # whether a turn may hold non-word marks

    def annotations(self) -> Annotations:
        rules, kinds = self._linter.rules, self._linter._kinds
        findings: list[Finding] = []
        tags: list[Tag] = []
        for index in self._due_rules():
            rule = rules[index]
            if rule.info.profiles and not self._in_industry(rule):
                continue
            turns = sorted(self.trigger_turns.get(index, ()))
            kind = kinds[index]
            found: Iterable[Finding] = kind.check(rule, index, self, turns)
            if rule.info.channels:
                found = self._of_its_channels(rule, found)
            label = kind.label(rule)
            if label is not None:
                tags.extend(_tag(label, evidence) for evidence in islice(found, 1))
            else:
                findings.extend(found)
        if self._linter._supersedes and findings:
            findings = _without_superseded(findings, self._linter._supersedes)
        findings.sort(key=Finding.sort_key)
        tags.sort(key=lambda t: (t.turn, t.start, t.category, t.tag))
        return Annotations(findings, tags)

    def _due_rules(self) -> list[int]:
        """The rules to evaluate, in order: those whose triggers occur here, and those
        evaluated on every call that may apply to this one."""
        due = [
            index
            for kind, indices in self._linter._every_transcript
            if kind.may_apply(self)
            for index in indices
        ]
        return sorted(self.trigger_turns.keys() | set(due)) if self.trigger_turns else due

    def _in_industry(self, rule: Rule) -> bool:
        """Whether a rule written for some industries applies to this call."""
        if self._linter._profile is not None:
            return True  # the caller chose the rules for one industry
        if self._industry is _UNKNOWN_INDUSTRY:
            self._industry = transcript_profile(self.transcript.meta)
        return self._industry in rule.info.profiles

    def _of_its_channels(self, rule: Rule, found: Iterable[Finding]) -> list[Finding]:
        """The findings of a rule written for some channels, if the call is of one of them.
        The channel is only read for a rule that has something to report: most calls have
        their greeting and their goodbye, and reading it costs more than the check."""
        found = list(found)
        return found if found and rule.info.in_channel(self.channel()) else []

    def channel(self) -> Channel | None:
        """The call's channel (metadata, else its first turns, else the linter's default),
        read once; None when nothing names it."""
        if not self._channel_read:
            self._channel = transcript_channel(self.transcript, default=self._linter._channel)
            self._channel_read = True
        return self._channel

    def scan_turn(self, number: int, matcher: PhraseMatcher | None) -> None:
        """Fold and scan one turn on its own (the reference path and the rare fallback)."""
        if matcher is None:
            return
        view = self._fold(number).view
        hits = matcher.scan_reference(view) if self._linter._reference else matcher.scan(view)
        for start, end, hit_target in hits:
            self.record(number, hit_target, (start, end))

    def keep_view(self, number: int, view: str) -> None:
        """The turn's view, folded with others for the scan (no need to fold it again)."""
        self._views[number] = view

    def record(self, number: int, hit_target: Target, span: Span) -> None:
        spans = self._hits.get((number, hit_target))
        if spans is None:
            self._hits[number, hit_target] = [span]
            if is_trigger(hit_target):
                self.trigger_turns.setdefault(target_rule(hit_target), set()).add(number)
        else:
            spans.append(span)

    def _fold(self, number: int) -> FoldedText:
        folded = self._folded.get(number)
        if folded is None:
            reading = self._readings.get(number)  # a turn read for its clauses has its fold
            text = self.transcript.turns[number].text
            folded = self._folded[number] = fold(text) if reading is None else reading.folded
        return folded

    def _view(self, number: int) -> str:
        view = self._views.get(number)
        if view is None:
            folded = self._folded.get(number)
            if folded is not None or self._linter._reference:
                return self._fold(number).view
            # A turn without hits whose view a rule reads (a response detector): the view
            # alone, without the offset index a finding would need.
            view = self._views[number] = fold_view(self.transcript.turns[number].text)
        return view

    def roles(self) -> list[Role]:
        if self._roles is None:  # asked by each response rule: built once
            self._roles = [turn.role for turn in self.transcript.turns]
        return self._roles

    def spoken(self, turn: int) -> bool:
        return bool(self.transcript.turns[turn].text.strip())

    def transcript_role(self, turn: int) -> Role:
        return self.transcript.turns[turn].role

    def spoken_turns(self, role: Role) -> list[int]:
        return self._spoken_by_role().get(role, [])

    def dialogue(self) -> bool:
        return len(self._spoken_by_role()) > 1

    def _spoken_by_role(self) -> dict[Role, list[int]]:
        spoken = self._spoken
        if spoken is None:  # asked by every occurrence rule: computed once, in one pass
            spoken = self._spoken = {}
            for number, turn in enumerate(self.transcript.turns):
                text = turn.text
                if text and not text.isspace():  # what strip() leaves, without the copy
                    spoken.setdefault(turn.role, []).append(number)
        return spoken

    def matches(self, turn: int, rule: int) -> list[Span]:
        return list(self._matching(turn, rule))

    def first_match(self, turn: int, rule: int) -> Span | None:
        return next(self._matching(turn, rule), None)

    def may_match(self, turn: int, rule: int) -> bool:
        return next(self._matching(turn, rule, read=False), None) is not None

    def _matching(self, turn: int, rule: int, *, read: bool = True) -> Iterator[Span]:
        """The matches of a rule in a turn, found one at a time: a caller that needs the
        first pays for no clause read past it. ``read=False``: the candidates that pass
        everything but the reading of their sentence and marks."""
        exceptions = self._hits.get((turn, target(rule, EXCEPTION)), [])
        options = self._linter._options[rule]
        needs_word = options.boundary is Boundary.WORD
        whole_turn = len(self._view(turn)) if options.boundary is Boundary.TURN else None
        reads = read and (options.reads_clauses or self._may_hold_marks(turn))
        chosen: list[Span] = []
        # Leftmost, then longest; a candidate inside an exception, off word boundaries or
        # in a clause the options exclude gives way to the next one.
        for start, end in self._candidates(turn, rule, chosen):
            if chosen and start < chosen[-1][1]:
                continue
            if overlaps((start, end), exceptions):
                continue
            if needs_word and not self._linter._is_word(self._fold(turn), start, end):
                continue
            if whole_turn is not None and (start, end) != (0, whole_turn):
                continue
            if reads and not self._reads_as_match(turn, (start, end), options):
                continue
            chosen.append((start, end))
            yield start, end

    def _reads_as_match(self, turn: int, span: Span, options: MatchOptions) -> bool:
        """Whether a hit still matches once the sentence around it is read: never inside
        a non-word mark (but an account an @mention names, with ``handles``), never in
        a clause with an ``unless`` feature, and only in a clause of the ``speech_act``."""
        reading = self._reading(turn)
        original = self.original_span(turn, span)
        if reading.in_mark(original):
            return options.handles and reading.names_account(original)
        if options.unless and reading.has_any(original, options.unless):
            return False
        return options.speech_act is None or reading.performs(original, options.speech_act)

    def _reading(self, turn: int) -> TurnReading:
        reading = self._readings.get(turn)
        if reading is None:
            reading = self._readings[turn] = reading_of(self.transcript.turns[turn].text)
        return reading

    def _may_hold_marks(self, turn: int) -> bool:
        marked = self._marked.get(turn)
        if marked is None:
            marked = self._marked[turn] = may_hold_marks(self.transcript.turns[turn].text)
        return marked

    def _candidates(self, turn: int, rule: int, chosen: list[Span]) -> Iterable[Span]:
        """The rule's candidate spans, leftmost then longest: its trigger hits, or for a
        pattern rule the whole matches grown from its anchor hits (lazily: ``chosen`` is
        the caller's list, so a start inside a chosen span is never grown)."""
        triggers = self._hits.get((turn, target(rule, TRIGGER)), [])
        pattern = self._linter._patterns[rule]
        if pattern is None:
            return sorted(set(triggers), key=lambda s: (s[0], s[0] - s[1]))
        view = self._view(turn)
        if self._linter._reference:
            return pattern.reference_spans(view)
        return _grown(pattern, view, triggers, chosen)

    def occurs(self, turn: int, rule: int) -> bool:
        if self._linter._plain[rule] and (turn, target(rule, EXCEPTION)) not in self._hits:
            # Without exceptions, word boundaries, patterns or clause options, the leftmost
            # trigger hit outside a mark is a match: with no mark in the turn, the turn has
            # one exactly when it has a trigger hit.
            hits = self._hits.get((turn, target(rule, TRIGGER)))
            if not hits or not self._may_hold_marks(turn):
                return bool(hits)
            reading = self._reading(turn)
            return any(not reading.in_mark(self.original_span(turn, hit)) for hit in hits)
        return self.first_match(turn, rule) is not None

    def has_response(
        self,
        turn: int,
        rule: int,
        detector: str | None,
        unless: frozenset[ClauseFeature] = frozenset(),
    ) -> bool:
        spans = self._hits.get((turn, target(rule, RESPONSE)))
        if spans and self._responds(turn, spans, unless):
            return True
        if detector is None:
            return False
        recogniser = RECOGNISERS[detector]
        return recogniser.holds(self._view(turn)) and (
            recogniser.confirm is None or recogniser.confirm(self.transcript.turns[turn].text)
        )

    def _responds(self, turn: int, spans: list[Span], unless: frozenset[ClauseFeature]) -> bool:
        """Whether any response hit counts: outside marks, without an ``unless`` feature."""
        if not unless and not self._may_hold_marks(turn):
            return True
        reading = self._reading(turn)
        for span in spans:
            original = self.original_span(turn, span)
            if not reading.in_mark(original) and not (unless and reading.has_any(original, unless)):
                return True
        return False

    def hits(self, turn: int, rule: int, slot: Slot) -> list[Span]:
        return self._hits.get((turn, target(rule, slot)), [])

    def view(self, turn: int) -> str:
        return self._view(turn)

    def times(self, turn: int) -> tuple[int | None, int | None]:
        spoken = self.transcript.turns[turn]
        return spoken.start_ms, spoken.end_ms

    def timed(self) -> bool:
        if self._timed is None:
            self._timed = any(turn.start_ms is not None for turn in self.transcript.turns)
        return self._timed

    def area(self) -> str | None:
        return transcript_area(self.transcript.meta)

    def personal_data_turns(self) -> Iterable[int]:
        if self._linter._reference:
            return range(len(self.transcript.turns))  # the reference path looks everywhere
        return sorted(self.personal)

    def finding(self, rule: Rule, turn: int, span: Span, values: Values | None = None) -> Finding:
        start, end = self.original_span(turn, span)
        return self._finding(rule, turn, start, end, values)

    def text(self, turn: int) -> str:
        return self.transcript.turns[turn].text

    def original_span(self, turn: int, span: Span) -> Span:
        return self._fold(turn).original_span(*span)

    def text_finding(self, rule: Rule, turn: int, start: int, end: int) -> Finding:
        return self._finding(rule, turn, start, end, None)

    def turn_finding(self, rule: Rule, turn: int, values: Values | None = None) -> Finding:
        text = self.transcript.turns[turn].text
        start, end = len(text) - len(text.lstrip()), len(text.rstrip())
        return self._finding(rule, turn, start, end, values)

    def _finding(
        self, rule: Rule, turn: int, start: int, end: int, values: Values | None
    ) -> Finding:
        text = self.transcript.turns[turn].text
        info = rule.info
        message = info.message if values is None else _with_values(info.message, *values)
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
            message=message,
            suggestion=info.suggestion,
        )


def _with_values(message: str, value: str, limit: str) -> str:
    """The message with its ``{value}`` and ``{limit}`` filled in: plain replacement, never
    ``str.format`` (a pack's text must not reach into Python objects)."""
    return message.replace("{value}", value).replace("{limit}", limit)


def _grown(
    pattern: PatternMatcher, view: str, anchors: list[Span], chosen: list[Span]
) -> Iterator[Span]:
    """Whole matches grown from anchor hits, leftmost then longest, one start at a time;
    a start that the last chosen span covers is skipped before any growing."""
    by_start: dict[int, list[int]] = {}
    for start, end in anchors:
        by_start.setdefault(start, []).append(end)
    bound = pattern.in_view(view)
    for start, anchor_ends in sorted(by_start.items()):
        if chosen and start < chosen[-1][1]:
            continue
        for end in bound.ends(start, anchor_ends):
            yield start, end


def _without_superseded(
    findings: list[Finding], supersedes: Mapping[str, frozenset[str]]
) -> list[Finding]:
    """The findings without those a more specific rule of the family replaces: a finding
    of a superseded rule whose words overlap the superseding finding's, in one turn."""
    by_turn: dict[int, list[int]] = {}
    for number, finding in enumerate(findings):
        by_turn.setdefault(finding.turn, []).append(number)
    dropped: set[int] = set()
    for finding in findings:
        replaced = supersedes.get(finding.rule)
        if replaced is not None:
            dropped.update(
                number
                for number in by_turn[finding.turn]
                if findings[number].rule in replaced
                and findings[number].start < finding.end
                and finding.start < findings[number].end
            )
    return [finding for number, finding in enumerate(findings) if number not in dropped]


def _tag(label: tuple[str, str], evidence: Finding) -> Tag:
    category, tag = label
    return Tag(
        transcript=evidence.transcript,
        category=category,
        tag=tag,
        rule=evidence.rule,
        turn=evidence.turn,
        start=evidence.start,
        end=evidence.end,
        text=evidence.text,
    )
