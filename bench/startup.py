"""Start-up: dexter-ls against a hello-world pygls server, in the same run.

Two figures per server: start to the `initialize` response (the goal: within 1.5x),
and start to the answer of the first request after `initialized` (a code action),
which includes the work Dexter defers past the handshake (settings, pydantic).
Run: python bench/startup.py [--runs N].
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench.lsp_pipe import INITIALIZE, Pipe

SERVERS = {
    "pygls hello-world": [sys.executable, str(Path(__file__).parent / "baseline_server.py")],
    "dexter-ls": [sys.executable, "-m", "dexter_ls"],
}


FIRST_REQUEST = {
    "textDocument": {"uri": "file:///bench/a.py"},
    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
    "context": {"diagnostics": [{
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
        "message": "name 'x' is not defined", "source": "python", "code": "NameError"}]},
}


def once(command: list[str]) -> tuple[float, float]:
    started = time.perf_counter()
    pipe = Pipe(command)
    pipe.request("initialize", INITIALIZE)
    handshake = time.perf_counter() - started
    pipe.send("initialized", {}, request=False)
    pipe.request("textDocument/codeAction", FIRST_REQUEST)
    ready = time.perf_counter() - started
    pipe.close()
    return handshake * 1000, ready * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in SERVERS}
    for _ in range(args.runs):  # interleave so machine noise hits both alike
        for name, command in SERVERS.items():
            results[name].append(once(command))
    for index, label in enumerate(("start -> initialize response",
                                   "start -> first code action answered")):
        print(label)
        base = statistics.median(r[index] for r in results["pygls hello-world"])
        for name, runs in results.items():
            times = [r[index] for r in runs]
            median = statistics.median(times)
            print(f"  {name:20s} median {median:7.1f} ms  min {min(times):7.1f} ms  "
                  f"ratio {median / base:4.2f}x")


if __name__ == "__main__":
    main()
