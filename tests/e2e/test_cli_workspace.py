"""`dexter cache`, `dexter stats`, `dexter compare` and `dexter dashboard`, run as a user
runs them, against a fake OpenAI-compatible endpoint on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_fake import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
MYPY = ROOT / "examples" / "output" / "mypy.txt"
DEXTER = [sys.executable, "-m", "dexter_ls.cli"]


@pytest.fixture
def fake(dexter_home: Path) -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    settings = dexter_home / "config" / "settings.json"  # the CLI's user settings
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"dexter": {
        "model": "local/gpt-4o-mini",
        "providers": {"local": {"type": "openai", "baseUrl": server.base_url}}}}))
    yield server
    server.stop()


def dexter(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEXTER, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60, env={**os.environ})


def chats(server: FakeOpenAI) -> int:
    return sum(r.path == "/v1/chat/completions" for r in server.requests)


def test_answers_are_cached_on_disk_and_attempts_counted(fake: FakeOpenAI) -> None:
    first = dexter("explain", "--json", "--max", "1", str(MYPY))
    assert first.returncode == 0, first.stderr
    [answer] = json.loads(first.stdout)
    assert answer["model"] == "local/gpt-4o-mini" and answer["cached"] is False
    again = dexter("explain", "--json", "--max", "1", str(MYPY))
    [cached] = json.loads(again.stdout)
    assert cached["cached"] is True and cached["body"] == answer["body"]
    assert chats(fake) == 1
    fresh = dexter("explain", "--json", "--max", "1", "--no-cache", str(MYPY))
    assert json.loads(fresh.stdout)[0]["cached"] is False and chats(fake) == 2

    stats = json.loads(dexter("cache", "stats", "--json").stdout)
    assert stats["entries"] == 1 and stats["models"] == {"local/gpt-4o-mini": 1}
    table = dexter("stats").stdout
    assert "local/gpt-4o-mini" in table and "100" in table  # two requests, all successful
    figures = json.loads(dexter("stats", "--json", "--window", "1h").stdout)
    [model] = [m for m in figures["models"] if m["model"] == "local/gpt-4o-mini"]
    assert model["requests"] == 2 and model["successes"] == 2
    assert model["tokens"] == {"input": 84, "output": 8}

    cleared = dexter("cache", "clear")
    assert cleared.returncode == 0 and "removed 1 cached explanation" in cleared.stdout
    assert json.loads(dexter("cache", "stats", "--json").stdout)["entries"] == 0


def test_stats_without_telemetry_says_so(fake: FakeOpenAI) -> None:
    done = dexter("stats")
    assert done.returncode == 0
    assert "Nothing has been recorded yet" in done.stdout
    assert "dexter.telemetry.enabled" in done.stdout


def test_compare_shows_models_side_by_side(fake: FakeOpenAI) -> None:
    done = dexter("compare", "--models", "local/gpt-4o-mini,builtin/reference", "--width", "120",
                  str(MYPY))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if "local/gpt-4o-mini" in line)
    assert "│" in header and "builtin/reference" in header  # one row, two columns
    assert all(len(line) <= 120 for line in lines[2:])
    assert "The name is undefined." in done.stdout
    as_json = json.loads(dexter("compare", "--models", "local/gpt-4o-mini,local/gpt-4o-mini",
                                "--json", str(MYPY)).stdout)
    assert [r["model"] for r in as_json["results"]] == ["local/gpt-4o-mini"]  # no repeats
    bad = dexter("compare", "--models", "nonsense", str(MYPY))
    assert bad.returncode == 2 and "provider/model" in bad.stderr


def test_dashboard_is_written_as_one_self_contained_file(fake: FakeOpenAI,
                                                         tmp_path: Path) -> None:
    dexter("explain", "--max", "1", str(MYPY))
    out = tmp_path / "dash.html"
    done = dexter("dashboard", "--output", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text()
    assert "Content-Security-Policy" in page and "<script" not in page
    assert "local/gpt-4o-mini" in page and "builtin/reference" in page
    assert "(1 recorded attempt in the window 24h)" in done.stdout
    missing = dexter("dashboard", "--output", str(tmp_path / "no" / "such" / "dir.html"))
    assert missing.returncode == 1 and "cannot write" in missing.stderr
