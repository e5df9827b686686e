"""Start-to-`initialize`-response time: dexter-ls against a hello-world pygls server.

Run: python bench/startup.py [--runs N]. Prints medians; the goal is within 1.5x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_pipe import INITIALIZE, Pipe

SERVERS = {
    "pygls hello-world": [sys.executable, str(Path(__file__).parent / "baseline_server.py")],
    "dexter-ls": [sys.executable, "-m", "dexter_ls"],
}


def once(command: list[str]) -> float:
    started = time.perf_counter()
    pipe = Pipe(command)
    pipe.request("initialize", INITIALIZE)
    elapsed = time.perf_counter() - started
    pipe.send("initialized", {}, request=False)
    pipe.close()
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results: dict[str, list[float]] = {name: [] for name in SERVERS}
    for _ in range(args.runs):  # interleave so machine noise hits both alike
        for name, command in SERVERS.items():
            results[name].append(once(command))
    base = statistics.median(results["pygls hello-world"])
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:20s} median {median:7.1f} ms  min {min(times):7.1f} ms  "
              f"ratio {median / base:4.2f}x")


if __name__ == "__main__":
    main()
