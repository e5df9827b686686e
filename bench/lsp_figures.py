"""LSP figures: dexter-ls against the floor server (bench/floor_server.py) over raw stdio.

codeAction with 50 / 500 / 5,000 diagnostics, cached hover, start-up to the `initialize`
answer (and `python -c pass` for scale), resident memory after pushed diagnostics and after
thousands of explanations. Both servers run as subprocesses driven by the same client; every
answer compared is checked to be byte-for-byte the same as the floor's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.lsp_pipe import INITIALIZE, Pipe, pipelined, rss_mb
from bench.stats import Figure, interleaved, median

HERE = Path(__file__).resolve().parent
DEXTER = [sys.executable, "-m", "dexter_ls"]
FLOOR = [sys.executable, str(HERE / "floor_server.py")]
URI = "file:///bench/app.py"
TEXT = "\n".join(f"value_{i} = undefined_{i}" for i in range(200)) + "\n"


def dexter_env() -> dict[str, str]:
    """A throw-away home, no provider keys or endpoints: only the offline reference answers."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL",
                        "ANTHROPIC_BASE_URL")}
    return {**env, "DEXTER_LS_HOME": tempfile.mkdtemp(prefix="dexter-bench-"),
            "OLLAMA_HOST": "127.0.0.1:9"}


def diagnostic(index: int, message: str | None = None) -> dict[str, Any]:
    line = index % 200
    return {"range": {"start": {"line": line, "character": 10},
                      "end": {"line": line, "character": 21}},
            "message": message or f'"undefined_{index}" is not defined', "severity": 1,
            "code": "reportUndefinedVariable", "source": "Pylance"}


