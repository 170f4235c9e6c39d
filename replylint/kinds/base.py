"""What every rule kind shares: the common record (`RuleInfo`), examples, the match options
of phrase-bearing kinds, the scan a check may ask (`DialogueScan`), and the shape of a kind
(`RuleKind`), which each module of this package fills in for one kind.

Rules are data: one frozen record a rule, its defaults declared only in the record. The
pack loader derives a kind's keys from its record's fields (``info`` and ``options`` are
flattened into the rule file's top level); a kind's module says everything else: the
phrases it asks the scan for, its check, its documentation, what the example runner and
the settings need.
"""

from __future__ import annotations

import dataclasses
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from replylint.kinds.channels import Channel
from replylint.kinds.metadata import read_profiles
from replylint.model import Finding, Role, Severity
from replylint.text.matcher import Slot
from replylint.text.pattern import Pattern
from replylint.text.reading import ClauseFeature, SpeechAct

AGENT = frozenset({Role.AGENT})
CUSTOMER = frozenset({Role.CUSTOMER})
NONE_OF_THEM: frozenset[Role] = frozenset()

Problem = Callable[[str], None]  # reports one problem of a rule, for the loader to collect
Values = tuple[str, str]  # (measured, limit), shown in a message's {value} and {limit}
# Characters around a phrase where the value that goes with it may stand (a commitment's
# duration, a repeat-question's answer).
MAX_REACH = 40
PhraseSlots = list[tuple[frozenset[Role], Slot, Sequence[str]]]  # (roles, slot, phrases)


class Boundary(StrEnum):
    NONE = "none"  # any occurrence counts
    WORD = "word"  # the phrase must start and end on word boundaries (jieba, near the hit)
    TURN = "turn"  # the phrase must be the whole turn (punctuation and spaces aside)


@dataclass(frozen=True, slots=True)
class Example:
    """A mini-dialogue in the plain-text transcript format.

    ``flag`` examples must produce a finding of the rule (covering ``text`` when given);
    ``pass`` examples must not. ``channel``: the channel the dialogue is read as, as if its
    metadata named it (else the data decides, and a rule of some channels takes its first).
    """

    dialogue: str
    should_flag: bool
    text: str | None = None
    channel: Channel | None = None


# Field metadata for the loader (``packs.schema``), which derives a kind's keys from its
# record: a field the rule file does not hold (the loader fills it in), or how to read a
# key whose type alone does not say (`reads`).
NOT_A_KEY = "not-a-key"
READER = "reader"
# Reads one key's value, already of the key's TOML type: (value, key, report) -> the field.
Reader = Callable[[Any, str, Problem], Any]


def reads(toml: type, reader: Reader) -> dict[str, object]:
    """The metadata of a record field whose key holds a TOML value of type ``toml``
    (float: any number), turned into the field's value by ``reader``."""
    return {READER: (toml, reader)}


CODE = re.compile(r"[A-Z]{2,4}[0-9]{3}")  # a rule code: FP005
CHANNELS = tuple(str(channel) for channel in Channel)
NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")  # lower-case words joined by '-'


def _code(value: str, key: str, problem: Problem) -> str:
    if not CODE.fullmatch(value):
        problem(f"code '{value}' must look like AB123")
    return value


def _name(value: str, key: str, problem: Problem) -> str:
    if not NAME.fullmatch(value):
        problem(f"name '{value}' must be lower-case words joined by '-'")
    return value


def _codes(raw: list[object], key: str, problem: Problem) -> tuple[str, ...]:
    codes = tuple(value for value in raw if isinstance(value, str) and CODE.fullmatch(value))
    if len(codes) != len(raw):
        problem(f"'{key}' must list rule codes that look like AB123")
    return codes


def _examples(raw: list[object], key: str, problem: Problem) -> tuple[Example, ...]:
    examples: list[Example] = []
    for number, item in enumerate(raw, 1):
        example = _example(item, f"example {number}", problem)
        if example is not None:
            examples.append(example)
    if examples and not any(e.should_flag for e in examples):
        problem("needs at least one 'flag' example")
    if examples and all(e.should_flag for e in examples):
        problem("needs at least one 'pass' example")
    return tuple(examples)


