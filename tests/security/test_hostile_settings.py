"""Hostile workspace settings against a real dexter-ls: decoys get no key and no code.

Every key source is planted (environment, credentials file, the editor's secret store) and
the workspace settings point providers of each kind at decoys: another port on loopback,
and `decoy.test`, a name the server resolves to 127.0.0.1 (a resolver planted with
`sitecustomize`, no /etc/hosts, no internet) that stands for another machine. The user
answers "Never" to every question. Afterwards no decoy has seen a single request, and no
planted key appears in any log line (DEBUG, httpx and pygls included) or any answer.
"""

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

from dexter_ls.store.credentials import set_key
from tests.e2e.conftest import server_env
from tests.e2e.helpers import open_document
from tests.fakes.anthropic_fake import FakeAnthropic
from tests.fakes.ollama_fake import FakeOllama
from tests.fakes.openai_fake import FakeOpenAI

CODE_MARKER = "code_marker_7f3a9"
TEXT = f"import os\n\ndef main():\n    print({CODE_MARKER})\n\nmain()\n"
WORKSPACE = "file:///work/victim"
DOC = f"{WORKSPACE}/app.py"
ENV_KEYS = {
    "OPENAI_API_KEY": "sk-planted-openai-env-0000000001",
    "ANTHROPIC_API_KEY": "sk-ant-planted-anthropic-env-0002",
    "GITHUB_TOKEN": "ghp_plantedGithubToken00000000000003",
}
STORED_KEYS = {
    "openai": "Zq9-stored-openai-opaque-0004",
    "anthropic": "Zq9-stored-anthropic-opaque-0005",
    "ollama": "Zq9-stored-ollama-opaque-0006",
    "groq": "Zq9-stored-groq-opaque-0007",
    "pasted": "Zq9-stored-pasted-opaque-0009",
}
PASTED = "sk-proj-PastedIntoApiKeyEnv0123456789"


def editor_key(name: str) -> str:
    return f"Zq9-editor-{name}-opaque-0008"


MODEL = {"openai": "gpt-4o-mini", "anthropic": "claude-3-5-haiku-20241022",
         "ollama": "llama3.2:latest"}
SUFFIX = {"openai": "/v1", "anthropic": "", "ollama": ""}
RESOLVER = '''
import socket
_real = socket.getaddrinfo
def _resolve(host, *args, **kwargs):
    if host in ("decoy.test", b"decoy.test"):
        host = "127.0.0.1"
    return _real(host, *args, **kwargs)
socket.getaddrinfo = _resolve
'''


def every_secret() -> list[str]:
    names = [*STORED_KEYS, "anyvar", "sneaky", "parser", "pasted", "lan"]
    return [*ENV_KEYS.values(), *STORED_KEYS.values(), PASTED,
            *(editor_key(n) for n in names)]


Decoy = FakeOpenAI | FakeAnthropic | FakeOllama


@pytest.fixture(params=["openai", "anthropic", "ollama"])
def decoy(request: pytest.FixtureRequest) -> Iterator[tuple[str, Decoy]]:
    kind = request.param
    fake: Decoy = {"openai": FakeOpenAI, "anthropic": FakeAnthropic,
                   "ollama": FakeOllama}[kind]()
    fake.start()
    yield kind, fake
    fake.stop()


def hostile_providers(kind: str, port: int) -> dict[str, Any]:
    loop = f"http://127.0.0.1:{port}{SUFFIX[kind]}"
    named = f"http://decoy.test:{port}{SUFFIX[kind]}"
    other = "ANTHROPIC_API_KEY" if kind == "openai" else "OPENAI_API_KEY"
    providers: dict[str, Any] = {
        # the built-in provider of this kind, moved to "another machine"
        kind: {"baseUrl": named, **({"apiKeyEnv": "GITHUB_TOKEN"} if kind == "ollama" else {})},
        # any variable, to a listener on this machine
        "anyvar": {"type": kind, "baseUrl": loop, "apiKeyEnv": "GITHUB_TOKEN"},
        # a stored key and an editor key for a custom name, to wherever settings say
        "groq": {"type": kind, "baseUrl": named},
        # another kind's key, by naming its variable
        "sneaky": {"type": kind, "baseUrl": loop, "apiKeyEnv": other},
        # a URL that other parsers read differently
        "parser": {"type": kind, "baseUrl": f"http://a\\@127.0.0.1:{port}{SUFFIX[kind]}",
                   "apiKeyEnv": "GITHUB_TOKEN"},
        # a key pasted where a variable name belongs
        "pasted": {"type": kind, "baseUrl": loop, "apiKeyEnv": PASTED},
    }
    if kind != "ollama":  # the local provider retyped: its keys must not go out as another
        providers["ollama"] = {"type": kind, "baseUrl": loop}
    return providers


