"""The compiled linter: every rule's phrases in one automaton per role, one scan per turn.

A turn is folded (one ``str.translate``) and scanned once; rules are only evaluated on
turns where their triggers occur, and segmentation runs only around hits that need word
boundaries. ``Linter`` is immutable after construction, thread-safe and picklable.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, islice
from typing import Any

from replylint.kinds import KINDS
from replylint.kinds.base import Boundary, MatchOptions, PhraseSlots, Rule, RuleKind, Values
from replylint.kinds.metadata import transcript_area, transcript_outbound, transcript_profile
from replylint.model import Annotations, Finding, Role, Tag, Transcript, Turn
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
from replylint.text.normalize import TURN_SEPARATOR, FoldedText, fold, fold_view, phrase_variants
from replylint.text.pattern import PatternMatcher
from replylint.text.recognise import RECOGNISERS
from replylint.text.recognise.personal_data import POSSIBLE_PERSONAL_DATA
from replylint.text.segment import Segmenter, WordBoundaries

Span = tuple[int, int]


class Linter:
    """Lint transcripts with a fixed set of rules.

    ``reference=True`` swaps every fast path for its obviously-correct twin (per-turn
    folding, brute-force phrase search, jieba on whole turns); tests compare the two.
    ``segmenter`` picks the word-boundary segmenter of the fast path (see segment.py).

    A rule written for some industries (``profiles``) applies to a transcript whose
    metadata names one of them (industry = power, 行业 = 电力); with ``profile`` given, the
    caller has chosen the rules for that industry and every rule applies to every call.
    """

    __slots__ = (
        "_boundaries",
        "_every_transcript",
        "_kinds",
        "_matchers",
        "_options",
        "_outbound_matchers",
        "_patterns",
        "_personal_roles",
        "_plain",
        "_profile",
        "_reference",
        "_scanned_roles",
        "rules",
    )

    def __init__(
        self,
        rules: Iterable[Rule],
        *,
        reference: bool = False,
        segmenter: Segmenter = "auto",
        profile: str | None = None,
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        # By rule index: its kind, and how its hits become matches.
        self._kinds: tuple[RuleKind[Any], ...] = tuple(KINDS[rule.kind] for rule in self.rules)
        self._options: tuple[MatchOptions, ...] = tuple(rule.options for rule in self.rules)
        self._reference = reference
        self._profile = profile
        self._boundaries = WordBoundaries("jieba" if reference else segmenter)
        matchers = (
            (role, PhraseMatcher(_phrase_targets(self.rules, self._kinds, role))) for role in Role
        )
        # Only roles that have phrases at all; a tuple, not a dict: enum hashing is slow.
        self._matchers = tuple((role, matcher) for role, matcher in matchers if matcher)
        # What else outbound calls are scanned for: tags the agent raises (see kinds/tag.py).
        outbound = (
            (role, PhraseMatcher(_phrase_targets(self.rules, self._kinds, role, outbound=True)))
            for role in Role
        )
        self._outbound_matchers = tuple((role, matcher) for role, matcher in outbound if matcher)
        # By rule index: what extends a pattern rule's anchor hits into whole matches.
        self._patterns = tuple(
            None if (patterns := kind.patterns(rule)) is None else PatternMatcher(patterns)
            for rule, kind in zip(self.rules, self._kinds, strict=True)
        )
        # By rule index: whether a trigger hit is a match unless an exception overlaps it
        # (no word or turn boundary to check, no pattern to grow). Never on the reference
        # path, which always computes the matches.
        self._plain = tuple(
            not reference and options.boundary is Boundary.NONE and pattern is None
            for options, pattern in zip(self._options, self._patterns, strict=True)
        )
        # Roles whose turns are pre-scanned for personal data (see `_mark_personal`).
        self._personal_roles = frozenset(
            role
            for rule, kind in zip(self.rules, self._kinds, strict=True)
            for role in kind.personal_data_roles(rule)
        )
        # Roles whose turns are scanned at all: for phrases, for personal data or both.
        scanned = {role for role, _ in self._matchers} | self._personal_roles
        self._scanned_roles = tuple(role for role in Role if role in scanned)
        # Rules evaluated on every transcript, hits or not (a required phrase can be
        # missing), grouped by kind: whether they may apply to a call is asked once a kind.
        self._every_transcript = _grouped_by_kind(
            self._kinds,
            (
                index
                for index, (rule, kind) in enumerate(zip(self.rules, self._kinds, strict=True))
                if kind.every_call(rule)
            ),
        )

    def prepare(self) -> None:
        """Load now what is otherwise loaded on first need (jieba's dictionary, if a rule
        checks word boundaries): before forking workers, so that they share it."""
        if any(options.boundary is Boundary.WORD for options in self._options):
            self._boundaries.load()

    def lint(self, transcript: Transcript | str) -> list[Finding]:
        """Findings sorted by turn and position. A plain string is one agent turn."""
        if isinstance(transcript, str):
            transcript = Transcript(id="text", turns=(Turn(Role.AGENT, transcript),))
        return self.lint_batch([transcript])[0]

    def lint_many(
        self, transcripts: Iterable[Transcript], *, batch_size: int = 256
    ) -> Iterator[list[Finding]]:
        """Findings of each transcript, in order; linted in batches for speed, lazily."""
        batch: list[Transcript] = []
        for transcript in transcripts:
            batch.append(transcript)
            if len(batch) == batch_size:
                yield from self.lint_batch(batch)
                batch = []
        if batch:
            yield from self.lint_batch(batch)

    def annotate(self, transcript: Transcript) -> Annotations:
        """The transcript's findings and its tags (topics, customer types)."""
        return self.annotate_batch([transcript])[0]

    def lint_batch(self, transcripts: Sequence[Transcript]) -> list[list[Finding]]:
        """Findings of each transcript (see ``annotate_batch``)."""
        return [annotations.findings for annotations in self.annotate_batch(transcripts)]

    def annotate_batch(self, transcripts: Sequence[Transcript]) -> list[Annotations]:
        """Findings and tags of each transcript. The batch is folded and scanned in one pass
        per role: per-call Python work is then spent only on calls where some phrase occurs.
        """
        scans = [_Scan(self, transcript) for transcript in transcripts]
        matchers = dict(self._matchers)
        for role, owners in _owners_by_role(scans, self._scanned_roles).items():
            self._scan(matchers.get(role), owners, personal=role in self._personal_roles)
        if self._outbound_matchers:  # the few calls the agent placed: scanned once more
            outbound = [scan for scan in scans if transcript_outbound(scan.transcript.meta)]
            matchers = dict(self._outbound_matchers)
            for role, owners in _owners_by_role(outbound, tuple(matchers)).items():
                self._scan(matchers[role], owners, personal=False)
        return [scan.annotations() for scan in scans]

    def _scan(
        self, matcher: PhraseMatcher | None, owners: list[tuple[_Scan, int]], *, personal: bool
    ) -> None:
        if self._reference:
            for scan, number in owners:
                scan.scan_turn(number, matcher)
        elif owners:
            _scan_together(matcher, owners, personal=personal)

    def _is_word(self, folded: FoldedText, start: int, end: int) -> bool:
        whole_turn = self._reference  # the fast path segments a small window only
        return self._boundaries.is_word(folded, start, end, whole_turn=whole_turn)


