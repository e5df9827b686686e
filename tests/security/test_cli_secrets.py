"""The `dexter` CLI: credential files never sent, keys never printed, a credentials file
others can read refused, a failed write reported without a traceback."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_fake import FakeOpenAI

PASTED = "sk-proj-PastedIntoApiKeyEnv0123456789"
STORED = "Zq9-cli-stored-opaque-5678"


def dexter(home: Path, *args: str, stdin: str | None = None, cwd: Path | None = None,
           **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dexter_ls.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=60, check=False,
                          env={**os.environ, "DEXTER_LS_HOME": str(home), **env})


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def own_settings(home: Path, section: dict[str, object]) -> None:
    path = home / "config" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"dexter": section}))


def test_explain_never_attaches_system_or_credential_files(tmp_path: Path, dexter_home: Path,
                                                           fake: FakeOpenAI) -> None:
    project = tmp_path / "project"
    (project / ".aws").mkdir(parents=True)
    (project / ".aws" / "credentials").write_text("aws_secret_access_key = AWS_MARKER_41\n")
    (project / ".env").write_text("DB_PASS=ENV_MARKER_42\n")
    (project / "app.py").write_text("value = SOURCE_MARKER_43\n")
    home_creds = tmp_path / "outside" / "creds.py"
    home_creds.parent.mkdir()
    home_creds.write_text("token = OUTSIDE_MARKER_44\n")
    own_settings(dexter_home, {"model": "local/gpt-4o-mini",
                               "providers": {"local": {"type": "openai",
                                                       "baseUrl": fake.base_url}}})
    errors = "\n".join(f"{path}:1:1: error: boom {n}" for n, path in enumerate([
        "/proc/self/environ", ".aws/credentials", ".env", str(home_creds), "app.py"]))
    done = dexter(dexter_home, "explain", "--no-cache", "--max", "9", stdin=errors + "\n",
                  cwd=project, PROC_MARKER="PROC_MARKER_45")
    assert done.returncode == 0, done.stderr
    bodies = [r.body.decode() for r in fake.requests_to("/v1/chat/completions")]
    assert len(bodies) == 5
    sent = "\n".join(bodies)
    assert "SOURCE_MARKER_43" in sent  # a project file lends its source (the test bites)
    for marker in ("AWS_MARKER_41", "ENV_MARKER_42", "OUTSIDE_MARKER_44", "PROC_MARKER_45"):
        assert marker not in sent


def test_a_key_pasted_into_api_key_env_is_never_echoed(dexter_home: Path,
                                                        fake: FakeOpenAI) -> None:
    own_settings(dexter_home, {"model": "local/gpt-4o-mini",
                               "providers": {"local": {"type": "openai", "baseUrl": fake.base_url,
                                                       "apiKeyEnv": PASTED}}})
    outputs = [dexter(dexter_home, "--log-level", "DEBUG", "models", "--json"),
               dexter(dexter_home, "--log-level", "DEBUG", "keys", "list"),
               dexter(dexter_home, "--log-level", "DEBUG", "explain", "--no-cache",
                      stdin="app.py:1:1: error: boom\n"),
               dexter(dexter_home, "--log-level", "DEBUG", "dashboard", "-o",
                      str(dexter_home / "d.html"))]
    text = "".join(o.stdout + o.stderr for o in outputs)
    text += (dexter_home / "d.html").read_text()
    assert "looks like a key" in text  # refused, and said so
    assert PASTED not in text and PASTED[8:] not in text
    assert all(PASTED.encode() not in r.body + json.dumps(r.headers).encode()
               for r in fake.requests)


def test_credentials_file_is_private_and_refused_when_others_can_read_it(
        dexter_home: Path) -> None:
    done = dexter(dexter_home, "keys", "set", "openai", stdin=STORED + "\n")
    assert done.returncode == 0 and STORED not in done.stdout + done.stderr
    path = dexter_home / "config" / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "set (credentials file)" in dexter(dexter_home, "keys", "list").stdout
    path.chmod(0o644)
    listed = dexter(dexter_home, "keys", "list")
    assert listed.returncode == 1
    assert f"chmod 600 {path}" in listed.stderr and "mode 0644" in listed.stderr
    assert "set (credentials file)" not in listed.stdout  # its keys are not used
    again = dexter(dexter_home, "keys", "set", "anthropic", stdin="other-key-0000\n")
    assert again.returncode == 1 and "chmod 600" in again.stderr
    assert STORED not in listed.stdout + listed.stderr + again.stdout + again.stderr
    path.chmod(0o600)
    assert "set (credentials file)" in dexter(dexter_home, "keys", "list").stdout


def test_a_failed_write_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config").write_text("not a folder")  # writes under it fail, even for root
    done = dexter(home, "keys", "set", "openai", stdin=STORED + "\n")
    assert done.returncode == 1
    assert "dexter keys: cannot write" in done.stderr
    assert "Traceback" not in done.stderr and STORED not in done.stderr
    full = dexter(Path("/dev/full"), "keys", "set", "openai", stdin=STORED + "\n")
    assert full.returncode == 1 and "Traceback" not in full.stderr
