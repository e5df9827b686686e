"""The explanation cache on disk: hits, expiry, eviction, restarts, damage, and `dexter cache`."""

from __future__ import annotations

import argparse
import json
import logging
import math
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from dexter_ls.cli.cache import add_cache_parser, format_size, run_cache
from dexter_ls.store.explanation_cache import ExplanationCache, make_cache_key

DAY = 86400.0


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def explanation(n: int = 0) -> dict[str, Any]:
    return {"summary": f"explanation {n}", "fixes": ["rename the variable"], "confidence": 0.75}


def _asides(path: Path) -> list[Path]:
    found = path.parent.glob(f"{path.name}.corrupt-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm")))


def _row_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM explanations").fetchone()[0])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "explanations.sqlite3"


def test_miss_then_hit_returns_what_was_stored(path: Path, clock: Clock) -> None:
    cache = ExplanationCache(path, clock=clock)
    assert cache.get("k") is None
    cache.put("k", explanation(1), model="ollama/qwen2.5-coder:7b")
    assert cache.get("k") == explanation(1)
    assert cache.get("other") is None
    stats = cache.stats()
    assert (stats["hits"], stats["misses"], stats["storedHits"]) == (1, 2, 1)
    cache.close()


def test_put_replaces_an_existing_entry(path: Path, clock: Clock) -> None:
    cache = ExplanationCache(path, clock=clock)
    cache.put("k", explanation(1), model="a/one")
    cache.put("k", explanation(2), model="b/two")
    assert cache.get("k") == explanation(2)
    assert cache.stats()["models"] == {"b/two": 1}
    cache.close()


def test_nothing_is_written_until_first_use(path: Path) -> None:
    cache = ExplanationCache(path)
    assert not path.exists()
    cache.close()
    assert not path.exists()


def test_default_path_is_in_the_user_cache_dir(dexter_home: Path) -> None:
    cache = ExplanationCache()
    cache.put("k", explanation(), model="m")
    assert cache.path == dexter_home / "cache" / "explanations.sqlite3"
    assert cache.path.exists()
    cache.close()


def test_entries_expire_after_the_ttl(path: Path, clock: Clock) -> None:
    cache = ExplanationCache(path, ttl_seconds=7 * DAY, clock=clock)
    cache.put("old", explanation(1), model="m")
    clock.advance(7 * DAY)
    assert cache.get("old") == explanation(1)  # exactly at the TTL: still good
    clock.advance(1)
    assert cache.get("old") is None
    assert _row_count(path) == 0  # the expired row was deleted, not just hidden
    cache.close()


def test_a_put_sweeps_out_expired_entries(path: Path, clock: Clock) -> None:
    cache = ExplanationCache(path, ttl_seconds=DAY, clock=clock)
    cache.put("a", explanation(1), model="m")
    cache.put("b", explanation(2), model="m")
    clock.advance(2 * DAY)
    assert cache.stats()["entries"] == 0  # expired rows do not count
    cache.put("c", explanation(3), model="m")
    assert _row_count(path) == 1
    cache.close()


def test_reading_an_old_entry_saves_it_from_eviction(path: Path, clock: Clock) -> None:
    cache = ExplanationCache(path, max_entries=3, clock=clock)
    for key in ("a", "b", "c"):
        cache.put(key, explanation(), model="m")
        clock.advance(10)
    assert cache.get("a") is not None  # oldest written, but now the most recently used
    clock.advance(10)
    cache.put("d", explanation(), model="m")

    assert cache.get("b") is None  # least recently used: evicted
    assert all(cache.get(key) is not None for key in ("a", "c", "d"))
    assert cache.stats()["entries"] == 3
    cache.close()


def test_clear_removes_everything_and_reports_how_much(path: Path, clock: Clock) -> None:
    cache = ExplanationCache(path, clock=clock)
    for n in range(4):
        cache.put(f"k{n}", explanation(n), model="m")
    assert cache.clear() == 4
    assert cache.get("k0") is None
    assert cache.stats()["entries"] == 0
    assert cache.clear() == 0
    cache.close()


