"""Code-action round trip with 50 diagnostics in the context: dexter-ls against bare pygls.

Run: python bench/code_action_roundtrip.py [--requests N]. Goal: within 1.5x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench.lsp_pipe import INITIALIZE, Pipe

URI = "file:///bench/app.py"
TEXT = "\n".join(f"value_{i} = undefined_{i}" for i in range(200))
SERVERS = {
    "pygls bare": [sys.executable, str(Path(__file__).parent / "baseline_server.py")],
    "dexter-ls": [sys.executable, "-m", "dexter_ls"],
}


def params(count: int) -> dict[str, object]:
    diagnostics = [
        {
            "range": {"start": {"line": i, "character": 10}, "end": {"line": i, "character": 21}},
            "message": f'"undefined_{i}" is not defined',
            "severity": 1,
            "code": "reportUndefinedVariable",
            "source": "Pylance",
        }
        for i in range(count)
    ]
    return {
        "textDocument": {"uri": URI},
        "range": diagnostics[0]["range"],
        "context": {"diagnostics": diagnostics},
    }


def measure(command: list[str], requests: int, count: int) -> list[float]:
    pipe = Pipe(command)
    pipe.request("initialize", INITIALIZE)
    pipe.send("initialized", {}, request=False)
    pipe.send("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "python",
                                                        "version": 1, "text": TEXT}},
              request=False)
    body = params(count)
    for _ in range(20):  # warm up
        pipe.request("textDocument/codeAction", body)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        result = pipe.request("textDocument/codeAction", body)
        times.append((time.perf_counter() - started) * 1000)
        assert len(result) == count
    pipe.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--diagnostics", type=int, default=50)
    args = parser.parse_args()
    results = {name: measure(cmd, args.requests, args.diagnostics)
               for name, cmd in SERVERS.items()}
    base = statistics.median(results["pygls bare"])
    print(f"code action with {args.diagnostics} diagnostics, {args.requests} requests each")
    for name, times in results.items():
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:12s} median {median:6.2f} ms  p95 {p95:6.2f} ms  ratio {median / base:4.2f}x")


if __name__ == "__main__":
    main()