def _example(item: object, where: str, problem: Problem) -> Example | None:
    """An example as a rule file writes it: a table of ``flag`` or ``pass`` (the dialogue)
    and, for a flag, the ``text`` its finding must cover."""
    if not isinstance(item, dict) or len({"flag", "pass"} & set(item)) != 1:
        problem(f"{where}: must be a table with exactly one of 'flag' or 'pass'")
        return None
    unknown = set(item) - {"flag", "pass", "text", "channel"}
    should_flag = "flag" in item
    dialogue = item["flag" if should_flag else "pass"]
    text = item.get("text")
    if unknown or not isinstance(dialogue, str) or not dialogue.strip():
        problem(
            f"{where}: needs a non-empty dialogue and no other keys than flag/pass/text/channel"
        )
        return None
    if text is not None and (not should_flag or not isinstance(text, str) or text not in dialogue):
        problem(f"{where}: 'text' must be part of a 'flag' dialogue")
        return None
    channel = item.get("channel")
    if channel is not None and channel not in CHANNELS:
        problem(f"{where}: 'channel' must be one of {', '.join(CHANNELS)}; got {channel!r}")
        return None
    return Example(
        dialogue=dialogue,
        should_flag=should_flag,
        text=text,
        channel=None if channel is None else Channel(channel),
    )


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What every rule has, whatever its kind: the keys common to every rule file."""

    code: str = dataclasses.field(metadata=reads(str, _code))
    name: str = dataclasses.field(metadata=reads(str, _name))
    pack: str = dataclasses.field(metadata={NOT_A_KEY: True})  # the pack folder's name
    severity: Severity
    message: str
    suggestion: str
    description: str
    source: str
    examples: tuple[Example, ...] = dataclasses.field(metadata=reads(list, _examples))
    # The file the rule was loaded from, for error messages.
    path: str = dataclasses.field(metadata={NOT_A_KEY: True})
    rationale: str = ""  # why the behaviour is bad, when the message does not say it
    # The profiles (power, telecom...) the rule belongs to; empty: every profile. A run
    # without a profile runs every rule.
    profiles: frozenset[str] = dataclasses.field(
        default=frozenset(), metadata=reads(list, read_profiles)
    )
    title: str = ""  # the rule's name in Chinese, for QA teams (shown in the docs)
    # The channels (phone, chat, social) whose calls the rule runs on; empty: every channel.
    # A call whose channel nobody names gets only the rules of every channel.
    channels: frozenset[Channel] = frozenset()
    # Rules of its family this one is more specific than: where both find overlapping
    # words of one turn, only this rule's finding is kept (one behaviour, one finding).
    supersedes: tuple[str, ...] = dataclasses.field(default=(), metadata=reads(list, _codes))

    def in_profile(self, profile: str | None) -> bool:
        return profile is None or not self.profiles or profile in self.profiles

    def in_channel(self, channel: Channel | None) -> bool:
        """Whether the rule runs on a call of this channel (None: nobody knows which)."""
        return not self.channels or channel in self.channels


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """How a phrase-bearing rule's trigger hits become matches: the keys every such kind
    shares, declared once (a kind's record holds them as ``options``; a rule file writes
    them at its top level). The engine consults them where it decides whether a hit is a
    match (``engine.scan``, ``matches``); a new option is a field here and a test there.

    Whatever the options, a hit inside an @mention, a #tag#, a link or an emoji code is
    never a match (``handles`` lets the account an @mention names count)."""

    boundary: Boundary = Boundary.NONE
    # A hit whose clause (or whose words) has any of these features is no match.
    unless: frozenset[ClauseFeature] = frozenset()
    # The hit's clause must perform this speech act (a promise, a threat).
    speech_act: SpeechAct | None = None
    # A hit that ends an @mention names the account tagged (@某某都市报): it is a match
    # by itself, the tag being the act, whatever the clause around it.
    handles: bool = False

    @property
    def reads_clauses(self) -> bool:
        """Whether a hit must be read in its clause before it is a match."""
        return bool(self.unless) or self.speech_act is not None


NO_OPTIONS = MatchOptions()


@runtime_checkable
class Rule(Protocol):
    """A rule of any kind: a frozen record (a dataclass) of its kind's module."""

    kind: ClassVar[str]  # the kind's name, as rule files write it

    @property
    def info(self) -> RuleInfo: ...

    @property
    def options(self) -> MatchOptions: ...

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]


