"""Rule packs: folders of rule files (and a ``pack.toml``), loaded strictly (`load_packs`);
the profiles; the rule docs."""

from __future__ import annotations

from replylint.packs.loader import (
    ENTRY_POINT_GROUP,
    LoadedPacks,
    PackError,
    bundled_rules_dir,
    entry_point_dirs,
    load_pack_folders,
    load_packs,
    pack_dirs,
)
from replylint.packs.packfile import PackInfo

__all__ = [
    "ENTRY_POINT_GROUP",
    "LoadedPacks",
    "PackError",
    "PackInfo",
    "bundled_rules_dir",
    "entry_point_dirs",
    "load_pack_folders",
    "load_packs",
    "pack_dirs",
]
