"""pygls 2.1.1 keeps finished handler futures; `forget_finished_futures` drops them."""

from __future__ import annotations

import asyncio
from typing import Any

from pygls.lsp.server import LanguageServer

from dexter_ls.features.futures import forget_finished_futures


async def test_finished_async_handlers_leave_the_table_and_running_ones_stay() -> None:
    server = LanguageServer("t", "0")
    forget_finished_futures(server.protocol)
    forget_finished_futures(server.protocol)  # idempotent
    release = asyncio.Event()
    done: list[Any] = []

    async def quick(value: int) -> int:
        return value

    async def slow() -> str:
        await release.wait()
        return "late"

    for index in range(50):
        server.protocol._execute_handler(f"n{index}", quick, done.append, args=(index,))
    server.protocol._execute_handler("slow", slow, done.append)
    started = dict(server.protocol._request_futures)
    await asyncio.gather(*(f for key, f in started.items() if key != "slow"))
    await asyncio.sleep(0)  # forgotten on the loop's next turn
    assert list(server.protocol._request_futures) == ["slow"]  # cancellable while it runs
    release.set()
    assert await started["slow"] == "late"
    await asyncio.sleep(0)
    assert server.protocol._request_futures == {}
    assert len(done) == 51


def test_without_the_workaround_pygls_keeps_them() -> None:
    """The bug this works around: if pygls fixes it, this fails and the module can go."""

    async def run() -> int:
        server = LanguageServer("t", "0")

        async def quick() -> None:
            return None

        for index in range(5):
            server.protocol._execute_handler(f"n{index}", quick, lambda _f: None)
        await asyncio.sleep(0.01)
        return len(server.protocol._request_futures)

    assert asyncio.run(run()) == 5
