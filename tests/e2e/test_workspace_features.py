"""Issue 6 end to end: preferences that survive a restart, the explanation cache on disk,
statistics, the dashboard, comparison and prefetch — the real server over stdio, a fake
OpenAI-compatible endpoint on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.e2e.conftest import SERVER, server_env
from tests.e2e.helpers import (
    as_json,
    explain,
    open_document,
    pylance_diagnostic,
    rng,
    stored_bytes,
)
from tests.fakes.openai_fake import FakeOpenAI

ALPHA = "file:///work/alpha"
BETA = "file:///work/beta"
DOC = f"{ALPHA}/app.py"
BETA_DOC = f"{BETA}/tool.py"
TEXT = "import os\n\ndef main():\n    print(undefined_name)\n\nmain()\n"
FAKE = FakeOpenAI()


@pytest.fixture(scope="module", autouse=True)
def fake_server() -> Iterator[FakeOpenAI]:
    FAKE.start()
    yield FAKE
    FAKE.stop()


@pytest.fixture(autouse=True)
def fresh_plans() -> None:
    FAKE.plans.clear()


def user_settings(**extra: Any) -> dict[str, Any]:
    return {"model": "local/gpt-4o-mini",
            "providers": {"local": {"type": "openai", "baseUrl": FAKE.base_url,
                                    "apiKeyEnv": "LOCAL_KEY", "timeoutSeconds": 5}},
            **extra}


async def start(home: Path, settings: dict[str, Any],
                folder_settings: dict[str, dict[str, Any]] | None = None) -> LanguageClient:
    """A real dexter-ls with two workspace folders; settings answered through
    workspace/configuration (window-wide and per folder), as VS Code does."""
    config = ClientServerConfig(server_command=SERVER,
                                server_env=server_env(str(home), LOCAL_KEY="sk-local-test"))
    client = await config.start()
    client.set_configuration(settings, section="dexter")
    for folder, values in (folder_settings or {}).items():
        client.set_configuration({**settings, **values}, section="dexter", scope_uri=folder)
    await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=ALPHA,
        workspace_folders=[lsp.WorkspaceFolder(ALPHA, "alpha"), lsp.WorkspaceFolder(BETA, "beta")],
    ))
    open_document(client, DOC, TEXT, "python")
    open_document(client, BETA_DOC, TEXT, "python")
    return client


@pytest.fixture
async def home(tmp_path: Path) -> AsyncIterator[Path]:
    yield tmp_path / "dexter-home"


async def command(client: LanguageClient, name: str, *arguments: Any) -> Any:
    return await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command=name, arguments=list(arguments)))


async def stop(client: LanguageClient) -> None:
    await client.shutdown_session()


async def hover_shows(client: LanguageClient, at: lsp.Position, text: str, failure: str) -> None:
    """Hover on DOC until it shows `text` (background work landing; 5 s at most)."""
    for _ in range(100):
        shown = await client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(DOC), at))
        assert shown is not None and isinstance(shown.contents, lsp.MarkupContent)
        if text in shown.contents.value:
            return
        await asyncio.sleep(0.05)
    pytest.fail(failure)


def chats() -> int:
    return sum(r.path == "/v1/chat/completions" for r in FAKE.requests)


async def test_choices_persist_across_a_restart_and_follow_the_precedence(home: Path) -> None:
    client = await start(home, user_settings(),
                         folder_settings={BETA: {"model": "local/tiny-coder"}})
    try:
        alpha = await command(client, "dexter.getPreferences", DOC)
        assert (alpha["model"], alpha["modelSource"]) == ("local/gpt-4o-mini", "user settings")
        assert alpha["workspaceFolder"] == ALPHA
        assert alpha["candidates"] == ["local/gpt-4o-mini", "builtin/reference"]
        beta = await command(client, "dexter.getPreferences", {"uri": BETA_DOC})
        assert (beta["model"], beta["modelSource"]) == ("local/tiny-coder", "workspace settings")

        chosen = await command(client, "dexter.selectModel", "local/tiny-coder", "workspace",
                               {"uri": DOC})
        assert chosen["scope"] == "workspace" and chosen["workspaceFolder"] == ALPHA
        alpha = await command(client, "dexter.getPreferences", DOC)
        assert (alpha["model"], alpha["modelSource"]) == ("local/tiny-coder", "workspace choice")

        await command(client, "dexter.selectModel", "builtin/reference", "session")
        alpha = await command(client, "dexter.getPreferences", DOC)
        assert (alpha["model"], alpha["modelSource"]) == ("builtin/reference", "session")
        beta = await command(client, "dexter.getPreferences", BETA_DOC)
        assert beta["modelSource"] == "session"  # a session choice applies everywhere

        # The request's own override still wins over everything.
        diag = as_json(client, pylance_diagnostic())
        forced = await explain(client, {"uri": DOC, "diagnostic": diag},
                               {"model": "local/gpt-4o-mini"})
        assert forced["requestedModel"] == "local/gpt-4o-mini"
        assert forced["model"] == "local/gpt-4o-mini"
    finally:
        await stop(client)

    stored = home / "state" / "preferences.json"
    assert stored.is_file() and ALPHA in stored.read_text()

    client = await start(home, user_settings(),
                         folder_settings={BETA: {"model": "local/tiny-coder"}})
    try:
        alpha = await command(client, "dexter.getPreferences", DOC)
        assert (alpha["model"], alpha["modelSource"]) == ("local/tiny-coder", "workspace choice")
        assert alpha["choices"]["session"]["model"] is None  # the session ended with the server
        cleared = await command(client, "dexter.selectModel", None, "workspace", {"uri": DOC})
        assert cleared["preferences"]["modelSource"] == "user settings"
    finally:
        await stop(client)


async def test_a_folder_added_later_gets_its_own_settings(home: Path) -> None:
    gamma = "file:///work/gamma"
    client = await start(home, user_settings(),
                         folder_settings={gamma: {"model": "local/tiny-coder"}})
    try:
        outside = await command(client, "dexter.getPreferences", f"{gamma}/x.py")
        assert outside["workspaceFolder"] is None and outside["model"] == "local/gpt-4o-mini"
        client.workspace_did_change_workspace_folders(lsp.DidChangeWorkspaceFoldersParams(
            lsp.WorkspaceFoldersChangeEvent(added=[lsp.WorkspaceFolder(gamma, "gamma")],
                                            removed=[])))
        for _ in range(50):
            inside = await command(client, "dexter.getPreferences", f"{gamma}/x.py")
            if inside["modelSource"] == "workspace settings":
                break
            await asyncio.sleep(0.05)
        assert (inside["model"], inside["workspaceFolder"]) == ("local/tiny-coder", gamma)
    finally:
        await stop(client)


async def test_select_model_rejects_unknown_ids_naming_close_matches(home: Path) -> None:
    client = await start(home, user_settings())
    try:
        await command(client, "dexter.refreshModels")
        for args, words in [(["local/tiny-codr", "session"], "did you mean 'local/tiny-coder'"),
                            (["acme/model", "session"], "no provider named 'acme'"),
                            (["just-a-name"], "provider/model"),
                            (["local/tiny-coder", "forever"], "scope must be"),
                            ([42], "must be a string")]:
            with pytest.raises(JsonRpcException) as error:
                await command(client, "dexter.selectModel", *args)
            assert words in str(error.value), (args, str(error.value))
        chain = await command(client, "dexter.setFallbackChain", ["local/tiny-coder"],
                              "workspace", {"uri": BETA_DOC})
        assert chain["workspaceFolder"] == BETA
        beta = await command(client, "dexter.getPreferences", BETA_DOC)
        assert (beta["fallbackChain"], beta["fallbackChainSource"]) == (
            ["local/tiny-coder"], "workspace choice")
    finally:
        await stop(client)


async def test_an_explanation_is_served_from_disk_after_a_restart(home: Path) -> None:
    client = await start(home, user_settings())
    try:
        diag = as_json(client, pylance_diagnostic())
        first = await explain(client, {"uri": DOC, "diagnostic": diag})
        assert first["model"] == "local/gpt-4o-mini" and first["cached"] is False
        asked = chats()
    finally:
        await stop(client)
    client = await start(home, user_settings())
    try:
        # Hover after a restart shows the answer from disk once the diagnostic is pushed.
        client.protocol.notify("dexter/didChangeDiagnostics", {"uri": DOC, "diagnostics": [diag]})
        await hover_shows(client, lsp.Position(3, 12), "explained by `local/gpt-4o-mini`",
                          "hover did not show the cached answer")
        assert chats() == asked
        again = await explain(client, {"uri": DOC, "diagnostic": diag})
        assert again["cached"] is True and again["body"] == first["body"]
        assert chats() == asked  # the model was not asked again
        assert again["latencyMs"] < 200
        stored = stored_bytes(home)
        assert any("explanations" in name for name in stored)
        assert all(b"sk-local-test" not in data for data in stored.values())  # no key on disk
        # A different model preferred now: its own answer, not the cached one.
        await command(client, "dexter.selectModel", "local/tiny-coder", "session")
        other = await explain(client, {"uri": DOC, "diagnostic": diag})
        assert other["cached"] is False and other["model"] == "local/tiny-coder"
    finally:
        await stop(client)


async def test_two_servers_share_the_cache_and_telemetry_safely(home: Path) -> None:
    from dexter_ls.store.explanation_cache import ExplanationCache
    from dexter_ls.store.telemetry import Telemetry

    first, second = await asyncio.gather(start(home, user_settings()),
                                         start(home, user_settings()))
    try:
        base = as_json(first, pylance_diagnostic())

        def numbered(n: int) -> dict[str, Any]:
            return {"uri": DOC, "diagnostic": {**base, "message": f'"name_{n}" is not defined'}}

        servers = (first, second)  # twelve requests at once, alternating between the two
        answers = await asyncio.gather(*(explain(servers[n % 2], numbered(n))
                                         for n in range(12)))
        assert all(a["model"] == "local/gpt-4o-mini" for a in answers)
    finally:
        await asyncio.gather(stop(first), stop(second))  # both flush their writes
    cache = ExplanationCache(home / "cache" / "explanations.sqlite3")
    assert cache.stats()["entries"] == 12
    assert Telemetry(home / "state" / "telemetry.sqlite3").count() == 12
    assert not [name for name in stored_bytes(home) if "corrupt" in name]


async def test_model_stats_and_the_dashboard_report_fallbacks(home: Path) -> None:
    client = await start(home, user_settings(fallbackChain=["local/tiny-coder"]))
    try:
        diag = as_json(client, pylance_diagnostic())
        FAKE.plan(fault="401")  # gpt-4o-mini: bad key -> falls back to tiny-coder
        result = await explain(client, {"uri": DOC, "diagnostic": diag})
        assert result["model"] == "local/tiny-coder"
        stats = await command(client, "dexter.modelStats", {"window": "1h"})
        by_model = {m["model"]: m for m in stats["models"]}
        assert by_model["local/gpt-4o-mini"]["failures"] == 1
        assert by_model["local/gpt-4o-mini"]["errors"] == {"auth": 1}
        assert by_model["local/gpt-4o-mini"]["fallbacksFrom"] == {"local/tiny-coder": 1}
        assert by_model["local/tiny-coder"]["fallbacksTo"] == {"local/gpt-4o-mini": 1}
        assert by_model["local/tiny-coder"]["successRate"] == 1.0
        assert by_model["local/tiny-coder"]["tokens"] == {"input": 42, "output": 4}
        assert stats["requests"] == 1 and stats["window"] == "1h"
        with pytest.raises(JsonRpcException) as error:
            await command(client, "dexter.modelStats", {"window": "1y"})
        assert "1h, 24h, 7d, all" in str(error.value)

        page = (await command(client, "dexter.dashboard"))["html"]
        assert page.startswith("<!DOCTYPE html>")
        assert "Content-Security-Policy" in page and "<script" not in page
        assert "local/tiny-coder" in page and "<svg" in page
        assert 'id="fallbacks-table"' in page
    finally:
        await stop(client)


async def test_compare_models_runs_them_side_by_side(home: Path) -> None:
    client = await start(home, user_settings())
    try:
        await command(client, "dexter.refreshModels")  # so 'local/nope' is known to be missing
        diag = as_json(client, pylance_diagnostic())
        for _ in range(2):
            FAKE.plan(delay=0.3)  # slow tokens: 4 x 0.3 s per answer
        started = time.monotonic()
        result = await command(client, "dexter.compareModels", {"uri": DOC, "diagnostic": diag},
                               ["local/gpt-4o-mini", "local/tiny-coder", "local/nope"])
        elapsed = time.monotonic() - started
        first, second, missing = result["results"]
        assert [first["model"], second["model"]] == ["local/gpt-4o-mini", "local/tiny-coder"]
        for entry in (first, second):
            assert entry["error"] is None and "The name is undefined." in entry["markdown"]
            assert entry["usage"]["outputTokens"] == 4 and entry["firstTokenMs"] is not None
        assert missing["markdown"] is None and "does not offer" in missing["error"]
        assert elapsed < 2.0  # concurrently: one slow answer's time (1.2 s), not two (2.4 s)
        sent = [r.json()["model"] for r in FAKE.requests[-2:]]
        assert sorted(sent) == ["gpt-4o-mini", "tiny-coder"]
        with pytest.raises(JsonRpcException) as error:
            await command(client, "dexter.compareModels", {"uri": DOC, "diagnostic": diag}, [])
        assert "non-empty list" in str(error.value)
    finally:
        await stop(client)


async def test_prefetch_explains_new_errors_in_the_background(home: Path) -> None:
    settings = user_settings(explain={"prefetch": "errors", "prefetchDebounceMs": 50})
    client = await start(home, settings)
    try:
        error = as_json(client, pylance_diagnostic())
        warning = {**error, "severity": 2, "message": "os imported but unused",
                   "range": as_json(client, rng(0, 7, 9)), "code": "F401", "source": "ruff"}
        before = chats()
        client.protocol.notify("dexter/didChangeDiagnostics",
                               {"uri": DOC, "diagnostics": [error, warning]})
        await hover_shows(client, lsp.Position(3, 12), "explained by `local/gpt-4o-mini`",
                          "the error was not prefetched")
        assert chats() == before + 1  # the error only: warnings wait for "all"
        unused = lsp.HoverParams(lsp.TextDocumentIdentifier(DOC), lsp.Position(0, 8))
        shown = await client.text_document_hover_async(unused)
        assert shown is not None and "offline reference" in shown.contents.value  # type: ignore[union-attr]
        # The code action's explain now answers from the cache.
        result = await explain(client, {"uri": DOC, "diagnostic": error})
        assert result["cached"] is True and chats() == before + 1
    finally:
        await stop(client)
