"""The compiled linter: every rule's phrases in one automaton per role, one scan per turn.

A turn is folded (one ``str.translate``) and scanned once; rules are only evaluated on
turns where their triggers occur, and segmentation runs only around hits that need word
boundaries. ``Linter`` is immutable after construction, thread-safe and picklable.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any

from replylint.engine.scan import CallScan, RulePlan, TurnHit
from replylint.kinds import KINDS
from replylint.kinds.base import NO_OPTIONS, Boundary, MatchOptions, PhraseSlots, Rule, RuleKind
from replylint.kinds.channels import Channel
from replylint.kinds.metadata import transcript_outbound
from replylint.model import Annotations, Finding, Role, Transcript, Turn
from replylint.text.matcher import PhraseMatcher, RawHit, Target, target
from replylint.text.normalize import (
    TURN_SEPARATOR,
    FoldedText,
    fold_table,
    fold_view,
    phrase_variants,
)
from replylint.text.pattern import PatternMatcher
from replylint.text.recognise.personal_data import POSSIBLE_PERSONAL_DATA
from replylint.text.segment import Segmenter, WordBoundaries

Span = tuple[int, int]
RoleMatchers = tuple[tuple[Role, PhraseMatcher], ...]


class Linter:
    """Lint transcripts with a fixed set of rules.

    ``reference=True`` swaps every fast path for its obviously-correct twin (per-turn
    folding, brute-force phrase search, jieba on whole turns); tests compare the two.
    ``segmenter`` picks the word-boundary segmenter of the fast path (see text/segment.py).

    A rule written for some industries (``profiles``) applies to a transcript whose
    metadata names one of them (industry = power, 行业 = 电力); with ``profile`` given, the
    caller has chosen the rules for that industry and every rule applies to every call.

    A rule written for some channels (``channels``: phone, chat, social) applies to a call
    of one of them: the channel its metadata names (channel / 渠道 = 热线, 在线客服, 微博),
    else the one its first turns show (kinds/channels.py), else ``channel``. A call whose
    channel nothing names gets only the rules of every channel. The channel is read once a
    call, and only when such a rule has something to report.
    """

    __slots__ = (
        "_boundaries",
        "_channel",
        "_every_transcript",
        "_kinds",
        "_matchers",
        "_options",
        "_outbound_matchers",
        "_patterns",
        "_personal_roles",
        "_plain",
        "_plans",
        "_profile",
        "_reference",
        "_scanned_roles",
        "_scoped_by_industry",
        "_scoped_matchers",
        "_supersedes",
        "_view_roles",
        "rules",
    )

    def __init__(
        self,
        rules: Iterable[Rule],
        *,
        reference: bool = False,
        segmenter: Segmenter = "auto",
        profile: str | None = None,
        channel: Channel | str | None = None,
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        # The channel of a call whose metadata and data name none (raises ValueError for a
        # name that is no channel).
        self._channel = None if channel is None else Channel(channel)
        # By rule index: its kind, and how its hits become matches.
        self._kinds: tuple[RuleKind[Any], ...] = tuple(KINDS[rule.kind] for rule in self.rules)
        self._options: tuple[MatchOptions, ...] = tuple(rule.options for rule in self.rules)
        # By rule index: what a call's evaluation asks of each rule, looked up once here.
        self._plans: tuple[RulePlan, ...] = tuple(
            (rule, kind, kind.label(rule))
            for rule, kind in zip(self.rules, self._kinds, strict=True)
        )
        self._reference = reference
        self._profile = profile
        self._boundaries = WordBoundaries("jieba" if reference else segmenter)
        # The automata of all rules, built on first need: only a linter for one industry
        # (or the reference path) scans with them; the others scan with an industry's.
        self._matchers: RoleMatchers | None = None
        # The automata of the rules that apply to calls of one industry (None: of none
        # named), built on first need: an industry's rules find nothing on other calls, and
        # their phrases are a fifth of all hits on real calls. A cache, not state: any
        # copy builds the same.
        self._scoped_matchers: dict[str | None, RoleMatchers] = {}
        self._scoped_by_industry = any(rule.info.profiles for rule in self.rules)
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
        # (the default match options: no word or turn boundary to check; no pattern to
        # grow). Never on the reference path, which always computes the matches.
        self._plain = tuple(
            not reference and options == NO_OPTIONS and pattern is None
            for options, pattern in zip(self._options, self._patterns, strict=True)
        )
        # Roles whose turns are pre-scanned for personal data (see `_mark_personal`).
        self._personal_roles = frozenset(
            role
            for rule, kind in zip(self.rules, self._kinds, strict=True)
            for role in kind.personal_data_roles(rule)
        )
        # Roles whose every turn's view some kind reads (the canned reply): kept from the scan.
        self._view_roles = frozenset(role for kind in self._kinds for role in kind.view_roles)
        # Roles whose turns are scanned at all: for phrases, for personal data or both.
        # (Every role a rule has phrases for: a role without an automaton just has no hits.)
        scanned = set(_roles_with_phrases(self.rules, self._kinds)) | self._personal_roles
        self._scanned_roles = tuple(role for role in Role if role in scanned)
        # By rule code: the codes whose findings its own replace on the same words.
        self._supersedes = {
            rule.info.code: frozenset(rule.info.supersedes)
            for rule in self.rules
            if rule.info.supersedes
        }
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

    def _role_matchers(self, indices: Iterable[int]) -> RoleMatchers:
        """(role, matcher) of the roles whose turns some of these rules scan."""
        keep = frozenset(indices)
        matchers = (
            (role, PhraseMatcher(_phrase_targets(self.rules, self._kinds, role, keep=keep)))
            for role in Role
        )
        return tuple((role, matcher) for role, matcher in matchers if matcher)

    def _all_matchers(self) -> RoleMatchers:
        """The automata of every rule (only roles that have phrases at all; a tuple, not a
        dict: enum hashing is slow)."""
        if self._matchers is None:
            self._matchers = self._role_matchers(range(len(self.rules)))
        return self._matchers

    def _matchers_of_industry(self, industry: str | None) -> RoleMatchers:
        """The automata of the rules that apply to a call of ``industry``."""
        matchers = self._scoped_matchers.get(industry)
        if matchers is None:
            matchers = self._scoped_matchers[industry] = self._role_matchers(
                index
                for index, rule in enumerate(self.rules)
                if not rule.info.profiles or industry in rule.info.profiles
            )
        return matchers

    def _by_industry(self, scans: list[CallScan]) -> list[tuple[RoleMatchers, list[CallScan]]]:
        """The scans grouped by the automata that serve them: all rules' when the caller
        chose the industry (or on the reference path, which scans for everything), else
        those of each call's industry."""
        if self._profile is not None or self._reference or not self._scoped_by_industry:
            return [(self._all_matchers(), scans)]
        groups: dict[str | None, list[CallScan]] = {}
        for scan in scans:
            groups.setdefault(scan.industry(), []).append(scan)
        return [(self._matchers_of_industry(name), group) for name, group in groups.items()]

    def prepare(self) -> None:
        """Load now what is otherwise loaded on first need (the fold table; the segmenter's
        dictionary, if a rule checks word boundaries): before forking workers, so that they
        share it, or before a live service takes its first reply."""
        fold_table()
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
        scans = [CallScan(self, transcript) for transcript in transcripts]
        for role_matchers, group in self._by_industry(scans):
            matchers = dict(role_matchers)
            for role, owners in _owners_by_role(group, self._scanned_roles).items():
                personal, keep_views = role in self._personal_roles, role in self._view_roles
                self._scan(matchers.get(role), owners, personal=personal, keep_views=keep_views)
        if self._outbound_matchers:  # the few calls the agent placed: scanned once more
            # Most calls carry no metadata at all: nothing to read.
            outbound = [scan for scan in scans if scan.transcript.meta and _placed(scan.transcript)]
            if outbound:
                self._scan_outbound(outbound)
        return [scan.annotations() for scan in scans]

    def _scan_outbound(self, outbound: list[CallScan]) -> None:
        matchers = dict(self._outbound_matchers)
        for role, owners in _owners_by_role(outbound, tuple(matchers)).items():
            self._scan(matchers[role], owners, personal=False)

    def _scan(
        self,
        matcher: PhraseMatcher | None,
        owners: list[tuple[CallScan, int]],
        *,
        personal: bool,
        keep_views: bool = False,
    ) -> None:
        if self._reference:
            for scan, number in owners:
                scan.scan_turn(number, matcher)
        elif owners:
            _scan_together(matcher, owners, personal=personal, keep_views=keep_views)

    def _is_word(self, folded: FoldedText, start: int, end: int) -> bool:
        whole_turn = self._reference  # the fast path segments a small window only
        return self._boundaries.is_word(folded, start, end, whole_turn=whole_turn)


