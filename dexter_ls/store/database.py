"""One SQLite file as a store uses it: a connection opened on first use, shared under a lock.

Damage found at any time (SQLITE_CORRUPT / SQLITE_NOTADB) sets the file aside with a
warning, builds a fresh one and runs the work once more. Anything else (locked, busy,
unreadable) leaves the file alone: `run` logs it and returns a fallback, `run_or_raise`
raises. Used by the explanation cache and by telemetry.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from dexter_ls.store.sqlite import BUSY_TIMEOUT_MS, is_busy, is_corruption, open_database, set_aside

log = logging.getLogger(__name__)
T = TypeVar("T")



class Database:
    def __init__(self, path: Path, schema: str, *, schema_version: int, label: str) -> None:
        self.path = path
        self._schema = schema
        self._version = schema_version
        self._label = label  # for log lines: "explanation cache", "telemetry"
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def run(self, doing: str, work: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        """`work(connection)` under the lock; never raises (failures are logged)."""
        try:
            return self.run_or_raise(doing, work)
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.Error) and is_busy(exc):
                log.warning("%s %s is held by another process for over %d ms (%s): could "
                            "not %s; carrying on without it", self._label, self.path,
                            BUSY_TIMEOUT_MS, exc, doing)
                return fallback
            log.warning("%s %s: could not %s (%s); carrying on without it",
                        self._label, self.path, doing, exc)
            return fallback

    def run_or_raise(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        """Like `run`, but errors other than damage raise."""
        with self._lock:
            for repairs_left in (1, 0):
                conn = self._connection()
                try:
                    return work(conn)
                except sqlite3.Error as exc:
                    _rollback(conn)
                    if not (repairs_left and is_corruption(exc)):
                        raise
                    self._conn = None
                    set_aside(self.path, f"is damaged (found trying to {doing}: {exc})", conn)
            raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = open_database(self.path, self._schema, schema_version=self._version)
        return self._conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT on an autocommit connection; ROLLBACK on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        _rollback(conn)
        raise
    conn.execute("COMMIT")


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        try:
            conn.rollback()
        except sqlite3.Error as exc:
            log.warning("rollback failed (%s)", exc)
