"""Cancellation reaches the model (the fake Ollama sees the connection close), a cancelled
explanation is no failure of the model, chunks carry the request's id, a dead model never
stalls, and bad arguments are one warning."""

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
from tests.e2e.helpers import PY_TEXT, PY_URI, as_json, explain, open_document, pylance_diagnostic
from tests.fakes.ollama_fake import FakeOllama

HOME = Path(tempfile.mkdtemp(prefix="dexter-e2e-cancel-"))
LOG = HOME / "server.log"
FAKE = FakeOllama()
MODEL = "local/qwen2.5-coder:7b"
REQUEST_CANCELLED = -32800


@pytest.fixture(scope="module", autouse=True)
def fake_ollama() -> Iterator[FakeOllama]:
    FAKE.start()
    yield FAKE
    FAKE.stop()


@pytest.fixture
def spec() -> str:
    return "visual-studio-code"


@pytest.fixture
def model() -> str:
    return MODEL


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[*SERVER, "--log-file", str(LOG)], server_env=server_env(str(HOME))))
async def client(lsp_client: LanguageClient, spec: str, model: str) -> Any:
    fix_code_action_hook(lsp_client)
    LOG.write_text("")
    lsp_client.set_configuration({"model": model}, section="dexter")
    await lsp_client.initialize_session(initialize_params(spec, {
        "model": model,
        "cache": {"enabled": False},
        "providers": {"local": {"type": "ollama", "baseUrl": FAKE.base_url}},
    }))
    yield
    await lsp_client.shutdown_session()


def target(client: LanguageClient) -> dict[str, Any]:
    open_document(client, PY_URI, PY_TEXT, "python")
    return {"uri": PY_URI, "diagnostic": as_json(client, pylance_diagnostic())}


async def until(condition: Any, what: str) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def chats() -> int:
    return len(FAKE.requests_to("/api/chat"))


async def start_hanging(client: LanguageClient, command: str, arguments: list[Any],
                        msg_id: str) -> asyncio.Future[Any]:
    """Send `command` while the model hangs before its headers; return once it is asked."""
    FAKE.plans.clear()
    FAKE.plan(fault="hang-headers")
    before = chats()
    pending = asyncio.ensure_future(client.protocol.send_request_async(
        lsp.WORKSPACE_EXECUTE_COMMAND,
        lsp.ExecuteCommandParams(command=command, arguments=arguments), msg_id=msg_id))
    await until(lambda: chats() > before, "the model to be asked")
    return pending


async def assert_cancelled(pending: asyncio.Future[Any], gone_before: int) -> None:
    await until(lambda: FAKE.server.disconnects > gone_before, "the server to hang up")
    with pytest.raises(JsonRpcException) as failure:
        await pending
    assert failure.value.code == REQUEST_CANCELLED


async def assert_not_cooling(client: LanguageClient) -> None:
    listed = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dexter.listModels", arguments=[]))
    (entry,) = [m for m in listed["models"] if m["id"] == MODEL]
    assert entry["cooldown"] is None, "a cancelled request is no failure of the model"
    FAKE.plans.clear()
    again = await explain(client, target(client))
    assert again["model"] == MODEL


@pytest.mark.parametrize("spec", ["visual-studio-code", "neovim@v0.10.0"])
async def test_cancel_request_closes_the_model_connection(client: LanguageClient,
                                                          spec: str) -> None:
    gone = FAKE.server.disconnects
    pending = await start_hanging(client, "dexter.explain", [target(client)], "explain-1")
    client.protocol.notify("$/cancelRequest", lsp.CancelParams(id="explain-1"))
    await assert_cancelled(pending, gone)
    (token,) = [t for t, r in client.progress_reports.items() if r]
    reports = client.progress_reports[token]
    await until(lambda: isinstance(reports[-1], lsp.WorkDoneProgressEnd), "the progress to end")
    assert reports[-1] == lsp.WorkDoneProgressEnd(message="cancelled")
    stats = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dexter.modelStats", arguments=[]))
    (row,) = [m for m in stats["models"] if m["model"] == MODEL]
    assert row["failures"] == 0
    await assert_not_cooling(client)


async def test_cancelling_the_progress_closes_the_model_connection(
        client: LanguageClient) -> None:
    gone = FAKE.server.disconnects
    pending = await start_hanging(client, "dexter.explain", [target(client)], "explain-2")
    await until(lambda: [t for t, r in client.progress_reports.items() if r], "progress")
    (token,) = [t for t, r in client.progress_reports.items() if r]
    client.protocol.notify(lsp.WINDOW_WORK_DONE_PROGRESS_CANCEL,
                           lsp.WorkDoneProgressCancelParams(token=token))
    await assert_cancelled(pending, gone)
    await assert_not_cooling(client)


async def test_cancelling_a_comparison_closes_the_model_connection(
        client: LanguageClient) -> None:
    gone = FAKE.server.disconnects
    pending = await start_hanging(client, "dexter.compareModels",
                                  [target(client), [MODEL, "builtin/reference"]], "compare-1")
    client.protocol.notify("$/cancelRequest", lsp.CancelParams(id="compare-1"))
    await assert_cancelled(pending, gone)


async def test_chunks_carry_the_id_given_in_the_options(client: LanguageClient) -> None:
    chunks: list[Any] = []
    client.feature("dexter/explanationChunk")(lambda params: chunks.append(params))
    FAKE.plans.clear()
    result = await explain(client, target(client), {"id": "req-7"})
    assert result["model"] == MODEL
    assert chunks and {c.id for c in chunks} == {"req-7"}
    assert "".join(c.text for c in chunks) == "The name is undefined."
    chunks.clear()
    other = {**target(client)}
    other["diagnostic"] = {**other["diagnostic"], "message": "another message"}
    await explain(client, other, {"id": 42})
    assert chunks and {c.id for c in chunks} == {42}


@pytest.mark.parametrize("arguments", [[], ["not an object"], [{"uri": PY_URI}],
                                       [{"uri": PY_URI, "diagnostic": {}}, {"id": [1]}]])
async def test_bad_arguments_are_invalid_params(client: LanguageClient,
                                                arguments: list[Any]) -> None:
    with pytest.raises(JsonRpcException) as failure:
        await explain(client, *arguments)
    assert failure.value.code == -32602
    assert "dexter.explain" in str(failure.value)


@pytest.mark.parametrize("spec", ["visual-studio-code", "neovim@v0.7.0"])
async def test_start_up_settings_are_applied_once(client: LanguageClient, spec: str) -> None:
    await explain(client, target(client))  # requests wait for the settings
    applied = [line for line in LOG.read_text().splitlines() if "settings: model=" in line]
    assert len(applied) == 1, applied


@pytest.mark.parametrize("model", ["local/qwen2.5-coder:14b"])
async def test_a_model_no_provider_offers_is_reported_after_discovery(
        client: LanguageClient, model: str) -> None:
    def reported() -> list[str]:
        return [m.message for m in client.messages if "qwen2.5-coder:14b" in m.message]

    await until(reported, "the report")
    await explain(client, target(client))  # settle
    (text,) = reported()
    assert "'local' does not offer 'qwen2.5-coder:14b'" in text
    assert "qwen2.5-coder:7b" in text  # a close match is named
