"""Rules are data: plain immutable records, one per rule file. Kinds are code (``kinds.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from replylint.model import Role, Severity
from replylint.text.pattern import Pattern
from replylint.text.recognise.answers import Answer


class Kind(StrEnum):
    PHRASE = "phrase"  # a phrase must not appear in a role's turn
    RESPONSE = "response"  # a trigger in one role's turn needs a response within N turns
    PATTERN = "pattern"  # phrases in order, with alternatives, optional parts, bounded gaps
    OCCURRENCE = "occurrence"  # phrases must appear at least / at most N times in a scope
    TAG = "tag"  # phrases label the call (a topic, a customer type): not a violation
    TIMING = "timing"  # ASR times: silence before a reply, unannounced holds, speed, overlap
    COMMITMENT = "commitment"  # a promised duration longer than a published commitment
    PERSONAL_DATA = "personal-data"  # an ID or bank card number read out in full
    REPEAT_QUESTION = "repeat-question"  # asking for information the customer already gave


class Boundary(StrEnum):
    NONE = "none"  # any occurrence counts
    WORD = "word"  # the phrase must start and end on word boundaries (jieba, near the hit)
    TURN = "turn"  # the phrase must be the whole turn (punctuation and spaces aside)


class Detector(StrEnum):
    """Built-in recognisers a response rule can require instead of, or beside, phrases."""

    TIME = "time"  # a concrete time: 24小时内, 两个工作日内, 明天上午十点前
    ADDRESS = "address"  # the customer addressed by surname and title: 王先生, 李女士, 陈生


@dataclass(frozen=True, slots=True)
class Example:
    """A mini-dialogue in the plain-text transcript format.

    ``flag`` examples must produce a finding of the rule (covering ``text`` when given);
    ``pass`` examples must not.
    """

    dialogue: str
    should_flag: bool
    text: str | None = None


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What every rule has, whatever its kind."""

    code: str
    name: str
    pack: str
    severity: Severity
    message: str
    suggestion: str
    description: str
    source: str
    examples: tuple[Example, ...]
    path: str  # the file the rule was loaded from, for error messages
    rationale: str = ""  # why the behaviour is bad, when the message does not say it
    # The profiles (power, telecom...) the rule belongs to; empty: every profile. A run
    # without a profile runs every rule.
    profiles: frozenset[str] = frozenset()

    def in_profile(self, profile: str | None) -> bool:
        return profile is None or not self.profiles or profile in self.profiles


@dataclass(frozen=True, slots=True)
class PhraseRule:
    info: RuleInfo
    roles: frozenset[Role]
    phrases: tuple[str, ...]
    exceptions: tuple[str, ...] = ()
    boundary: Boundary = Boundary.NONE

    kind = Kind.PHRASE


@dataclass(frozen=True, slots=True)
class ResponseRule:
    """A trigger phrase in a ``trigger_roles`` turn needs, within ``window`` turns of the
    ``response_roles`` that follow (and in the trigger turn itself when
    ``include_trigger_turn``), a response phrase or a detector match. The finding is
    anchored on the trigger. No response turn in reach means no opportunity, no finding.
    """

    info: RuleInfo
    trigger_roles: frozenset[Role]
    triggers: tuple[str, ...]
    response_roles: frozenset[Role]
    window: int
    trigger_exceptions: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()
    response_detector: Detector | None = None
    include_trigger_turn: bool = False
    boundary: Boundary = Boundary.NONE

    kind = Kind.RESPONSE


@dataclass(frozen=True, slots=True)
class PatternRule:
    """Like a phrase rule, with patterns (``pattern.py``) instead of fixed phrases: a
    finding spans a whole match, from its first part's start to its last part's end."""

    info: RuleInfo
    roles: frozenset[Role]
    patterns: tuple[Pattern, ...]
    exceptions: tuple[str, ...] = ()
    boundary: Boundary = Boundary.NONE

    kind = Kind.PATTERN


@dataclass(frozen=True, slots=True)
class Scope:
    """The turns of one role that have any text; only the ``first`` or ``last`` N of them
    when given (silent turns are not turns the speaker can be held to)."""

    role: Role
    first: int | None = None
    last: int | None = None


@dataclass(frozen=True, slots=True)
class OccurrenceRule:
    """The phrases must occur ``at_least`` and/or ``at_most`` times in the scope's turns
    (counted like phrase findings: not overlapping, exceptions removed). Too few: a
    finding on the first turn of the scope, spanning its text. Too many: a finding on
    the first occurrence past ``at_most``. An empty scope is no opportunity, no finding.
    """

    info: RuleInfo
    scope: Scope
    phrases: tuple[str, ...]
    at_least: int | None = None
    at_most: int | None = None
    exceptions: tuple[str, ...] = ()
    boundary: Boundary = Boundary.NONE

    kind = Kind.OCCURRENCE


