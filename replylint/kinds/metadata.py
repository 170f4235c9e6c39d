"""Profiles: one per industry. A profile picks the rules written for it (a rule's
``profiles`` key) and the thresholds that suit its calls; a run without one runs every rule
with the thresholds of its pack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str  # what a QA lead calls the industry
    # Rule code -> threshold replacing the rule's ``limit`` (seconds, characters a minute...).
    thresholds: Mapping[str, float]
    ignore: frozenset[str] = frozenset()  # rule codes that do not fit the industry


def _profile(
    name: str, title: str, ignore: frozenset[str] = frozenset(), **thresholds: float
) -> Profile:
    return Profile(name, title, MappingProxyType(thresholds), ignore)


_ALL = (
    _profile("power", "电网 95598 供电服务"),
    _profile("telecom", "通信运营商 10086/10000"),
    _profile("bank", "银行 信用卡与零售"),
    _profile("auto", "汽车经销商 4S 店"),
    # Chats, not calls: a reply may take longer than on the phone, and typing has no
    # speech rate and talks over nobody.
    _profile(
        "ecommerce",
        "电商 在线客服",
        ignore=frozenset({"TM003", "TM004"}),
        TM001=30,
        TM002=60,
    ),
)
PROFILE_TABLE: Mapping[str, Profile] = MappingProxyType({p.name: p for p in _ALL})
PROFILES: tuple[str, ...] = tuple(PROFILE_TABLE)


# What call-centre exports write in an industry column, mapped to a profile.
_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        **{name: name for name in PROFILES},
        "电力": "power", "电网": "power", "供电": "power", "95598": "power",
        "通信": "telecom", "电信": "telecom", "移动": "telecom", "联通": "telecom",
        "10086": "telecom", "10000": "telecom", "银行": "bank", "banking": "bank",
        "汽车": "auto", "4s": "auto", "电商": "ecommerce", "e-commerce": "ecommerce",
    }
)  # fmt: skip
# Metadata keys that name a transcript's industry, most specific first.
INDUSTRY_KEYS = ("profile", "industry", "行业", "业务类型")


def transcript_profile(meta: Mapping[str, object]) -> str | None:
    """The profile a transcript's metadata names (industry = power, 行业 = 电力), if any."""
    return _named(meta, INDUSTRY_KEYS, _ALIASES)


# State Grid's commitments differ by area (on site in 45 minutes in a city, 90 in the
# country, 2 hours in remote places): what exports write in an area column, mapped.
AREAS = ("city", "rural", "remote")
_AREA_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        **{name: name for name in AREAS},
        "urban": "city", "城区": "city", "市区": "city", "城市": "city",
        "农村": "rural", "乡村": "rural", "乡镇": "rural",
        "边远": "remote", "偏远": "remote", "边远地区": "remote", "特殊边远地区": "remote",
    }
)  # fmt: skip
AREA_KEYS = ("area", "区域", "地区", "供电区域", "region")  # region: a spreadsheet's 区域


def transcript_area(meta: Mapping[str, object]) -> str | None:
    """The area a transcript's metadata names (area = city, 区域 = 农村), if any."""
    return _named(meta, AREA_KEYS, _AREA_ALIASES)


def _named(
    meta: Mapping[str, object], keys: tuple[str, ...], aliases: Mapping[str, str]
) -> str | None:
    """The first value under one of ``keys`` that ``aliases`` knows, as it maps it."""
    for key in keys:
        value = meta.get(key)
        if isinstance(value, str):
            name = aliases.get(value.strip().lower())
            if name is not None:
                return name
    return None


# An outbound call (a callback, a reminder, a recall notice): the agent raises the topic.
OUTBOUND_KEYS = ("direction", "channel", "呼叫类型", "呼叫方向", "通话类型")
_OUTBOUND_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "outbound": "outbound", "外呼": "outbound", "呼出": "outbound", "回访": "outbound",
        "inbound": "inbound", "呼入": "inbound", "来电": "inbound",
    }
)  # fmt: skip


def transcript_outbound(meta: Mapping[str, object]) -> bool:
    """Whether a transcript's metadata says the agent placed the call (channel = outbound,
    呼叫类型 = 外呼)."""
    return _named(meta, OUTBOUND_KEYS, _OUTBOUND_ALIASES) == "outbound"


# Every metadata key a rule may read: what Spark must carry into a call's metadata.
RULE_META_KEYS = (*INDUSTRY_KEYS, *AREA_KEYS, *OUTBOUND_KEYS)


def read_profiles(raw: list[object], key: str, problem: Callable[[str], None]) -> frozenset[str]:
    """A rule's ``profiles`` key: the industries it is written for."""
    unknown = [value for value in raw if value not in PROFILES]
    if unknown:
        problem(f"'{key}': {unknown!r} unknown; expected some of {', '.join(PROFILES)}")
    return frozenset(value for value in raw if isinstance(value, str) and value in PROFILES)


def get_profile(name: str) -> Profile:
    """The profile called ``name``; ``KeyError`` names the known ones."""
    try:
        return PROFILE_TABLE[name]
    except KeyError:
        raise KeyError(f"unknown profile {name!r}; expected one of {', '.join(PROFILES)}") from None