class DialogueScan(Protocol):
    """What a kind may ask of the engine about one transcript (see ``engine``)."""

    def roles(self) -> list[Role]: ...

    def spoken(self, turn: int) -> bool:
        """Whether the turn has any text besides white space."""
        ...

    def transcript_role(self, turn: int) -> Role:
        """The role of one turn (without building the list ``roles()`` gives)."""
        ...

    def spoken_turns(self, role: Role) -> list[int]:
        """The turns of ``role`` with any text besides white space, in order."""
        ...

    def dialogue(self) -> bool:
        """Whether more than one role speaks: a lone reply (a draft checked on its own) is
        not a call, and cannot be held to what a call must contain (a greeting, a goodbye).
        """
        ...

    def matches(self, turn: int, rule: int) -> list[tuple[int, int]]:
        """Non-overlapping trigger spans (for a pattern rule: whole matches) of the rule in
        the turn's view, exceptions removed."""
        ...

    def first_match(self, turn: int, rule: int) -> tuple[int, int] | None:
        """The first of ``matches``, found without looking past it."""
        ...

    def may_match(self, turn: int, rule: int) -> bool:
        """Whether a trigger hit survives its exceptions and boundaries: ``matches`` can
        only be found where this holds (the sentence around it not yet read)."""
        ...

    def occurs(self, turn: int, rule: int) -> bool:
        """Whether ``matches`` is not empty (often known without computing it)."""
        ...

    def has_response(
        self,
        turn: int,
        rule: int,
        detector: str | None,
        unless: frozenset[ClauseFeature] = frozenset(),
    ) -> bool:
        """Whether the turn holds one of the rule's response phrases (outside non-word
        marks, and with none of the ``unless`` features: 领导不在 is no escalation), or
        what the named recogniser (``text.recognise``) finds."""
        ...

    def hits(self, turn: int, rule: int, slot: Slot) -> list[tuple[int, int]]:
        """Every hit of the rule's phrases of ``slot`` in the turn's view, as found."""
        ...

    def view(self, turn: int) -> str:
        """The turn's folded view (what rules match against)."""
        ...

    def times(self, turn: int) -> tuple[int | None, int | None]:
        """The turn's ASR start and end, in milliseconds, when known."""
        ...

    def timed(self) -> bool:
        """Whether any turn has an ASR time: most calls have none, and no timing to check."""
        ...

    def area(self) -> str | None:
        """The area (city, rural, remote) the call's metadata names, if any."""
        ...

    def personal_data_turns(self) -> Iterable[int]:
        """The turns that may hold personal data (a long run of digits, an @), in order."""
        ...

    def finding(
        self,
        rule: Rule,
        turn: int,
        span: tuple[int, int],
        values: Values | None = None,
    ) -> Finding:
        """A finding on a view span; ``values`` (measured, limit) fill the message's
        ``{value}`` and ``{limit}``."""
        ...

    def text_finding(self, rule: Rule, turn: int, start: int, end: int) -> Finding:
        """A finding on a span of the turn's original text."""
        ...

    def text(self, turn: int) -> str:
        """The turn's original text."""
        ...

    def original_span(self, turn: int, span: tuple[int, int]) -> tuple[int, int]:
        """A non-empty view span of the turn, in its original text."""
        ...

    def turn_finding(self, rule: Rule, turn: int, values: Values | None = None) -> Finding:
        """A finding spanning the turn's text, without its surrounding white space."""
        ...


R = TypeVar("R", bound=Rule)


