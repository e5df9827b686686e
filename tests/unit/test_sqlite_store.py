"""open_database: a fresh database is set up right; damaged or foreign files are set aside."""

from __future__ import annotations

import logging
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from dexter_ls.store.sqlite import open_database

SCHEMA = """
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE INDEX notes_body ON notes (body);
"""


def _asides(path: Path) -> list[Path]:
    found = path.parent.glob(f"{path.name}.corrupt-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm")))


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_fresh_database_is_private_walled_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "store" / "notes.sqlite3"
    conn = open_database(path, SCHEMA, schema_version=3)
    try:
        assert _tables(conn) == {"notes"}
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 200  # then go on without
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.isolation_level is None
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        conn.close()


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = open_database(path, SCHEMA, schema_version=1)
    conn.execute("INSERT INTO notes (body) VALUES ('kept')")
    conn.close()
    conn = open_database(path, SCHEMA, schema_version=1)
    assert conn.execute("SELECT body FROM notes").fetchall() == [("kept",)]
    conn.close()
    assert _asides(path) == []


def test_usable_from_another_thread(tmp_path: Path) -> None:
    conn = open_database(tmp_path / "notes.sqlite3", SCHEMA, schema_version=1)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            conn.execute("INSERT INTO notes (body) VALUES ('from a thread')")
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    assert errors == []
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
    conn.close()


def test_garbage_file_is_set_aside_with_its_wal_and_shm(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "notes.sqlite3"
    garbage = b"this is not an sqlite database at all" * 200
    path.write_bytes(garbage)
    Path(f"{path}-wal").write_bytes(b"stale wal")
    Path(f"{path}-shm").write_bytes(b"stale shm")

    with caplog.at_level(logging.WARNING):
        conn = open_database(path, SCHEMA, schema_version=1)
    conn.execute("INSERT INTO notes (body) VALUES ('fresh')")
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
    conn.close()

    [aside] = _asides(path)
    assert aside.read_bytes() == garbage
    assert Path(f"{aside}-wal").read_bytes() == b"stale wal"
    assert Path(f"{aside}-shm").exists()  # sqlite rewrites the index on open; it moves too
    warning = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert str(path) in warning and str(aside) in warning


def test_damaged_pages_fail_the_check_and_are_set_aside(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = open_database(path, SCHEMA, schema_version=1)
    notes = [(f"note {i}" * 40,) for i in range(300)]
    conn.executemany("INSERT INTO notes (body) VALUES (?)", notes)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page:] = b"\xa5" * (len(data) - page)  # keep the header page, wreck the rest
    path.write_bytes(bytes(data))

    with caplog.at_level(logging.WARNING):
        conn = open_database(path, SCHEMA, schema_version=1)
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    conn.close()
    assert len(_asides(path)) == 1
    assert any(str(path) in r.getMessage() for r in caplog.records)


def test_a_file_failing_the_quick_check_is_set_aside(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = open_database(path, SCHEMA, schema_version=1)
    conn.execute("INSERT INTO notes (body) VALUES ('x')")
    conn.close()
    data = bytearray(path.read_bytes())
    data[36:40] = (5).to_bytes(4, "big")  # the header claims five free pages; there are none
    path.write_bytes(bytes(data))

    with caplog.at_level(logging.WARNING):
        conn = open_database(path, SCHEMA, schema_version=1)
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    conn.close()
    assert len(_asides(path)) == 1
    assert "failed its integrity check" in caplog.text


def test_other_schema_version_is_set_aside(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = open_database(path, "CREATE TABLE old_notes (text TEXT);", schema_version=1)
    conn.execute("INSERT INTO old_notes VALUES ('from version 1')")
    conn.close()

    with caplog.at_level(logging.WARNING):
        conn = open_database(path, SCHEMA, schema_version=2)
    assert _tables(conn) == {"notes"}
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()

    [aside] = _asides(path)
    old = sqlite3.connect(aside)
    assert old.execute("SELECT text FROM old_notes").fetchall() == [("from version 1",)]
    old.close()
    assert "schema version 1, expected 2" in caplog.text


def test_someone_elses_database_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE unrelated (x)")
    other.commit()
    other.close()

    conn = open_database(path, SCHEMA, schema_version=1)
    assert _tables(conn) == {"notes"}
    conn.close()
    assert len(_asides(path)) == 1


def test_schema_script_with_semicolons_inside_statements(tmp_path: Path) -> None:
    schema = """
    CREATE TABLE log (line TEXT DEFAULT 'a;b');
    CREATE TABLE seen (n INTEGER);
    CREATE TRIGGER count_lines AFTER INSERT ON log BEGIN
        INSERT INTO seen VALUES (1);
    END;
    """
    conn = open_database(tmp_path / "log.sqlite3", schema, schema_version=1)
    conn.execute("INSERT INTO log DEFAULT VALUES")
    assert conn.execute("SELECT line FROM log").fetchall() == [("a;b",)]
    assert conn.execute("SELECT count(*) FROM seen").fetchone()[0] == 1
    conn.close()


def test_unusable_directory_raises_oserror(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the directory should be")
    with pytest.raises(OSError):
        open_database(blocker / "notes.sqlite3", SCHEMA, schema_version=1)


def test_many_connections_opening_a_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    # The switch to WAL takes an exclusive lock that sqlite does not wait for: a clash used to
    # fail one of the openers with "database is locked".
    errors: list[BaseException] = []
    for trial in range(40):
        path = tmp_path / f"race-{trial}.sqlite3"
        start = threading.Barrier(4)

        def open_and_write(path: Path = path, start: threading.Barrier = start) -> None:
            try:
                start.wait()
                conn = open_database(path, SCHEMA, schema_version=1)
                conn.execute("INSERT INTO notes (body) VALUES ('hello')")
                conn.close()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_and_write) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
