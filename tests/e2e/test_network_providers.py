"""dexter-ls explaining through an OpenAI-compatible endpoint (a fake on 127.0.0.1)."""

from __future__ import annotations

import asyncio
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
from tests.e2e.helpers import (
    PY_TEXT,
    PY_URI,
    as_json,
    explain,
    open_document,
    pylance_diagnostic,
    stored_bytes,
)
from tests.fakes.anthropic_fake import FakeAnthropic
from tests.fakes.openai_fake import FakeOpenAI

PLANTED_KEY = "sk-PLANTED-never-log-me-0123456789"
LOG_DIR = Path(tempfile.mkdtemp(prefix="dexter-e2e-logs-"))
HOME = Path(tempfile.mkdtemp(prefix="dexter-e2e-"))  # the server's DEXTER_LS_HOME
FAKE = FakeOpenAI()


@pytest.fixture(scope="module", autouse=True)
def fake_server() -> Iterator[FakeOpenAI]:
    FAKE.start()
    yield FAKE
    FAKE.stop()


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[*SERVER, "--log-level", "DEBUG", "--log-file", str(LOG_DIR / "server.log")],
    server_env=server_env(str(HOME), LOCAL_KEY=PLANTED_KEY),
))
async def client(lsp_client: LanguageClient) -> Any:
    fix_code_action_hook(lsp_client)
    await lsp_client.initialize_session(initialize_params("visual-studio-code", {
        "model": "local/gpt-4o-mini",
        "cache": {"enabled": False},  # each test asks the fake afresh (one DEXTER_LS_HOME)
        "providers": {"local": {"type": "openai", "baseUrl": FAKE.base_url,
                                "apiKeyEnv": "LOCAL_KEY", "firstTokenTimeoutSeconds": 2,
                                "timeoutSeconds": 5}},
    }))
    yield
    await lsp_client.shutdown_session()


async def run(client: LanguageClient) -> Any:
    open_document(client, PY_URI, PY_TEXT, "python")
    return await explain(client, {"uri": PY_URI,
                                  "diagnostic": as_json(client, pylance_diagnostic())})


async def test_explains_through_the_endpoint_with_usage(client: LanguageClient) -> None:
    FAKE.plans.clear()
    result = await run(client)
    assert result["model"] == "local/gpt-4o-mini"
    body, _, foot = result["markdown"].rpartition("\n---\n")
    assert body.strip() == "The name is undefined."
    assert "Explained by `local/gpt-4o-mini`" in foot
    assert result["usage"] == {"inputTokens": 42, "outputTokens": 4, "source": "reported"}
    assert [a["outcome"] for a in result["attempts"]] == ["success"]
    sent = [r for r in FAKE.requests if r.path == "/v1/chat/completions"][-1]
    assert sent.headers["authorization"] == f"Bearer {PLANTED_KEY}"  # to its own endpoint only
    assert '"undefined_name" is not defined' in sent.json()["messages"][1]["content"]


@pytest.mark.parametrize("fault, error_class", [("401", "auth"), ("404", "not-found"),
                                                ("400", "bad-request")])
async def test_a_definitive_failure_falls_back_at_once(
    client: LanguageClient, fault: str, error_class: str
) -> None:
    FAKE.plans.clear()
    FAKE.plan(fault=fault)
    result = await run(client)
    assert result["model"] == "builtin/reference"
    first, last = result["attempts"]
    assert first["model"] == "local/gpt-4o-mini" and first["outcome"] == "failed"
    assert first["errorClass"] == error_class
    assert last == {**last, "model": "builtin/reference", "outcome": "success"}
    assert "not defined" in result["markdown"]


@pytest.mark.parametrize("fault, error_class", [("500", "server"), ("hang-headers", "timeout")])
async def test_a_transient_failure_is_retried_when_no_other_model_could_answer(
    client: LanguageClient, fault: str, error_class: str
) -> None:
    FAKE.plans.clear()
    FAKE.plan(fault=fault)  # once: the retry gets an answer
    result = await run(client)
    assert result["model"] == "local/gpt-4o-mini"
    assert [(a["outcome"], a.get("errorClass")) for a in result["attempts"]] == [
        ("failed", error_class), ("success", None)]
    assert result["attempts"][1]["retries"] == 1


async def test_a_persistent_server_error_ends_in_the_reference(client: LanguageClient) -> None:
    FAKE.plans.clear()
    for _ in range(3):
        FAKE.plan(fault="503")
    result = await run(client)
    assert result["model"] == "builtin/reference"
    outcomes = [(a["model"], a["outcome"]) for a in result["attempts"]]
    assert outcomes == [("local/gpt-4o-mini", "failed")] * 3 + [("builtin/reference", "success")]


async def test_a_stream_cut_after_text_keeps_the_partial_answer(client: LanguageClient) -> None:
    FAKE.plan(fault="cut")  # two tokens, then the connection closes mid-stream
    result = await run(client)
    assert result["model"] == "local/gpt-4o-mini"  # committed after the first chunk: no replay
    assert result["incomplete"] is True
    assert result["markdown"].startswith("The name")
    assert "incomplete" in result["markdown"]
    assert [a["outcome"] for a in result["attempts"]] == ["incomplete"]


