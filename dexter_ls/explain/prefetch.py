"""Explain new diagnostics in the background so hover later answers from the cache.

Lowest priority by design: debounced per document, deduplicated by key, at most
`per_minute` starts in any rolling 60 s, one at a time, paused while the user's own
explanations run, and cancelled when the diagnostic goes away. Pure asyncio, no LSP.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
REMEMBERED_KEYS = 10_000  # explained (or failed) keys kept to avoid repeating them


@dataclass(frozen=True)
class PrefetchItem:
    key: str  # identity, e.g. the explanation cache key of the diagnostic
    severity: int | None  # LSP severity: 1 error, 2 warning, 3 info, 4 hint (None: error)
    payload: Any  # opaque to the scheduler (the caller's Subject)


@dataclass
class _Entry:
    item: PrefetchItem
    seq: int
    docs: set[str] = field(default_factory=set)  # documents that still show this diagnostic

    def rank(self) -> tuple[int, int]:
        return (self.item.severity or 1, self.seq)  # errors first, then oldest first


class _Interactive:
    """While any is entered (with or async with), prefetch starts nothing new."""

    def __init__(self, owner: Prefetcher) -> None:
        self._owner = owner

    def __enter__(self) -> None:
        self._owner._interactive += 1

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._owner._interactive -= 1
        self._owner._wake.set()

    async def __aenter__(self) -> None:
        self.__enter__()

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None,
                        tb: TracebackType | None) -> None:
        self.__exit__(et, e, tb)


def _wanted(mode: str, severity: int | None) -> bool:
    if mode == "all":
        return True
    return mode == "errors" and severity in (1, None)  # unknown modes count as "off"


class Prefetcher:
    def __init__(self, explain: Callable[[Any], Awaitable[object]], *, mode: Callable[[], str],
                 debounce_seconds: float = 1.0, per_minute: int = 10,
                 is_cached: Callable[[str], bool] = lambda key: False,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._explain = explain
        self._mode = mode
        self._debounce = debounce_seconds
        self._per_minute = max(per_minute, 1)
        self._is_cached = is_cached
        self._clock = clock
        self._sleep = sleep
        self._settling: dict[str, tuple[asyncio.TimerHandle, list[PrefetchItem]]] = {}
        self._queue: dict[str, _Entry] = {}
        self._current: tuple[_Entry, asyncio.Task[object]] | None = None
        self._done: OrderedDict[str, None] = OrderedDict()
        self._starts: deque[float] = deque()
        self._seq = 0
        self._interactive = 0
        self._closed = False
        self._worker: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._counts = dict.fromkeys(
            ("started", "finished", "failed", "cancelled", "skippedCached", "dropped"), 0)

    def configure(self, *, debounce_seconds: float, per_minute: int) -> None:
        """New settings apply from the next update / the next start on."""
        self._debounce = debounce_seconds
        self._per_minute = max(per_minute, 1)

    @property
    def stats(self) -> dict[str, int]:
        pending = len(self._queue) + sum(len(items) for _, items in self._settling.values())
        return {**self._counts, "pending": pending}

    def interactive(self) -> _Interactive:
        return _Interactive(self)

    def update(self, document: str, items: Sequence[PrefetchItem]) -> None:
        """The document's current diagnostics (sync, never blocks)."""
        if self._closed:
            return
        mode = self._mode()
        if mode not in ("errors", "all"):
            self.forget(document)
            return
        wanted = [item for item in items if _wanted(mode, item.severity)]
        self._release(document, {item.key for item in wanted})
        old = self._settling.pop(document, None)
        if old is not None:
            old[0].cancel()
        loop = asyncio.get_running_loop()
        handle = loop.call_later(self._debounce, self._settle, document)
        self._settling[document] = (handle, wanted)
        self._ensure_worker(loop)

    def forget(self, document: str) -> None:
        """The document closed: cancel everything queued or running for it."""
        old = self._settling.pop(document, None)
        if old is not None:
            old[0].cancel()
        self._release(document, set())

    async def drain(self) -> None:
        """Wait until nothing is settling, queued or running (hangs while interactive)."""
        while not self._is_idle():
            self._idle.clear()
            self._wake.set()
            await self._idle.wait()

    async def close(self) -> None:
        self._closed = True
        for handle, _ in self._settling.values():
            handle.cancel()
        self._settling.clear()
        self._queue.clear()
        tasks: list[asyncio.Future[Any]] = [self._worker] if self._worker else []
        if self._current is not None:
            tasks.append(self._current[1])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._current = None
        self._idle.set()

    def _release(self, document: str, keep: set[str]) -> None:
        """`document` no longer shows keys outside `keep`: drop or cancel what only it wanted."""
        for key, entry in list(self._queue.items()):
            if key not in keep:
                entry.docs.discard(document)
                if not entry.docs:
                    del self._queue[key]
                    self._counts["dropped"] += 1
        if self._current is not None:
            entry, task = self._current
            if entry.item.key not in keep:
                entry.docs.discard(document)
                if not entry.docs:
                    task.cancel()
        self._wake.set()

    def _settle(self, document: str) -> None:
        """The document's diagnostics stopped changing: queue the new ones."""
        _, items = self._settling.pop(document, (None, []))
        for item in items:
            if item.key in self._done:
                continue
            if self._current is not None and self._current[0].item.key == item.key:
                self._current[0].docs.add(document)
                continue
            entry = self._queue.get(item.key)
            if entry is None:
                self._seq += 1
                entry = self._queue[item.key] = _Entry(item, self._seq)
            entry.docs.add(document)
        self._wake.set()

    def _is_idle(self) -> bool:
        return self._closed or not (self._settling or self._queue or self._current)

    def _ensure_worker(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._worker is None or self._worker.done():
            self._worker = loop.create_task(self._run(), name="dexter-prefetch")

    async def _run(self) -> None:
        while True:
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:  # never let a surprise kill the worker
                log.exception("prefetch: worker step failed")

    async def _step(self) -> None:
        if self._interactive or not self._queue:
            if self._is_idle():
                self._idle.set()
            self._wake.clear()
            await self._wake.wait()
            return
        now = self._clock()
        while self._starts and now - self._starts[0] >= WINDOW_SECONDS:
            self._starts.popleft()
        if len(self._starts) >= self._per_minute:
            await self._sleep(self._starts[0] + WINDOW_SECONDS - now)
            return  # look again: items may have gone meanwhile
        if self._mode() not in ("errors", "all"):
            self._counts["dropped"] += len(self._queue)
            self._queue.clear()
            return
        entry = min(self._queue.values(), key=_Entry.rank)
        del self._queue[entry.item.key]
        if self._is_cached(entry.item.key):
            self._counts["skippedCached"] += 1
            return
        await self._explain_one(entry)

    async def _explain_one(self, entry: _Entry) -> None:
        key = entry.item.key
        self._starts.append(self._clock())
        self._counts["started"] += 1
        task: asyncio.Task[object] = asyncio.create_task(self._call(entry.item.payload))
        self._current = (entry, task)
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError:  # the worker itself is being cancelled (close)
            task.cancel()
            self._counts["cancelled"] += 1
            raise
        finally:
            self._current = None
        if task.cancelled():
            self._counts["cancelled"] += 1
            log.debug("prefetch: cancelled %s", key)
            return
        self._remember(key)
        error = task.exception()
        if error is None:
            self._counts["finished"] += 1
        else:
            self._counts["failed"] += 1
            log.warning("prefetch: explaining %s failed: %r", key, error)

    async def _call(self, payload: Any) -> object:  # a sync raise lands in the task too
        return await self._explain(payload)

    def _remember(self, key: str) -> None:
        self._done[key] = None
        while len(self._done) > REMEMBERED_KEYS:
            self._done.popitem(last=False)