class RuleKind(ABC, Generic[R]):
    """One kind of rule: everything the loader, the engine, the docs, the example runner
    and the settings ask of it. The defaults fit a kind that starts from phrase hits, has
    no threshold and gives findings (not tags)."""

    record: type[R]
    # Common keys a rule of this kind does not take, and the values its rules get instead
    # (a tag labels a call: no severity, nothing to suggest).
    fixed: ClassVar[dict[str, object]] = {}
    # Whether a threshold in the settings (``thresholds.CODE``) replaces the rule's limit.
    takes_threshold: ClassVar[bool] = False
    # The roles whose every turn's view the check reads (``DialogueScan.view``): the engine
    # keeps the views it folds for the scan instead of folding those turns again.
    view_roles: ClassVar[frozenset[Role]] = frozenset()

    @property
    def name(self) -> str:
        """The kind's name, as rule files write it (kind = "phrase"): its record's."""
        return self.record.kind

    @abstractmethod
    def slots(self, rule: R) -> PhraseSlots:
        """What the automaton must find for the rule: (roles, slot, phrases)."""

    @abstractmethod
    def check(
        self, rule: R, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        """The rule's findings in one call; ``index`` names the rule to the scan, and
        ``trigger_turns`` are the turns where its triggers occur, in order."""

    @abstractmethod
    def docs(self, rule: R) -> Iterator[str]:
        """What the rule matches, in Markdown lines: the docs' part for this kind."""

    @abstractmethod
    def flagged_and_allowed(self, rule: R) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The phrases the rule flags and those it allows (its exceptions), for the data
        checks of ``ruletest``: no phrase both, every exception can apply."""

    def validate(self, rule: R, problem: Problem) -> None:
        """Report what the loaded keys cannot mean together (``at_least`` > ``at_most``)."""

    def outbound_slots(self, rule: R) -> PhraseSlots:
        """What an outbound call is scanned for besides (tags the agent raises)."""
        return []

    def every_call(self, rule: R) -> bool:
        """Whether the rule can fire where none of its phrases occur (a required phrase,
        times, numbers): it is then checked on every call."""
        return False

    def may_apply(self, scan: DialogueScan) -> bool:
        """For a rule of ``every_call``: whether this call can give it a finding at all
        (cheap, so that most calls are done at once). The engine asks once a kind."""
        return True

    def patterns(self, rule: R) -> Sequence[Pattern] | None:
        """The patterns whole matches grow from, for a kind whose triggers are anchors."""
        return None

    def personal_data_roles(self, rule: R) -> frozenset[Role]:
        """The roles whose turns the engine must mark where personal data may stand."""
        return NONE_OF_THEM

    def label(self, rule: R) -> tuple[str, str] | None:
        """(category, tag) for a kind that labels calls: its first finding is a tag."""
        return None

    def with_threshold(self, rule: R, limit: float) -> R:
        """The rule with a threshold from the settings as its limit (``takes_threshold``)."""
        raise TypeError(f"a {self.name} rule has no threshold")

    def summary(self, rule: R) -> Iterator[str]:
        """The docs' lines on what a finding says."""
        info = rule.info
        yield f"**Message** ({info.severity}): {info.message}"
        yield ""
        yield f"**Suggestion.** {info.suggestion}"


# ------------------------------------------------------------------ shared by several kinds


def trigger_slots(
    roles: frozenset[Role], triggers: Sequence[str], exceptions: Sequence[str]
) -> PhraseSlots:
    """The slots of a kind whose triggers and exceptions are looked for in the same roles."""
    return [(roles, Slot.TRIGGER, triggers), (roles, Slot.EXCEPTION, exceptions)]


def match_findings(
    rule: Rule, index: int, scan: DialogueScan, trigger_turns: list[int]
) -> Iterator[Finding]:
    """A finding on every match of the rule's triggers."""
    for turn in trigger_turns:
        for span in scan.matches(turn, index):
            yield scan.finding(rule, turn, span)


def roles_text(roles: Iterable[str]) -> str:
    return ", ".join(sorted(roles))


def exception_lines(exceptions: tuple[str, ...]) -> Iterator[str]:
    if exceptions:
        yield ""
        yield "**Unless inside** " + "、".join(exceptions)


def matches_lines(
    roles: frozenset[Role], phrases: tuple[str, ...], exceptions: tuple[str, ...], rule: Rule
) -> Iterator[str]:
    """What a phrase list matches, with its exceptions."""
    count, boundary = len(phrases), rule.options.boundary
    yield f"**Matches** in {roles_text(roles)} turns ({count} phrases, boundary: {boundary}):"
    yield "、".join(phrases)
    yield from exception_lines(exceptions)
