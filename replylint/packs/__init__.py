"""Rule packs: folders of rule files, loaded strictly (`load_packs`), and their docs."""

from __future__ import annotations

from replylint.packs.loader import (
    ENTRY_POINT_GROUP,
    PackError,
    bundled_rules_dir,
    entry_point_dirs,
    load_packs,
    pack_dirs,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "PackError",
    "bundled_rules_dir",
    "entry_point_dirs",
    "load_packs",
    "pack_dirs",
]