async def test_the_key_never_reaches_logs_results_or_messages(client: LanguageClient) -> None:
    FAKE.plan(fault="401")  # the fake's 401 body echoes a key, as OpenAI's does
    result = await run(client)
    await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dexter.listModels", arguments=[]))
    log = (LOG_DIR / "server.log").read_text("utf-8")
    assert "local/gpt-4o-mini" in log  # the log is real and verbose (DEBUG)
    assert PLANTED_KEY not in log
    assert PLANTED_KEY not in str(result)
    assert all(PLANTED_KEY not in m.message for m in client.messages)
    await client.workspace_execute_command_async(  # waits for telemetry writes
        lsp.ExecuteCommandParams(command="dexter.modelStats", arguments=[{"window": "all"}]))
    stored = stored_bytes(HOME)
    assert any("telemetry" in name for name in stored)  # the failure was recorded
    assert all(PLANTED_KEY.encode() not in data for data in stored.values())


async def test_list_models_shows_discovered_models_and_provider_problems(
    client: LanguageClient,
) -> None:
    for _ in range(100):  # discovery runs in the background after `initialized`
        listed = await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="dexter.listModels", arguments=[]))
        if "local/tiny-coder" in [m["id"] for m in listed["models"]] and listed["providers"]:
            break
        await asyncio.sleep(0.05)
    ids = [m["id"] for m in listed["models"]]
    assert {"local/gpt-4o-mini", "local/tiny-coder", "builtin/reference"} <= set(ids)
    assert "needs key" in listed["providers"]["openai"]
    assert "connection refused" in listed["providers"]["ollama"]


EDITOR_KEY = "sk-ant-from-the-editor-secret-store-42"
CLAUDE = FakeAnthropic()


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=SERVER, server_env=server_env(tempfile.mkdtemp(prefix="dexter-e2e-"))))
async def editor_with_secrets(lsp_client: LanguageClient) -> Any:
    """A client that offers its secret store; Anthropic (always keyed) on a local fake."""
    asked: list[Any] = []

    @lsp_client.feature("dexter/getCredential")
    def get_credential(params: Any) -> dict[str, str] | None:
        provider = getattr(params, "provider", None)
        asked.append(provider)
        return {"key": EDITOR_KEY} if provider == "anthropic" else None

    CLAUDE.start()
    params = initialize_params("visual-studio-code", {
        "model": "anthropic/claude-3-5-haiku-latest",
        "cache": {"enabled": False},  # each test asks the fake afresh (one DEXTER_LS_HOME)
        "providers": {"anthropic": {"baseUrl": CLAUDE.base_url}},  # loopback: allowed
    })
    params.capabilities.experimental = {"dexterCredentials": True}
    await lsp_client.initialize_session(params)
    lsp_client.asked = asked  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()
    CLAUDE.stop()


async def test_a_key_from_the_editor_secret_store_is_used(
    editor_with_secrets: LanguageClient,
) -> None:
    for _ in range(100):  # the server asks in the background after `initialized`
        result = await run(editor_with_secrets)
        if result["model"] == "anthropic/claude-3-5-haiku-latest":
            break
        assert "needs key" in result["attempts"][0]["error"]  # before the key arrived
        await asyncio.sleep(0.05)
    assert result["model"] == "anthropic/claude-3-5-haiku-latest"
    assert result["usage"]["source"] == "reported"
    chat = [r for r in CLAUDE.requests if r.path.startswith("/v1/messages")][-1]
    assert chat.headers["x-api-key"] == EDITOR_KEY
    assert "anthropic" in editor_with_secrets.asked  # type: ignore[attr-defined]
    assert "ollama" not in editor_with_secrets.asked  # type: ignore[attr-defined]


async def command(client: LanguageClient, name: str, *arguments: Any) -> Any:
    return await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command=name, arguments=list(arguments)))


async def test_set_fallback_chain_validates_and_applies(client: LanguageClient) -> None:
    await command(client, "dexter.refreshModels")  # discovery done: local's models are known
    result = await command(client, "dexter.setFallbackChain", ["local/tiny-coder"])
    assert result["chain"] == ["local/gpt-4o-mini", "local/tiny-coder", "builtin/reference"]
    for bad, words in [(["acme/x"], "no provider named 'acme'"),
                       (["local/tiny-coder", "local/tiny-coder"], "appears twice"),
                       (["local/tiny-codr"], "did you mean 'local/tiny-coder'"),
                       (["nonsense"], "provider/model")]:
        with pytest.raises(JsonRpcException) as error:
            await command(client, "dexter.setFallbackChain", bad)
        assert words in str(error.value)
    listed = await command(client, "dexter.listModels")
    assert listed["chain"] == ["local/gpt-4o-mini", "local/tiny-coder", "builtin/reference"]


async def test_list_models_shows_cooldowns_and_recent_outcomes(client: LanguageClient) -> None:
    FAKE.plans.clear()
    await run(client)  # a success for local/gpt-4o-mini
    FAKE.plan(fault="401")
    other = as_json(client, pylance_diagnostic())
    other["message"] = '"another_name" is not defined'  # not remembered: asks the model
    second = await explain(client, {"uri": PY_URI, "diagnostic": other})
    assert second["attempts"][0]["errorClass"] == "auth"
    listed = await command(client, "dexter.refreshModels")
    entry = next(m for m in listed["models"] if m["id"] == "local/gpt-4o-mini")
    assert entry["cooldown"]["state"] == "open"
    assert entry["status"] == "cooling down" and "auth" in entry["statusDetail"]
    assert entry["cooldown"]["reason"].startswith("auth")
    assert entry["recent"]["requests"] == 2 and entry["recent"]["successRate"] == 0.5
    other["message"] = '"third_name" is not defined'
    third = await explain(client, {"uri": PY_URI, "diagnostic": other})  # no request made
    assert third["attempts"][0]["outcome"] == "skipped"
    assert "cooling down" in third["attempts"][0]["error"]
