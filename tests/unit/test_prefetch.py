"""The background prefetch scheduler: debounce, dedup, budget, priority, cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from dexter_ls.explain.prefetch import Prefetcher, PrefetchItem

DEBOUNCE = 0.05


def item(key: str, severity: int | None = 1) -> PrefetchItem:
    return PrefetchItem(key=key, severity=severity, payload=f"subject:{key}")


class FakeExplain:
    """Records payloads; `gate` (when set) holds each explanation until released."""

    def __init__(self, *, fail: set[str] | None = None, hold: bool = False) -> None:
        self.calls: list[str] = []
        self.fail = fail or set()
        self.gate = asyncio.Event()
        if not hold:
            self.gate.set()
        self.entered = asyncio.Event()
        self.cancelled: list[str] = []
        self.cancel_seen = asyncio.Event()

    async def __call__(self, payload: object) -> object:
        self.calls.append(str(payload))
        self.entered.set()
        try:
            await self.gate.wait()
        except asyncio.CancelledError:
            self.cancelled.append(str(payload))
            self.cancel_seen.set()
            raise
        if str(payload).removeprefix("subject:") in self.fail:
            raise RuntimeError("provider down")
        return "explained"


class FakeTime:
    """A clock and sleep pair: sleepers wake only when the test advances time."""

    def __init__(self) -> None:
        self.now = 0.0
        self._changed = asyncio.Event()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        target = self.now + seconds
        while self.now < target:
            self._changed.clear()
            await self._changed.wait()

    async def advance(self, seconds: float) -> None:
        self.now += seconds
        self._changed.set()
        await settle()


async def settle(rounds: int = 10) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)


def make(explain: FakeExplain, mode: str = "all",
         is_cached: Callable[[str], bool] = lambda key: False) -> Prefetcher:
    return Prefetcher(explain, mode=lambda: mode, debounce_seconds=DEBOUNCE, is_cached=is_cached)


async def test_debounce_explains_only_the_last_set_once() -> None:
    explain = FakeExplain()
    prefetch = make(explain)
    prefetch.update("a.py", [item("k1")])
    prefetch.update("a.py", [item("k2")])
    prefetch.update("a.py", [item("k3")])
    await asyncio.sleep(DEBOUNCE / 2)
    assert explain.calls == []  # still typing: nothing spent yet
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:k3"]
    assert prefetch.stats["started"] == 1
    assert prefetch.stats["pending"] == 0
    await prefetch.close()


async def test_same_key_is_explained_once() -> None:
    explain = FakeExplain()
    prefetch = make(explain)
    prefetch.update("a.py", [item("k1")])
    await asyncio.wait_for(prefetch.drain(), 2)
    prefetch.update("a.py", [item("k1"), item("k2")])
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:k1", "subject:k2"]
    await prefetch.close()


async def test_key_in_flight_is_not_restarted() -> None:
    explain = FakeExplain(hold=True)
    prefetch = make(explain)
    prefetch.update("a.py", [item("k1")])
    await asyncio.wait_for(explain.entered.wait(), 2)
    prefetch.update("a.py", [item("k1")])
    prefetch.update("b.py", [item("k1")])
    await asyncio.sleep(DEBOUNCE * 2)
    explain.gate.set()
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:k1"]
    assert explain.cancelled == []
    assert prefetch.stats["finished"] == 1
    await prefetch.close()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("off", []),
        ("errors", ["subject:err", "subject:none"]),
        ("all", ["subject:err", "subject:none", "subject:warn", "subject:hint"]),  # errors first
    ],
)
async def test_mode_filters_by_severity(mode: str, expected: list[str]) -> None:
    explain = FakeExplain()
    prefetch = make(explain, mode=mode)
    items = [item("warn", 2), item("err", 1), item("hint", 4), item("none", None)]
    prefetch.update("a.py", items)
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == expected
    await prefetch.close()


async def test_turning_mode_off_drops_pending() -> None:
    explain = FakeExplain()
    modes = ["all"]
    prefetch = Prefetcher(explain, mode=lambda: modes[0], debounce_seconds=DEBOUNCE)
    prefetch.update("a.py", [item("k1")])
    modes[0] = "off"
    prefetch.update("a.py", [item("k1")])
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == []
    await prefetch.close()


async def test_cached_keys_are_skipped() -> None:
    explain = FakeExplain()
    prefetch = make(explain, is_cached=lambda key: key == "hot")
    prefetch.update("a.py", [item("hot"), item("cold")])
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:cold"]
    assert prefetch.stats["skippedCached"] == 1
    await prefetch.close()


async def test_budget_limits_starts_per_rolling_minute() -> None:
    time = FakeTime()
    explain = FakeExplain()
    started_at: list[float] = []

    async def timed(payload: object) -> object:
        started_at.append(time.now)
        return await explain(payload)

    prefetch = Prefetcher(timed, mode=lambda: "all", debounce_seconds=0, per_minute=2,
                          clock=time.clock, sleep=time.sleep)
    prefetch.update("a.py", [item(f"k{i}") for i in range(5)])
    await asyncio.sleep(0.01)
    await settle()
    assert len(explain.calls) == 2
    assert prefetch.stats["pending"] == 3
    await time.advance(59)
    assert len(explain.calls) == 2  # the window has not rolled yet
    await time.advance(1)
    assert len(explain.calls) == 4
    await time.advance(60)
    await asyncio.wait_for(prefetch.drain(), 2)
    assert started_at == [0, 0, 60, 60, 120]
    await prefetch.close()


async def test_items_waiting_for_budget_are_dropped_when_they_disappear() -> None:
    time = FakeTime()
    explain = FakeExplain()
    prefetch = Prefetcher(explain, mode=lambda: "all", debounce_seconds=0, per_minute=2,
                          clock=time.clock, sleep=time.sleep)
    prefetch.update("a.py", [item(f"k{i}") for i in range(5)])
    await asyncio.sleep(0.01)
    await settle()
    prefetch.update("a.py", [item("k0"), item("k1"), item("k4")])  # k2, k3 were fixed
    await asyncio.sleep(0.01)
    await time.advance(60)
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:k0", "subject:k1", "subject:k4"]
    assert prefetch.stats["dropped"] == 2
    await prefetch.close()


async def test_nothing_starts_while_the_user_is_explaining() -> None:
    explain = FakeExplain()
    prefetch = make(explain)
    with prefetch.interactive():
        prefetch.update("a.py", [item("k1")])
        await asyncio.sleep(DEBOUNCE * 3)
        assert explain.calls == []
        assert prefetch.stats["pending"] == 1
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:k1"]
    async with prefetch.interactive():  # the async form works too
        prefetch.update("a.py", [item("k2")])
        await asyncio.sleep(DEBOUNCE * 3)
        assert explain.calls == ["subject:k1"]
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:k1", "subject:k2"]
    await prefetch.close()


async def test_in_flight_explanation_is_cancelled_when_diagnostic_disappears() -> None:
    explain = FakeExplain(hold=True)
    prefetch = make(explain)
    prefetch.update("a.py", [item("k1")])
    await asyncio.wait_for(explain.entered.wait(), 2)
    prefetch.update("a.py", [])  # fixed
    await asyncio.wait_for(explain.cancel_seen.wait(), 2)
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.cancelled == ["subject:k1"]
    assert prefetch.stats["cancelled"] == 1
    assert prefetch.stats["finished"] == 0
    await prefetch.close()


async def test_forget_cancels_only_that_document() -> None:
    explain = FakeExplain(hold=True)
    prefetch = make(explain)
    prefetch.update("a.py", [item("a1"), item("a2")])
    prefetch.update("b.py", [item("b1", 2)])  # a warning: runs after a.py's errors
    await asyncio.wait_for(explain.entered.wait(), 2)
    assert explain.calls == ["subject:a1"]
    prefetch.forget("a.py")
    await asyncio.wait_for(explain.cancel_seen.wait(), 2)
    explain.gate.set()
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:a1", "subject:b1"]
    assert explain.cancelled == ["subject:a1"]
    assert prefetch.stats["dropped"] == 1  # a2 never started
    await prefetch.close()


async def test_failing_explain_is_counted_and_the_next_item_runs(
        caplog: pytest.LogCaptureFixture) -> None:
    explain = FakeExplain(fail={"bad"})
    prefetch = make(explain)
    prefetch.update("a.py", [item("bad"), item("good")])
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:bad", "subject:good"]
    assert prefetch.stats["failed"] == 1
    assert prefetch.stats["finished"] == 1
    assert "bad" in caplog.text
    prefetch.update("a.py", [item("bad"), item("good")])  # not retried
    await asyncio.wait_for(prefetch.drain(), 2)
    assert len(explain.calls) == 2
    await prefetch.close()


async def test_close_leaves_no_tasks_behind() -> None:
    explain = FakeExplain(hold=True)
    prefetch = make(explain)
    prefetch.update("a.py", [item("k1"), item("k2")])
    prefetch.update("b.py", [item("k3")])
    await asyncio.wait_for(explain.entered.wait(), 2)
    await prefetch.close()
    assert explain.cancelled == ["subject:k1"]
    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert prefetch.stats["pending"] == 0
    prefetch.update("a.py", [item("k4")])  # ignored after close
    await asyncio.wait_for(prefetch.drain(), 2)
    assert explain.calls == ["subject:k1"]
