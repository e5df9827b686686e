"""Damaged state never stops the server: corrupt, truncated, locked and read-only cache,
telemetry and preference files, and a full disk, are survived with a warning in the log;
a process killed with SIGKILL in the middle of writing loses at most the write in flight."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from dexter_ls.store.explanation_cache import ExplanationCache
from dexter_ls.store.telemetry import Telemetry
from tests.robust.conftest import Session, open_session

CACHE, TELEMETRY, PREFS = "cache/explanations.sqlite3", "state/telemetry.sqlite3", \
    "state/preferences.json"


def _use_everything(session: Session) -> None:
    """Explain (cache read + write, telemetry write), read stats, store a workspace choice."""
    server = session.server
    first = session.explain()
    assert "Explained by" in first["result"]["markdown"], first
    assert "Explained by" in session.explain()["result"]["markdown"]  # a cache read
    stats = server.request("workspace/executeCommand",
                           {"command": "dexter.modelStats", "arguments": [{"window": "24h"}]})
    assert "result" in stats, stats
    chosen = server.request("workspace/executeCommand", {
        "command": "dexter.selectModel", "arguments": ["builtin/reference", "workspace",
                                                       {"uri": session.uri}]})
    assert "result" in chosen or chosen["error"]["code"] != -32603, chosen
    assert "result" in session.code_actions()
    assert server.alive


def _log(home: Path) -> str:
    return (home / "server.log").read_text(errors="replace")


def _run(home: Path) -> str:
    session = open_session(home)
    try:
        _use_everything(session)
    finally:
        session.server.close()
    return _log(home)


def _seed(home: Path) -> None:
    """Real files with rows in them, as a previous run leaves them."""
    os.environ["DEXTER_LS_HOME"] = str(home)
    try:
        cache = ExplanationCache(home / CACHE.replace("/", os.sep))
        (home / "cache").mkdir(exist_ok=True)
        for n in range(200):
            cache.put(f"k{n}", {"markdown": "x" * 500}, model="m")
        cache.close()
        (home / "state").mkdir(exist_ok=True)
        telemetry = Telemetry(home / TELEMETRY)
        telemetry.count()
        telemetry.close()
    finally:
        del os.environ["DEXTER_LS_HOME"]
    (home / PREFS).write_text(json.dumps({"version": 1, "workspaces": {}}))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "directory"])
def test_damaged_files_are_set_aside_with_a_warning(tmp_path: Path, damage: str) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "state").mkdir()
    _seed(tmp_path)
    for name in (CACHE, TELEMETRY, PREFS):
        path = tmp_path / name
        if damage == "garbage":
            path.write_bytes(os.urandom(5000))
        elif damage == "truncated":
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2 + 7])
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            path.unlink()
            path.mkdir()
    log = _run(tmp_path)
    # Handled, not crashed through (pygls logs the InvalidParams it answers with a traceback).
    assert log.count("Traceback") == log.count("pygls.exceptions.JsonRpcInvalidParams"), log
    if damage != "empty":  # an empty file is a fresh one for SQLite; for JSON, damage
        assert "WARNING" in log, log


def test_locked_files_are_given_up_on_quickly(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "state").mkdir()
    _seed(tmp_path)
    holders = []
    for name in (CACHE, TELEMETRY):
        conn = sqlite3.connect(tmp_path / name, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")  # another process holds the write lock throughout
        holders.append(conn)
    try:
        session = open_session(tmp_path)
        try:
            answer = session.explain()
            assert "Explained by" in answer["result"]["markdown"]
            # Each store gives up after 200 ms (it waited 5 s per use before).
            assert answer["result"]["latencyMs"] < 4000, answer["result"]["latencyMs"]
            _use_everything(session)
        finally:
            session.server.close()
    finally:
        for conn in holders:
            conn.execute("ROLLBACK")
            conn.close()
    assert "held by another process" in _log(tmp_path)


@contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("DEXTER_REQUIRE_MOUNT"):
            raise AssertionError(f"cannot mount a tmpfs: {done.stderr}")
        pytest.skip(f"needs a tmpfs mount (root in a container): {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _as_home(mounted: Path) -> None:
    for kind in ("cache", "state", "config", "log"):
        (mounted / kind).mkdir(exist_ok=True)


def test_a_full_disk_is_survived_with_a_warning(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "home", "256k") as home:
        _as_home(home)
        filler = home / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # fill the disk to the last block
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        log_dir = tmp_path / "logs"
        log_dir.mkdir()
        session = open_session_logging_to(home, log_dir)
        try:
            _use_everything(session)
        finally:
            session.server.close()
        log = (log_dir / "server.log").read_text(errors="replace")
    assert "WARNING" in log, log


def test_a_read_only_state_dir_is_survived(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "home", "4m") as home:
        _as_home(home)
        _seed(home)
        log_dir = tmp_path / "logs"
        log_dir.mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
        session = open_session_logging_to(home, log_dir)
        try:
            _use_everything(session)
        finally:
            session.server.close()
        log = (log_dir / "server.log").read_text(errors="replace")
    assert "WARNING" in log, log


def open_session_logging_to(home: Path, log_dir: Path) -> Session:
    """Like open_session, with the server's log and the document outside a read-only home."""
    from tests.robust.raw_client import RawServer

    server = RawServer(home, log_dir=log_dir)
    server.initialize(log_dir)
    uri = (log_dir / "main.py").as_uri()
    text = "import os\n\ndef main():\n    print(undefined_name)\n"
    (log_dir / "main.py").write_text(text)
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": text}})
    return Session(server, uri)