def test_stats_figures(path: Path, clock: Clock) -> None:
    cache = ExplanationCache(path, max_entries=100, ttl_seconds=3 * DAY, clock=clock)
    empty = cache.stats()
    assert empty["entries"] == 0 and empty["oldest"] is None and empty["newest"] is None
    assert empty["models"] == {} and empty["storedHits"] == 0

    clock.now = 1_700_000_000.0  # 2023-11-14T22:13:20Z
    cache.put("a", explanation(1), model="ollama/qwen2.5-coder:7b")
    clock.advance(60)
    cache.put("b", explanation(2), model="openai/gpt-4o-mini")
    clock.advance(60)
    cache.put("c", explanation(3), model="ollama/qwen2.5-coder:7b")
    cache.get("a")
    cache.get("a")
    cache.get("missing")

    stats = cache.stats()
    assert stats["path"] == str(path)
    assert stats["entries"] == 3
    assert stats["bytes"] > 0
    assert (stats["maxEntries"], stats["ttlSeconds"]) == (100, 3 * DAY)
    assert stats["oldest"] == "2023-11-14T22:13:20+00:00"
    assert stats["newest"] == "2023-11-14T22:15:20+00:00"
    assert stats["models"] == {"ollama/qwen2.5-coder:7b": 2, "openai/gpt-4o-mini": 1}
    assert (stats["hits"], stats["misses"], stats["storedHits"]) == (2, 1, 2)
    json.dumps(stats)  # the CLI prints it as JSON
    cache.close()


def test_payloads_that_are_not_json_are_refused_before_the_disk(path: Path) -> None:
    cache = ExplanationCache(path)
    with pytest.raises(TypeError, match="not JSON-serialisable"):
        cache.put("k", {"when": object()}, model="m")
    with pytest.raises(ValueError, match="not JSON-serialisable"):
        cache.put("k", {"score": math.nan}, model="m")
    with pytest.raises(TypeError, match="must be a dict"):
        cache.put("k", ["not", "a", "dict"], model="m")  # type: ignore[arg-type]
    assert not path.exists()
    cache.close()


def test_entries_survive_a_restart(path: Path, clock: Clock) -> None:
    first = ExplanationCache(path, clock=clock)
    first.put("k", explanation(7), model="m")
    first.get("k")
    first.close()

    second = ExplanationCache(path, clock=clock)
    assert second.get("k") == explanation(7)
    stats = second.stats()
    assert stats["entries"] == 1
    assert (stats["hits"], stats["storedHits"]) == (1, 2)  # session count vs the row's count
    second.close()


