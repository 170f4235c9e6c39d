"""``kind = "personal-data"``: flags a whole phone, ID or bank card number or email (of
``data``) said in a turn of ``roles``: recognised as ``--redact`` recognises it
(``text.recognise.personal_data``: check digits, Luhn), not by phrases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from replylint.kinds.base import (
    AGENT,
    NO_OPTIONS,
    DialogueScan,
    MatchOptions,
    PhraseSlots,
    RuleInfo,
    RuleKind,
    roles_text,
)
from replylint.model import Finding, Role
from replylint.text.recognise.personal_data import Kind as DataKind
from replylint.text.recognise.personal_data import find_personal_data


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonalDataRule:
    info: RuleInfo
    roles: frozenset[Role] = AGENT
    data: frozenset[DataKind]

    kind: ClassVar[str] = "personal-data"
    options: ClassVar[MatchOptions] = NO_OPTIONS


class PersonalDataKind(RuleKind[PersonalDataRule]):
    record = PersonalDataRule

    def slots(self, rule: PersonalDataRule) -> PhraseSlots:
        return []  # recognised, not found by phrases

    def personal_data_roles(self, rule: PersonalDataRule) -> frozenset[Role]:
        return rule.roles

    def every_call(self, rule: PersonalDataRule) -> bool:
        return True  # numbers, not phrases

    def may_apply(self, scan: DialogueScan) -> bool:
        return any(True for _ in scan.personal_data_turns())

    def check(
        self, rule: PersonalDataRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        roles = scan.roles()
        for turn in scan.personal_data_turns():
            if roles[turn] in rule.roles:
                for found in find_personal_data(scan.text(turn)):
                    if found.kind in rule.data:
                        yield scan.text_finding(rule, turn, found.start, found.end)

    def docs(self, rule: PersonalDataRule) -> Iterator[str]:
        yield (
            f"**Recognises** in {roles_text(rule.roles)} turns a whole "
            f"{', '.join(sorted(rule.data))} (check digits, Luhn; Arabic, full-width or "
            "Chinese digits), as `--redact` does."
        )

    def flagged_and_allowed(
        self, rule: PersonalDataRule
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (), ()


KIND = PersonalDataKind()
