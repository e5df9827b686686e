"""A bare pygls server: the yardstick for dexter-ls's start-up and code-action round trip.

It answers textDocument/codeAction with one CodeAction per diagnostic (the same
shape Dexter returns) and does nothing else.
"""

from __future__ import annotations

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

server = LanguageServer("baseline", "0")


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION)
def code_action(ls: LanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    return [
        lsp.CodeAction(
            title=f"explain {d.message}",
            kind=lsp.CodeActionKind.QuickFix,
            diagnostics=[d],
            is_preferred=False,
            command=lsp.Command(
                title="explain", command="x.explain", arguments=[{"uri": uri, "diagnostic": d}]
            ),
        )
        for d in params.context.diagnostics
    ]


if __name__ == "__main__":
    server.start_io()
