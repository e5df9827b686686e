"""The floor for the LSP figures: a minimal pygls server answering what Dexter answers.

`textDocument/codeAction` returns the very JSON Dexter returns (one "Dexter: explain …" quick
fix per diagnostic, same titles, same command and arguments), computed the shortest way;
`textDocument/hover` returns the markdown and range given in `initializationOptions`
(`{"hover": str, "hoverRange": Range}`): what Dexter answers from memory for an explained
diagnostic. The suite checks that both servers' answers are byte-for-byte equal.

`dexter.explain` (with `{"explainUrl", "explainBody"}` in `initializationOptions`) streams one
POST of that body with httpx, forwards each text delta as `dexter/explanationChunk` and
answers `{"markdown": text}`: the least an LSP server must do to stream an explanation.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

server = LanguageServer("floor", "0")
hover_answer: dict[str, Any] = {}
clients: list[httpx.AsyncClient] = []


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


@server.command("dexter.explain")
async def explain(ls: LanguageServer, *args: Any) -> dict[str, Any]:
    if not clients:
        clients.append(httpx.AsyncClient(trust_env=False))
    target = args[0] if args else {}
    text = []
    async with clients[0].stream("POST", hover_answer["explainUrl"],
                                 content=hover_answer["explainBody"].encode(),
                                 headers={"Content-Type": "application/json"}) as reply:
        async for line in reply.aiter_lines():
            if not line.startswith("data: {"):
                continue
            for choice in json.loads(line[6:]).get("choices", ()):
                delta = choice.get("delta", {}).get("content")
                if delta:
                    text.append(delta)
                    ls.protocol.notify("dexter/explanationChunk", {
                        "uri": target.get("uri"), "range": target.get("diagnostic", {}).get(
                            "range"), "model": "floor", "text": delta})
    return {"markdown": "".join(text)}


if __name__ == "__main__":
    server.start_io()
