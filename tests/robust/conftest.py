"""A real `dexter-ls` over raw stdio pipes, initialized, with one open Python document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.robust.raw_client import RawServer

SOURCE = "import os\n\ndef main():\n    print(undefined_name)\n"


def diagnostic(message: str = "\"undefined_name\" is not defined",
               line: int = 3) -> dict[str, Any]:
    return {"range": {"start": {"line": line, "character": 10},
                      "end": {"line": line, "character": 24}},
            "message": message, "severity": 1, "source": "Pylance",
            "code": "reportUndefinedVariable"}


class Session:
    def __init__(self, server: RawServer, uri: str) -> None:
        self.server, self.uri = server, uri

    def explain(self, diag: dict[str, Any] | None = None, timeout: float = 60
                ) -> dict[str, Any]:
        return self.server.request("workspace/executeCommand", {
            "command": "dexter.explain",
            "arguments": [{"uri": self.uri, "diagnostic": diag or diagnostic()}]},
            timeout=timeout)

    def code_actions(self, timeout: float = 30) -> dict[str, Any]:
        diag = diagnostic()
        return self.server.request("textDocument/codeAction", {
            "textDocument": {"uri": self.uri}, "range": diag["range"],
            "context": {"diagnostics": [diag]}}, timeout=timeout)


def open_session(home: Path, settings: dict[str, Any] | None = None, **env: str) -> Session:
    server = RawServer(home, **env)
    server.initialize(home, settings)
    uri = (home / "main.py").as_uri()
    (home / "main.py").write_text(SOURCE)
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": SOURCE}})
    return Session(server, uri)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    s = open_session(tmp_path)
    yield s
    s.server.close()
