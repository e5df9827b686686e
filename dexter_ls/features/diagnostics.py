"""Diagnostics intake: `dexter/didChangeDiagnostics` and document lifecycle."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from lsprotocol import types as lsp

from dexter_ls.explain.prefetch import PrefetchItem
from dexter_ls.features.base import DexterServer
from dexter_ls.features.documents import memory_subject
from dexter_ls.intake.parse import diagnostic_from_json

log = logging.getLogger(__name__)
DID_CHANGE_DIAGNOSTICS = "dexter/didChangeDiagnostics"


async def _after_push(ls: DexterServer, uri: str) -> None:
    """Off the request path, after each push: answers cached on disk (an earlier session,
    another server) move into memory, where hover finds them (disk reads in threads, no
    model asked), and with `dexter.explain.prefetch` the new diagnostics go to the
    background prefetcher. Pushes can arrive before the client's settings: this waits."""
    await ls.catalog_ready.wait()
    await ls.configured.wait()
    subjects = [(diag, memory_subject(ls, uri, diag)) for diag in ls.diagnostics.pushed(uri)]
    if ls.settings.explain.prefetch != "off":  # an empty list cancels what has gone
        ls.prefetcher.update(uri, [PrefetchItem(subject.cache_key(), diag.severity, subject)
                                   for diag, subject in subjects])
    if ls.explainer.cache is not None and ls.settings.cache.enabled:
        for _, subject in subjects:
            await ls.explainer.recall(subject)


@attrs.define
class RawNotification:
    """A notification whose params stay the JSON they arrived as. Without a type of its own,
    pygls turns every JSON object of an unknown notification into a namedtuple of a class made
    for it (≈ 4 ms per 20 diagnostics, and memory that is not given back)."""

    method: str
    jsonrpc: str
    params: Any = None


def take_raw_params(ls: DexterServer, method: str) -> None:
    """Make pygls hand `method`'s params to its handler as plain JSON (dicts and lists)."""
    protocol = ls.protocol
    typed: Callable[[str], Any] = protocol.get_message_type

    def message_type(name: str) -> Any:
        return RawNotification if name == method else typed(name)

    setattr(protocol, "get_message_type", message_type)  # noqa: B010


def register(ls: DexterServer) -> None:
    take_raw_params(ls, DID_CHANGE_DIAGNOSTICS)

    @ls.feature(DID_CHANGE_DIAGNOSTICS)
    def did_change_diagnostics(ls: DexterServer, params: object) -> None:
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
        ls.background(_after_push(ls, params["uri"]))

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DexterServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.diagnostics.forget_seen(params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DexterServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.diagnostics.drop(params.text_document.uri)
        ls.prefetcher.forget(params.text_document.uri)
