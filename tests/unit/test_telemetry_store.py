"""The local telemetry database: round trip, retention, row cap, persistence, damaged files."""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.store import database as database_module
from dexter_ls.store.sqlite import open_database
from dexter_ls.store.telemetry import FIELDS, Telemetry, default_path

DAY = 86400.0
T0 = 1_700_000_000.0


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def rec(ts: float = T0, request_id: str = "r1", **fields: object) -> AttemptRecord:
    base = AttemptRecord(
        ts=ts, request_id=request_id, model="openai/gpt-4o-mini", provider="openai",
        outcome="success", error_class=None, fallback_reason=None, first_token_ms=210.5,
        latency_ms=1234.5, input_tokens=812, output_tokens=96, usage_source="reported",
        cost_usd=0.00018, template="explain@3", category="type-error",
        answered_by="openai/gpt-4o-mini",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def telemetry(tmp_path: Path, clock: Clock) -> Telemetry:
    return Telemetry(tmp_path / "t.sqlite3", clock=clock)


def test_the_default_file_is_in_the_state_dir(dexter_home: Path) -> None:
    assert default_path() == dexter_home / "state" / "telemetry.sqlite3"
    assert Telemetry().path == default_path()


def test_record_and_rows_round_trip_oldest_first(telemetry: Telemetry) -> None:
    fell_back = rec(T0 - 5, "r2", model="ollama/qwen", provider="ollama", outcome="failed",
                    error_class="timeout", fallback_reason="timeout", first_token_ms=None,
                    input_tokens=None, output_tokens=None, usage_source="unknown",
                    cost_usd=None, template=None, answered_by=None)
    later, earlier = rec(T0, "r3"), rec(T0 - 10, "r1")
    telemetry.record([later, earlier])
    telemetry.record([fell_back])
    assert telemetry.rows() == [earlier, fell_back, later]
    assert telemetry.count() == 3
    assert telemetry.rows(since=T0 - 5) == [fell_back, later]
    assert telemetry.rows(limit=2) == [fell_back, later]  # the newest two, oldest first
    telemetry.record([])
    assert telemetry.count() == 3


def test_rows_older_than_the_retention_go(tmp_path: Path, clock: Clock) -> None:
    telemetry = Telemetry(tmp_path / "t.sqlite3", retention_days=7, clock=clock)
    telemetry.record([rec(T0 - 8 * DAY, "ancient"), rec(T0 - 6 * DAY, "old"), rec(T0, "new")])
    assert [r.request_id for r in telemetry.rows()] == ["old", "new"]
    clock.now += 2 * DAY
    telemetry.record([rec(clock.now, "newest")])
    assert [r.request_id for r in telemetry.rows()] == ["new", "newest"]
    telemetry.close()
    clock.now += 7 * DAY
    reader = Telemetry(telemetry.path, retention_days=1, clock=clock)
    assert len(reader.rows()) == 2  # reading never deletes: only the writer's limits apply
    telemetry.retention_s = 3 * DAY  # the server applies a changed setting on the next write
    telemetry.record([rec(clock.now, "latest")])
    assert [r.request_id for r in reader.rows()] == ["latest"]


def test_only_the_newest_max_rows_stay(tmp_path: Path, clock: Clock) -> None:
    telemetry = Telemetry(tmp_path / "t.sqlite3", max_rows=5, clock=clock)
    for i in range(4):
        telemetry.record([rec(T0 + i, f"r{i}")])
    telemetry.record([rec(T0 + 10 + i, f"batch{i}") for i in range(3)])
    telemetry.record([rec(T0 - 100, "late-arrival")])  # oldest by time: goes first
    assert telemetry.count() == 5
    assert [r.request_id for r in telemetry.rows()] == [
        "r2", "r3", "batch0", "batch1", "batch2"]


def test_rows_persist_across_instances(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "nested" / "t.sqlite3"
    first = Telemetry(path, clock=clock)
    first.record([rec(T0, "r1"), rec(T0, "r1", model="anthropic/claude", provider="anthropic")])
    first.close()
    second = Telemetry(path, clock=clock)
    assert second.rows() == [rec(T0, "r1"),
                             rec(T0, "r1", model="anthropic/claude", provider="anthropic")]
    assert second.clear() == 2
    assert second.count() == 0 and Telemetry(path, clock=clock).rows() == []


def test_nothing_is_written_until_first_use(tmp_path: Path) -> None:
    telemetry = Telemetry(tmp_path / "lazy.sqlite3")
    assert not telemetry.path.exists()
    telemetry.close()
    assert not telemetry.path.exists()


def test_a_corrupt_file_is_set_aside_with_a_warning(
        telemetry: Telemetry, caplog: pytest.LogCaptureFixture) -> None:
    telemetry.path.write_bytes(b"this is not an sqlite database at all" * 200)
    with caplog.at_level(logging.WARNING):
        telemetry.record([rec()])
    assert telemetry.rows() == [rec()]
    aside = list(telemetry.path.parent.glob("t.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    assert any("corrupt" in r.getMessage() and r.levelno == logging.WARNING
               for r in caplog.records)


class Malformed:
    """A connection whose file turned out to be damaged after it opened."""

    in_transaction = False

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real

    def execute(self, *_: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    executemany = execute

    def close(self) -> None:
        self.real.close()


def test_damage_found_in_use_is_set_aside_and_the_record_kept(
        telemetry: Telemetry, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    telemetry.record([rec(T0, "before")])
    telemetry.close()
    opened: list[object] = []

    def open_damaged_once(path: Path, schema: str, *, schema_version: int) -> object:
        conn = open_database(path, schema, schema_version=schema_version)
        opened.append(conn)
        return Malformed(conn) if len(opened) == 1 else conn

    monkeypatch.setattr(database_module, "open_database", open_damaged_once)
    with caplog.at_level(logging.WARNING):
        telemetry.record([rec(T0, "after")])  # does not raise: set aside, rebuilt, written
    assert [r.request_id for r in telemetry.rows()] == ["after"]
    databases = [p for p in telemetry.path.parent.glob("t.sqlite3.corrupt-*")
                 if not p.name.endswith(("-wal", "-shm"))]  # its WAL files go along
    assert len(databases) == 1
    assert "is damaged" in caplog.text


def test_an_unusable_location_is_logged_never_raised(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    telemetry = Telemetry(blocker / "t.sqlite3")
    with caplog.at_level(logging.WARNING):
        telemetry.record([rec()])
        assert telemetry.rows() == []
        assert telemetry.count() == 0 and telemetry.clear() == 0
    assert "could not record 1 attempt(s)" in caplog.text


def test_concurrent_writers_lose_nothing(telemetry: Telemetry) -> None:
    def write(worker: int) -> None:
        for i in range(25):
            telemetry.record([rec(T0, f"w{worker}-{i}"), rec(T0, f"w{worker}-{i}")])

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert telemetry.count() == 6 * 25 * 2


def test_the_table_has_a_column_for_every_record_field(telemetry: Telemetry) -> None:
    telemetry.record([rec()])
    with sqlite3.connect(telemetry.path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(attempts)")]
    assert columns == ["id", *FIELDS]
