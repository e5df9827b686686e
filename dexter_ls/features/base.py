"""The language server object and the state every feature shares."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from dexter_ls import __version__
from dexter_ls.explain.service import Explainer
from dexter_ls.features.diagnostic_store import DiagnosticStore
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.providers import register_providers
from dexter_ls.settings import Settings

log = logging.getLogger("dexter_ls")


class DexterServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("dexter-ls", __version__)
        self.settings = Settings()
        self.registry = ModelRegistry()
        register_providers(self.registry)
        self.explainer = Explainer(self.registry, lambda: self.settings)
        self.diagnostics = DiagnosticStore()
        self.catalog_ready = asyncio.Event()
        # Features subscribe to the lifecycle here (pygls allows one handler per method).
        self.on_initialize: list[Callable[[lsp.InitializeParams], None]] = []
        self.on_initialized: list[Callable[[], Awaitable[None]]] = []
