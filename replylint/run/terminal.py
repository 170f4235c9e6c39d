"""Text as a terminal may show it: what input holds (transcript text, ids, file names, read
errors) never moves the cursor, recolours the screen or splits a record; and whether to
colour it.

Control characters (C0, DEL, C1), the line and paragraph separators and the bidirectional
overrides that reorder what is shown (Trojan Source) are written as escapes: ``\\x1b``,
``\\n``, ``\\u202e``. Everything else, Chinese, emoji and their joiners included, is shown as
it is. One `str.translate`: linear, at C speed.
"""

from __future__ import annotations

import os
import sys
from typing import Final

_NAMED: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_CONTROLS: Final = [*range(0x20), 0x7F, *range(0x80, 0xA0)]
_SEPARATORS: Final = [0x2028, 0x2029]  # line and paragraph separators
_BIDI: Final = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES: Final[dict[int, str]] = {
    **{code: f"\\x{code:02x}" for code in _CONTROLS},
    **{code: f"\\u{code:04x}" for code in _SEPARATORS + _BIDI},
    **{ord(char): escape for char, escape in _NAMED.items()},
}


def printable(text: str) -> str:
    """``text`` with every control character, separator and bidirectional override
    escaped (see the module's docstring)."""
    if text.isprintable():  # most text: nothing to escape (checked at C speed)
        return text
    return text.translate(_ESCAPES)


def wants_color(color: bool | None, *, to_file: bool) -> bool:
    """Colour as asked, else on a terminal unless NO_COLOR is set (https://no-color.org)."""
    if color is not None:
        return color
    return not to_file and sys.stdout.isatty() and "NO_COLOR" not in os.environ
