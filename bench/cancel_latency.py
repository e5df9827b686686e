"""Cancellation reaching the model: from `$/cancelRequest` of a `dexter.explain` to the model
server seeing its connection closed. The model is the fake Ollama, hanging before its
headers; the server is `dexter-ls` over stdio. Goal: every one < 100 ms.
Run from the repository root: python bench/cancel_latency.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lsp_pipe import Pipe

from tests.fakes.ollama_fake import FakeOllama

URI = "file:///work/project/app.py"
TEXT = "import os\n\ndef main():\n    print(undefined_name)\n\nmain()\n"
GOAL_MS = 100.0


def wait_for(condition: Any, timeout: float = 10.0) -> float:
    """Poll `condition` every 0.5 ms; the time it became true (perf_counter)."""
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("the condition never held")
        time.sleep(0.0005)
    return time.perf_counter()


def answer_of(pipe: Pipe, msg_id: int | None) -> dict[str, Any]:
    while True:
        message = pipe.receive()
        if message.get("id") == msg_id and "method" not in message:
            return message


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    fake = FakeOllama().start()
    os.environ["DEXTER_LS_HOME"] = tempfile.mkdtemp(prefix="dexter-bench-cancel-")
    pipe = Pipe([sys.executable, "-m", "dexter_ls"])
    settings = {"model": "local/qwen2.5-coder:7b", "cache": {"enabled": False},
                "providers": {"local": {"type": "ollama", "baseUrl": fake.base_url}}}
    answer_of(pipe, pipe.send("initialize", {"processId": None, "rootUri": None,
                                             "capabilities": {},
                                             "initializationOptions": settings}))
    pipe.send("initialized", {}, request=False)
    pipe.send("textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "python", "version": 1, "text": TEXT}}, request=False)
    took = []
    try:
        for run in range(args.runs):
            fake.plan(fault="hang-headers")
            asked, gone = len(fake.requests_to("/api/chat")), fake.server.disconnects
            diagnostic = {"range": {"start": {"line": 3, "character": 10},
                                    "end": {"line": 3, "character": 24}},
                          "message": f"problem {run}", "source": "tool"}
            sent = pipe.send("workspace/executeCommand", {
                "command": "dexter.explain",
                "arguments": [{"uri": URI, "diagnostic": diagnostic}]})
            wait_for(lambda: len(fake.requests_to("/api/chat")) > asked)  # noqa: B023
            started = time.perf_counter()
            pipe.send("$/cancelRequest", {"id": sent}, request=False)
            closed = wait_for(lambda: fake.server.disconnects > gone)  # noqa: B023
            took.append((closed - started) * 1000)
            answer = answer_of(pipe, sent)
            assert answer.get("error", {}).get("code") == -32800, answer
    finally:
        pipe.send("shutdown", None)
        pipe.send("exit", None, request=False)
        pipe.proc.wait(timeout=10)
        fake.stop()
    print(f"$/cancelRequest -> model connection closed, {len(took)} runs (goal < {GOAL_MS:.0f} "
          f"ms each): median {statistics.median(took):.1f} ms, max {max(took):.1f} ms")


if __name__ == "__main__":
    main()