@dataclass(frozen=True, slots=True)
class TagRule:
    """Labels a call with ``tag`` (in ``category``: topic, customer-type) when one of the
    phrases occurs in a turn of ``roles``, or on an outbound call (``profiles.
    transcript_outbound``: the agent calls, and raises the topic) of ``outbound_roles``.
    A tag is not a violation: never scored, never an exit code; the first occurrence is
    kept as the evidence."""

    info: RuleInfo
    roles: frozenset[Role]
    phrases: tuple[str, ...]
    category: str
    tag: str
    exceptions: tuple[str, ...] = ()
    boundary: Boundary = Boundary.NONE
    outbound_roles: frozenset[Role] = frozenset()

    kind = Kind.TAG


class Measure(StrEnum):
    """What a timing rule measures on the agent's turns, from ASR start/end times."""

    REPLY_GAP = "reply-gap"  # seconds from the customer's end to the agent's reply
    HOLD = "hold"  # seconds of silence between two agent turns, unannounced
    SPEECH_RATE = "speech-rate"  # characters a minute within one agent turn
    OVERLAP = "overlap"  # seconds the agent starts before the customer has finished


@dataclass(frozen=True, slots=True)
class TimingRule:
    """Flags agent turns whose ``measure`` exceeds ``limit``; turns without times are
    skipped. ``phrases`` announce a wait (请您稍等): a gap after an agent turn holding one
    is a hold the customer was told about. ``min_chars`` keeps short turns (嗯, 好的) out
    of speech-rate measurements. The message may hold ``{value}`` and ``{limit}``."""

    info: RuleInfo
    measure: Measure
    limit: float
    phrases: tuple[str, ...] = ()
    min_chars: int = 15

    kind = Kind.TIMING
    boundary = Boundary.NONE


@dataclass(frozen=True, slots=True)
class CommitmentRule:
    """A duration the agent promises near a subject (到现场, 恢复供电, 校验结果) must not
    exceed ``limit_minutes``: the published commitment (State Grid's 十项承诺). A duration
    counts when it lies within ``reach`` characters of the subject in the same turn. The
    message may hold ``{value}`` (the promise, in minutes) and ``{limit}``.
    ``area_limits`` (area, minutes) replace the limit on calls whose metadata names the
    area (city, rural, remote: ``profiles.transcript_area``)."""

    info: RuleInfo
    roles: frozenset[Role]
    subjects: tuple[str, ...]
    limit_minutes: float
    reach: int = 12
    exceptions: tuple[str, ...] = ()
    area_limits: tuple[tuple[str, float], ...] = ()

    kind = Kind.COMMITMENT
    boundary = Boundary.NONE


class PersonalDataKind(StrEnum):
    """What `replylint.redact` recognises, by name."""

    PHONE = "phone"
    ID_NUMBER = "id-number"
    BANK_CARD = "bank-card"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class PersonalDataRule:
    """Flags a whole phone, ID or bank card number or email (of ``data``) said in a turn of
    ``roles``: recognised by `replylint.redact` (check digits, Luhn), not by phrases."""

    info: RuleInfo
    roles: frozenset[Role]
    data: frozenset[PersonalDataKind]

    kind = Kind.PERSONAL_DATA
    boundary = Boundary.NONE


@dataclass(frozen=True, slots=True)
class RepeatQuestionRule:
    """An ``asked`` phrase in a turn of ``asking_roles`` asks for an item the customer has
    already given: earlier, a turn of ``given_roles`` named the item (a ``given`` phrase,
    exceptions removed) with its value (an ``answer``) starting at most ``reach``
    characters after it, or replied with a value to an earlier ask (a reply holding one of
    the ``refusals``, 不知道 or 忘了, gives nothing); an asking turn holding one of the
    ``excuses`` (没听清, 核对一下) asks for a reason. The finding is on the later ask; the
    message may hold ``{value}``: the turn where the item was first given."""

    info: RuleInfo
    asked: tuple[str, ...]
    given: tuple[str, ...]
    answer: Answer
    asking_roles: frozenset[Role] = frozenset({Role.AGENT})
    given_roles: frozenset[Role] = frozenset({Role.CUSTOMER})
    asked_exceptions: tuple[str, ...] = ()
    given_exceptions: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()
    excuses: tuple[str, ...] = ()
    reach: int = 8

    kind = Kind.REPEAT_QUESTION
    boundary = Boundary.NONE


Rule = (
    PhraseRule
    | ResponseRule
    | PatternRule
    | OccurrenceRule
    | TagRule
    | TimingRule
    | CommitmentRule
    | PersonalDataRule
    | RepeatQuestionRule
)
