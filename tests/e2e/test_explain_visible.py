"""The answer reaches the user in every editor: actions for forwarded diagnostics, the
answer shown (document or message), progress, ids on chunks, columns in characters."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.e2e.conftest import EXAMPLES, SERVER, fix_code_action_hook, server_env
from tests.e2e.helpers import (
    PY_TEXT,
    PY_URI,
    as_json,
    explain,
    open_document,
    pylance_diagnostic,
    rng,
)

HOME = Path(tempfile.mkdtemp(prefix="dexter-e2e-visible-"))
HINT = "hover the diagnostic for the whole answer"


@pytest.fixture
def spec() -> str:
    return "visual-studio-code"


@pytest.fixture
def options() -> dict[str, Any]:
    return {}


@pytest.fixture
def view() -> bool:
    return False


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER,
                                              server_env=server_env(str(HOME))))
async def client(lsp_client: LanguageClient, spec: str, options: dict[str, Any],
                 view: bool) -> Any:
    fix_code_action_hook(lsp_client)
    capabilities = client_capabilities(spec)
    if view:
        capabilities.experimental = {"dexterExplanationView": True}
    lsp_client.set_configuration(options, section="dexter")
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=capabilities, root_uri=EXAMPLES.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(uri=EXAMPLES.as_uri(), name="examples")],
        initialization_options=options))
    yield
    await lsp_client.shutdown_session()


def forward(client: LanguageClient, uri: str, diagnostics: list[lsp.Diagnostic]) -> None:
    client.protocol.notify("dexter/didChangeDiagnostics",
                           {"uri": uri, "diagnostics": [as_json(client, d) for d in diagnostics]})


async def actions_at(client: LanguageClient, uri: str, where: lsp.Range,
                     context: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri), range=where,
        context=lsp.CodeActionContext(diagnostics=context)))
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


async def settle(client: LanguageClient) -> None:
    """One round trip: whatever the server sent before answering it has arrived."""
    await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dexter.getPreferences", arguments=[]))


async def until(condition: Any, what: str) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("spec", ["visual-studio-code", "neovim@v0.10.0", "emacs"])
async def test_forwarded_diagnostics_get_actions_with_an_empty_context(
        client: LanguageClient, spec: str) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    unused = lsp.Diagnostic(range=rng(0, 0, 9), message="'os' imported but unused",
                            code="F401", source="ruff")
    forward(client, PY_URI, [pylance_diagnostic(), unused])
    cursor = rng(3, 12, 12)  # inside the undefined name: what Neovim and eglot send
    (action,) = await actions_at(client, PY_URI, cursor, [])
    assert action.title == ('Dexter: explain reportUndefinedVariable: "undefined_name" is not '
                            "defined")
    assert action.command is not None
    (argument,) = action.command.arguments or []
    assert argument == {"uri": PY_URI, "diagnostic": as_json(client, pylance_diagnostic())}
    # The same diagnostic in the context as well: still one action for it.
    again = await actions_at(client, PY_URI, cursor, [pylance_diagnostic()])
    assert [a.title for a in again] == [action.title]
    # A whole-file range meets both; a range on line 1 meets neither.
    whole = lsp.Range(lsp.Position(0, 0), lsp.Position(6, 0))
    everything = await actions_at(client, PY_URI, whole, [])
    assert len(everything) == 2
    assert await actions_at(client, PY_URI, rng(1, 0, 0), []) == []
    forward(client, PY_URI, [])  # cleared: what remains was seen in a request's context
    assert [a.title for a in await actions_at(client, PY_URI, whole, [])] == [action.title]


async def run(client: LanguageClient, *extra: Any) -> Any:
    open_document(client, PY_URI, PY_TEXT, "python")
    return await explain(client, {"uri": PY_URI,
                                  "diagnostic": as_json(client, pylance_diagnostic())}, *extra)


@pytest.mark.parametrize("spec", ["visual-studio-code", "neovim@v0.10.0"])
async def test_auto_shows_a_document_beside_the_code(client: LanguageClient, spec: str) -> None:
    result = await run(client)
    await until(lambda: client.shown_documents, "window/showDocument")
    (shown,) = client.shown_documents
    assert shown.take_focus is False and not shown.external
    path = Path(shown.uri.removeprefix("file://"))
    assert path.is_relative_to(HOME / "cache")
    text = await asyncio.to_thread(path.read_text, "utf-8")
    assert text.startswith('# Dexter: "undefined_name" is not defined')
    assert "app.py:4:11" in text
    assert result["markdown"] in text
    assert not [m for m in client.messages if HINT in m.message]


@pytest.mark.parametrize("spec, view, options", [
    ("visual-studio-code", True, {}),  # the client renders it itself
    ("neovim@v0.10.0", False, {"explain": {"show": "none"}}),
])
async def test_nothing_extra_when_the_client_renders_or_the_user_says_none(
        client: LanguageClient, spec: str, view: bool, options: dict[str, Any]) -> None:
    await run(client)
    await settle(client)
    assert client.shown_documents == []
    assert not [m for m in client.messages if HINT in m.message]


@pytest.mark.parametrize("spec, options", [
    ("neovim@v0.8.0", {}),  # no window/showDocument: a message
    ("emacs", {}),
    ("visual-studio-code", {"explain": {"show": "message"}}),
])
async def test_a_message_with_the_first_paragraph(
        client: LanguageClient, spec: str, options: dict[str, Any]) -> None:
    result = await run(client)
    await until(lambda: [m for m in client.messages if HINT in m.message], "the message")
    (message,) = [m for m in client.messages if HINT in m.message]
    assert message.type == lsp.MessageType.Info
    assert message.message.startswith(f"Dexter ({result['model']}): ")
    assert result["model"] == "builtin/reference"  # its first paragraph of prose:
    assert "What it means. The name is not bound anywhere pyright can see" in message.message
    assert client.shown_documents == []


@pytest.mark.parametrize("spec", ["visual-studio-code", "neovim@v0.10.0"])
async def test_progress_from_begin_to_end(client: LanguageClient, spec: str) -> None:
    result = await run(client)
    (token,) = [t for t, r in client.progress_reports.items() if r]
    begin, *reports, end = client.progress_reports[token]
    assert isinstance(begin, lsp.WorkDoneProgressBegin)
    assert begin.title == "Dexter: explaining" and begin.cancellable is True
    assert begin.message == '"undefined_name" is not defined'
    assert [r.message for r in reports] == ["answering from the offline reference"]
    assert isinstance(end, lsp.WorkDoneProgressEnd)
    assert end.message == f"explained by {result['model']}"


async def test_progress_on_the_clients_own_token(client: LanguageClient) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    client.progress_reports["mine-1"] = []  # the client made this token itself
    await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        command="dexter.explain", work_done_token="mine-1",
        arguments=[{"uri": PY_URI, "diagnostic": as_json(client, pylance_diagnostic())}]))
    assert [type(r).__name__ for r in client.progress_reports["mine-1"]] == [
        "WorkDoneProgressBegin", "WorkDoneProgressReport", "WorkDoneProgressEnd"]
    assert [t for t, r in client.progress_reports.items() if r] == ["mine-1"]


@pytest.mark.parametrize("spec", ["visual-studio-code", "neovim@v0.11.0"])
async def test_columns_shown_are_characters_whatever_the_encoding(
        client: LanguageClient, spec: str) -> None:
    line = 'label = "😋 é" + undefined_name\n'
    text = f"import os\n\n{line}"
    open_document(client, PY_URI, text, "python")
    column = line.index("undefined_name")
    prefix = line[:column]
    utf8 = spec.startswith("neovim@v0.11")  # it prefers UTF-8: the server takes it
    units = len(prefix.encode("utf-8")) if utf8 else len(prefix.encode("utf-16-le")) // 2
    assert units != column
    diag = lsp.Diagnostic(range=rng(2, units, units + len("undefined_name")),
                          message='"undefined_name" is not defined', source="Pylance")
    result = await explain(client, {"uri": PY_URI, "diagnostic": as_json(client, diag)})
    assert f"app.py:3:{column + 1}" in result["markdown"]


DEAD = "ollama/qwen2.5-coder:7b"  # OLLAMA_HOST is 127.0.0.1:9: nothing listens there


@pytest.mark.parametrize("spec, options", [
    ("visual-studio-code", {"model": DEAD}), ("neovim@v0.10.0", {"model": DEAD})])
async def test_a_dead_local_model_never_stalls_three_explanations(
        client: LanguageClient, spec: str, options: dict[str, Any]) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    notice = (f"{DEAD} is not running (connection refused at http://127.0.0.1:9): answered "
              "from the offline reference. Start Ollama or pick another model.")
    for line in range(3):
        diag = lsp.Diagnostic(range=rng(line, 0, 1), message=f"problem {line}", source="tool")
        result = await explain(client, {"uri": PY_URI, "diagnostic": as_json(client, diag)})
        assert result["model"] == "builtin/reference"
        assert result["notice"] == notice
        assert result["markdown"].startswith(f"*{notice}*")
        first = result["attempts"][0]
        assert first["model"] == DEAD and "retries" not in first, "never retried"
        # the first asks it and is refused; the next two skip it while it cools down
        assert (first["outcome"], first["errorClass"]) == (
            ("failed", "connection") if line == 0 else ("skipped", "cooling-down"))
        (token,) = [t for t, r in client.progress_reports.items() if r][-1:]
        messages = [r.message for r in client.progress_reports[token][1:-1]]
        assert messages[-1] == "answering from the offline reference"
        assert messages[-2].startswith(f"{DEAD} ")
        assert messages[-2].endswith(": falling back")
