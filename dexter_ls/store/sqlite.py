"""Open an SQLite database that heals itself: WAL, a busy timeout, a versioned schema.

A file that is not a database, fails `PRAGMA quick_check`, or carries another schema
version is set aside (renamed `<name>.corrupt-<unix time>`, with its -wal and -shm files)
with a warning, and a fresh database is built in its place. Shared by every store on disk.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from pathlib import Path

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 200  # a lock held longer: go on without the store (issue 13)
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED


class _Unusable(Exception):
    """The file on disk is not ours to use; `conn` is the connection that found out."""

    def __init__(self, reason: str, conn: sqlite3.Connection) -> None:
        super().__init__(reason)
        self.reason = reason
        self.conn = conn


def open_database(path: Path, schema: str, *, schema_version: int) -> sqlite3.Connection:
    """A connection in autocommit mode (use BEGIN IMMEDIATE for multi-statement writes).

    `schema` is a script of statements run once, when the database is new. Raises OSError
    only when the directory cannot be used, and sqlite3.OperationalError when the database
    stays locked or unreadable (that is not corruption, so nothing is moved).
    """
    if schema_version < 1:
        raise ValueError("schema_version must be at least 1")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return _open(path, schema, schema_version)
    except _Unusable as bad:
        set_aside(path, bad.reason, bad.conn)
    try:
        return _open(path, schema, schema_version)
    except _Unusable as bad:  # a new file that fails is no longer about the old one
        _close(bad.conn)
        raise sqlite3.DatabaseError(f"{path} {bad.reason}, even when new") from None


def is_corruption(exc: BaseException) -> bool:
    """True when the file itself is damaged, as opposed to locked, busy or unreadable."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    return type(exc) is sqlite3.DatabaseError


def set_aside(path: Path, reason: str, conn: sqlite3.Connection | None = None) -> Path:
    """Rename the database and its -wal/-shm files out of the way; returns the new name.

    `conn`, the connection that found the damage, is closed here: after the rename where the
    system allows it, since closing the last connection deletes the -wal and -shm files.
    """
    stamp = int(time.time())
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    serial = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}.{serial}")
        serial += 1
    try:
        _move(path, aside)
    except OSError:
        if conn is None:
            raise
        _close(conn)  # Windows renames no open file
        conn = None
        _move(path, aside)
    finally:
        if conn is not None:
            _close(conn)
    log.warning("%s %s; moved it to %s and started a fresh one", path, reason, aside)
    return aside


def _move(path: Path, aside: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        except FileNotFoundError:
            pass


def _close(conn: sqlite3.Connection) -> None:
    try:
        conn.close()
    except sqlite3.Error as exc:  # closing a damaged file can complain; it is going anyway
        log.debug("closing a damaged database: %s", exc)


def _open(path: Path, schema: str, schema_version: int) -> sqlite3.Connection:
    if not path.exists():  # private from the start: sqlite gives -wal/-shm the same mode
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _use_wal(conn, path)
        conn.execute("PRAGMA synchronous=NORMAL")
        found = [row[0] for row in conn.execute("PRAGMA quick_check")]
        problem = (_ensure_schema(conn, schema, schema_version) if found == ["ok"]
                   else f"failed its integrity check ({'; '.join(found[:3])})")
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            _close(conn)
            raise
        problem = f"is not a usable SQLite database ({exc})"
    except BaseException:
        _close(conn)
        raise
    if problem is not None:
        raise _Unusable(problem, conn)
    return conn


def _use_wal(conn: sqlite3.Connection, path: Path) -> None:
    # Switching a new file to WAL needs an exclusive lock, and sqlite reports a clash with
    # another connection doing the same at once as "locked" without waiting: wait here.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    if str(mode).lower() != "wal":  # e.g. some network file systems
        log.info("%s cannot use WAL; journal mode is %s", path, mode)


def is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "locked" in str(exc) or "busy" in str(exc)


def _ensure_schema(conn: sqlite3.Connection, schema: str, schema_version: int) -> str | None:
    """Builds the schema in a new database; returns what is wrong with an existing one."""
    found = _version(conn)
    if found == schema_version:
        return None
    conn.execute("BEGIN IMMEDIATE")  # look again under the write lock: another process may
    try:                             # have built the schema since
        found = _version(conn)
        foreign = found == 0 and not _is_empty(conn)
        if found == 0 and not foreign:
            for statement in _statements(schema):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={int(schema_version)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # the original error is what matters
                conn.rollback()
        raise
    if foreign:
        return "holds tables from something else"
    if found not in (0, schema_version):
        return f"has schema version {found}, expected {schema_version}"
    return None


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (semicolons inside strings or triggers stay)."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                statements.append(pending)
            pending = ""
    if pending.strip(" \t\r\n;"):
        statements.append(pending)
    return statements
