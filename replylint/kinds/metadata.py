"""What rules read from a call's metadata besides its turns: the industry it belongs to
(its profile), its area and whether the agent placed it; and the words call-centre exports
use for each. A profile's title, thresholds and the rules that do not fit it are data
(``rules/profiles.toml``, read by ``packs.profiles``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from replylint.fields import meta_keys
from replylint.kinds.channels import CHANNEL_KEYS

# The industries, one profile each: a rule's ``profiles``, ``--profile``.
PROFILES: tuple[str, ...] = ("power", "telecom", "bank", "auto", "ecommerce")


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
INDUSTRY_KEYS = ("profile", *meta_keys("industry"))


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
AREA_KEYS = ("area", *meta_keys("region", "供电区域"))  # region: a spreadsheet's 区域


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
OUTBOUND_KEYS = (*meta_keys("direction"), *meta_keys("channel"))
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
RULE_META_KEYS = tuple(dict.fromkeys((*INDUSTRY_KEYS, *AREA_KEYS, *OUTBOUND_KEYS, *CHANNEL_KEYS)))


def read_profiles(raw: list[object], key: str, problem: Callable[[str], None]) -> frozenset[str]:
    """A rule's ``profiles`` key: the industries it is written for."""
    unknown = [value for value in raw if value not in PROFILES]
    if unknown:
        problem(f"'{key}': {unknown!r} unknown; expected some of {', '.join(PROFILES)}")
    return frozenset(value for value in raw if isinstance(value, str) and value in PROFILES)
