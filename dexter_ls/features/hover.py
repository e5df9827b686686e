"""Hover on a diagnostic: the remembered explanation, else the offline reference. Memory only."""

from __future__ import annotations

from lsprotocol import types as lsp

from dexter_ls.features import convert
from dexter_ls.features.base import DexterServer
from dexter_ls.features.documents import memory_subject
from dexter_ls.providers.builtin import quick_reference

SEPARATOR = "\n\n---\n\n"


def register(ls: DexterServer) -> None:
    @ls.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: DexterServer, params: lsp.HoverParams) -> lsp.Hover | None:
        # Synchronous: pygls answers it without a task of its own (a hot path). Before the
        # catalog is warm (the first second after start) quick_reference loads it here.
        uri = params.text_document.uri
        found = ls.diagnostics.at(uri, convert.position(params.position))
        if not found:
            return None
        sections = []
        for diag in found:
            subject = memory_subject(ls, uri, diag)
            known = ls.explainer.remembered(subject)
            if known is not None:
                sections.append(f"**Dexter** · explained by `{known.model}`\n\n{known.markdown}")
            else:
                sections.append(
                    "**Dexter** · offline reference (run *Dexter: explain* for a model's answer)"
                    f"\n\n{quick_reference(subject)}"
                )
        return lsp.Hover(
            contents=lsp.MarkupContent(lsp.MarkupKind.Markdown, SEPARATOR.join(sections)),
            range=convert.to_lsp_range(found[0].range) if len(found) == 1 else None,
        )
