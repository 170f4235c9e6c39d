"""Test rules with their own examples, and check their data: what ``replylint test-rules``
and the test suite run.

Each rule runs alone on each of its ``flag`` and ``pass`` mini-dialogues: a ``flag`` example
must give a finding of the rule (covering ``text`` when given), a ``pass`` example none. The
same dialogue written in Taiwan traditional Chinese must get the same verdict. With
``channels``, every channel a rule applies to must be covered by an example that runs as a
call of that channel (issue 14: one case per channel).

Converting a dialogue to traditional script takes OpenCC (``s2twp``), from whichever
``opencc`` module is installed: the official ``opencc`` package or
opencc-python-reimplemented, which give the same API. replylint does not depend on either
(its fold ships its own table), so without one the examples run in simplified script only,
and the check says so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache

from replylint.engine import Linter
from replylint.kinds import Rule, kind_of
from replylint.kinds.base import Example
from replylint.kinds.channels import Channel, transcript_channel
from replylint.model import Transcript
from replylint.readers import parse_text
from replylint.text.normalize import fold_phrase


class Script(StrEnum):
    SIMPLIFIED = "simplified"  # the example as written
    TRADITIONAL = "traditional"  # converted to Taiwan traditional Chinese (OpenCC s2twp)


@dataclass(frozen=True, slots=True)
class ExampleOutcome:
    """One example of one rule, run in one script: what the rule found there."""

    rule: Rule
    number: int  # 1-based, in the order of the rule file
    example: Example
    script: Script
    dialogue: str  # as run: converted in traditional script
    found: tuple[str, ...]  # the texts of the rule's findings

    @property
    def passed(self) -> bool:
        if not self.example.should_flag:
            return not self.found
        if self.example.text is None or self.script is Script.TRADITIONAL:
            return bool(self.found)  # a converted dialogue no longer holds `text`
        return self.example.text in self.found

    def describe(self) -> str:
        """What was expected and what was found, in a line."""
        if self.example.should_flag:
            covering = f" covering {self.example.text!r}" if self.example.text else ""
            expected = f"a finding{covering}"
        else:
            expected = "no finding"
        found = ", ".join(map(repr, self.found)) or "nothing"
        script = " (in traditional script)" if self.script is Script.TRADITIONAL else ""
        kind = "flag" if self.example.should_flag else "pass"
        return f"example {self.number} ({kind}){script}: expected {expected}, found {found}"


def example_findings(rule: Rule, dialogue: str, channel: Channel | None = None) -> tuple[str, ...]:
    """The texts of the findings the rule alone gives on a mini-dialogue (for a tag rule:
    the evidence of its tag), read as a call of ``channel`` when given."""
    transcript = _example_transcript(dialogue, channel)
    # The examples have no metadata: an industry's rule runs as if that industry were
    # chosen, and a channel's rule on a dialogue its data does not place as if the call
    # were of its first channel.
    industry = min(rule.info.profiles, default=None)
    linter = Linter([rule], profile=industry, channel=_default_channel(rule))
    annotations = linter.annotate(transcript)
    tags = kind_of(rule).label(rule) is not None
    found = annotations.tags if tags else annotations.findings
    return tuple(f.text for f in found if f.rule == rule.info.code)


def _example_transcript(dialogue: str, channel: Channel | None) -> Transcript:
    transcript = parse_text(dialogue, transcript_id="example")
    if channel is not None:
        transcript = replace(transcript, meta={"channel": str(channel)})
    return transcript


def _default_channel(rule: Rule) -> Channel | None:
    return min(rule.info.channels, default=None)


def example_channel(rule: Rule, dialogue: str, channel: Channel | None = None) -> Channel | None:
    """The channel a mini-dialogue runs as among the rule's examples: ``channel`` when the
    example names one, else what its words show, else the rule's first channel (None: a
    call nobody can place, which covers no channel)."""
    transcript = _example_transcript(dialogue, channel)
    return transcript_channel(transcript, default=_default_channel(rule))


def covered_channels(rule: Rule, *, traditional: bool = True) -> frozenset[Channel]:
    """The channels the rule's examples cover: those an example runs as, as written and
    (``traditional``) converted to Taiwan traditional Chinese alike."""
    covered: set[Channel] = set()
    for example in rule.info.examples:
        dialogues = [example.dialogue]
        if traditional:
            dialogues.append(to_traditional(example.dialogue))
        ran_as = {example_channel(rule, d, example.channel) for d in dialogues}
        channel = ran_as.pop() if len(ran_as) == 1 else None
        if channel is not None:
            covered.add(channel)
    return frozenset(covered)


def uncovered_channels(rule: Rule, *, traditional: bool = True) -> list[Channel]:
    """The channels the rule applies to (its ``channels``, else every one) that no example
    covers, in the order of ``Channel``."""
    covered = covered_channels(rule, traditional=traditional)
    return [c for c in Channel if rule.info.in_channel(c) and c not in covered]


def channel_problems(rules: Iterable[Rule], *, traditional: bool = True) -> Iterator[str]:
    """A rule data problem for each channel a rule applies to that its examples miss."""
    for rule in rules:
        for channel in uncovered_channels(rule, traditional=traditional):
            yield (
                f"{_label(rule)}: no example runs as a {channel} call, "
                f"though the rule applies to {channel}"
            )


NO_CONVERTER = (
    "running the examples in traditional script needs OpenCC: pip install opencc "
    "(or pass --no-traditional)"
)


class ConverterMissingError(ImportError):
    """No ``opencc`` module is installed to write the examples in traditional script."""


def traditional_available() -> bool:
    """Whether an ``opencc`` module (either package) is installed and loads."""
    try:
        _converter()
    except ConverterMissingError:
        return False
    return True


@cache
def _converter() -> Callable[[str], str]:
    try:
        opencc = importlib.import_module("opencc")
    except ImportError:
        raise ConverterMissingError(NO_CONVERTER) from None
    convert: Callable[[str], str] = opencc.OpenCC("s2twp").convert
    return convert


def to_traditional(text: str) -> str:
    """``text`` in Taiwan traditional Chinese (OpenCC s2twp); raises ConverterMissingError."""
    return str(_converter()(text))


def run_examples(rule: Rule, *, traditional: bool = True) -> Iterator[ExampleOutcome]:
    """Every example of the rule, as written and (``traditional``) converted."""
    scripts = (Script.SIMPLIFIED, Script.TRADITIONAL) if traditional else (Script.SIMPLIFIED,)
    for number, example in enumerate(rule.info.examples, 1):
        for script in scripts:
            dialogue = example.dialogue
            if script is Script.TRADITIONAL:
                dialogue = to_traditional(dialogue)
            found = example_findings(rule, dialogue, example.channel)
            yield ExampleOutcome(rule, number, example, script, dialogue, found)


def flagged_and_allowed(rule: Rule) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The phrases a rule flags and those it allows (its exceptions); a pattern flags
    each of its parts' phrases."""
    return kind_of(rule).flagged_and_allowed(rule)


