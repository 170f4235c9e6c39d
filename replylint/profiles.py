"""Profiles: one per industry. A profile picks the rules written for it (a rule's
``profiles`` key) and the thresholds that suit its calls; a run without one runs every rule
with the thresholds of its pack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str  # what a QA lead calls the industry
    # Rule code -> threshold replacing the rule's ``limit`` (seconds, characters a minute...).
    thresholds: Mapping[str, float]


def _profile(name: str, title: str, **thresholds: float) -> Profile:
    return Profile(name, title, MappingProxyType(thresholds))


_ALL = (
    _profile("power", "电网 95598 供电服务"),
    _profile("telecom", "通信运营商 10086/10000"),
    _profile("bank", "银行 信用卡与零售"),
    _profile("auto", "汽车经销商 4S 店"),
    # Chats, not calls: a reply may take longer than on the phone.
    _profile("ecommerce", "电商 在线客服"),
)
PROFILE_TABLE: Mapping[str, Profile] = MappingProxyType({p.name: p for p in _ALL})
PROFILES: tuple[str, ...] = tuple(PROFILE_TABLE)


def get_profile(name: str) -> Profile:
    """The profile called ``name``; ``KeyError`` names the known ones."""
    try:
        return PROFILE_TABLE[name]
    except KeyError:
        raise KeyError(f"unknown profile {name!r}; expected one of {', '.join(PROFILES)}") from None
