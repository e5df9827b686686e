"""The server attaches source only from regular text files inside the workspace folders:
never a credentials file (open or not), never /proc, never a file outside the project."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, client_capabilities

from tests.e2e.conftest import server_env
from tests.e2e.helpers import open_document
from tests.fakes.openai_fake import FakeOpenAI


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def diagnostic() -> dict[str, Any]:
    return {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}},
            "message": "something is wrong", "severity": 1, "source": "tool"}


async def test_only_project_source_files_lend_their_source(
        dexter_home: Path, fake: FakeOpenAI, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / ".ssh").mkdir(parents=True)
    files = {"app.py": "SOURCE_MARKER_61 = 1\n", ".env": "DB_PASS=ENV_MARKER_62\n",
             ".ssh/id_rsa": "KEY_MARKER_63\n"}
    for name, text in files.items():
        (project / name).write_text(text)
    outside = tmp_path / "outside.py"
    outside.write_text("OUTSIDE_MARKER_64 = 1\n")
    (project / "link.py").symlink_to(project / ".ssh" / "id_rsa")
    own = dexter_home / "config" / "settings.json"
    own.parent.mkdir(parents=True)
    own.write_text(json.dumps({"dexter": {
        "model": "local/gpt-4o-mini", "cache": {"enabled": False},
        "providers": {"local": {"type": "openai", "baseUrl": fake.base_url}}}}))
    config = ClientServerConfig(server_command=[sys.executable, "-m", "dexter_ls"],
                                server_env=server_env(str(dexter_home), PROC_MARKER="PROC_65"))
    client = await config.start()
    await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=project.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(project.as_uri(), "project")]))
    open_document(client, (project / ".env").as_uri(), files[".env"], "dotenv")  # open, too
    uris = [(project / "app.py").as_uri(), (project / ".env").as_uri(),
            (project / ".ssh" / "id_rsa").as_uri(), (project / "link.py").as_uri(),
            outside.as_uri(), "file:///proc/self/environ"]
    try:
        for uri in uris:
            result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
                command="dexter.explain", arguments=[{"uri": uri, "diagnostic": diagnostic()}]))
            assert result["model"] == "local/gpt-4o-mini", uri
    finally:
        await client.shutdown_session()
    sent = [json.dumps(r.json()) for r in fake.requests_to("/v1/chat/completions")]
    assert len(sent) == len(uris)
    assert "SOURCE_MARKER_61" in sent[0]  # the project file lends its source
    for marker in ("ENV_MARKER_62", "KEY_MARKER_63", "OUTSIDE_MARKER_64", "PROC_65"):
        assert all(marker not in body for body in sent), marker
