"""Show an answer to a user whose editor discards the result of `workspace/executeCommand`
(Neovim, Helix, eglot do): `dexter.explain.show` = auto | document | message | none.

auto: nothing for a client that renders explanations itself (it declares
`capabilities.experimental.dexterExplanationView: true`); else a Markdown document beside
the code (`window/showDocument`, without focus) when the client can show one; else
`window/showMessage` with the first paragraph.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any, Literal

from lsprotocol import types as lsp

from dexter_ls.core.subject import Subject
from dexter_ls.explain.result import Explanation
from dexter_ls.features.base import DexterServer
from dexter_ls.store.explanation_view import write_view

log = logging.getLogger(__name__)
VIEW_CAPABILITY = "dexterExplanationView"
HOVER_HINT = "hover the diagnostic for the whole answer"
MESSAGE_CHARS = 400
Way = Literal["document", "message", "none"]


def declares(ls: DexterServer, name: str) -> bool:
    """The client set `capabilities.experimental.<name>` to true."""
    caps = ls.client_capabilities
    experimental: Any = caps.experimental if caps else None
    if isinstance(experimental, Mapping):
        return experimental.get(name) is True
    return getattr(experimental, name, None) is True


def _can_show_documents(ls: DexterServer) -> bool:
    caps = ls.client_capabilities
    window = caps.window if caps else None
    return bool(window and window.show_document and window.show_document.support)


def way_to_show(ls: DexterServer) -> Way:
    mode = ls.settings.explain.show
    if mode == "none" or (mode == "auto" and declares(ls, VIEW_CAPABILITY)):
        return "none"
    if mode in ("auto", "document") and _can_show_documents(ls):
        return "document"
    return "message"  # `document` asked of a client that cannot open one: the next best


def first_paragraph(explanation: Explanation) -> str:
    """The answer's first paragraph of prose (after the notice, which comes first when the
    reference answered for another model), as plain text."""
    body = explanation.markdown
    if explanation.notice and body.startswith(f"*{explanation.notice}*"):
        body = body[len(explanation.notice) + 2:]
    for block in re.split(r"\n\s*\n", body):
        text = block.strip()
        if not text or text.startswith(("#", "```", "---", "|", ">", "- ", "* ", "1.")):
            continue
        if text.endswith(":"):  # an introduction to what follows (a quote, a list)
            continue
        text = re.sub(r"[*_`]+", "", " ".join(text.split()))
        return text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS - 1].rstrip() + "…"
    return ""


def message_text(explanation: Explanation) -> str:
    parts = [p for p in (explanation.notice, first_paragraph(explanation)) if p]
    return f"Dexter ({explanation.model}): {' '.join(parts)} ({HOVER_HINT})"


def document_text(subject: Subject, explanation: Explanation) -> str:
    diag = subject.diagnostic
    code = f" [{diag.code}]" if diag.code else ""
    heading = " ".join(diag.message.split())[:120]
    return (f"# Dexter: {heading}\n\n`{subject.location()}` · {diag.source or 'unknown tool'}"
            f"{code}\n\n{explanation.markdown}\n")


async def show(ls: DexterServer, subject: Subject, explanation: Explanation) -> None:
    """Show `explanation` as the setting and the client allow (run in the background)."""
    way = way_to_show(ls)
    if way == "document":
        try:
            path = await asyncio.to_thread(write_view, subject.cache_key(),
                                           document_text(subject, explanation))
            result = await ls.window_show_document_async(lsp.ShowDocumentParams(
                uri=path.as_uri(), external=False, take_focus=False))
        except Exception as exc:  # a write error, or the client refused: say it another way
            log.info("could not show the explanation as a document: %s", exc)
        else:
            if result is None or result.success:
                return
        way = "message"
    if way == "message":
        ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Info,
                                                     message_text(explanation)))