async def start(home: Path, settings: dict[str, Any], tmp: Path,
                answer: str | None = "Never") -> tuple[LanguageClient, dict[str, Any]]:
    resolver = tmp / "resolver"
    resolver.mkdir(exist_ok=True)
    (resolver / "sitecustomize.py").write_text(RESOLVER)
    log = tmp / "server.log"
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "dexter_ls", "--log-level", "DEBUG",
                        "--log-file", str(log)],
        server_env=server_env(str(home), PYTHONPATH=str(resolver), **ENV_KEYS))
    client = await config.start()
    seen: dict[str, Any] = {"asked": set(), "questions": [], "log": log}

    @client.feature("dexter/getCredential")
    def credential(params: Any) -> dict[str, str]:
        name = getattr(params, "provider", None) or "?"
        seen["asked"].add(name)
        return {"key": editor_key(name)}

    @client.feature(lsp.WINDOW_SHOW_MESSAGE_REQUEST)
    def question(params: lsp.ShowMessageRequestParams) -> lsp.MessageActionItem | None:
        seen["questions"].append(params.message)
        return lsp.MessageActionItem(answer) if answer else None

    client.set_configuration(settings, section="dexter")
    capabilities = client_capabilities("visual-studio-code")
    capabilities.experimental = {"dexterCredentials": True}
    await client.initialize_session(lsp.InitializeParams(
        capabilities=capabilities, root_uri=WORKSPACE,
        workspace_folders=[lsp.WorkspaceFolder(WORKSPACE, "victim")]))
    open_document(client, DOC, TEXT, "python")
    return client, seen


async def command(client: LanguageClient, name: str, *arguments: Any) -> Any:
    return await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command=name, arguments=list(arguments)))


def diagnostic() -> dict[str, Any]:
    return {"range": {"start": {"line": 3, "character": 10},
                      "end": {"line": 3, "character": 27}},
            "message": f'"{CODE_MARKER}" is not defined', "severity": 1, "source": "Pylance"}


async def wait_for(check: Any, what: str, seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


async def test_decoys_receive_no_key_and_no_code(decoy: tuple[str, Decoy], dexter_home: Path,
                                                 tmp_path: Path) -> None:
    kind, fake = decoy
    for name, key in STORED_KEYS.items():
        set_key(name, key)  # `dexter keys set NAME`, no URL bound
    providers = hostile_providers(kind, fake.server.port)
    client, seen = await start(dexter_home, {"providers": providers, "cache": {"enabled": False},
                                             "model": f"groq/{MODEL[kind]}"}, tmp_path)
    try:
        # The editor's secret store was asked for every provider that lacks a usable key.
        await wait_for(lambda: {"groq", "anyvar"} <= seen["asked"], "the editor's keys")
        outputs = []
        for name in providers:
            result = await command(client, "dexter.explain", {"uri": DOC,
                                                              "diagnostic": diagnostic()},
                                   {"model": f"{name}/{MODEL[kind]}"})
            assert result["model"] == "builtin/reference", name
            outputs.append(result)
        outputs.append(await command(client, "dexter.refreshModels"))
        outputs.append(await command(client, "dexter.listModels"))
        outputs.append(await command(client, "dexter.dashboard", {"window": "all"}))
        listed = outputs[-2]
        statuses = {m["id"]: m["status"] for m in listed["models"]}
        assert statuses.get(f"groq/{MODEL[kind]}") == "needs approval"
        assert "dexter keys" in listed["providers"]["groq"]  # the command that grants it
    finally:
        await client.shutdown_session()
    assert fake.requests == []  # no key, no code, not even a model list
    text = json.dumps(outputs) + seen["log"].read_text() + " ".join(seen["questions"])
    assert "DEBUG" in seen["log"].read_text()  # the log ran at every level
    for secret in every_secret():
        assert secret not in text
    assert CODE_MARKER in seen["log"].read_text()  # the document was seen (so the test bites)
    approvals = json.loads((dexter_home / "state" / "approvals.json").read_text())
    assert approvals["approvals"] and {a["decision"] for a in approvals["approvals"]} == {"never"}


async def test_remote_false_from_workspace_settings_does_not_make_a_host_local(
        dexter_home: Path, tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        settings = {"privacy": {"remote": "deny"}, "cache": {"enabled": False},
                    "providers": {"lan": {"type": "openai", "remote": False,
                                          "baseUrl": f"http://decoy.test:{fake.server.port}/v1"}}}
        client, _ = await start(dexter_home, settings, tmp_path, answer=None)
        try:
            result = await command(client, "dexter.explain", {"uri": DOC,
                                                              "diagnostic": diagnostic()},
                                   {"model": "lan/gpt-4o-mini"})
        finally:
            await client.shutdown_session()
        assert result["model"] == "builtin/reference"
        assert result["attempts"][0]["outcome"] == "skipped"  # privacy: it is remote
        # It was reachable (the model list, which carries neither key nor code, was asked
        # for through the planted resolver), but no code went there.
        assert [r.path for r in fake.requests] == ["/v1/models"]
        assert all(CODE_MARKER.encode() not in r.body for r in fake.requests)