def data_problems(rules: Iterable[Rule]) -> Iterator[str]:
    """Rule data that loads but cannot be right: a phrase both flagged and allowed, an
    exception that overlaps no flagged phrase (it could never suppress anything)."""
    for rule in rules:
        flagged, allowed = flagged_and_allowed(rule)
        folded = {fold_phrase(p) for p in flagged}
        label = _label(rule)
        for exception in allowed:
            text = fold_phrase(exception)
            if text in folded:
                yield f"{label}: {exception!r} is both flagged and allowed"
            elif not any(_overlap(phrase, text) for phrase in folded):
                yield f"{label}: exception {exception!r} overlaps no phrase, so it never applies"


def _label(rule: Rule) -> str:
    return f"{rule.info.path} [{rule.info.code}]"


def _overlap(a: str, b: str) -> bool:
    """Whether one can occur inside the other, or they can share a stretch of text."""
    shortest = min(len(a), len(b))
    return (
        a in b
        or b in a
        or any(a.endswith(b[:k]) or b.endswith(a[:k]) for k in range(1, shortest + 1))
    )


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """Every example of some rules run, and their data checked."""

    rules: int
    outcomes: tuple[ExampleOutcome, ...]
    problems: tuple[str, ...]  # data problems
    simplified_only: bool = False  # the traditional run was wanted but OpenCC is missing

    @property
    def failures(self) -> list[ExampleOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.passed]

    @property
    def passed(self) -> bool:
        return not self.problems and not self.failures

    def lines(self) -> list[str]:
        """Each problem and failed example (with its dialogue as run), then a summary."""
        lines = [f"FAIL {problem}" for problem in self.problems]
        for outcome in self.failures:
            info = outcome.rule.info
            lines.append(f"FAIL {info.path} [{info.code}] {outcome.describe()}")
            lines.extend(f"    | {line}" for line in outcome.dialogue.splitlines())
        if self.simplified_only:
            lines.append(f"NOTE examples run in simplified script only: {NO_CONVERTER}")
        examples = len({(o.rule.info.code, o.number) for o in self.outcomes})
        failed = len(self.failures)
        lines.append(
            f"{self.rules} rules, {examples} examples, {len(self.outcomes)} runs: "
            f"{len(self.outcomes) - failed} passed, {failed} failed; "
            f"{len(self.problems)} data problems"
        )
        return lines


def check_rules(
    rules: Iterable[Rule], *, traditional: bool | None = None, channels: bool = False
) -> RuleCheck:
    """Run every example of every rule and check the rules' data; with ``channels``, also
    that the examples cover every channel each rule applies to. ``traditional``: also in
    traditional script (None: when OpenCC is installed; True without it raises
    ConverterMissingError)."""
    rules = tuple(rules)
    run_traditional = traditional_available() if traditional is None else traditional
    outcomes = tuple(o for rule in rules for o in run_examples(rule, traditional=run_traditional))
    problems = list(data_problems(rules))
    if channels:
        problems += channel_problems(rules, traditional=run_traditional)
    simplified_only = traditional is None and not run_traditional
    return RuleCheck(len(rules), outcomes, tuple(problems), simplified_only)
