"""Files a run writes (reports, baselines, verdicts, the starter), written atomically, and the
one error for output that cannot be written.

A file is written to a temporary file beside it and renamed over it in one step, so that a
reader never sees half a file, and a failed write (a full disk, Ctrl-C) leaves the old
file as it was and no temporary file behind. Where a file will go is checked before a
run starts (`check_writable`), so that a missing folder fails at once rather than after
the whole batch.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputError(OSError):
    """Output that cannot be written: the message names where, and why. An `OSError`, so
    that a caller catching those still catches it."""


def output_error(where: str | os.PathLike[str], error: OSError) -> OutputError:
    """``where: why``, from the operating system's error (as it is, if it says so already)."""
    if isinstance(error, OutputError):
        return error
    return OutputError(f"{where}: {error.strerror or error}")


def _is_special(target: Path) -> bool:
    """A device or a pipe (/dev/stdout, /dev/full): written in place, never replaced."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise `OutputError` unless a file can be written at ``path``: its folder exists and
    takes new files, and ``path`` is no folder. A probe file is made and removed, which
    answers for read-only file systems and permissions alike."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a folder")
    if _is_special(target):
        return
    try:
        with tempfile.TemporaryFile(dir=target.parent):
            pass
    except OSError as error:
        raise output_error(target.parent, error) from None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path``; on success it replaces ``path`` in one step.

    Readers never see a half-written file, and a failed write leaves the old file alone. A
    device or a pipe (/dev/stdout) is written in place. An `OSError` (a full disk, a
    missing folder) is raised as an `OutputError` naming ``path``.
    """
    target = Path(path)
    if _is_special(target):
        try:
            yield target
        except OSError as error:
            raise output_error(target, error) from None
        return
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise output_error(target, error) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp makes the file private (0600); a written file gets the mode of the file
        # it replaces, or the usual 0644 for a new one.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        temporary.chmod(mode)
        os.replace(temporary, target)
    except OSError as error:
        raise output_error(target, error) from None
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` in UTF-8, atomically (see `atomic_path`)."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
