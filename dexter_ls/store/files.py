"""Small files Dexter owns: written atomically, read back with damage set aside."""

from __future__ import annotations

import json
import logging
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def write_atomically(path: Path, text: str, *, mode: int | None = None,
                     private_dir: bool = False) -> None:
    """Replace `path` with `text` all at once (a temp file in the same directory, fsync,
    rename): a reader sees the old or the new file, never half of one. `mode` is set before
    anything is written (0o600 for secrets); `private_dir` creates the directory (0o700)."""
    if private_dir:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_json(path: Path, parse: Callable[[object], T], empty: T) -> T:
    """`parse(json)` of the file; `empty` when it is missing or unreadable. A file that is not
    valid JSON or that `parse` rejects (ValueError) is moved to `<stem>.corrupt-<time><suffix>`
    with a warning, and `empty` is returned. Never logs the content (it may hold keys)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc.strerror)
        return empty
    try:
        return parse(json.loads(raw.decode("utf-8")))
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, or not ours
        aside = path.with_name(f"{path.stem}.corrupt-{int(time.time())}{path.suffix}")
        try:
            os.replace(path, aside)
        except OSError as moved:  # a read-only directory: leave it, start empty anyway
            log.warning("%s is not valid and cannot be moved aside (%s); ignoring it", path,
                        moved.strerror)
            return empty
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        log.warning("%s was not valid (%s); moved it to %s and started empty", path, reason,
                    aside.name)
        return empty


def read_regular_file(path: Path, limit: int) -> tuple[bytes | None, str]:
    """(at most `limit` bytes, "") or (None, why not). Regular files only: a folder, a FIFO or
    a link to a device is refused before anything is read (never a hang on /dev/stdin)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if info.st_size > limit:
            return None, f"larger than {limit // 1000} kB"
        data = os.read(handle, limit + 1)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    finally:
        os.close(handle)
    if len(data) > limit:
        return None, f"larger than {limit // 1000} kB"
    return data, ""
