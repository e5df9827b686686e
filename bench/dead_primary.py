"""A dead primary model: what it costs the first requests, and that the rest do not pay.

Primary: an OpenAI provider pointed at a closed port on 127.0.0.1 (connection refused).
Secondary: an OpenAI provider on the fake OpenAI server. Through the chain
[primary, secondary, builtin/reference] request 1 pays the failure; the next ones pay too
until the primary's circuit opens (the first few are printed one by one). Baseline,
interleaved request by request in the same run: [secondary, builtin/reference].
Goal: the median of requests 2..N within 1.05x of the baseline median.
Run from the repository root: python bench/dead_primary.py [--requests N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.fake_model import closed_port, compare_providers, openai
from tests.fakes.openai_fake import FakeOpenAI

GOAL_RATIO = 1.05


async def run(requests: int, warmup: int) -> None:
    port = closed_port()
    server = FakeOpenAI().start()
    primary = openai("primary", f"http://127.0.0.1:{port}/v1")
    secondary = openai("secondary", server.base_url)
    try:
        result = await compare_providers(primary, secondary, requests, warmup)
    finally:
        server.stop()
    result.print(f"dead primary (connection refused, 127.0.0.1:{port}) -> secondary "
                 f"(fake OpenAI), {requests} requests each, interleaved", "", GOAL_RATIO)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(run(max(args.requests, 3), args.warmup))


if __name__ == "__main__":
    main()
