"""Speaker labels: the words that name the agent, the customer and the system."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from replylint.model import Role

_ROLE_WORDS: Final[Mapping[Role, tuple[str, ...]]] = MappingProxyType(
    {
        Role.AGENT: (
            "agent", "坐席", "座席", "客服", "话务员", "話務員", "工作人员", "工作人員",
            "客服人员", "客服人員", "人工客服", "客服代表",
        ),
        Role.CUSTOMER: (
            "customer", "user", "client", "客户", "客戶", "用户", "用戶", "顾客", "顧客",
            "来电人", "來電人", "来电者", "來電者", "客人",
        ),
        Role.SYSTEM: ("system", "ivr", "系统", "系統"),
    }
)  # fmt: skip
ROLE_BY_WORD: Final[Mapping[str, Role]] = MappingProxyType(
    {word: role for role, words in _ROLE_WORDS.items() for word in words}
)


def fold_label(label: str) -> str:
    """NFKC folds full-width latin (ＡＧＥＮＴ) and brackets (（［) to ASCII; casefold the rest."""
    return unicodedata.normalize("NFKC", label).strip().casefold()


@lru_cache(maxsize=4096)  # exports repeat a handful of labels millions of times
def parse_role(label: str) -> Role | None:
    """The role a speaker label names (``坐席``, ``客戶``, ``Agent``…), or None if unknown."""
    return ROLE_BY_WORD.get(fold_label(label))
