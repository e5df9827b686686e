"""The floor for the LSP figures: a minimal pygls server answering what Dexter answers.

`textDocument/codeAction` returns the very JSON Dexter returns (one "Dexter: explain …" quick
fix per diagnostic, same titles, same command and arguments), computed the shortest way;
`textDocument/hover` returns the markdown and range given in `initializationOptions`
(`{"hover": str, "hoverRange": Range}`): what Dexter answers from memory for an explained
diagnostic. The suite checks that both servers' answers are byte-for-byte equal.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

server = LanguageServer("floor", "0")
hover_answer: dict[str, Any] = {}


def _title(diag: lsp.Diagnostic) -> str:
    message = " ".join(diag.message.split())
    if len(message) > 60:
        message = message[:59].rstrip() + "…"
    code = f"{diag.code}: " if diag.code not in (None, "") else ""
    return f"Dexter: explain {code}{message}"


@server.feature(lsp.INITIALIZE)
def initialize(ls: LanguageServer, params: lsp.InitializeParams) -> None:
    hover_answer.update(params.initialization_options or {})


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def code_action(ls: LanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    actions = []
    for diag in params.context.diagnostics:
        title = _title(diag)
        actions.append(lsp.CodeAction(
            title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diag],
            is_preferred=False,
            command=lsp.Command(title=title, command="dexter.explain",
                                arguments=[{"uri": uri, "diagnostic": diag}])))
    return actions


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    if "hover" not in hover_answer:
        return None
    rng = hover_answer.get("hoverRange")
    return lsp.Hover(
        contents=lsp.MarkupContent(lsp.MarkupKind.Markdown, hover_answer["hover"]),
        range=ls.protocol._converter.structure(rng, lsp.Range) if rng else None)


if __name__ == "__main__":
    server.start_io()
