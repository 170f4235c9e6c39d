"""Recognisers: what a turn holds besides phrases, under one registry.

Each recogniser tells whether a folded view holds one of its things (``text.normalize``): a
concrete time, a promised duration, the customer addressed by name, the value of an answer
(a number, a place), personal data. Rules name them (a response rule's
``response_detector``, a repeat-question rule's ``answer``) and the rule docs describe them
from here; the modules beside this one give the details some kinds need (a duration's
minutes, where a value starts, where personal data is).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from replylint.text.recognise.address import find_address
from replylint.text.recognise.answers import Answer, answer_start
from replylint.text.recognise.durations import find_durations
from replylint.text.recognise.personal_data import find_personal_data
from replylint.text.recognise.times import concrete_time, find_concrete_time, may_hold_template


@dataclass(frozen=True, slots=True)
class Recogniser:
    name: str
    description: str  # what it finds, as the rule docs say it
    holds: Callable[[str], bool]  # whether a folded view holds one
    # Asked of the turn's original text once ``holds`` says yes, where the view cannot
    # tell (a time read off an address template, （xx市xx区xx号）, is none).
    confirm: Callable[[str], bool] | None = None


def _answer(answer: Answer) -> Callable[[str], bool]:
    return lambda view: answer_start(answer, view) is not None


RECOGNISERS: Mapping[str, Recogniser] = MappingProxyType(
    {
        recogniser.name: recogniser
        for recogniser in (
            Recogniser(
                "time",
                "a time expression",
                lambda view: find_concrete_time(view) is not None,
                confirm=lambda text: not may_hold_template(text) or concrete_time(text) is not None,
            ),
            Recogniser(
                "address",
                "the customer addressed by surname and title (王先生, 李女士)",
                lambda view: find_address(view) is not None,
            ),
            Recogniser(
                "duration",
                "a promised duration (45分钟, 两个小时, 5个工作日)",
                lambda view: bool(find_durations(view)),
            ),
            Recogniser(
                Answer.NUMBER,
                "a number (digits, read-aloud digits or a mask)",
                _answer(Answer.NUMBER),
            ),
            Recogniser(
                Answer.PLACE,
                "a place (an address, a road, a 小区, a building)",
                _answer(Answer.PLACE),
            ),
            Recogniser(
                "personal-data",
                "a phone, ID or bank card number or an email",
                lambda view: bool(find_personal_data(view)),
            ),
        )
    }
)
