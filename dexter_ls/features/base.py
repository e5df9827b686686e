"""The language server object and the state every feature shares."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from dexter_ls import __version__
from dexter_ls.explain.service import Explainer
from dexter_ls.features.diagnostic_store import DiagnosticStore
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.providers import register_providers

if TYPE_CHECKING:  # pydantic loads after the initialize handshake, not at start-up
    from dexter_ls.settings import Settings

log = logging.getLogger("dexter_ls")


class DexterServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("dexter-ls", __version__)
        self._settings: Settings | None = None
        self.registry = ModelRegistry()
        register_providers(self.registry)
        self.explainer = Explainer(self.registry, lambda: self.settings)
        self.diagnostics = DiagnosticStore()
        self.editor_keys: dict[str, str] = {}  # from the editor's secret store, memory only
        self.catalog_ready = asyncio.Event()
        self.configured = asyncio.Event()  # settings and providers installed at least once
        # Features subscribe to the lifecycle here (pygls allows one handler per method).
        self.on_initialize: list[Callable[[lsp.InitializeParams], None]] = []
        self.on_initialized: list[Callable[[], Awaitable[None]]] = []
        self._background: set[asyncio.Task[Any]] = set()

    def background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` off the request path; failures are logged, never lost."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background work failed", exc_info=task.exception())

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from dexter_ls.settings import Settings

            self._settings = Settings()
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value
