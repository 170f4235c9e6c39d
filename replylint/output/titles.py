"""What QA teams call rules and packs, in Chinese: each rule's ``title`` and its pack's
(``pack.toml``), for the outputs people read. A rule or pack without a title is shown by
its code or name alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from replylint.kinds import Rule


@dataclass(frozen=True, slots=True)
class Titles:
    """Chinese titles by rule code and by pack name."""

    rules: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    packs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> Titles:
        infos = [rule.info for rule in rules]
        return cls(
            MappingProxyType({info.code: info.title for info in infos if info.title}),
            MappingProxyType({info.pack: info.pack_title for info in infos if info.pack_title}),
        )

    def rule(self, code: str) -> str:
        """The rule's title, or "" when it has none."""
        return self.rules.get(code, "")

    def pack(self, name: str) -> str:
        """The pack's title, or "" when it has none."""
        return self.packs.get(name, "")


NO_TITLES = Titles()
