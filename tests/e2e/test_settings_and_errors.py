"""Settings through every channel, and malformed requests answered without killing the server."""

from __future__ import annotations

import asyncio
import tempfile
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.e2e.conftest import fix_code_action_hook, initialize_params, server_config
from tests.e2e.helpers import PY_TEXT, PY_URI, as_json, explain, open_document, pylance_diagnostic


async def list_models(client: LanguageClient) -> Any:
    return await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dexter.listModels", arguments=[])
    )


async def wait_for_message(client: LanguageClient, count: int) -> list[str]:
    for _ in range(200):
        if len(client.messages) >= count:
            break
        await asyncio.sleep(0.02)
    return [m.message for m in client.messages]


@pytest_lsp.fixture(config=server_config(tempfile.mkdtemp(prefix="dexter-e2e-")))
async def configured(lsp_client: LanguageClient) -> Any:
    """A VS Code-like client whose workspace/configuration already holds Dexter settings."""
    fix_code_action_hook(lsp_client)
    lsp_client.set_configuration(
        {"model": "ollama/qwen2.5-coder:7b", "fallbackChain": ["openai/gpt-4o-mini"]},
        section="dexter",
    )
    await lsp_client.initialize_session(
        initialize_params("visual-studio-code", {"fallbackChain": ["anthropic/claude-x"]})
    )
    yield
    await lsp_client.shutdown_session()


async def test_settings_are_pulled_after_initialized(configured: LanguageClient) -> None:
    for _ in range(100):  # the pull happens after `initialized`, asynchronously
        chain = (await list_models(configured))["chain"]
        if chain[0] == "ollama/qwen2.5-coder:7b":
            break
        await asyncio.sleep(0.02)
    assert chain == ["ollama/qwen2.5-coder:7b", "openai/gpt-4o-mini", "builtin/reference"]


async def test_list_models_describes_every_model_of_the_chain(configured: LanguageClient) -> None:
    await test_settings_are_pulled_after_initialized(configured)
    for _ in range(100):  # wait for the background discovery to have an opinion
        listed = await list_models(configured)
        if {"openai", "ollama"} <= set(listed["providers"]):
            break
        await asyncio.sleep(0.05)
    status = {m["id"]: (m["status"], m["statusDetail"]) for m in listed["models"]}
    assert status["openai/gpt-4o-mini"][0] == "needs key"
    assert "dexter keys set openai" in status["openai/gpt-4o-mini"][1]
    assert status["ollama/qwen2.5-coder:7b"][0] == "unavailable"
    assert status["builtin/reference"][0] == "available"


async def test_unknown_models_are_recorded_and_the_answer_still_comes(
    configured: LanguageClient,
) -> None:
    await test_settings_are_pulled_after_initialized(configured)
    open_document(configured, PY_URI, PY_TEXT, "python")
    result = await explain(configured, {"uri": PY_URI,
                                        "diagnostic": as_json(configured, pylance_diagnostic())})
    assert result["requestedModel"] == "ollama/qwen2.5-coder:7b"
    assert result["model"] == "builtin/reference"
    attempts = result["attempts"]
    assert [a["model"] for a in attempts] == [
        "ollama/qwen2.5-coder:7b", "openai/gpt-4o-mini", "builtin/reference"]
    assert [a["outcome"] for a in attempts] == ["failed", "failed", "success"]
    assert attempts[0]["errorClass"] == "connection"  # no Ollama listens in the tests
    assert "needs key" in attempts[1]["error"]  # no OpenAI key: no request was made


async def test_did_change_configuration_pushes_new_settings(client: LanguageClient) -> None:
    client.set_configuration({"model": "openai/gpt-4o-mini"}, section="dexter")
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"dexter": {"model": "openai/gpt-4o-mini"}})
    )
    for _ in range(100):  # the change applies asynchronously
        chain = (await list_models(client))["chain"]
        if chain[0] == "openai/gpt-4o-mini":
            break
        await asyncio.sleep(0.02)
    assert chain == ["openai/gpt-4o-mini", "builtin/reference"]


async def test_pull_model_change_notification_rereads_configuration(
    configured: LanguageClient,
) -> None:
    await test_settings_are_pulled_after_initialized(configured)
    configured.set_configuration({"model": "anthropic/claude-3-5-haiku-latest"}, section="dexter")
    configured.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
    for _ in range(100):
        chain = (await list_models(configured))["chain"]
        if chain[0] != "ollama/qwen2.5-coder:7b":
            break
        await asyncio.sleep(0.02)
    # initializationOptions stay the base layer: their fallbackChain still applies
    assert chain == ["anthropic/claude-3-5-haiku-latest", "anthropic/claude-x", "builtin/reference"]


