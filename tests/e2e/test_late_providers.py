"""A provider that arrives with settings after start-up has its models discovered at once.

Editors often send their settings after the server's first model discovery has run (eglot
pushes them after `initialized`; a user adds an endpoint mid-session). Without discovering
the new provider then, its models stayed unknown until the periodic probe minutes later:
the model pickers offered nothing from it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.fakes.openai_fake import FakeOpenAI

FAKE = FakeOpenAI(("gpt-4o-mini", "late-coder"))


@pytest.fixture(scope="module", autouse=True)
def fake_server() -> Iterator[FakeOpenAI]:
    FAKE.start()
    yield FAKE
    FAKE.stop()


async def listed(client: LanguageClient) -> dict[str, Any]:
    models = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dexter.listModels", arguments=[]))
    return {m["id"]: m for m in models["models"]}


async def test_a_provider_pushed_after_start_up_is_discovered_without_a_refresh(
        client: LanguageClient) -> None:
    await asyncio.sleep(0.5)  # the start-up discovery has run (with no such provider)
    assert "late/late-coder" not in await listed(client)
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings={
        "dexter": {"model": "late/gpt-4o-mini",
                   "providers": {"late": {"type": "openai", "baseUrl": FAKE.base_url}}}}))
    models: dict[str, Any] = {}
    for _ in range(100):  # listModels only reads: nothing here asks for a discovery
        models = await listed(client)
        if "late/late-coder" in models:
            break
        await asyncio.sleep(0.05)
    assert "late/late-coder" in models, sorted(models)
    assert models["late/gpt-4o-mini"]["status"] != "unknown", models["late/gpt-4o-mini"]
