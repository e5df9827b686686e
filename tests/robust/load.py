"""Load through faulty fakes, shared by the CI load test (tests/robust/test_load.py) and the
soak script (bench/soak.py): the real server over stdio, two OpenAI-compatible fakes that
fail at random (500, 429 without Retry-After, a cut stream, slow tokens), each behind
`maxConcurrency`, then the offline reference. Explanations are kept `in_flight` at a time,
each about a different diagnostic, until `total` are answered or `seconds` have passed.

`run_load` reports what a user would notice: lost answers (never came), duplicates (came
twice), errors, the highest number of concurrent requests each fake saw (the limit), and
the server's resident memory over time."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fakes.http_server import Reply, Request
from tests.fakes.openai_fake import FakeOpenAI, Plan
from tests.robust.conftest import diagnostic, open_session

MAX_CONCURRENCY = 3
_PLANS: list[dict[str, Any]] = [
    {}, {}, {}, {"fault": "500"}, {"fault": "429-bare"}, {"fault": "cut"},
    {"delay": 0.02}, {"tokens": ["A ", "longer ", "answer "] * 20},
]


class FlakyOpenAI(FakeOpenAI):
    """An OpenAI fake that picks a random plan per request and counts requests in flight."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.chats = 0

    def next_plan(self) -> Plan:
        return Plan(**self._random.choice(_PLANS))

    async def _handle(self, request: Request, reply: Reply) -> None:
        chat = request.path.endswith("/chat/completions")
        if chat:
            with self._lock:
                self.in_flight += 1
                self.chats += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await super()._handle(request, reply)
        finally:
            if chat:
                with self._lock:
                    self.in_flight -= 1


@dataclass
class LoadReport:
    sent: int = 0
    answered: int = 0
    lost: list[str] = field(default_factory=list)
    duplicates: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    models: Counter[str] = field(default_factory=Counter)
    max_in_flight: dict[str, int] = field(default_factory=dict)
    fake_requests: int = 0
    rss_kb: list[tuple[float, int]] = field(default_factory=list)  # (seconds, VmRSS)
    seconds: float = 0.0


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_load(home: Path, *, total: int, in_flight: int, seconds: float | None = None,
             answer_timeout: float = 120.0) -> LoadReport:
    fakes = [FlakyOpenAI(seed).start() for seed in (1, 2)]
    providers = {f"flaky{n}": {"type": "openai", "baseUrl": fake.base_url,
                               "maxConcurrency": MAX_CONCURRENCY, "timeoutSeconds": 10,
                               "firstTokenTimeoutSeconds": 5}
                 for n, fake in enumerate(fakes)}
    settings = {"dexter": {
        "model": "flaky0/gpt-4o-mini", "fallbackChain": ["flaky1/gpt-4o-mini"],
        "providers": providers, "explain": {"timeoutSeconds": 20, "maxAttempts": 4},
        "cache": {"enabled": False}}}
    session = open_session(home, settings)
    server = session.server
    report = LoadReport()
    seen: Counter[Any] = Counter()
    original = server._dispatch

    def counting(message: dict[str, Any]) -> None:  # duplicates would overwrite each other
        if "id" in message and "method" not in message:
            seen[message["id"]] += 1
        original(message)

    server._dispatch = counting  # type: ignore[method-assign]
    started = time.monotonic()
    pending: list[str] = []
    next_sample = 0.0
    try:
        while True:
            elapsed = time.monotonic() - started
            done_sending = report.sent >= total or (seconds is not None and elapsed >= seconds)
            while not done_sending and len(pending) < in_flight:
                msg_id = f"load-{report.sent}"
                server.send({"jsonrpc": "2.0", "id": msg_id, "method": "workspace/executeCommand",
                             "params": {"command": "dexter.explain", "arguments": [{
                                 "uri": session.uri,
                                 "diagnostic": diagnostic(f"undefined name 'v{report.sent}'")}]}})
                pending.append(msg_id)
                report.sent += 1
                done_sending = report.sent >= total
            if not pending and done_sending:
                break
            oldest = pending.pop(0)
            try:
                answer = server.answer(oldest, timeout=answer_timeout)
            except TimeoutError:
                report.lost.append(oldest)
                continue
            report.answered += 1
            if "result" in answer:
                report.models[answer["result"]["model"].split("/")[0]] += 1
            else:
                report.errors[str(answer["error"].get("code"))] += 1
            server.answers.pop(oldest, None)  # keep the client's memory flat too
            if elapsed >= next_sample:
                report.rss_kb.append((round(elapsed, 1), _rss_kb(server.proc.pid)))
                next_sample = elapsed + max(1.0, (seconds or 0) / 60)
        report.rss_kb.append((round(time.monotonic() - started, 1), _rss_kb(server.proc.pid)))
        report.duplicates = sum(n - 1 for key, n in seen.items()
                                if str(key).startswith("load-") and n > 1)
        report.max_in_flight = {f"flaky{n}": fake.max_in_flight for n, fake in enumerate(fakes)}
        report.fake_requests = sum(fake.chats for fake in fakes)
        report.seconds = time.monotonic() - started
        assert server.alive, "the server died under load"
    finally:
        server.close()
        for fake in fakes:
            fake.stop()
    return report