def _placed(transcript: Transcript) -> bool:
    """Whether the agent placed the call."""
    return transcript_outbound(transcript.meta)


def _grouped_by_kind(
    kinds: Sequence[RuleKind[Any]], indices: Iterable[int]
) -> tuple[tuple[RuleKind[Any], tuple[int, ...]], ...]:
    """(a kind, the indices of its rules), kinds in the order of their first rule."""
    groups: dict[str, list[int]] = {}
    for index in indices:
        groups.setdefault(kinds[index].name, []).append(index)
    return tuple((kinds[members[0]], tuple(members)) for members in groups.values())


def _owners_by_role(
    scans: list[CallScan], roles: Sequence[Role]
) -> dict[Role, list[tuple[CallScan, int]]]:
    """(scan, turn number) of every turn with text, by role (of ``roles``): one pass."""
    owners: dict[Role, list[tuple[CallScan, int]]] = {role: [] for role in roles}
    for scan in scans:
        for number, turn in enumerate(scan.transcript.turns):
            of_role = owners.get(turn.role) if turn.text else None
            if of_role is not None:
                of_role.append((scan, number))
    return owners


def _roles_with_phrases(rules: Sequence[Rule], kinds: Sequence[RuleKind[Any]]) -> Iterator[Role]:
    """The roles whose turns some rule asks the scan to look for phrases in."""
    for rule, kind in zip(rules, kinds, strict=True):
        for roles, _, phrases in kind.slots(rule):
            if phrases:
                yield from roles


