"""The positive side of the trust rules: keys still reach the endpoints that are the
user's own: the default endpoint moved by the user's environment, a URL bound with
`dexter keys set NAME --url URL` (the real CLI), and an origin the user approved."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dexter_ls.store.credentials import set_key
from tests.fakes.anthropic_fake import FakeAnthropic
from tests.fakes.ollama_fake import FakeOllama
from tests.fakes.openai_fake import FakeOpenAI
from tests.security.test_hostile_settings import (
    DOC,
    MODEL,
    SUFFIX,
    command,
    diagnostic,
    start,
    wait_for,
)

KEY = "Zq9-trusted-key-opaque-1234"


@pytest.fixture
def fakes() -> Iterator[dict[str, Any]]:
    found = {"openai": FakeOpenAI(), "anthropic": FakeAnthropic(), "ollama": FakeOllama()}
    for fake in found.values():
        fake.start()
    yield found
    for fake in found.values():
        fake.stop()


def sent_key(kind: str, fake: Any) -> list[str | None]:
    """The credential each chat request carried, in its kind's header."""
    chats = [r for r in fake.requests if r.path in ("/v1/chat/completions", "/v1/messages",
                                                     "/api/chat")]
    header = "x-api-key" if kind == "anthropic" else "authorization"
    return [(r.headers.get(header) or "").removeprefix("Bearer ") or None for r in chats]


async def explain_with(client: Any, model: str) -> Any:
    return await command(client, "dexter.explain", {"uri": DOC, "diagnostic": diagnostic()},
                         {"model": model})


async def test_the_users_environment_moves_default_endpoints_and_keys_follow(
        fakes: dict[str, Any], dexter_home: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.security.test_hostile_settings as hostile

    env = {"OPENAI_BASE_URL": fakes["openai"].server.base_url + "/v1",
           "ANTHROPIC_BASE_URL": fakes["anthropic"].base_url,
           "OLLAMA_HOST": fakes["ollama"].server.base_url.removeprefix("http://"),
           "OPENAI_API_KEY": KEY, "ANTHROPIC_API_KEY": KEY}
    monkeypatch.setattr(hostile, "ENV_KEYS", env)
    set_key("ollama", KEY)  # an Ollama behind a proxy that wants a key
    client, _ = await start(dexter_home, {"cache": {"enabled": False}}, tmp_path)
    try:
        for kind, fake in fakes.items():
            result = await explain_with(client, f"{kind}/{MODEL[kind]}")
            assert result["model"] == f"{kind}/{MODEL[kind]}", result["attempts"]
            assert sent_key(kind, fake) == [KEY]
    finally:
        await client.shutdown_session()


@pytest.mark.parametrize("kind", ["openai", "anthropic", "ollama"])
async def test_a_key_bound_with_the_cli_goes_to_its_url(
        kind: str, fakes: dict[str, Any], dexter_home: Path, tmp_path: Path) -> None:
    fake = fakes[kind]
    url = fake.server.base_url + SUFFIX[kind]
    stored = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "dexter_ls.cli", "keys", "set", "mine", "--url",
                         url], input=KEY + "\n", capture_output=True, text=True,
        env={**os.environ, "DEXTER_LS_HOME": str(dexter_home)}, check=False)
    assert stored.returncode == 0, stored.stderr
    assert KEY not in stored.stdout + stored.stderr
    saved = json.loads((dexter_home / "config" / "credentials.json").read_text())
    assert saved["urls"] == {"mine": fake.server.base_url}
    settings = {"cache": {"enabled": False},
                "providers": {"mine": {"type": kind, "baseUrl": url}}}
    client, seen = await start(dexter_home, settings, tmp_path)
    try:
        result = await explain_with(client, f"mine/{MODEL[kind]}")
    finally:
        await client.shutdown_session()
    assert result["model"] == f"mine/{MODEL[kind]}"
    assert sent_key(kind, fake) == [KEY]
    assert seen["questions"] == []  # bound: nothing to ask


@pytest.mark.parametrize("kind", ["openai", "anthropic", "ollama"])
async def test_an_approved_origin_gets_the_key(
        kind: str, fakes: dict[str, Any], dexter_home: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.security.test_hostile_settings as hostile

    monkeypatch.setattr(hostile, "ENV_KEYS", {"TEAM_KEY": KEY})
    fake = fakes[kind]
    settings = {"cache": {"enabled": False},
                "providers": {"team": {"type": kind, "baseUrl": fake.server.base_url + SUFFIX[kind],
                                       "apiKeyEnv": "TEAM_KEY"}}}
    client, seen = await start(dexter_home, settings, tmp_path, answer="Always")
    try:
        await wait_for(lambda: seen["questions"], "the question")
        origin = fake.server.base_url
        assert seen["questions"][0] == f"Dexter: Send the key from $TEAM_KEY to {origin}?"
        results: list[Any] = []

        async def answered() -> bool:
            results.append(await explain_with(client, f"team/{MODEL[kind]}"))
            return results[-1]["model"] == f"team/{MODEL[kind]}"

        for _ in range(100):  # the providers are rebuilt once the answer arrives
            if await answered():
                break
            await asyncio.sleep(0.05)
    finally:
        await client.shutdown_session()
    assert results[-1]["model"] == f"team/{MODEL[kind]}"
    assert sent_key(kind, fake)[-1] == KEY
    assert all(key is None for key in sent_key(kind, fake)[:-1])
    approvals = json.loads((dexter_home / "state" / "approvals.json").read_text())
    assert approvals["approvals"] == [{"source": "env:TEAM_KEY", "origin": fake.server.base_url,
                                       "decision": "always"}]
