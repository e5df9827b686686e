"""A hung primary model: the first-token timeout bounds request 1, the open circuit the rest.

Primary: a fake OpenAI server that accepts every request and never sends headers
(plan fault="hang-headers"), with a first-token timeout of 1 s. Secondary: a second fake
OpenAI server answering normally. Through the chain [primary, secondary, builtin/reference]
request 1 waits out the timeout and then asks the secondary. Baseline, interleaved request
by request in the same run: [secondary, builtin/reference].
Goals: request 1 within the first-token timeout + the secondary's time; the median of
requests 2..N unaffected (the circuit is open).
Run from the repository root: python bench/hung_primary.py [--requests N] [--first-token S]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.fake_model import compare_providers, median, openai
from tests.fakes.openai_fake import FakeOpenAI


async def run(requests: int, warmup: int, first_token: float) -> None:
    hung, normal = FakeOpenAI().start(), FakeOpenAI().start()
    for _ in range(requests):  # at most one chat request per chain request reaches it
        hung.plan(fault="hang-headers")
    primary = openai("primary", hung.base_url, connect=first_token, first_token=first_token,
                     total=first_token * 10)
    secondary = openai("secondary", normal.base_url)
    try:
        result = await compare_providers(primary, secondary, requests, warmup)
    finally:
        await asyncio.sleep(0.05)  # let the hung server see the closed connections
        hung_requests, released = len(hung.requests), hung.server.disconnects
        hung.stop()
        normal.stop()
    bound = first_token * 1000 + median(result.direct)
    result.print(f"hung primary (no headers, first-token timeout {first_token:.1f} s) -> "
                 f"secondary (fake OpenAI), {requests} requests each, interleaved",
                 f"\n  {'':28s} goal ≤ {bound:.2f} ms (timeout + baseline median): "
                 f"{result.through[0] - bound:+.2f} ms")
    print(f"  hung requests the primary received: {hung_requests}, connections the client "
          f"closed: {released}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--first-token", type=float, default=1.0, help="seconds")
    args = parser.parse_args()
    asyncio.run(run(max(args.requests, 3), args.warmup, args.first_token))


if __name__ == "__main__":
    main()