# --- kill -9 in the middle of writes -------------------------------------------------------

WRITER = r"""
import json, os, sys, time
from pathlib import Path
from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.store.explanation_cache import ExplanationCache
from dexter_ls.store.preferences import WorkspaceChoice, update_choice
from dexter_ls.store.telemetry import Telemetry
home = Path(sys.argv[1])
cache = ExplanationCache(home / "cache.sqlite3")
telemetry = Telemetry(home / "telemetry.sqlite3")
n = 0
while True:
    n += 1
    cache.put(f"k{n}", {"markdown": "x" * 2000, "n": n}, model="m")
    telemetry.record([AttemptRecord(time.time(), f"r{n}", "p/m", "p", "success", None, None,
                      1.0, 2.0, 1, 1, "reported", None, None, "other", "p/m")])
    update_choice(f"/w{n % 7}", lambda c: WorkspaceChoice(f"p/m{n}", None), home / "prefs.json")
    print(n, flush=True)
"""


def test_sigkill_during_writes_loses_at_most_the_write_in_flight(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                            stdout=subprocess.PIPE, text=True, env={**os.environ})
    assert proc.stdout is not None
    confirmed = 0
    deadline = time.monotonic() + 30
    while confirmed < 150 and time.monotonic() < deadline:  # then kill it mid-write
        confirmed = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert confirmed >= 150
    cache = ExplanationCache(tmp_path / "cache.sqlite3")
    telemetry = Telemetry(tmp_path / "telemetry.sqlite3")
    try:
        rows = telemetry.count()
        assert confirmed <= rows <= confirmed + 1  # at most the write in flight is lost
        kept: Any = cache.get(f"k{confirmed}")
        assert kept is not None and kept["n"] == confirmed
        assert not list(tmp_path.glob("*.corrupt*")) and not list(tmp_path.glob("*aside*"))
    finally:
        cache.close()
        telemetry.close()
    prefs = json.loads((tmp_path / "prefs.json").read_text())  # whole, old or new
    assert len(prefs["workspaces"]) == 7


def test_two_servers_share_one_state_dir(tmp_path: Path) -> None:
    first = open_session(tmp_path)
    second_dir = tmp_path / "second"
    second_dir.mkdir()
    second = open_session_logging_to(tmp_path, second_dir)
    try:
        for _ in range(3):
            _use_everything(first)
            _use_everything(second)
    finally:
        first.server.close()
        second.server.close()
    assert not list(tmp_path.rglob("*.corrupt*")), "a shared file was set aside"
    assert not list(tmp_path.rglob("*aside*"))
    for log in (_log(tmp_path), (second_dir / "server.log").read_text(errors="replace")):
        assert "damaged" not in log and "not a usable" not in log, log
