"""Diagnostics intake: `dexter/didChangeDiagnostics` and document lifecycle."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from lsprotocol import types as lsp

from dexter_ls.explain.prefetch import PrefetchItem
from dexter_ls.features.base import DexterServer
from dexter_ls.features.convert import plain
from dexter_ls.features.documents import memory_subject
from dexter_ls.intake.parse import diagnostic_from_json

log = logging.getLogger(__name__)
DID_CHANGE_DIAGNOSTICS = "dexter/didChangeDiagnostics"


async def _recall(ls: DexterServer, uri: str) -> None:
    """Answers cached on disk (an earlier session, another server) move into memory, where
    hover finds them. Disk reads happen in threads; no model is asked."""
    await ls.catalog_ready.wait()
    await ls.configured.wait()
    if ls.explainer.cache is None or not ls.settings.cache.enabled:
        return
    for diag in ls.diagnostics.pushed(uri):
        await ls.explainer.recall(memory_subject(ls, uri, diag))


def _prefetch(ls: DexterServer, uri: str) -> None:
    """Hand the document's diagnostics to the background prefetcher (dexter.explain.prefetch).

    Pushes can arrive before the client's settings do: then this waits for them."""
    if not ls.configured.is_set():
        async def later() -> None:
            await ls.configured.wait()
            _prefetch(ls, uri)

        ls.background(later())
        return
    if ls.settings.explain.prefetch == "off":
        return
    ls.prefetcher.update(uri, [
        PrefetchItem(subject.cache_key(), diag.severity, subject)
        for diag in ls.diagnostics.pushed(uri) for subject in [memory_subject(ls, uri, diag)]])


def register(ls: DexterServer) -> None:
    @ls.feature(DID_CHANGE_DIAGNOSTICS)
    def did_change_diagnostics(ls: DexterServer, raw_params: object) -> None:
        params = plain(raw_params)
        if not isinstance(params, Mapping) or not isinstance(params.get("uri"), str):
            log.warning("%s ignored: params need a string 'uri'", DID_CHANGE_DIAGNOSTICS)
            return
        raw = params.get("diagnostics")
        if not isinstance(raw, list):
            log.warning("%s ignored: 'diagnostics' must be a list", DID_CHANGE_DIAGNOSTICS)
            return
        kept = []
        for index, item in enumerate(raw):
            try:
                kept.append(diagnostic_from_json(item, f"diagnostics[{index}]"))
            except ValueError as exc:
                log.warning("%s: skipped %s", DID_CHANGE_DIAGNOSTICS, exc)
        ls.diagnostics.replace(params["uri"], kept)
        if kept:
            ls.background(_recall(ls, params["uri"]))
        _prefetch(ls, params["uri"])

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DexterServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.diagnostics.forget_seen(params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DexterServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.diagnostics.drop(params.text_document.uri)
        ls.prefetcher.forget(params.text_document.uri)
