"""initialize / initialized: run the features' subscribers, warm the catalog off the event loop."""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types as lsp

from dexter_ls.explain import prompting
from dexter_ls.features.base import DexterServer
from dexter_ls.providers.builtin.catalog import load_catalog

log = logging.getLogger(__name__)


async def _warm_catalog(ls: DexterServer) -> None:
    try:
        await asyncio.to_thread(prompting.warm)  # regex tables, templates: off the loop
        catalog = await asyncio.to_thread(load_catalog)
        log.info("offline catalog: %d entries", len(catalog.entries))
    except Exception:
        log.exception("the offline catalog could not be loaded")
    finally:
        ls.catalog_ready.set()


PROBE_INTERVAL_SECONDS = 300.0
RECENT_SECONDS = 60.0


async def _discover(ls: DexterServer) -> None:
    """Ask every provider which models it has, now and then every few minutes.

    Only free endpoints (/api/tags, /api/show, /v1/models); never on a request path.
    """
    while True:  # a provider just installed (and being discovered) is not asked twice
        await ls.discover(skip_recent=RECENT_SECONDS)
        await asyncio.sleep(PROBE_INTERVAL_SECONDS)


def register(ls: DexterServer) -> None:
    @ls.feature(lsp.INITIALIZE)
    def initialize(ls: DexterServer, params: lsp.InitializeParams) -> None:
        for subscriber in ls.on_initialize:
            subscriber(params)

    @ls.feature(lsp.INITIALIZED)
    async def initialized(ls: DexterServer, params: lsp.InitializedParams) -> None:
        warm = asyncio.ensure_future(_warm_catalog(ls))
        for subscriber in ls.on_initialized:
            try:  # one failing (a damaged file) must not keep the others from running
                await subscriber()
            except Exception:
                log.exception("start-up step %s failed; carrying on without it",
                              getattr(subscriber, "__qualname__", subscriber))
        ls.background(_discover(ls))
        await warm

    @ls.feature(lsp.SHUTDOWN)
    async def shutdown(ls: DexterServer, *args: object) -> None:
        # Background explanations stop; answers and telemetry already produced are written.
        await ls.prefetcher.close()
        await ls.explainer.flush()
        log.info("shutdown: pending cache and telemetry writes are done")
