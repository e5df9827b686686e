"""Explanations kept on disk between sessions, in SQLite, keyed by what produced them.

A row lives until its TTL (counted from when it was written) runs out, or until it is the
least recently used beyond `max_entries`. The cache never costs an explanation: a damaged
file is set aside with a warning and the call becomes a miss or a skipped write.
Methods are synchronous and thread-safe; the server calls them through asyncio.to_thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from dexter_ls.store.database import Database, transaction
from dexter_ls.store.paths import user_dir

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE explanations (
    key TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    model TEXT NOT NULL,
    created REAL NOT NULL,
    last_used REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX explanations_last_used ON explanations (last_used);
CREATE INDEX explanations_created ON explanations (created);
"""


def default_cache_path() -> Path:
    return user_dir("cache") / "explanations.sqlite3"


def make_cache_key(*parts: str | None) -> str:
    """sha256 of the parts joined by the unit separator (None counts as empty), e.g. of
    (diagnostic fingerprint, snippet hash, model, model version, template version)."""
    joined = "\x1f".join("" if part is None else part for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


class ExplanationCache:
    def __init__(
        self,
        path: Path | None = None,
        *,
        max_entries: int = 5000,
        ttl_seconds: float = 30 * 86400,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        self.path = path if path is not None else default_cache_path()
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._db = Database(self.path, SCHEMA, schema_version=SCHEMA_VERSION,
                            label="explanation cache")
        self._counts = threading.Lock()
        self._hits = 0
        self._misses = 0

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored payload, or None when missing, expired (then deleted) or unreadable."""
        payload = self._db.run("read an explanation", lambda db: self._get(db, key), None)
        with self._counts:
            if payload is None:
                self._misses += 1
            else:
                self._hits += 1
        return payload

    def put(self, key: str, payload: dict[str, Any], *, model: str) -> None:
        """Store (or replace) a payload, then evict expired and least recently used rows."""
        text = _encode(payload)
        self._db.run("store an explanation", lambda db: self._put(db, key, text, model), None)

    def stats(self) -> dict[str, Any]:
        """Figures for live rows. Unlike get/put, raises if the file is locked or unusable."""
        return self._db.run_or_raise("read its statistics", self._stats)

    def clear(self) -> int:
        """Remove every row; returns how many there were."""
        return self._db.run_or_raise("clear it", self._clear)

    def close(self) -> None:
        self._db.close()

    # -- work done with the lock held ------------------------------------------------------

    def _get(self, db: sqlite3.Connection, key: str) -> dict[str, Any] | None:
        now = self._clock()
        row = db.execute(
            "SELECT payload, created FROM explanations WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        text, created = row
        if now - created > self.ttl_seconds:
            db.execute("DELETE FROM explanations WHERE key = ? AND created = ?", (key, created))
            return None
        try:
            payload = json.loads(text)
            if not isinstance(payload, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            log.warning("explanation cache %s: dropped an unreadable entry (%s)", self.path, exc)
            db.execute("DELETE FROM explanations WHERE key = ?", (key,))
            return None
        try:
            db.execute("UPDATE explanations SET last_used = ?, hits = hits + 1 WHERE key = ?",
                       (now, key))
        except sqlite3.OperationalError as exc:  # locked by a long writer: still a hit
            log.warning("explanation cache %s: served a hit but could not record it (%s)",
                        self.path, exc)
        return payload

    def _put(self, db: sqlite3.Connection, key: str, text: str, model: str) -> None:
        now = self._clock()
        with transaction(db):
            db.execute(
                "INSERT OR REPLACE INTO explanations"
                " (key, payload, model, created, last_used, hits) VALUES (?, ?, ?, ?, ?, 0)",
                (key, text, model, now, now))
            db.execute("DELETE FROM explanations WHERE created < ?", (now - self.ttl_seconds,))
            db.execute(
                "DELETE FROM explanations WHERE key IN (SELECT key FROM explanations"
                " ORDER BY last_used DESC, rowid DESC LIMIT -1 OFFSET ?)", (self.max_entries,))

    def _stats(self, db: sqlite3.Connection) -> dict[str, Any]:
        live_since = self._clock() - self.ttl_seconds
        entries, oldest, newest, stored_hits = db.execute(
            "SELECT count(*), min(created), max(created), coalesce(sum(hits), 0)"
            " FROM explanations WHERE created >= ?", (live_since,)).fetchone()
        models = dict(db.execute(
            "SELECT model, count(*) FROM explanations WHERE created >= ?"
            " GROUP BY model ORDER BY count(*) DESC, model", (live_since,)).fetchall())
        return {
            "path": str(self.path),
            "entries": entries,
            "bytes": _size(self.path) + _size(Path(f"{self.path}-wal")),
            "maxEntries": self.max_entries,
            "ttlSeconds": self.ttl_seconds,
            "oldest": _iso(oldest),
            "newest": _iso(newest),
            "models": models,
            "hits": self._hits,
            "misses": self._misses,
            "storedHits": stored_hits,
        }

    def _clear(self, db: sqlite3.Connection) -> int:
        removed = db.execute("DELETE FROM explanations").rowcount
        try:  # give the space back; another process holding the file may make this wait out
            db.execute("VACUUM")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError as exc:
            log.info("explanation cache %s: emptied but not compacted (%s)", self.path, exc)
        return removed


def _encode(payload: dict[str, Any]) -> str:
    if not isinstance(payload, dict):
        raise TypeError(f"a cached explanation must be a dict, not {type(payload).__name__}")
    try:
        return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"cannot cache this explanation: it is not JSON-serialisable ({exc})"
                        ) from exc


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")
