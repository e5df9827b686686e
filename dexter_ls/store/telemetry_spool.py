"""Telemetry of short-lived processes: each `dexter explain` run leaves its attempts in one
small JSON file beside the database, and the next `Telemetry` to open the database moves
them in. A one-shot run then neither loads SQLite nor waits on its lock.

Nothing is lost or counted twice: a file appears whole (written aside, then renamed) or
not at all; it is deleted only after its rows are committed; and a request already in the
database (a crash between the commit and the delete) is not inserted again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import astuple
from pathlib import Path
from typing import Protocol

from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.store.paths import user_dir

log = logging.getLogger(__name__)
SUFFIX = ".json"


def default_path() -> Path:
    """The telemetry database."""
    return user_dir("state") / "telemetry.sqlite3"


def spool_dir(database: Path) -> Path:
    """Where the files waiting for `database` are kept."""
    return database.with_name(f"{database.name}.pending")


class AttemptLog(Protocol):
    """Where an Explainer records attempts: `Telemetry` (SQLite) or a `TelemetrySpool`."""

    def record(self, records: Sequence[AttemptRecord]) -> None: ...

    def flush(self) -> None:
        """Write what waits in memory (the Explainer calls it when its writes are done)."""


class TelemetrySpool:
    """`record` as `Telemetry` has it, for a short-lived process: a run's records wait in
    memory until `flush` writes them as one file (a run explaining 1,000 errors leaves one
    file, not 1,000); never raises."""

    def __init__(self, database: Path | None = None) -> None:
        self.path = spool_dir(database if database is not None else default_path())
        self._held: list[AttemptRecord] = []

    def record(self, records: Sequence[AttemptRecord]) -> None:
        self._held.extend(records)

    def flush(self) -> None:
        held, self._held = self._held, []
        self._write(held)

    def _write(self, records: Sequence[AttemptRecord]) -> None:
        if not records:
            return
        data = json.dumps([astuple(r) for r in records]).encode()
        name = f"{time.time_ns()}-{os.getpid()}-{secrets.token_hex(4)}"
        aside = self.path / f".{name}.tmp"
        try:
            self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            os.replace(aside, self.path / f"{name}{SUFFIX}")
        except OSError as exc:
            log.warning("telemetry: could not record %d attempt(s) in %s (%s)",
                        len(records), self.path, exc)
            with contextlib.suppress(OSError):
                aside.unlink(missing_ok=True)


def waiting(database: Path) -> int:
    """How many files wait for `database` (cheap: one directory listing)."""
    return len(pending(database))


def pending(database: Path) -> list[Path]:
    """The complete files waiting for `database`, oldest first."""
    try:
        names = sorted(e.name for e in os.scandir(spool_dir(database))
                       if e.name.endswith(SUFFIX) and not e.name.startswith("."))
    except OSError:
        return []
    return [spool_dir(database) / name for name in names]


def read_pending(path: Path) -> list[AttemptRecord] | None:
    """The records in one file; None when it cannot be read (it is set aside, with a warning)."""
    try:
        rows = json.loads(path.read_bytes())
        return [AttemptRecord(*row) for row in rows]
    except FileNotFoundError:  # another process moved it in meanwhile
        return []
    except (OSError, ValueError, TypeError) as exc:
        log.warning("telemetry: %s is unreadable (%s); set aside", path, exc)
        with contextlib.suppress(OSError):
            path.rename(path.with_name(f"{path.name}.bad"))
        return None