def _phrase_targets(
    rules: Sequence[Rule],
    kinds: Sequence[RuleKind[Any]],
    role: Role,
    *,
    outbound: bool = False,
    keep: frozenset[int] | None = None,
) -> Iterator[tuple[str, Target]]:
    """Every folded spelling of every phrase a turn of ``role`` must be scanned for: what
    each kind asks for on every call, or (``outbound``) besides on an outbound call; of the
    rules ``keep`` names (None: all)."""
    for index, (rule, kind) in enumerate(zip(rules, kinds, strict=True)):
        if keep is not None and index not in keep:
            continue
        slots: PhraseSlots = kind.outbound_slots(rule) if outbound else kind.slots(rule)
        for roles, slot, phrases in slots:
            if role in roles:
                for phrase in phrases:
                    for variant in phrase_variants(phrase):
                        yield variant, target(index, slot)


def _scan_together(
    matcher: PhraseMatcher | None,
    owners: list[tuple[CallScan, int]],
    *,
    personal: bool = False,
    keep_views: bool = False,
) -> None:
    """Fold and scan many turns of one role at once, then hand each hit to its turn; with
    ``personal``, also mark the turns that may hold personal data; with ``keep_views``,
    hand every turn its view."""
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
    views = view.split(TURN_SEPARATOR) if keep_views else None
    if views is not None:  # a kind reads every turn's view: folded once, here
        for (scan, number), turn_view in zip(owners, views, strict=True):
            scan.keep_view(number, turn_view)
    hits = list(matcher.raw_hits(view))
    if not hits:
        return  # the common case on real calls: no phrase in any of these turns
    _hand_out(hits, owners, views or view.split(TURN_SEPARATOR))


def _hand_out(hits: list[RawHit], owners: list[tuple[CallScan, int]], views: list[str]) -> None:
    """Give each turn its hits, in its own offsets. Hits come by end, and none spans a
    separator: the turn of each is found by walking forwards, and a turn's hits are handed
    over together."""
    # Where each turn starts in the joined view: its length plus one separator, summed.
    starts = list(accumulate(map((1).__add__, map(len, views)), initial=0))
    k, turn_end, turn_start = -1, -1, 0
    of_turn: list[TurnHit] = []
    for end, length, targets in hits:
        if end > turn_end:
            if of_turn:
                _hand_over(owners[k], views[k], of_turn)
                of_turn = []
            k = bisect_right(starts, end - 1) - 1
            turn_start, turn_end = starts[k], starts[k] + len(views[k])
        local_end = end - turn_start
        of_turn.append((local_end - length, local_end, targets))
    _hand_over(owners[k], views[k], of_turn)


def _hand_over(owner: tuple[CallScan, int], view: str, hits: list[TurnHit]) -> None:
    scan, number = owner
    scan.keep_view(number, view)
    scan.record_all(number, hits)


def _mark_personal(joined: str, texts: list[str], owners: list[tuple[CallScan, int]]) -> None:
    """Mark the turns where personal data may stand: a pass of each regex over the joined
    text."""
    starts = list(accumulate(map((1).__add__, map(len, texts)), initial=0))
    for pattern in POSSIBLE_PERSONAL_DATA:
        for match in pattern.finditer(joined):
            scan, number = owners[bisect_right(starts, match.start()) - 1]
            scan.personal.add(number)
