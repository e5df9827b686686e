"""How fast a cached explanation comes back, against asking the model.

An in-process provider answers in a fixed time (default 300 ms, a small local model's
first answer). N diagnostics are explained once (the model answers and the answers are
written to the SQLite cache), then a new Explainer on the same cache file — a restart,
empty memory — explains them again (disk hits), then once more (memory hits). A second
round does the same with the cache prefilled with 4,900 other entries (near its default
bound of 5,000), so the lookup cost at a nearly full cache shows too.
Run from the repository root: python bench/cache_hit.py [--requests N] [--delay S]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.fake_model import FixedProvider, median, registry_with, row, subject
from dexter_ls.explain.service import Explainer
from dexter_ls.settings import Settings
from dexter_ls.store.explanation_cache import ExplanationCache

FILLER = {"markdown": "x" * 1500, "model": "bench/other", "requestedModel": "bench/other",
          "attempts": [], "usage": {}}


def explainer(path: Path, provider: FixedProvider) -> Explainer:
    settings = Settings(model=provider.info.id)
    return Explainer(registry_with(provider), lambda: settings, cache=ExplanationCache(path))


async def timed(ex: Explainer, indexes: range) -> tuple[list[float], int]:
    times, cached = [], 0
    for index in indexes:
        started = time.perf_counter()
        answer = await ex.explain(subject(index))
        times.append((time.perf_counter() - started) * 1000)
        cached += answer.cached
    return times, cached


async def round_trip(path: Path, requests: int, delay: float, prefill: int) -> None:
    if prefill:
        cache = ExplanationCache(path)
        for index in range(prefill):
            cache.put(f"filler-{index}", FILLER, model="bench/other")
        cache.close()
    provider = FixedProvider(delay=delay)
    first = explainer(path, provider)
    asked, _ = await timed(first, range(requests))
    await first.flush()
    restarted = explainer(path, provider)
    disk, disk_hits = await timed(restarted, range(requests))
    memory, memory_hits = await timed(restarted, range(requests))
    print(f"{requests} diagnostics, model answering in {delay * 1000:.0f} ms, cache prefilled "
          f"with {prefill} other entries")
    print("  " + row("asking the model", asked))
    print("  " + row("disk hit after restart", disk, median(asked)) + f"  hits {disk_hits}")
    print("  " + row("memory hit", memory, median(asked)) + f"  hits {memory_hits}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--delay", type=float, default=0.3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await round_trip(Path(tmp) / "empty.sqlite3", args.requests, args.delay, 0)
        await round_trip(Path(tmp) / "full.sqlite3", args.requests, args.delay, 4900)


if __name__ == "__main__":
    asyncio.run(main())
