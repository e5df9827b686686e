"""The `dexter` and `dexter-ls` commands, run as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from dexter_ls import __version__

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DEXTER = [sys.executable, "-m", "dexter_ls.cli"]


def dexter(
    *args: str, stdin: str | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEXTER, *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=60, env={**os.environ})


def test_explains_a_crashing_script_run_as_a_command() -> None:
    done = dexter("explain", "--", sys.executable, "examples/crash.py")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "## examples/crash.py:13:" in out  # the frame in user code, not in json/
    assert "KeyError" in out
    assert "'timeout'" in out
    assert 'return settings["timeout"] * 2' in out  # the source around the error
    assert out.count("Explained by `builtin/reference`") == 1  # one footer per answer


def test_explains_a_traceback_from_stdin() -> None:
    crash = subprocess.run([sys.executable, "examples/crash.py"], capture_output=True, text=True,
                           cwd=ROOT)
    done = dexter("explain", stdin=crash.stderr)
    assert done.returncode == 0, done.stderr
    assert "KeyError" in done.stdout


def test_explains_each_error_of_compiler_output_as_json() -> None:
    done = dexter("explain", "--json", str(EXAMPLES / "output" / "tsc.txt"))
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r["code"] for r in results] == ["TS2322", "TS2339", "TS2304"]
    assert all(r["model"] == "builtin/reference" for r in results)
    assert results[0]["line"] == 3 and results[0]["column"] == 7
    assert "not assignable" in results[0]["markdown"]
    assert "No offline explanation" not in results[2]["markdown"]


def test_every_attempt_of_the_chain_is_reported_in_json() -> None:
    # Ollama is not running (OLLAMA_HOST points at a closed port), OpenAI has no key,
    # and no provider is named acme: each says so, and the reference still answers.
    done = dexter("explain", "--json", "--model", "ollama/llama3",
                  "--chain", "openai/gpt-4o,acme/big", str(EXAMPLES / "output" / "mypy.txt"))
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)[0]
    assert first["requestedModel"] == "ollama/llama3:latest"  # Ollama's name for it
    attempts = first["attempts"]
    assert [a["outcome"] for a in attempts] == ["failed", "failed", "skipped", "success"]
    assert attempts[0]["errorClass"] == "connection"
    assert attempts[1]["errorClass"] == "auth" and "dexter keys set openai" in attempts[1]["error"]
    assert "unknown model" in attempts[2]["error"]


def test_lsp_diagnostics_as_json() -> None:
    done = dexter("explain", str(EXAMPLES / "output" / "diagnostics.json"))
    assert done.returncode == 0, done.stderr
    assert "Pylance" in done.stdout and "not defined" in done.stdout


def test_unrecognised_input_exits_2_with_a_clear_message() -> None:
    done = dexter("explain", stdin="everything is fine\nreally\n")
    assert done.returncode == 2
    assert "no errors recognised" in done.stderr
    assert "traceback" in done.stderr.lower()


def test_malformed_json_diagnostics_exit_2_naming_the_field() -> None:
    done = dexter("explain", stdin='{"message": "x", "range": {"start": {"line": "a"}}}')
    assert done.returncode == 2
    assert "range" in done.stderr


def test_bad_model_id_exits_2() -> None:
    done = dexter("explain", "--model", "gpt4", str(EXAMPLES / "output" / "tsc.txt"))
    assert done.returncode == 2
    assert "--model" in done.stderr and "provider/model" in done.stderr


def test_missing_command_exits_2() -> None:
    done = dexter("explain", "--", "no-such-command-dexter")
    assert done.returncode == 2
    assert "command not found" in done.stderr


def test_successful_command_has_nothing_to_explain() -> None:
    done = dexter("explain", "--", sys.executable, "-c", "print('all good')")
    assert done.returncode == 0
    assert "nothing to explain" in done.stdout


def test_models_lists_the_reference_as_available() -> None:
    done = dexter("models")
    assert done.returncode == 0, done.stderr
    assert "builtin/reference" in done.stdout and "available" in done.stdout
    listed = json.loads(dexter("models", "--json").stdout)
    assert "builtin/reference" in [m["id"] for m in listed["models"]]


def test_server_version_flag() -> None:
    done = subprocess.run([sys.executable, "-m", "dexter_ls", "--version"], capture_output=True,
                          text=True, timeout=30)
    assert done.stdout.strip() == f"dexter-ls {__version__}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rpc(sock: socket.socket, message: dict[str, object]) -> dict[str, object]:
    body = json.dumps(message).encode()
    sock.sendall(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    headers = dict(line.split(b":", 1) for line in head.split(b"\r\n"))
    length = int(headers[b"Content-Length"])
    while len(rest) < length:
        rest += sock.recv(65536)
    return dict(json.loads(rest[:length]))


def test_server_over_tcp_with_a_log_file(tmp_path: Path) -> None:
    port = _free_port()
    log_file = tmp_path / "dexter.log"
    server = subprocess.Popen([sys.executable, "-m", "dexter_ls", "--tcp", "--port", str(port),
                               "--log-file", str(log_file), "--log-level", "debug"])
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not listen"
                time.sleep(0.1)
        with sock:
            reply = _rpc(sock, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                "params": {"processId": None, "rootUri": None,
                                           "capabilities": {}}})
        result = reply["result"]
        assert isinstance(result, dict) and result["serverInfo"]["name"] == "dexter-ls"
    finally:
        server.kill()
        server.wait()
    assert log_file.stat().st_size > 0


def test_models_shows_discovered_ollama_models_and_keyless_providers(tmp_path: Path) -> None:
    from tests.fakes.ollama_fake import FakeOllama

    fake = FakeOllama().start()
    try:
        done = subprocess.run([*DEXTER, "models", "--json"], capture_output=True, text=True,
                              timeout=60, env={**os.environ, "OLLAMA_HOST": fake.base_url})
        table = subprocess.run([*DEXTER, "models"], capture_output=True, text=True, timeout=60,
                               env={**os.environ, "OLLAMA_HOST": fake.base_url})
    finally:
        fake.stop()
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    coder = next(m for m in listed["models"] if m["id"] == "ollama/qwen2.5-coder:7b")
    assert coder["family"] == "qwen2" and coder["parameterSize"] == "7.6B"
    assert coder["quantization"] == "Q4_K_M" and coder["contextWindow"] == 32768
    assert coder["version"].startswith("2b0496514337") and coder["status"] == "available"
    assert "code" in coder["capabilities"] and coder["local"] is True
    assert "dexter keys set openai" in listed["providers"]["openai"]
    claude = [m for m in listed["models"] if m["provider"] == "anthropic"]
    assert claude and all(m["status"] == "needs key" for m in claude)  # from the catalog
    assert all(m["contextWindow"] for m in claude)
    assert "ollama/llama3.2:latest" in table.stdout and "needs key" in table.stdout


def test_keys_are_stored_privately_and_never_printed(tmp_path: Path) -> None:
    env = {**os.environ, "DEXTER_LS_HOME": str(tmp_path)}
    key = "sk-PLANTED-cli-0123456789abcdef"

    def keys(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([*DEXTER, "keys", *args], input=stdin, capture_output=True,
                              text=True, timeout=60, env=env)

    stored = keys("set", "openai", stdin=key + "\n")
    assert stored.returncode == 0, stored.stderr
    listed = keys("list")
    assert "openai" in listed.stdout and "set (credentials file)" in listed.stdout
    assert "needs key" in listed.stdout  # anthropic still has none
    for output in (stored.stdout, stored.stderr, listed.stdout, listed.stderr):
        assert key not in output
    path = tmp_path / "config" / "credentials.json"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert keys("set", "openai", stdin="\n").returncode == 2  # an empty key is refused
    assert keys("delete", "openai").returncode == 0
    assert keys("delete", "openai").returncode == 1


def test_prompts_list_show_and_render() -> None:
    listed = dexter("prompts", "list")
    assert listed.returncode == 0
    for name in ("base", "small", "code", "claude", "category-type", "category-security"):
        assert name in listed.stdout
    shown = dexter("prompts", "show", "code")
    assert shown.returncode == 0 and "[system]" in shown.stdout and "{diagnostic}" in shown.stdout
    assert dexter("prompts", "show", "nope").returncode == 2
    diagnostic = (EXAMPLES / "output" / "diagnostics.json").read_text()
    rendered = dexter("prompts", "render", "--model", "ollama/qwen2.5-coder:7b", stdin=diagnostic)
    assert rendered.returncode == 0, rendered.stderr
    assert "templates code@1+category-name@1" in rendered.stdout
    assert "## system" in rendered.stdout and "## user" in rendered.stdout
    assert '"undefined_name" is not defined' in rendered.stdout
    assert dexter("prompts", "render", "--model", "x/y", stdin="nothing").returncode == 2