async def test_invalid_setting_is_shown_and_defaults_apply(client: LanguageClient) -> None:
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings={
        "dexter": {"model": "not-a-model-id", "routing": "fastest", "explain": {"contextLines": -3},
                   "noSuchKey": 1}}))
    messages: list[str] = []
    for _ in range(500):  # both shown; a loaded machine may take seconds to apply settings
        messages = [m.message for m in client.messages]
        if (any("dexter.model" in m and "provider/model" in m for m in messages)
                and any("dexter.explain.contextLines" in m for m in messages)):
            break
        await asyncio.sleep(0.02)
    assert any("dexter.model" in m and "provider/model" in m for m in messages), messages
    assert any("dexter.explain.contextLines" in m for m in messages), messages
    assert not any("noSuchKey" in m for m in messages)  # unknown keys are logged, not shown
    result = await list_models(client)
    assert result["chain"] == ["builtin/reference"]  # the invalid model fell back to default


@pytest.mark.parametrize(
    "arguments, expected",
    [
        ([], "missing argument"),
        (["just a string"], "first argument must be an object"),
        ([{"diagnostic": {}}], "'uri'"),
        ([{"uri": PY_URI}], "'diagnostic' is missing"),
        ([{"uri": PY_URI, "diagnostic": {"message": "x"}}], "range"),
        ([{"uri": PY_URI, "diagnostic": {"message": "x", "range": {"start": {"line": -1,
          "character": 0}, "end": {"line": 0, "character": 0}}}}], "line"),
        ([{"uri": "file:///no/such/file.py", "diagnostic": {"message": "x", "range": {
          "start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}}}],
         "unknown document"),
        ([{"uri": PY_URI, "diagnostic": {"message": "x", "range": {"start": {"line": 0,
          "character": 0}, "end": {"line": 0, "character": 1}}}}, {"model": "nonsense"}],
         "provider/model"),
    ],
)
async def test_malformed_explain_gets_an_error_and_the_server_lives(
    client: LanguageClient, arguments: list[Any], expected: str
) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    with pytest.raises(JsonRpcException) as error:
        await explain(client, *arguments)
    assert expected in str(error.value)
    listed = await list_models(client)
    assert "builtin/reference" in [m["id"] for m in listed["models"]]


async def test_malformed_pushed_diagnostics_are_skipped(client: LanguageClient) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    good = as_json(client, pylance_diagnostic())
    client.protocol.notify("dexter/didChangeDiagnostics",
                           {"uri": PY_URI, "diagnostics": [{"message": 3}, good]})
    client.protocol.notify("dexter/didChangeDiagnostics", {"diagnostics": "nope"})
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(PY_URI), lsp.Position(3, 12)))
    assert hover is not None


@pytest_lsp.fixture(config=server_config(tempfile.mkdtemp(prefix="dexter-e2e-")))
async def neovim07(lsp_client: LanguageClient) -> Any:
    """Neovim 0.7 does not advertise workspace/configuration: settings come in init options."""
    await lsp_client.initialize_session(
        initialize_params("neovim@v0.7.0", {"dexter": {"model": "ollama/llama3.2:1b"}})
    )
    yield
    await lsp_client.shutdown_session()


async def test_initialization_options_alone_configure_a_client_that_cannot_be_pulled(
    neovim07: LanguageClient,
) -> None:
    # The server must not send workspace/configuration (pytest-lsp would warn and fail).
    result = await list_models(neovim07)
    assert result["chain"] == ["ollama/llama3.2:1b", "builtin/reference"]


async def test_a_chain_with_repeats_or_unknown_providers_is_reported_when_set(
    client: LanguageClient,
) -> None:
    chosen = {"model": "acme/big", "fallbackChain": ["openai/gpt-4o-mini", "openai/gpt-4o-mini"]}
    client.set_configuration(chosen, section="dexter")  # what a later pull would see too
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
        settings={"dexter": chosen}))
    messages = await wait_for_message(client, 2)
    assert any("no provider named 'acme'" in m for m in messages)
    assert any("'openai/gpt-4o-mini' appears twice" in m for m in messages)
    for _ in range(100):  # the change applies asynchronously
        chain = (await list_models(client))["chain"]
        if chain[0] == "acme/big":
            break
        await asyncio.sleep(0.02)
    assert chain == ["acme/big", "openai/gpt-4o-mini", "builtin/reference"]  # repeats: once
