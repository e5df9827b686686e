"""pytest-lsp fixtures: the real `dexter-ls` in a subprocess, over stdio."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Union

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SERVER = [sys.executable, "-m", "dexter_ls", "--log-level", "INFO"]


def fix_code_action_hook(client: LanguageClient) -> None:
    """lsprotocol structures a CodeAction that carries a command as a Command (PITFALLS.md).

    Real editors get correct JSON; only Python clients need this corrected hook.
    """
    converter = client.protocol._converter

    def hook(obj: Any, _: type) -> lsp.Command | lsp.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, lsp.Command)
        return converter.structure(obj, lsp.CodeAction)

    converter.register_structure_hook(Union[lsp.Command, lsp.CodeAction], hook)  # noqa: UP007


def server_env(home: str, **extra: str) -> dict[str, str]:
    """The server's environment: no provider keys or endpoints from the developer's shell."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL",
                        "ANTHROPIC_BASE_URL")}
    return {**env, "DEXTER_LS_HOME": home, "OLLAMA_HOST": "127.0.0.1:9", **extra}


def server_config(home: str, **extra_env: str) -> ClientServerConfig:
    return ClientServerConfig(server_command=SERVER, server_env=server_env(home, **extra_env))


def initialize_params(spec: str, options: Any = None) -> lsp.InitializeParams:
    return lsp.InitializeParams(
        capabilities=client_capabilities(spec),
        root_uri=EXAMPLES.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=EXAMPLES.as_uri(), name="examples")],
        initialization_options=options,
    )


@pytest_lsp.fixture(
    config=server_config(tempfile.mkdtemp(prefix="dexter-e2e-")),
    params=["visual-studio-code", "neovim@v0.10.0"],
)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient) -> Any:
    fix_code_action_hook(lsp_client)
    lsp_client.init_result = await lsp_client.initialize_session(  # type: ignore[attr-defined]
        initialize_params(request.param)
    )
    yield
    await lsp_client.shutdown_session()


def own_settings(home: str | Path, section: dict[str, Any]) -> None:
    """Write the user's own settings file under a DEXTER_LS_HOME (the trusted settings:
    endpoints and env-var keys named there are the user's own, editor settings are not)."""
    path = Path(home) / "config" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"dexter": section}), "utf-8")
