"""The provider fault matrix, end to end: for each adapter (Ollama, OpenAI-compatible,
Anthropic) and each way a model server fails, `dexter.explain` answers (the faulty model's
answer when it still made one, else the fallback with the failure recorded) within the
request deadline, and code actions keep being answered meanwhile.

One server, one fake per (adapter, fault), all explanations in flight at once."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.e2e.conftest import own_settings
from tests.fakes import anthropic_fake, ollama_fake, openai_fake
from tests.fakes.anthropic_fake import FakeAnthropic
from tests.fakes.http_server import ProtocolFake
from tests.fakes.ollama_fake import FakeOllama
from tests.fakes.openai_fake import FakeOpenAI
from tests.robust.conftest import Session, diagnostic, open_session

DEADLINE_S = 6.0
HUGE = ["x" * 1_000_000] * 50  # a 50 MB answer
BUILTIN = "builtin/reference"

# 429 without Retry-After, in each provider's own error shape.
openai_fake.ERRORS.setdefault("429-bare", (429, openai_fake.ERRORS["429"][1], {}))
ollama_fake.ERRORS.setdefault("429-bare", (429, ollama_fake.ERRORS["429"][1], {}))
anthropic_fake.ERRORS.setdefault("429-bare", (429, anthropic_fake.ERRORS["429"][1], {}))

FAULTS: dict[str, dict[str, Any]] = {
    "500": {"fault": "500"},
    "503": {"fault": "503"},
    "429-retry-after": {"fault": "429"},
    "429-bare": {"fault": "429-bare"},
    "401": {"fault": "401"},
    "404": {"fault": "404"},
    "context-length": {"fault": "context"},
    "hang-before-headers": {"fault": "hang-headers"},
    "hang-mid-stream": {"fault": "hang-mid"},
    "cut-stream": {"fault": "cut"},
    "malformed-line": {"fault": "bad-json"},
    "50MB-response": {"tokens": HUGE},
}


@dataclass(frozen=True)
class Kind:
    name: str
    fake: type[ProtocolFake[Any]]
    model: str

    def url(self, fake: ProtocolFake[Any]) -> str:
        return fake.base_url  # the OpenAI fake's includes /v1


KINDS = [Kind("ollama", FakeOllama, "llama3.2:latest"),
         Kind("openai", FakeOpenAI, "gpt-4o-mini"),
         Kind("anthropic", FakeAnthropic, "claude-3-5-haiku-20241022")]
# The error class the failing attempts must carry, when the fault fails the model.
EXPECTED_CLASS = {"500": "server", "503": "server", "429-retry-after": "rate-limited",
                  "429-bare": "rate-limited", "401": "auth", "404": "not-found",
                  "context-length": "context-window", "hang-before-headers": "timeout"}
# Anthropic's 503 is "overloaded" (529).
FAULT_FOR = {("anthropic", "503"): {"fault": "529"}}


def _always(kind: Kind, plan: dict[str, Any]) -> ProtocolFake[Any]:
    """A fake whose every chat request (retries included) gets `plan`."""
    fake = kind.fake()
    fake.next_plan = lambda: fake.plan_type(**plan)  # type: ignore[method-assign]
    return fake


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Session, dict[tuple[str, str], str]]]:
    fakes: list[ProtocolFake[Any]] = []
    providers: dict[str, Any] = {}
    models: dict[tuple[str, str], str] = {}
    for kind, (fault, plan) in itertools.product(KINDS, FAULTS.items()):
        fake = _always(kind, FAULT_FOR.get((kind.name, fault), plan)).start()
        fakes.append(fake)
        name = f"{kind.name}_{fault}".replace("-", "_").lower()
        providers[name] = {"type": kind.name, "baseUrl": kind.url(fake),
                           # one variable per kind: a key never changes kind
                           "apiKeyEnv": f"DEXTER_FAULT_KEY_{kind.name.upper()}",
                           "firstTokenTimeoutSeconds": 2,
                           "timeoutSeconds": 4, "connectTimeoutSeconds": 2}
        models[(kind.name, fault)] = f"{name}/{kind.model}"
    settings = {"dexter": {"explain": {
        "timeoutSeconds": DEADLINE_S, "maxAttempts": 4}, "cache": {"enabled": False}}}
    home = tmp_path_factory.mktemp("faults")
    # These endpoints (and the key's variable) are the user's own: in their settings file.
    own_settings(home, {"providers": providers})
    session = open_session(home, settings,
                           **{f"DEXTER_FAULT_KEY_{kind.name.upper()}": "sk-fault-matrix-0123456789"
                              for kind in KINDS})
    yield session, models
    session.server.close()
    for fake in fakes:
        fake.stop()


def test_every_fault_falls_back_or_answers_within_the_deadline_while_code_actions_answer(
        matrix: tuple[Session, dict[tuple[str, str], str]]) -> None:
    session, models = matrix
    server = session.server
    ids: dict[Any, tuple[str, str]] = {}
    for n, (case, model) in enumerate(models.items()):
        msg_id = f"explain-{n}"
        ids[msg_id] = case
        server.send({"jsonrpc": "2.0", "id": msg_id, "method": "workspace/executeCommand",
                     "params": {"command": "dexter.explain", "arguments": [
                         {"uri": session.uri, "diagnostic": diagnostic()}, {"model": model}]}})
    started = time.monotonic()
    answered_meanwhile = 0
    while not all(i in server.answers for i in ids) and time.monotonic() - started < 120:
        assert "result" in session.code_actions(timeout=30)  # answered while models fail
        answered_meanwhile += 1
    assert answered_meanwhile >= 3
    problems = []
    for msg_id, (kind, fault) in ids.items():
        answer = server.answer(msg_id, timeout=60)
        model = models[(kind, fault)]
        if "result" not in answer:
            problems.append(f"{kind}/{fault}: {answer.get('error')}")
            continue
        result = answer["result"]
        if os.environ.get("DEXTER_SHOW_MATRIX"):
            print(kind, fault, result["model"], result["incomplete"], round(result["latencyMs"]),
                  [(a["model"].split("/")[0], a["outcome"], a.get("errorClass"))
                   for a in result["attempts"]])
        tried = [a for a in result["attempts"] if a["model"] == model]
        if not tried:
            problems.append(f"{kind}/{fault}: {model} was never tried: {result['attempts']}")
            continue
        if result["model"] == model:  # it answered after all, in part or whole
            if fault in ("hang-mid-stream", "cut-stream"):
                if not result["incomplete"]:  # what streamed is kept, marked incomplete
                    problems.append(f"{kind}/{fault}: a partial answer not marked incomplete")
            elif fault not in ("malformed-line", "50MB-response"):
                problems.append(f"{kind}/{fault}: answered by the failing model")
            if len(result["markdown"]) > 200_000:
                problems.append(f"{kind}/{fault}: {len(result['markdown'])} characters shown")
        elif result["model"] != BUILTIN:
            problems.append(f"{kind}/{fault}: answered by {result['model']}")
        elif not any(a["outcome"] in ("failed", "skipped") and a.get("error") for a in tried):
            problems.append(f"{kind}/{fault}: no clear error recorded: {tried}")
        elif fault in EXPECTED_CLASS and any(
                a.get("errorClass") != EXPECTED_CLASS[fault] for a in tried):
            problems.append(f"{kind}/{fault}: classified as {[a.get('errorClass') for a in tried]}")
        if result["latencyMs"] > (DEADLINE_S + 3) * 1000:
            problems.append(f"{kind}/{fault}: took {result['latencyMs']:.0f} ms")
    assert not problems, "\n".join(problems)
    assert server.alive


def test_a_good_explanation_after_the_matrix(
        matrix: tuple[Session, dict[tuple[str, str], str]]) -> None:
    session, _ = matrix
    answer = session.explain()
    assert "Explained by" in answer["result"]["markdown"]
