"""A workaround for pygls 2.1.1 keeping finished handler futures forever.

pygls files every future it starts in `protocol._request_futures` and removes an entry only
when it answers a request by that entry's own id. Handlers run *through* a built-in
generator (`workspace/executeCommand`, and every notification pygls also handles itself:
didOpen, didChange, initialized …) and asynchronous notification handlers are filed under a
fresh uuid that nothing ever removes, so each one keeps its future, and with it the handler's
result (an explanation's JSON), for the life of the server: about 3 MB per 1,000 explanations.

`forget_finished_futures(protocol)` makes every future leave that table when it finishes.
A future that is still running stays where pygls filed it, so `$/cancelRequest` handling
that looks futures up there keeps working.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pygls.protocol import JsonRPCProtocol

MARK = "_dexter_forgets_finished_futures"


def forget_finished_futures(protocol: JsonRPCProtocol) -> None:
    """Wrap `protocol._execute_handler` so finished futures are dropped. Idempotent."""
    if getattr(protocol, MARK, False):
        return
    execute: Callable[..., None] = protocol._execute_handler
    table: dict[Any, Any] = protocol._request_futures

    def forget(msg_id: Any, future: Any) -> None:
        # The identity check keeps a newer future filed under the same id.
        if table.get(msg_id) is future:
            table.pop(msg_id, None)

    def execute_then_forget(msg_id: Any, *args: Any, **kwargs: Any) -> None:
        before = table.get(msg_id)
        execute(msg_id, *args, **kwargs)
        future = table.get(msg_id)
        if future is None or future is before:
            return  # a synchronous handler (never filed) or nothing new
        if future.done():
            forget(msg_id, future)
            return
        # Forget on the loop's next turn, never inside the callback: a future can finish
        # while pygls iterates the table (shutdown cancels them all), or in a worker thread.
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # driven without a loop (tests): nothing iterates concurrently
            future.add_done_callback(lambda done: forget(msg_id, done))
            return
        future.add_done_callback(
            lambda done: loop.call_soon_threadsafe(forget, msg_id, done))

    setattr(protocol, "_execute_handler", execute_then_forget)  # noqa: B010
    setattr(protocol, MARK, True)
