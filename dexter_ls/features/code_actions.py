"""Code action "Dexter: explain …" for every diagnostic in the request and every known one
overlapping its range. Memory only: a hot path."""

from __future__ import annotations

from lsprotocol import types as lsp

from dexter_ls.features import convert
from dexter_ls.features.base import DexterServer
from dexter_ls.features.diagnostic_store import identity

TITLE_CHARS = 60


def title_for(diag: lsp.Diagnostic) -> str:
    message = " ".join(diag.message.split())
    if len(message) > TITLE_CHARS:
        message = message[: TITLE_CHARS - 1].rstrip() + "…"
    code = f"{diag.code}: " if diag.code not in (None, "") else ""
    return f"Dexter: explain {code}{message}"


def actions_for(uri: str, diagnostics: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    actions = []
    for diag in diagnostics:
        title = title_for(diag)
        actions.append(
            lsp.CodeAction(
                title=title,
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=False,
                command=lsp.Command(
                    title=title,
                    command="dexter.explain",
                    arguments=[{"uri": uri, "diagnostic": diag}],
                ),
            )
        )
    return actions


def register(ls: DexterServer) -> None:
    @ls.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def code_action(ls: DexterServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        only = params.context.only
        if only and not any(_includes(kind, lsp.CodeActionKind.QuickFix) for kind in only):
            return []
        uri = params.text_document.uri
        diagnostics = list(params.context.diagnostics)
        # Only the newest `seen_per_document` are kept: convert no more than those.
        newest = diagnostics[-ls.diagnostics.seen_per_document:]
        ls.diagnostics.saw(uri, [convert.diagnostic(d) for d in newest])
        # Also what the server knows there (forwarded with dexter/didChangeDiagnostics, seen
        # in earlier requests): Neovim 0.8+ and eglot send only this server's diagnostics.
        wanted = params.range
        known = ls.diagnostics.overlapping(uri, convert.range_(wanted))
        if known:
            # A known one repeats an offered one only if it has the same range: compare with
            # the offered ones that meet the requested range, not with all of them.
            offered = {identity(convert.diagnostic(d)) for d in diagnostics
                       if _meets(d.range, wanted)}
            for diag in known:
                key = identity(diag)
                if key not in offered:
                    offered.add(key)
                    diagnostics.append(convert.to_lsp_diagnostic(diag))
        return actions_for(uri, diagnostics)


def _meets(a: lsp.Range, b: lsp.Range) -> bool:
    """The ranges overlap or touch (as DiagnosticStore.overlapping counts it)."""
    return ((a.start.line, a.start.character) <= (b.end.line, b.end.character)
            and (b.start.line, b.start.character) <= (a.end.line, a.end.character))


def _includes(requested: str, kind: str) -> bool:
    """`only: ["quickfix"]` and `only: [""]` both include `quickfix`."""
    return kind == requested or kind.startswith(f"{requested}.") or requested == ""