def _grouped_by_kind(
    kinds: Sequence[RuleKind[Any]], indices: Iterable[int]
) -> tuple[tuple[RuleKind[Any], tuple[int, ...]], ...]:
    """(a kind, the indices of its rules), kinds in the order of their first rule."""
    groups: dict[str, list[int]] = {}
    for index in indices:
        groups.setdefault(kinds[index].name, []).append(index)
    return tuple((kinds[members[0]], tuple(members)) for members in groups.values())


def _owners_by_role(
    scans: list[_Scan], roles: Sequence[Role]
) -> dict[Role, list[tuple[_Scan, int]]]:
    """(scan, turn number) of every turn with text, by role (of ``roles``): one pass."""
    owners: dict[Role, list[tuple[_Scan, int]]] = {role: [] for role in roles}
    for scan in scans:
        for number, turn in enumerate(scan.transcript.turns):
            of_role = owners.get(turn.role) if turn.text else None
            if of_role is not None:
                of_role.append((scan, number))
    return owners


def _phrase_targets(
    rules: Sequence[Rule], kinds: Sequence[RuleKind[Any]], role: Role, *, outbound: bool = False
) -> Iterator[tuple[str, Target]]:
    """Every folded spelling of every phrase a turn of ``role`` must be scanned for: what
    each kind asks for on every call, or (``outbound``) besides on an outbound call."""
    for index, (rule, kind) in enumerate(zip(rules, kinds, strict=True)):
        slots: PhraseSlots = kind.outbound_slots(rule) if outbound else kind.slots(rule)
        for roles, slot, phrases in slots:
            if role in roles:
                for phrase in phrases:
                    for variant in phrase_variants(phrase):
                        yield variant, target(index, slot)


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


