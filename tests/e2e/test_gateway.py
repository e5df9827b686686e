"""A team's gateway: LiteLLM's proxy (with a master key) in front of llama.cpp's server, used by
Dexter as a custom OpenAI-compatible provider. The proxy's model list is discovered through
it, a diagnostic is explained through it, and the usage it reports comes back.

Needs what test_real_model.py needs (llama-cpp-server, DEXTER_TEST_GGUF) plus LiteLLM's proxy
in .ci-cache/litellm-venv (`bash .ci/bench.sh`). Skips without them, fails instead when
DEXTER_REQUIRE_REAL_MODEL=1 (CI).

The key: stored with `dexter keys set team --url URL` (the credentials file, bound to the
gateway's URL, so it goes nowhere else).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from bench.gateway_proxy import LiteLLMProxy, proxy_binary
from tests.e2e.conftest import SERVER, fix_code_action_hook, initialize_params, server_env
from tests.e2e.helpers import PY_TEXT, PY_URI, as_json, explain, open_document, pylance_diagnostic
from tests.e2e.test_real_model import ALIAS, llama_url

pytestmark = pytest.mark.real_model
EXTRA_ALIAS = "team-default"  # listed by the proxy, in no chain: seen only if discovered
HOME = tempfile.mkdtemp(prefix="dexter-gateway-")
__all__ = ["llama_url"]  # the fixture, shared with test_real_model.py


@pytest.fixture(scope="module")
def gateway(llama_url: str) -> Iterator[LiteLLMProxy]:
    if proxy_binary() is None:
        reason = "needs LiteLLM's proxy in .ci-cache/litellm-venv (bash .ci/bench.sh)"
        if os.environ.get("DEXTER_REQUIRE_REAL_MODEL"):
            pytest.fail(reason)
        pytest.skip(reason)
    with LiteLLMProxy({ALIAS: llama_url, EXTRA_ALIAS: llama_url}) as proxy:
        done = subprocess.run([sys.executable, "-m", "dexter_ls.cli", "keys", "set", "team",
                               "--url", proxy.base_url],  # the key goes to this gateway only
                              input=proxy.master_key + "\n", capture_output=True, text=True,
                              env=server_env(HOME), check=False, timeout=60)
        assert done.returncode == 0, done.stderr
        assert proxy.master_key not in done.stdout + done.stderr
        yield proxy


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=server_env(HOME)))
async def client(lsp_client: LanguageClient, gateway: LiteLLMProxy) -> Any:
    fix_code_action_hook(lsp_client)
    await lsp_client.initialize_session(initialize_params("visual-studio-code", {
        "model": f"team/{ALIAS}",
        "cache": {"enabled": False},
        "providers": {"team": {"type": "openai", "baseUrl": gateway.base_url,
                               "timeoutSeconds": 120, "firstTokenTimeoutSeconds": 60}},
        "explain": {"timeoutSeconds": 150},
    }))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.parametrize("key", [None, "sk-wrong"])
def test_the_gateway_refuses_requests_without_its_key(gateway: LiteLLMProxy,
                                                      key: str | None) -> None:
    """Otherwise the key plumbing below would prove nothing. (Without a database LiteLLM
    answers a missing or wrong key with a 400 or 500 rather than a 401: refused all the same.)"""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    request = urllib.request.Request(f"{gateway.base_url}/models", headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code >= 400


async def test_models_are_discovered_and_a_diagnostic_explained_through_the_gateway(
        client: LanguageClient) -> None:
    listed: dict[str, Any] = {}
    for _ in range(200):  # discovery runs in the background after `initialized`
        listed = await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="dexter.refreshModels", arguments=[]))
        if f"team/{EXTRA_ALIAS}" in [m["id"] for m in listed["models"]]:
            break
        await asyncio.sleep(0.1)
    models = {m["id"]: m for m in listed["models"]}
    assert f"team/{EXTRA_ALIAS}" in models, json.dumps(listed)[:2000]
    assert "team" not in listed["providers"], listed["providers"]

    chunks: list[Any] = []
    client.feature("dexter/explanationChunk")(lambda params: chunks.append(params))
    open_document(client, PY_URI, PY_TEXT, "python")
    result = await explain(client, {"uri": PY_URI,
                                    "diagnostic": as_json(client, pylance_diagnostic())})
    assert result["model"] == f"team/{ALIAS}", result["attempts"]
    # One attempt, through the gateway; the tiny model often talks until the output-token
    # limit, and then the answer is marked incomplete (it was still answered by the gateway).
    [outcome] = [a["outcome"] for a in result["attempts"]]
    assert outcome in ("success", "incomplete")
    assert result["incomplete"] is (outcome == "incomplete")
    assert result["markdown"].strip()
    assert chunks, "the answer streamed through the proxy"
    usage = result["usage"]
    assert usage["source"] == "reported", usage
    assert usage["inputTokens"] > 20 and usage["outputTokens"] > 0
