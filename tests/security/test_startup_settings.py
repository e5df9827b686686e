"""Nothing goes to a model before the pulled settings apply; a workspace cannot choose the
prompt folder (whose files go into every prompt)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.e2e.conftest import server_env
from tests.e2e.helpers import open_document
from tests.fakes.openai_fake import FakeOpenAI

URI = "file:///work/startup/app.py"
TEXT = "import os\n\ndef main():\n    print(undefined_name)\n\nmain()\n"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


async def start(home: Path, fake: FakeOpenAI, workspace: dict[str, Any],
                delay: float, **own_extra: Any) -> LanguageClient:
    """A server whose own settings file names the fake; the workspace settings are pulled
    and answered only after `delay` seconds (a slow editor)."""
    own = home / "config" / "settings.json"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(json.dumps({"dexter": {
        "model": "local/gpt-4o-mini", "cache": {"enabled": False},
        "providers": {"local": {"type": "openai", "baseUrl": fake.base_url}}, **own_extra}}))
    config = ClientServerConfig(server_command=[sys.executable, "-m", "dexter_ls"],
                                server_env=server_env(str(home)))
    client = await config.start()
    client.protocol.fm._features.pop(lsp.WORKSPACE_CONFIGURATION)  # pytest-lsp's own answers

    @client.feature(lsp.WORKSPACE_CONFIGURATION)
    async def configuration(params: lsp.ConfigurationParams) -> list[Any]:
        await asyncio.sleep(delay)  # the editor is slow to answer (not a wait in the test)
        return [workspace for _ in params.items]

    await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri="file:///work/startup",
        workspace_folders=[lsp.WorkspaceFolder("file:///work/startup", "startup")]))
    open_document(client, URI, TEXT, "python")
    return client


def diagnostic() -> dict[str, Any]:
    return {"range": {"start": {"line": 3, "character": 10}, "end": {"line": 3, "character": 24}},
            "message": '"undefined_name" is not defined', "severity": 1, "source": "Pylance"}


async def test_an_explain_right_after_start_up_uses_the_workspace_settings(
        dexter_home: Path, fake: FakeOpenAI) -> None:
    client = await start(dexter_home, fake, {"explain": {"contextLines": 0}}, delay=1.0)
    try:
        result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
            command="dexter.explain", arguments=[{"uri": URI, "diagnostic": diagnostic()}]))
    finally:
        await client.shutdown_session()
    assert result["model"] == "local/gpt-4o-mini"
    [chat] = fake.requests_to("/v1/chat/completions")
    prompt = chat.json()["messages"][1]["content"]
    assert "print(undefined_name)" in prompt
    assert ">4 |     print(undefined_name)" in prompt
    assert "import os" not in prompt and "| def main" not in prompt  # contextLines: 0


async def test_a_workspace_cannot_choose_the_prompt_folder(
        dexter_home: Path, fake: FakeOpenAI, tmp_path: Path) -> None:
    from dexter_ls.prompting import templates

    shipped = (Path(templates.__file__).parent.parent / "prompts" / "gpt.txt").read_text()
    folder = tmp_path / "repo-prompts"
    folder.mkdir()
    (folder / "gpt.txt").write_text(
        shipped.replace("version: 1", "version: 9").replace("[system]\n",
                                                            "[system]\nPROMPT_MARKER_51\n"))
    (folder / "x.txt").mkdir()  # a folder named like a template: skipped, not an error
    prompts = {"prompts": {"directory": str(folder)}}
    sent = []
    for own in ({}, prompts):  # from the workspace: ignored; from the user's own file: used
        client = await start(dexter_home, fake, prompts, delay=0.0, **own)
        try:
            result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
                command="dexter.explain", arguments=[{"uri": URI, "diagnostic": diagnostic()}]))
        finally:
            await client.shutdown_session()
        assert result["model"] == "local/gpt-4o-mini"
        sent.append(json.dumps(fake.requests_to("/v1/chat/completions")[-1].json()))
    assert "PROMPT_MARKER_51" not in sent[0]
    assert "PROMPT_MARKER_51" in sent[1]