def test_two_caches_on_one_file_write_from_threads_at_once(
        path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caches = [ExplanationCache(path), ExplanationCache(path)]
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(worker: int) -> None:
        cache = caches[worker % 2]
        try:
            start.wait()
            for n in range(40):
                key = f"w{worker}-{n}"
                cache.put(key, explanation(n), model=f"model-{worker % 3}")
                if cache.get(key) != explanation(n):
                    raise AssertionError(f"{key} did not read back")
        except BaseException as exc:
            errors.append(exc)

    with caplog.at_level(logging.WARNING):
        threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert caches[0].stats()["entries"] == 8 * 40
    assert caches[1].stats()["entries"] == 8 * 40
    for cache in caches:
        cache.close()


def test_a_garbage_file_is_set_aside_and_an_empty_cache_works(
        path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage, not a database\xff" * 300)

    cache = ExplanationCache(path)
    with caplog.at_level(logging.WARNING):
        assert cache.get("k") is None
    [aside] = _asides(path)
    assert aside.read_bytes().startswith(b"\x00garbage")
    assert any(str(path) in r.getMessage() and str(aside) in r.getMessage()
               for r in caplog.records if r.levelno == logging.WARNING)

    cache.put("k", explanation(), model="m")
    assert cache.get("k") == explanation()
    assert cache.stats()["entries"] == 1
    cache.close()


def _wreck(path: Path) -> None:
    """Damage a cache file under a connection that has it open."""
    with closing(sqlite3.connect(path)) as keeper:  # move everything into the main file
        keeper.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path.write_bytes(b"\xde\xad\xbe\xef" * (path.stat().st_size // 4))
    shm = Path(f"{path}-shm")
    shm.write_bytes(b"\x00" * shm.stat().st_size)  # so the open connection notices


def test_a_file_damaged_while_open_is_rebuilt_with_a_warning(
        path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = ExplanationCache(path)
    cache.put("k", explanation(1), model="m")
    _wreck(path)

    with caplog.at_level(logging.WARNING):
        assert cache.get("k") is None  # a miss, not an exception
    assert "damaged" in caplog.text
    assert len(_asides(path)) == 1

    cache.put("k", explanation(2), model="m")
    assert cache.get("k") == explanation(2)
    cache.close()


def test_stats_and_clear_on_a_file_damaged_while_open_use_a_fresh_one(
        path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = ExplanationCache(path)
    cache.put("k", explanation(1), model="m")
    _wreck(path)
    with caplog.at_level(logging.WARNING):
        assert cache.stats()["entries"] == 0
    assert "damaged" in caplog.text
    cache.put("k", explanation(1), model="m")
    _wreck(path)
    assert cache.clear() == 0
    assert len(_asides(path)) == 2
    cache.close()


def test_a_locked_file_skips_the_write_but_is_not_set_aside(
        path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dexter_ls.store.sqlite.BUSY_TIMEOUT_MS", 50)
    cache = ExplanationCache(path)
    cache.put("kept", explanation(1), model="m")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process mid-write, for longer than we wait
    try:
        with caplog.at_level(logging.WARNING):
            cache.put("k", explanation(2), model="m")
        assert "database is locked" in caplog.text
        assert cache.get("kept") == explanation(1)  # readers are not blocked in WAL
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _asides(path) == []
    cache.put("k", explanation(2), model="m")
    assert cache.get("k") == explanation(2)
    cache.close()


def test_a_cache_from_another_schema_version_is_set_aside(
        path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE explanations (key TEXT, text TEXT)")
        old.execute("INSERT INTO explanations VALUES ('k', 'from a future version')")
        old.execute("PRAGMA user_version = 99")
    old.close()

    cache = ExplanationCache(path)
    with caplog.at_level(logging.WARNING):
        assert cache.get("k") is None
    assert "schema version 99" in caplog.text
    assert len(_asides(path)) == 1
    cache.put("k", explanation(), model="m")
    assert cache.get("k") == explanation()
    cache.close()


def test_make_cache_key() -> None:
    key = make_cache_key("fingerprint", "snippet", "ollama/qwen", "sha256:abc", "v3")
    assert len(key) == 64 and int(key, 16) >= 0
    assert key == make_cache_key("fingerprint", "snippet", "ollama/qwen", "sha256:abc", "v3")
    assert key != make_cache_key("fingerprint", "snippet", "ollama/qwen", "sha256:abd", "v3")
    assert make_cache_key("ab", "c") != make_cache_key("a", "bc")  # parts stay apart
    assert make_cache_key("a", None, "c") == make_cache_key("a", "", "c")


def test_settings_out_of_range_are_refused(path: Path) -> None:
    with pytest.raises(ValueError, match="max_entries"):
        ExplanationCache(path, max_entries=0)
    with pytest.raises(ValueError, match="ttl_seconds"):
        ExplanationCache(path, ttl_seconds=0)


# -- dexter cache ----------------------------------------------------------------------------


def _seed(count: int) -> None:
    cache = ExplanationCache()
    for n in range(count):
        cache.put(f"k{n}", explanation(n), model="ollama/qwen2.5-coder:7b" if n % 2 else "m/x")
    cache.close()


def test_cli_stats_as_json(capsys: pytest.CaptureFixture[str], dexter_home: Path) -> None:
    _seed(3)
    assert run_cache(argparse.Namespace(action="stats", json=True)) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["path"] == str(dexter_home / "cache" / "explanations.sqlite3")
    assert stats["entries"] == 3
    assert stats["models"] == {"m/x": 2, "ollama/qwen2.5-coder:7b": 1}


def test_cli_stats_as_a_table(capsys: pytest.CaptureFixture[str], dexter_home: Path) -> None:
    _seed(3)
    assert run_cache(argparse.Namespace(action="stats", json=False)) == 0
    out = capsys.readouterr().out
    assert str(dexter_home / "cache" / "explanations.sqlite3") in out
    assert "entries  3 (at most 5000, each kept 30 days)" in out
    assert "KiB" in out
    assert "ollama/qwen2.5-coder:7b  1" in out


def test_cli_clear(capsys: pytest.CaptureFixture[str]) -> None:
    _seed(5)
    assert run_cache(argparse.Namespace(action="clear")) == 0
    assert capsys.readouterr().out.strip() == "removed 5 cached explanations"
    assert ExplanationCache().stats()["entries"] == 0


def test_cli_parser() -> None:
    parser = argparse.ArgumentParser(prog="dexter")
    add_cache_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["cache", "stats", "--json"])
    assert (args.command, args.action, args.json) == ("cache", "stats", True)
    assert parser.parse_args(["cache", "clear"]).action == "clear"
    with pytest.raises(SystemExit):
        parser.parse_args(["cache", "clear", "--json"])
    with pytest.raises(SystemExit):
        parser.parse_args(["cache"])


@pytest.mark.parametrize("size, shown", [
    (0, "0 bytes"), (1023, "1023 bytes"), (1536, "1.5 KiB"), (5 * 1024 * 1024, "5.0 MiB"),
])
def test_sizes_read_naturally(size: int, shown: str) -> None:
    assert format_size(size) == shown