def code_action_params(count: int) -> dict[str, Any]:
    diagnostics = [diagnostic(i) for i in range(count)]
    return {"textDocument": {"uri": URI}, "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics}}


def open_server(command: list[str], options: Any = None) -> Pipe:
    pipe = Pipe(command, env=dexter_env())
    pipe.request("initialize", {**INITIALIZE, "initializationOptions": options})
    pipe.send("initialized", {}, request=False)
    pipe.send("textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "python", "version": 1, "text": TEXT}}, request=False)
    return pipe


def timed_requests(pipe: Pipe, method: str, params: Any, count: int) -> float:
    """The median of `count` sequential round trips, in ms."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        pipe.request(method, params)
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


def same_answer(a: Pipe, b: Pipe, method: str, params: Any) -> None:
    first, second = a.request(method, params), b.request(method, params)
    if json.dumps(first, sort_keys=True) != json.dumps(second, sort_keys=True):
        raise AssertionError(f"{method}: Dexter and the floor answer differently")


def code_action(rounds: int, count: int, per_round: int) -> Figure:
    dexter, floor = open_server(DEXTER), open_server(FLOOR)
    body = code_action_params(count)
    try:
        same_answer(dexter, floor, "textDocument/codeAction", body)
        for _ in range(3):  # warm both
            dexter.request("textDocument/codeAction", body)
            floor.request("textDocument/codeAction", body)
        return interleaved(
            rounds, lambda: timed_requests(dexter, "textDocument/codeAction", body, per_round),
            lambda: timed_requests(floor, "textDocument/codeAction", body, per_round),
            Figure(f"codeAction, {count} diagnostics", "ms", "ratio", 1.2,
                   floor_name="minimal pygls", note="same JSON answer, checked"))
    finally:
        dexter.close()
        floor.close()


def cached_hover(rounds: int, per_round: int) -> Figure:
    dexter = open_server(DEXTER)
    diag = diagnostic(3)
    dexter.request("workspace/executeCommand", {"command": "dexter.explain",
                                                 "arguments": [{"uri": URI, "diagnostic": diag}]})
    dexter.request("textDocument/codeAction", {"textDocument": {"uri": URI},
                                               "range": diag["range"],
                                               "context": {"diagnostics": [diag]}})
    hover = {"textDocument": {"uri": URI}, "position": {"line": 3, "character": 12}}
    answer = dexter.request("textDocument/hover", hover)
    floor = open_server(FLOOR, {"hover": answer["contents"]["value"],
                                "hoverRange": answer.get("range")})
    try:
        same_answer(dexter, floor, "textDocument/hover", hover)
        return interleaved(
            rounds, lambda: timed_requests(dexter, "textDocument/hover", hover, per_round),
            lambda: timed_requests(floor, "textDocument/hover", hover, per_round),
            Figure("hover on an explained diagnostic", "ms", "ratio", 1.2,
                   floor_name="minimal pygls", note="same markdown answer, checked"))
    finally:
        dexter.close()
        floor.close()


def _start(command: list[str]) -> float:
    started = time.perf_counter()
    pipe = Pipe(command, env=dexter_env())
    pipe.request("initialize", INITIALIZE)
    elapsed = (time.perf_counter() - started) * 1000
    pipe.close()
    return elapsed


def _python_pass() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return (time.perf_counter() - started) * 1000


def start_up(rounds: int, per_round: int) -> list[Figure]:
    def starts(command: list[str]) -> Callable[[], float]:
        return lambda: median([_start(command) for _ in range(per_round)])

    return [
        interleaved(rounds, starts(DEXTER), starts(FLOOR),
                    Figure("start-up to the initialize answer", "ms", "ratio", 1.2,
                           floor_name="minimal pygls")),
        interleaved(rounds, starts(DEXTER),
                    lambda: median([_python_pass() for _ in range(per_round)]),
                    Figure("start-up to the initialize answer", "ms", "ratio", None,
                           floor_name="python -c pass", note="process start, for scale")),
    ]


def _explain_batch(pipe: Pipe, first: int, count: int) -> None:
    params = [{"command": "dexter.explain",
               "arguments": [{"uri": URI, "diagnostic": diagnostic(first + i)}]}
              for i in range(count)]
    for result in pipelined(pipe, "workspace/executeCommand", params):
        if not (isinstance(result, dict) and result.get("markdown")):
            raise AssertionError(f"an explanation failed: {result}")


def _idle_rss(command: list[str]) -> float:
    pipe = open_server(command)
    try:
        pipe.request("textDocument/hover", {"textDocument": {"uri": URI},
                                            "position": {"line": 0, "character": 0}})
        return rss_mb(pipe.proc.pid)
    finally:
        pipe.close()


def _pushed_rss(documents: int, per_document: int) -> float:
    pipe = open_server(DEXTER)
    try:
        for doc in range(documents):
            pipe.send("dexter/didChangeDiagnostics", {
                "uri": f"file:///bench/pushed_{doc}.py",
                "diagnostics": [diagnostic(doc * per_document + i) for i in range(per_document)]},
                request=False)
        pipe.request("textDocument/hover", {"textDocument": {"uri": URI},
                                            "position": {"line": 0, "character": 0}})
        return rss_mb(pipe.proc.pid)
    finally:
        pipe.close()


def memory(rounds: int, explanations: int = 5000) -> list[Figure]:
    idle = Figure("resident memory after initialize, idle", "MiB", "ratio", None,
                  floor_name="minimal pygls after initialize",
                  note="what the imports cost (httpx and TLS, the catalog)")
    pushed = Figure("resident memory after 10,000 pushed diagnostics", "MiB", "ratio", 1.5,
                    floor_name="minimal pygls after initialize")
    explained = Figure(f"resident memory after {explanations:,} explanations", "MiB", "ratio",
                       1.5, floor_name="minimal pygls after initialize")
    growth = Figure(f"memory growth, explanations 1,000 → {explanations:,}", "MiB", "value", 2.0,
                    note="distinct diagnostics, offline reference; should be flat")
    for index in range(max(rounds, 7)):
        bare = _idle_rss(FLOOR)
        idle.dexter.append(_idle_rss(DEXTER))
        idle.floor.append(bare)
        pushed.dexter.append(_pushed_rss(10, 1000))
        pushed.floor.append(bare)
        pipe = open_server(DEXTER)
        try:
            _explain_batch(pipe, 0, 1000)
            at_1000 = rss_mb(pipe.proc.pid)
            for start in range(1000, explanations, 200):
                _explain_batch(pipe, start + index * explanations, 200)
            at_end = rss_mb(pipe.proc.pid)
        finally:
            pipe.close()
        explained.dexter.append(at_end)
        explained.floor.append(bare)
        growth.dexter.append(at_end - at_1000)
    return [idle, pushed, explained, growth]


def scaling(figures: list[Figure]) -> dict[str, float]:
    """codeAction: ms per diagnostic at each size (linear when roughly equal)."""
    out = {}
    for figure in figures:
        if figure.name.startswith("codeAction"):
            count = int(figure.name.split(",")[1].split()[0])
            out[f"codeAction {count}"] = median(figure.dexter) / count * 1000  # µs per diagnostic
    return out
