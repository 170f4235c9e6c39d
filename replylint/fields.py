"""The fields of a call that readers know: their names, and the headers a table may give
them (in Chinese and English); which of them are the call's metadata.

The one table of them: tables recognise their columns from it, rules find a call's
metadata by it (`meta_keys`), and `Field.label` is the name to show a field under (the
usual header, 坐席工号 for ``agent``). The order is the
order in which a table's headers are claimed, and the order errors list the fields in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Field:
    """A field of a call. ``name`` is how ``--columns`` and, for metadata,
    ``Transcript.meta`` call it; ``aliases`` are the table headers read as it, the usual
    Chinese one first; ``meta``: metadata of the call (agent, team…), not of its turns."""

    name: str
    aliases: tuple[str, ...]
    meta: bool = False

    @property
    def label(self) -> str:
        """The name to show the field under: its usual header."""
        return self.aliases[0]


CALL_FIELDS: Final = (
    Field("id", ("通话ID", "会话ID", "通话编号", "会话编号", "工单号", "call_id", "id")),
    Field("role", ("角色", "说话人", "说话方", "role", "speaker")),
    Field("text", ("内容", "文本", "话术", "text", "content")),
    Field("turn", ("序号", "轮次", "turn", "seq", "order")),
    Field("start", ("开始时间", "start")),
    Field("end", ("结束时间", "end")),
    Field("agent", ("坐席工号", "工号", "agent_id", "agent"), meta=True),
    Field("agent_name", ("坐席姓名", "agent_name"), meta=True),
    Field("team", ("班组", "team"), meta=True),
    Field("region", ("区域", "地区", "region"), meta=True),
    Field("date", ("日期", "通话日期", "date"), meta=True),
    Field("channel", ("渠道", "channel"), meta=True),
    # What industry and area rules read (profiles.py): 行业 = 电力, 呼叫类型 = 外呼.
    Field("industry", ("行业", "业务类型", "industry"), meta=True),
    Field("direction", ("呼叫类型", "呼叫方向", "通话类型", "direction"), meta=True),
    Field("transcript", ("对话内容", "transcript")),  # a whole call in the plain-text format
)
FIELDS: Final = tuple(field.name for field in CALL_FIELDS)
META_FIELDS: Final = tuple(field.name for field in CALL_FIELDS if field.meta)
COLUMN_ALIASES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {field.name: field.aliases for field in CALL_FIELDS}
)
FIELD_BY_NAME: Final[Mapping[str, Field]] = MappingProxyType(
    {field.name: field for field in CALL_FIELDS}
)


def meta_keys(name: str, *more: str) -> tuple[str, ...]:
    """The keys a call's metadata may give field ``name`` under: its name, its headers, then
    ``more`` that JSON exports also use (a rule's own additions, e.g. 供电区域 for region)."""
    field = FIELD_BY_NAME[name]
    return tuple(dict.fromkeys((field.name, *field.aliases, *more)))
