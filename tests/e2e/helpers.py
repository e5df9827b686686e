"""Small builders shared by the end-to-end tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

PY_URI = "file:///work/project/app.py"
RS_URI = "file:///work/project/src/main.rs"
PY_TEXT = "import os\n\ndef main():\n    print(undefined_name)\n\nmain()\n"
RS_TEXT = 'fn main() {\n    let v = vec![1];\n    let w = v;\n    println!("{:?}", v);\n}\n'


def rng(line: int, start: int, end: int) -> lsp.Range:
    return lsp.Range(lsp.Position(line, start), lsp.Position(line, end))


def pylance_diagnostic() -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=rng(3, 10, 24),
        message='"undefined_name" is not defined',
        severity=lsp.DiagnosticSeverity.Error,
        code="reportUndefinedVariable",
        source="Pylance",
    )


def rustc_diagnostic() -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=rng(3, 21, 22),
        message="borrow of moved value: `v`",
        severity=lsp.DiagnosticSeverity.Error,
        code="E0382",
        source="rustc",
    )


def open_document(client: LanguageClient, uri: str, text: str, language: str) -> None:
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, language, 1, text))
    )


def as_json(client: LanguageClient, value: Any) -> Any:
    return client.protocol._converter.unstructure(value)


async def explain(client: LanguageClient, *arguments: Any) -> Any:
    return await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="dexter.explain", arguments=list(arguments))
    )


async def code_actions(
    client: LanguageClient, uri: str, diagnostics: list[lsp.Diagnostic]
) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri),
            range=diagnostics[0].range,
            context=lsp.CodeActionContext(diagnostics=diagnostics),
        )
    )
    assert result is not None
    actions = [a for a in result if isinstance(a, lsp.CodeAction)]
    assert len(actions) == len(result), "every item must be a CodeAction, not a bare Command"
    return actions


def stored_bytes(root: Path) -> dict[str, bytes]:
    """Every file Dexter wrote under `root` (its DEXTER_LS_HOME): name -> contents."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