def _scan_together(
    matcher: PhraseMatcher | None, owners: list[tuple[_Scan, int]], *, personal: bool = False
) -> None:
    """Fold and scan many turns of one role at once, then hand each hit to its turn; with
    ``personal``, also mark the turns that may hold personal data."""
    texts = [scan.transcript.turns[number].text for scan, number in owners]
    joined = TURN_SEPARATOR.join(texts)
    if joined.count(TURN_SEPARATOR) != len(texts) - 1:
        for scan, number in owners:  # some text holds the separator itself: no joining
            scan.scan_turn(number, matcher)
            if personal:
                scan.personal.add(number)
        return
    if personal:
        _mark_personal(joined, texts, owners)
    if matcher is None:
        return
    view = fold_view(joined)
    hits = matcher.scan(view)
    if not hits:
        return  # the common case on real calls: no phrase in any of these turns
    views = view.split(TURN_SEPARATOR)
    # Where each turn starts in the joined view: its length plus one separator, summed.
    starts = list(accumulate(map((1).__add__, map(len, views)), initial=0))
    for start, end, hit_target in hits:
        k = bisect_right(starts, start) - 1
        scan, number = owners[k]
        scan.record(number, hit_target, (start - starts[k], end - starts[k]), views[k])


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


def _mark_personal(joined: str, texts: list[str], owners: list[tuple[_Scan, int]]) -> None:
    """Mark the turns where personal data may stand: a pass of each regex over the joined
    text."""
    starts = list(accumulate(map((1).__add__, map(len, texts)), initial=0))
    for pattern in POSSIBLE_PERSONAL_DATA:
        for match in pattern.finditer(joined):
            scan, number = owners[bisect_right(starts, match.start()) - 1]
            scan.personal.add(number)


_UNKNOWN_INDUSTRY = object()  # a call's industry not yet read from its metadata


class _Scan:
    """One transcript's scan: every phrase hit, by turn, rule and slot (view offsets).

    Fast path: the turns of one role are joined, folded and scanned in one go; a turn is
    folded on its own (with its offset index) only when a finding or a word boundary
    needs its offsets. Reference path: every turn folded and searched on its own, by
    brute force.
    """

    __slots__ = (
        "_folded",
        "_hits",
        "_industry",
        "_linter",
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
        self._roles: list[Role] | None = None
        self._spoken: dict[Role, list[int]] | None = None  # spoken turns by role, on need

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
            found = kind.check(rule, index, self, turns)
            label = kind.label(rule)
            if label is not None:
                tags.extend(_tag(label, evidence) for evidence in islice(found, 1))
            else:
                findings.extend(found)
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

    def scan_turn(self, number: int, matcher: PhraseMatcher | None) -> None:
        """Fold and scan one turn on its own (the reference path and the rare fallback)."""
        if matcher is None:
            return
        view = self._fold(number).view
        hits = matcher.scan_reference(view) if self._linter._reference else matcher.scan(view)
        for start, end, hit_target in hits:
            self.record(number, hit_target, (start, end))

    def record(self, number: int, hit_target: Target, span: Span, view: str | None = None) -> None:
        if view is not None:
            self._views[number] = view
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
            folded = self._folded[number] = fold(self.transcript.turns[number].text)
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
        exceptions = self._hits.get((turn, target(rule, EXCEPTION)), [])
        boundary = self._linter._options[rule].boundary
        needs_word = boundary is Boundary.WORD
        whole_turn = len(self._view(turn)) if boundary is Boundary.TURN else None
        chosen: list[Span] = []
        # Leftmost, then longest; a candidate inside an exception or off word
        # boundaries gives way to the next one.
        for start, end in self._candidates(turn, rule, chosen):
            if chosen and start < chosen[-1][1]:
                continue
            if overlaps((start, end), exceptions):
                continue
            if needs_word and not self._linter._is_word(self._fold(turn), start, end):
                continue
            if whole_turn is not None and (start, end) != (0, whole_turn):
                continue
            chosen.append((start, end))
        return chosen

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
            # Without exceptions, word boundaries or patterns the leftmost trigger hit is
            # always a match: the turn has one exactly when it has a trigger hit.
            return (turn, target(rule, TRIGGER)) in self._hits
        return bool(self.matches(turn, rule))

    def has_response(self, turn: int, rule: int, detector: str | None) -> bool:
        if (turn, target(rule, RESPONSE)) in self._hits:
            return True
        return detector is not None and RECOGNISERS[detector].holds(self._view(turn))

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
