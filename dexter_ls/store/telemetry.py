"""Local telemetry: one `AttemptRecord` row per model attempt, in SQLite. Never sent anywhere.

Synchronous and thread-safe; the server calls it through `asyncio.to_thread`. The database
opens on first use. Every `record` keeps the table within `retention_days` and `max_rows`
(oldest rows go first; `retention_s` and `max_rows` may be changed between writes). Reading
never deletes, so a reader such as `dexter stats` cannot prune with other limits than the
server's. A damaged file is set aside with a warning and rebuilt; any other database error
is logged and swallowed: telemetry never breaks the caller.

Short-lived processes (`dexter explain`) leave their rows in files beside the database
(`telemetry_spool`); every method here moves those in first (reading does not prune them).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path

from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.store.database import Database, transaction
from dexter_ls.store.sqlite import is_busy
from dexter_ls.store.telemetry_spool import default_path, pending, read_pending

__all__ = ["FIELDS", "SCHEMA", "SCHEMA_VERSION", "Telemetry", "default_path"]

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    request_id TEXT NOT NULL,
    model TEXT NOT NULL,
    provider TEXT NOT NULL,
    outcome TEXT NOT NULL,
    error_class TEXT,
    fallback_reason TEXT,
    first_token_ms REAL,
    latency_ms REAL NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    usage_source TEXT NOT NULL,
    cost_usd REAL,
    template TEXT,
    category TEXT NOT NULL,
    answered_by TEXT
);
CREATE INDEX attempts_ts ON attempts (ts, id);
"""
FIELDS = tuple(f.name for f in fields(AttemptRecord))  # the column order of every query
_COLUMNS = ", ".join(FIELDS)
log = logging.getLogger(__name__)
_INSERT = f"INSERT INTO attempts ({_COLUMNS}) VALUES ({', '.join('?' for _ in FIELDS)})"


class Telemetry:
    def __init__(self, path: Path | None = None, *, retention_days: float = 30,
                 max_rows: int = 100_000, clock: Callable[[], float] = time.time) -> None:
        self.path = path if path is not None else default_path()
        self.retention_s = retention_days * 86400.0
        self.max_rows = max_rows
        self._clock = clock
        self._db = Database(self.path, SCHEMA, schema_version=SCHEMA_VERSION, label="telemetry")

    def record(self, records: Sequence[AttemptRecord]) -> None:
        """Store the attempts of one request in one transaction, then prune; never raises."""
        if not records:
            return
        values = [tuple(getattr(r, name) for name in FIELDS) for r in records]

        def write(conn: sqlite3.Connection) -> None:
            self._move_pending(conn)
            with transaction(conn):
                conn.executemany(_INSERT, values)
                self._prune(conn)

        self._db.run(f"record {len(values)} attempt(s)", write, None)

    def flush(self) -> None:
        """Nothing waits in memory: `record` writes at once."""

    def fold_pending(self) -> None:
        """Move the rows waiting beside the database in, then prune (as `record` does)."""
        def write(conn: sqlite3.Connection) -> None:
            self._move_pending(conn)
            with transaction(conn):
                self._prune(conn)

        self._db.run("move pending attempts in", write, None)

    def rows(self, since: float | None = None, limit: int | None = None) -> list[AttemptRecord]:
        """Rows with `ts >= since`, oldest first; with `limit`, only the newest `limit` of them."""
        query = f"SELECT {_COLUMNS} FROM attempts WHERE ts >= ? ORDER BY ts DESC, id DESC"
        params: tuple[float, ...] = (float("-inf") if since is None else since,)
        if limit is not None:
            query += " LIMIT ?"
            params += (max(limit, 0),)

        def read(conn: sqlite3.Connection) -> list[AttemptRecord]:
            self._move_pending(conn)
            return [AttemptRecord(*row) for row in reversed(conn.execute(query, params).fetchall())]

        return self._db.run("read telemetry", read, [])

    def count(self) -> int:
        def read(conn: sqlite3.Connection) -> int:
            self._move_pending(conn)
            return _count(conn)

        return self._db.run("count telemetry", read, 0)

    def clear(self) -> int:
        """Delete every row; returns how many there were."""
        def clear(conn: sqlite3.Connection) -> int:
            self._move_pending(conn)
            return int(conn.execute("DELETE FROM attempts").rowcount)

        return self._db.run("clear telemetry", clear, 0)

    def has_pending(self) -> bool:
        """Rows are waiting beside the database (it may not exist yet)."""
        return bool(pending(self.path))

    def close(self) -> None:
        self._db.close()

    def _move_pending(self, conn: sqlite3.Connection) -> None:
        """Insert the rows other processes left beside the database, then delete their
        files. A request already stored is skipped; a busy database leaves them waiting."""
        files = pending(self.path)
        if not files:
            return
        done: list[Path] = []
        try:
            with transaction(conn):
                for file in files:
                    records = read_pending(file)
                    if records is None:
                        continue
                    _insert_new(conn, records)
                    done.append(file)
        except sqlite3.Error as exc:
            if not is_busy(exc):
                raise
            log.info("telemetry: database busy; %d pending file(s) wait", len(files))
            return
        for file in done:
            file.unlink(missing_ok=True)

    def _prune(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM attempts WHERE ts < ?", (self._clock() - self.retention_s,))
        excess = _count(conn) - self.max_rows
        if excess > 0:
            conn.execute("DELETE FROM attempts WHERE id IN "
                         "(SELECT id FROM attempts ORDER BY ts, id LIMIT ?)", (excess,))


def _insert_new(conn: sqlite3.Connection, records: Sequence[AttemptRecord]) -> None:
    """Insert each request's rows unless that request is stored already."""
    by_request: dict[str, list[AttemptRecord]] = {}
    for record in records:
        by_request.setdefault(record.request_id, []).append(record)
    for request_id, rows in by_request.items():
        if conn.execute("SELECT 1 FROM attempts WHERE ts = ? AND request_id = ? LIMIT 1",
                        (rows[0].ts, request_id)).fetchone() is None:
            conn.executemany(_INSERT, [tuple(getattr(r, n) for n in FIELDS) for r in rows])


def _count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM attempts").fetchone()[0])
