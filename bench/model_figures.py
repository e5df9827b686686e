"""Model figures through the running server: one explanation against a direct streamed POST
to the same endpoint with the same body, the first streamed chunk, and 200 concurrent
explanations against fakes that enforce their own concurrency limit."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

import httpx

from bench.fakes import FastFake
from bench.lsp_figures import DEXTER, FLOOR, URI, diagnostic, open_server
from bench.lsp_pipe import Pipe, pipelined
from bench.stats import Figure, median

MODEL = "gpt-4o-mini"


def _settings(**providers: FastFake) -> dict[str, Any]:
    names = list(providers)
    return {"model": f"{names[0]}/{MODEL}",
            "fallbackChain": [f"{n}/{MODEL}" for n in names[1:]],
            "cache": {"enabled": False}, "telemetry": {"enabled": False},
            "providers": {n: {"type": "openai", "baseUrl": f.base_url,
                              **({"maxConcurrency": f.limit} if f.limit else {})}
                          for n, f in providers.items()}}


class Explainer:
    """dexter-ls with the fakes as its providers; a new diagnostic per request (no memory hit)."""

    def __init__(self, pipe: Pipe | None = None, expect: str | None = f"a/{MODEL}",
                 **providers: FastFake) -> None:
        self.pipe: Pipe = pipe or open_server(DEXTER, _settings(**providers))
        self.expect = expect  # the model that must have answered (None: any answer)
        self.index = 0

    @classmethod
    def floor(cls, fake: FastFake, body: bytes) -> Explainer:
        """The floor server streaming `body` to the fake itself (bench/floor_server.py)."""
        return cls(open_server(FLOOR, {"explainUrl": f"{fake.base_url}/chat/completions",
                                       "explainBody": body.decode()}), None)

    def params(self) -> dict[str, Any]:
        self.index += 1
        return {"command": "dexter.explain",
                "arguments": [{"uri": URI, "diagnostic": diagnostic(self.index)}]}

    def once(self) -> tuple[float, float, dict[str, Any]]:
        """(ms to the first dexter/explanationChunk, ms to the answer, the answer)."""
        started = time.perf_counter()
        ident = self.pipe.send("workspace/executeCommand", self.params())
        first = float("nan")
        while True:
            message = self.pipe.receive()
            if message.get("method") == "dexter/explanationChunk" and first != first:
                first = (time.perf_counter() - started) * 1000
            elif message.get("id") == ident and "method" not in message:
                done = (time.perf_counter() - started) * 1000
                result = message.get("result")
                if not isinstance(result, dict) or not result.get("markdown") or (
                        self.expect and result.get("model") != self.expect):
                    raise AssertionError(f"not answered by the fake: {message}")
                return first, done, result
            elif "method" in message and "id" in message:
                self.pipe.reply(message["id"], None)

    def close(self) -> None:
        self.pipe.close()


class Direct:
    """A plain httpx streamed POST of the body Dexter sent, read to the end."""

    def __init__(self, fake: FastFake) -> None:
        chats = fake.requests_to("/v1/chat/completions")
        self.body = chats[-1].body  # what Dexter sent: the same payload
        self.url = f"{fake.base_url}/chat/completions"
        self.client = httpx.Client(trust_env=False)

    def once(self) -> tuple[float, float]:
        started = time.perf_counter()
        first = float("nan")
        with self.client.stream("POST", self.url, content=self.body,
                                headers={"Content-Type": "application/json"}) as response:
            for line in response.iter_lines():
                if first != first and '"content": "' in line and '"content": ""' not in line:
                    first = (time.perf_counter() - started) * 1000
        return first, (time.perf_counter() - started) * 1000


def explanation(rounds: int, per_round: int) -> list[Figure]:
    """The whole answer, and the first chunk, through the server vs directly."""
    fake = FastFake(token_delay=0.002).start()
    server = Explainer(a=fake)
    floor: Explainer | None = None
    try:
        for _ in range(5):
            server.once()  # warm: discovery, connection set-up, code paths
        direct = Direct(fake)
        floor = Explainer.floor(fake, direct.body)
        for _ in range(5):
            floor.once()
        answer = Figure("explanation through the server", "ms", "over", 1.0,
                        floor_name="direct httpx stream",
                        note="fake streaming 4 tokens 2 ms apart; same request body; "
                             "the server's time includes the JSON-RPC hop over stdio")
        chunk = Figure("first streamed chunk forwarded", "ms", "over", 5.0,
                       floor_name="first chunk of direct stream")
        lsp_floor = Figure("explanation through the server", "ms", "over", 1.0,
                           floor_name="minimal pygls server streaming the same POST",
                           note="the floor forwards the same chunks and answers the text "
                                "only: what Dexter's own work adds to an LSP server's")
        for index in range(max(rounds, 7)):
            ours: list[tuple[float, float]] = []
            theirs: list[tuple[float, float]] = []
            floors: list[float] = []
            lsp = floor
            for turn in range(per_round):
                shift = (index + turn) % 3
                for side in ("dexter", "direct", "floor")[shift:] + (
                        "dexter", "direct", "floor")[:shift]:
                    if side == "dexter":
                        ours.append(server.once()[:2])
                    elif side == "direct":
                        theirs.append(direct.once())
                    else:
                        floors.append(lsp.once()[1])
            answer.dexter.append(median([o[1] for o in ours]))
            answer.floor.append(median([t[1] for t in theirs]))
            chunk.dexter.append(median([o[0] for o in ours]))
            chunk.floor.append(median([t[0] for t in theirs]))
            lsp_floor.dexter.append(answer.dexter[-1])
            lsp_floor.floor.append(median(floors))
        return [answer, lsp_floor, chunk]
    finally:
        server.close()
        if floor is not None:
            floor.close()
        fake.stop()


def concurrent(rounds: int, requests: int = 200, limit: int = 4) -> list[Figure]:
    """`requests` explanations sent at once; each fake answers 429 past `limit` in flight and
    Dexter is configured with that limit (maxConcurrency) for each."""
    first, second = (FastFake(limit=limit, token_delay=0.005).start(),
                     FastFake(limit=limit, token_delay=0.005).start())
    server = Explainer(a=first, b=second)
    figure = Figure(f"{requests} concurrent explanations, 2 fakes limited to {limit} at once",
                    "ms", "value", None)
    answered: Counter[str] = Counter()
    lost = rejected = peak = 0
    try:
        server.once()
        for _ in range(max(rounds, 7)):
            first.reset()
            second.reset()
            started = time.perf_counter()
            results = pipelined(server.pipe, "workspace/executeCommand",
                                [server.params() for _ in range(requests)], window=requests)
            figure.dexter.append((time.perf_counter() - started) * 1000)
            for result in results:
                if isinstance(result, dict) and result.get("markdown"):
                    answered[str(result.get("model"))] += 1
                else:
                    lost += 1
            rejected += first.rejected + second.rejected
            peak = max(peak, first.peak, second.peak)
    finally:
        server.close()
        first.stop()
        second.stop()
    figure.passed = lost == 0 and rejected == 0 and peak <= limit
    figure.note = (f"lost {lost}; 429s from the fakes {rejected}; most in flight at one fake "
                   f"{peak} (limit {limit}); answered by {json.dumps(dict(answered))}")
    return [figure]
