"""The language server object and the state every feature shares."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from dexter_ls import __version__
from dexter_ls.assemble import register_providers
from dexter_ls.core.subject import Subject
from dexter_ls.explain.prefetch import Prefetcher
from dexter_ls.explain.service import Explainer
from dexter_ls.features.diagnostic_store import DiagnosticStore
from dexter_ls.features.futures import forget_finished_futures
from dexter_ls.features.protocol import DexterProtocol
from dexter_ls.models.attempts import ChainExhausted
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.store.explanation_cache import ExplanationCache
from dexter_ls.store.telemetry import Telemetry

if TYPE_CHECKING:  # settings load after the initialize handshake, not at start-up
    from dexter_ls.settings import Settings

log = logging.getLogger("dexter_ls")


class DexterServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("dexter-ls", __version__, protocol_cls=DexterProtocol)
        forget_finished_futures(self.protocol)  # pygls 2.1.1 keeps them all otherwise
        self._settings: Settings | None = None
        self.registry = ModelRegistry()
        register_providers(self.registry)
        # Disk stores open lazily, on their first use in a thread: nothing touches disk here.
        self.telemetry = Telemetry()
        self.explainer = Explainer(self.registry, lambda: self.settings,
                                   cache=ExplanationCache(), telemetry=self.telemetry)
        self.diagnostics = DiagnosticStore()
        self.prefetcher = Prefetcher(self._prefetch, mode=lambda: self.settings.explain.prefetch,
                                     is_cached=self.explainer.remembers)
        self.editor_keys: dict[str, str] = {}  # from the editor's secret store, memory only
        self.own_settings: Settings | None = None  # the user's own settings file (trusted)
        self.approved_once: set[tuple[str, str]] = set()  # "Allow once" answers: (source, origin)
        self.asked: set[tuple[str, str]] = set()  # questions asked in this session
        self.catalog_ready = asyncio.Event()
        self.configured = asyncio.Event()  # settings and providers installed at least once
        # Features subscribe to the lifecycle here (pygls allows one handler per method).
        self.on_initialize: list[Callable[[lsp.InitializeParams], None]] = []
        self.on_initialized: list[Callable[[], Awaitable[None]]] = []
        self.on_discovered: list[Callable[[], None]] = []  # after each model discovery
        self._background: set[asyncio.Task[Any]] = set()

    def background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` off the request path; failures are logged, never lost."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._finished)

    async def discover(self, only: list[str] | None = None, *, skip_recent: float = 0.0
                       ) -> None:
        """Ask the providers (all, or those named in `only`) which models they have; then,
        once the settings are in, let the subscribers check the user's chosen models.
        `skip_recent`: see ModelRegistry.refresh."""
        failures = await self.registry.refresh(only, skip_recent=skip_recent)
        for provider, error in failures.items():
            log.info("model discovery: %s: %s", provider, error)
        await self.configured.wait()  # the user's models are known: now they can be checked
        for subscriber in self.on_discovered:
            subscriber()

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background work failed", exc_info=task.exception())

    async def _prefetch(self, subject: Subject) -> None:
        """Explain one diagnostic in the background so hover and the code action find it
        (items reach the prefetcher only once the catalog and the settings are ready)."""
        if self.explainer.candidates(subject=subject)[0] == BUILTIN_MODEL:
            return  # the reference answers instantly anyway; nothing to prefetch
        try:
            await self.explainer.explain(subject, interactive=False)
        except ChainExhausted as exc:
            log.info("prefetch: %s", exc)

    def sync_folders(self) -> None:
        """Tell the preferences which workspace folders are open (multi-root workspaces)."""
        self.explainer.preferences.folders = list(self.workspace.folders)

    def apply_storage_settings(self) -> None:
        """Bounds of the explanation cache and of telemetry, from `dexter.cache.*` and
        `dexter.telemetry.*` (they apply from the next write on)."""
        settings = self.settings
        cache, telemetry = self.explainer.cache, self.telemetry
        if cache is not None:
            cache.max_entries = settings.cache.max_entries
            cache.ttl_seconds = settings.cache.ttl_days * 86400
        if telemetry is not None:
            telemetry.retention_s = settings.telemetry.retention_days * 86400
            telemetry.max_rows = settings.telemetry.max_rows
        self.prefetcher.configure(debounce_seconds=settings.explain.prefetch_debounce_ms / 1000,
                                  per_minute=settings.explain.prefetch_per_minute)

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve over stdio with the bounded frame reader of `framing` (pygls' own reader
        dies on a huge Content-Length and hangs on a wrong one)."""
        from pygls.io_ import StdoutWriter

        from dexter_ls.features.framing import pipe_reader, run_frames

        source = stdin or sys.stdin.buffer
        sink = stdout or sys.stdout.buffer
        self._stop_event = stop = threading.Event()
        self.protocol.set_writer(StdoutWriter(sink))
        read1 = getattr(source, "read1", None)

        def read_some() -> bytes:
            return read1(65536) if read1 is not None else os.read(source.fileno(), 65536)

        async def read_chunk() -> bytes:
            return await asyncio.get_running_loop().run_in_executor(self.thread_pool, read_some)

        async def serve() -> None:
            reader = await pipe_reader(source, sink)
            await run_frames(read_chunk if reader is None else reader, self.rpc, stop.is_set)

        try:
            asyncio.run(serve())
        except BrokenPipeError:
            log.error("the connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    @property
    def rpc(self) -> DexterProtocol:
        """The protocol, as the DexterProtocol it always is (set in __init__)."""
        return cast(DexterProtocol, self.protocol)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from dexter_ls.settings import Settings

            self._settings = Settings()
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value
