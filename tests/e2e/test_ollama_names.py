"""Ollama reads `llama3.2` as `llama3.2:latest`: so does every command that takes a model id
(settings, dexter.explain, dexter.selectModel, dexter.compareModels, dexter.setFallbackChain),
against a fake Ollama on 127.0.0.1 that lists only the tagged name."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.conftest import SERVER, fix_code_action_hook, initialize_params, server_env
from tests.e2e.helpers import PY_TEXT, PY_URI, as_json, explain, open_document, pylance_diagnostic
from tests.fakes.ollama_fake import FakeOllama

HOME = Path(tempfile.mkdtemp(prefix="dexter-e2e-"))
FAKE = FakeOllama()
LATEST = "ollama/llama3.2:latest"
CODER = "ollama/qwen2.5-coder:7b"


@pytest.fixture(scope="module", autouse=True)
def fake_server() -> Iterator[FakeOllama]:
    FAKE.start()
    yield FAKE
    FAKE.stop()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER,
                                              server_env=server_env(str(HOME))))
async def client(lsp_client: LanguageClient) -> Any:
    fix_code_action_hook(lsp_client)
    await lsp_client.initialize_session(initialize_params("visual-studio-code", {
        "model": "ollama/llama3.2",  # the settings: untagged
        "fallbackChain": [CODER],
        "cache": {"enabled": False},
        "providers": {"ollama": {"baseUrl": FAKE.server.base_url, "timeoutSeconds": 5}},
    }))
    await command(lsp_client, "dexter.refreshModels")  # Ollama listed llama3.2:latest
    open_document(lsp_client, PY_URI, PY_TEXT, "python")
    yield
    await lsp_client.shutdown_session()


async def command(client: LanguageClient, name: str, *arguments: Any) -> Any:
    return await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command=name, arguments=list(arguments)))


def target(client: LanguageClient) -> dict[str, Any]:
    return {"uri": PY_URI, "diagnostic": as_json(client, pylance_diagnostic())}


async def test_settings_model_without_a_tag(client: LanguageClient) -> None:
    prefs = await command(client, "dexter.getPreferences")
    assert prefs["model"] == LATEST
    assert prefs["candidates"] == [LATEST, CODER, "builtin/reference"]
    result = await explain(client, target(client))
    assert result["model"] == LATEST and result["requestedModel"] == LATEST
    assert [a["model"] for a in result["attempts"]] == [LATEST]


async def test_explain_override_without_a_tag(client: LanguageClient) -> None:
    other = target(client)
    other["diagnostic"]["message"] = '"other_name" is not defined'
    result = await explain(client, other, {"model": "ollama/qwen2.5-coder"})
    # qwen2.5-coder:latest is not installed; the id asked for is the tagged one
    assert result["requestedModel"] == "ollama/qwen2.5-coder:latest"


async def test_select_model_without_a_tag(client: LanguageClient) -> None:
    result = await command(client, "dexter.selectModel", "ollama/llama3.2", "session")
    assert result["model"] == LATEST
    assert result["preferences"]["candidates"][0] == LATEST
    with pytest.raises(JsonRpcException) as error:  # still rejected: not installed at all
        await command(client, "dexter.selectModel", "ollama/mistral", "session")
    assert "does not offer 'mistral:latest'" in str(error.value)
    await command(client, "dexter.selectModel", None, "session")


async def test_compare_models_without_a_tag(client: LanguageClient) -> None:
    result = await command(client, "dexter.compareModels", target(client),
                           ["ollama/llama3.2", LATEST])
    (only,) = result["results"]  # the same model, asked once
    assert only["model"] == LATEST and only["error"] is None and only["markdown"]


async def test_set_fallback_chain_without_a_tag(client: LanguageClient) -> None:
    result = await command(client, "dexter.setFallbackChain", ["ollama/llama3.2"], "session")
    assert result["chain"] == [LATEST, "builtin/reference"]
    with pytest.raises(JsonRpcException) as error:
        await command(client, "dexter.setFallbackChain", ["ollama/llama3.2", LATEST], "session")
    assert "appears twice" in str(error.value)
    await command(client, "dexter.setFallbackChain", None, "session")


async def test_an_answer_cut_by_ollama_says_so(client: LanguageClient) -> None:
    FAKE.plan(done_reason="length")
    cut = target(client)
    cut["diagnostic"]["message"] = '"cut_name" is not defined'
    result = await explain(client, cut)
    assert result["model"] == LATEST and result["incomplete"] is True
    assert "*(incomplete: the answer reached the output-token limit and was cut)*" in (
        result["markdown"])
