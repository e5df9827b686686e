"""The code-action and hover handlers touch no disk, network or subprocess."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lsprotocol import types as lsp
from pygls.workspace import Workspace

from dexter_ls.features.base import DexterServer
from dexter_ls.server import build_server
from dexter_ls.settings import Settings

IO_EVENTS = ("open", "socket.", "subprocess.", "os.", "shutil.", "sqlite3.", "urllib.")
_watching: list[list[str]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _watching and event.startswith(IO_EVENTS):
        _watching[-1].append(event)


sys.addaudithook(_audit)


@contextmanager
def watch_io() -> Iterator[list[str]]:
    seen: list[str] = []
    _watching.append(seen)
    try:
        yield seen
    finally:
        _watching.pop()


def _handler(server: DexterServer, method: str) -> Any:
    return server.protocol.fm.features[method]


def _ready_server() -> DexterServer:
    server = build_server()
    from dexter_ls.providers.builtin.catalog import load_catalog

    load_catalog()  # loaded at `initialized` in the real server
    server.catalog_ready.set()
    server.settings = Settings()  # what `initialized` installs
    server.protocol._workspace = Workspace(None)  # what `initialize` sets up
    return server


def _diagnostics(n: int) -> list[lsp.Diagnostic]:
    return [
        lsp.Diagnostic(
            range=lsp.Range(lsp.Position(i, 0), lsp.Position(i, 5)),
            message=f"name 'x{i}' is not defined",
            source="python" if i % 2 else "Pylance",
            code="NameError" if i % 2 else "reportUndefinedVariable",
        )
        for i in range(n)
    ]


def test_code_action_handler_does_no_io() -> None:
    server = _ready_server()
    params = lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier("file:///p/app.py"),
        range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1)),
        context=lsp.CodeActionContext(diagnostics=_diagnostics(50)),
    )
    with watch_io() as events:
        actions = _handler(server, lsp.TEXT_DOCUMENT_CODE_ACTION)(params)
    assert len(actions) == 50
    assert events == []


def test_hover_handler_does_no_io() -> None:
    server = _ready_server()
    uri = "file:///p/app.py"
    server.workspace.put_text_document(
        lsp.TextDocumentItem(uri, "python", 1, "\n".join(f"x{i}" for i in range(60))))
    _handler(server, lsp.TEXT_DOCUMENT_CODE_ACTION)(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri),
        range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1)),
        context=lsp.CodeActionContext(diagnostics=_diagnostics(50)),
    ))
    hover = _handler(server, lsp.TEXT_DOCUMENT_HOVER)
    params = lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(3, 1))
    with watch_io() as events:
        result = hover(params)  # synchronous: answered without a task
    assert result is not None and "not defined" in result.contents.value
    assert events == []


def test_the_watch_sees_io() -> None:
    with watch_io() as events, open(__file__, encoding="utf-8"):
        pass
    assert "open" in events
