"""Telemetry left beside the database by one-shot runs (`dexter explain`): moved in by the
next reader or writer, never lost, never counted twice, pruned only by writers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.store.telemetry import Telemetry
from dexter_ls.store.telemetry_spool import TelemetrySpool, pending, spool_dir, waiting

T0 = 1_700_000_000.0


def rec(request_id: str, model: str = "builtin/reference", ts: float = T0) -> AttemptRecord:
    return AttemptRecord(ts, request_id, model, model.split("/")[0], "success", None, None,
                         12.5, 20.25, 0, 0, "reported", 0.0, None, "name", model)


def spooled(database: Path, records: list[AttemptRecord]) -> None:
    """One `dexter explain` run's records: held, then written as one file at its end."""
    spool = TelemetrySpool(database)
    spool.record(records)
    spool.flush()


def test_rows_wait_in_files_until_the_database_is_opened(tmp_path: Path) -> None:
    database = tmp_path / "t.sqlite3"
    spooled(database, [rec("a"), rec("a", "ollama/x")])
    spooled(database, [rec("b")])
    spooled(database, [])  # a run that recorded nothing leaves no file
    assert not database.exists() and waiting(database) == 2
    telemetry = Telemetry(database, clock=lambda: T0)
    assert telemetry.has_pending()
    assert sorted((r.request_id, r.model) for r in telemetry.rows()) == [
        ("a", "builtin/reference"), ("a", "ollama/x"), ("b", "builtin/reference")]
    assert [r.latency_ms for r in telemetry.rows()] == [20.25, 20.25, 20.25]
    assert pending(database) == [] and telemetry.count() == 3
    telemetry.close()


def test_a_file_moved_in_twice_is_counted_once(tmp_path: Path) -> None:
    """A crash between the commit and the delete leaves the file; the next reader skips it."""
    database = tmp_path / "t.sqlite3"
    spooled(database, [rec("a"), rec("a", "ollama/x")])
    kept = tmp_path / "copy.json"
    shutil.copy(pending(database)[0], kept)
    telemetry = Telemetry(database, clock=lambda: T0)
    assert telemetry.count() == 2
    shutil.copy(kept, spool_dir(database) / "0-1-again.json")
    spooled(database, [rec("c")])
    assert telemetry.count() == 3 and pending(database) == []
    telemetry.close()


def test_an_unreadable_file_is_set_aside_and_the_rest_move_in(tmp_path: Path) -> None:
    database = tmp_path / "t.sqlite3"
    spool_dir(database).mkdir()
    (spool_dir(database) / "0-1-bad.json").write_text("{not json")
    spooled(database, [rec("a")])
    telemetry = Telemetry(database, clock=lambda: T0)
    assert telemetry.count() == 1
    assert (spool_dir(database) / "0-1-bad.json.bad").exists() and pending(database) == []
    telemetry.close()


def test_clear_removes_the_waiting_rows_too(tmp_path: Path) -> None:
    database = tmp_path / "t.sqlite3"
    telemetry = Telemetry(database, clock=lambda: T0)
    telemetry.record([rec("a")])
    spooled(database, [rec("b"), rec("b", "ollama/x")])
    assert telemetry.clear() == 3
    assert telemetry.count() == 0 and pending(database) == []
    telemetry.close()


def test_reading_does_not_prune_but_writing_and_folding_do(tmp_path: Path) -> None:
    database = tmp_path / "t.sqlite3"
    old = T0 - 40 * 86400
    spooled(database, [rec("old", ts=old)])
    reader = Telemetry(database, retention_days=30, clock=lambda: T0)
    assert reader.count() == 1  # a reader does not prune with its own limits
    spooled(database, [rec("old2", ts=old), rec("new")])
    writer = Telemetry(database, retention_days=30, clock=lambda: T0)
    writer.fold_pending()
    assert [r.request_id for r in writer.rows()] == ["new"]
    reader.close()
    writer.close()


def test_a_spool_that_cannot_be_written_warns_and_does_not_raise(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "t.sqlite3.pending").write_text("a file where the folder should be")
    spooled(tmp_path / "t.sqlite3", [rec("a")])
    assert "could not record 1 attempt(s)" in caplog.text


def test_a_spool_leaves_one_file_per_run(tmp_path: Path) -> None:
    database = tmp_path / "t.sqlite3"
    spool = TelemetrySpool(database)
    for index in range(100):
        spool.record([rec(f"r{index}")])
    assert waiting(database) == 0  # nothing written before the run ends
    spool.flush()
    spool.flush()  # nothing more held: no empty file
    assert waiting(database) == 1
    telemetry = Telemetry(database, clock=lambda: T0)
    assert telemetry.count() == 100
    telemetry.close()
