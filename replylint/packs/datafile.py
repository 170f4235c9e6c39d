"""Read the TOML files of rule packs and settings, and a pack's phrase lists: data only,
and hostile files fail cleanly.

Nothing in a file is executed or imported: ``tomllib`` only parses, and the values are
checked against a schema by their readers (packs/schema.py, run/config.py). What ``tomllib`` itself
takes badly is refused here, each with a message naming the file:

- anything but a regular file: a named pipe would wait for a writer forever (issue 16),
  a device such as ``/dev/zero`` never ends; both are refused before a byte is read;
- more than ``MAX_BYTES`` (read no further);
- a key of more than ``MAX_KEY_PARTS`` dotted parts (``a.b.c = 1`` or ``[a.b.c]``):
  tomllib's time and memory grow with the square of the parts, and one line of 100,000
  parts takes gigabytes;
- nesting deeper than tomllib's recursion allows, and integers longer than Python
  converts (4,300 digits).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any, Final

MAX_BYTES: Final = 32 * 2**20  # two million phrases; a bundled rule file is under 4 kB
MAX_KEY_PARTS: Final = 32  # settings use at most 4: [tool.replylint.score.rule_weights]

# Within one line: strings (their dots are text, not keys), then dotted runs of key parts.
_STRING: Final = re.compile(r""""(?:[^"\\\n]++|\\.)*+"|'[^'\n]*+'""")
_DOTTED_KEY: Final = re.compile(
    r"""(?<![\w"-])(?:[\w-]++|"")(?:[ \t]*+\.[ \t]*+(?:[\w-]++|""))++"""
)


class DataFileError(Exception):
    """A file that cannot be read as TOML; the message names the file and the reason."""


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document in ``path``; raises ``DataFileError`` naming the file."""
    text = _read_text(path)
    try:
        _check_key_parts(path, text)
        return tomllib.loads(text)
    except RecursionError:
        raise DataFileError(f"{path}: arrays or tables nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{path}: {error}") from None
    except ValueError:  # from int(): Python converts at most 4,300 digits
        raise DataFileError(f"{path}: an integer of more than 4300 digits") from None


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file (a phrase list); raises ``DataFileError`` naming it."""
    return _read_text(path).splitlines()


def _read_text(path: Path) -> str:
    """The file's text, read no further than `MAX_BYTES`."""
    try:
        data = read_regular_file(path, MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise DataFileError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
        return data.decode("utf-8")
    except NotRegularFileError as error:
        raise DataFileError(f"{path}: {error}") from None
    except OSError as error:
        raise DataFileError(f"{path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise DataFileError(f"{path}: {error}") from None


class NotRegularFileError(OSError):
    """A pipe, socket or device where a file is needed."""


def read_regular_file(path: Path, most: int) -> bytes:
    """At most ``most`` bytes of a regular file; raises `NotRegularFileError` for anything
    else, found without blocking: the file is opened non-blocking (a named pipe with no
    writer would wait forever) and checked before it is read. Other `OSError`s as they
    come. For every file a user names as data: rule files, settings, baselines, verdicts."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFileError(
                "not a regular file (a pipe, socket or device): give a file's path"
            )
        return file.read(most)


def _check_key_parts(path: Path, text: str) -> None:
    if text.count(".") <= MAX_KEY_PARTS:  # nearly every file: nothing to look at
        return
    for number, line in enumerate(text.splitlines(), 1):
        if line.count(".") > MAX_KEY_PARTS and _most_key_parts(line) > MAX_KEY_PARTS:
            raise DataFileError(
                f"{path}: line {number}: a key of more than {MAX_KEY_PARTS} dotted parts"
            )


def _most_key_parts(line: str) -> int:
    """The most parts of a dotted key in the line, strings and comments left out (a
    multi-line string's lines are taken for code: at worst a very odd text is refused)."""
    code = _STRING.sub('""', line).split("#", 1)[0]
    return max((match[0].count(".") + 1 for match in _DOTTED_KEY.finditer(code)), default=0)
