"""What dexter-ls sends: family and category instructions, redacted context, privacy settings."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.e2e.conftest import SERVER, fix_code_action_hook, initialize_params, server_env
from tests.e2e.helpers import as_json, explain, open_document, rng
from tests.fakes.openai_fake import FakeOpenAI

SECRET = "sk-proj-Zx81qLmN0pQrStUvWxYz12345678abcd"
URI = "file:///work/project/billing.py"
TEXT = (
    "import os\n"
    f'API_KEY = "{SECRET}"\n'
    'DSN = "postgres://billing:hunter2secret@db.internal:5432/bills"\n'
    "\n"
    "def total(items: list[int]) -> int:\n"
    '    count: int = "3"\n'
    "    return sum(items) * count\n"
)
FAKE = FakeOpenAI(models=("qwen2.5-coder:7b",))


@pytest.fixture(scope="module", autouse=True)
def fake_server() -> Iterator[FakeOpenAI]:
    FAKE.start()
    yield FAKE
    FAKE.stop()


def mypy_error() -> lsp.Diagnostic:
    return lsp.Diagnostic(range=rng(5, 17, 20), severity=lsp.DiagnosticSeverity.Error,
                          message='Incompatible types in assignment (expression has type "str", '
                                  'variable has type "int")', code="assignment", source="mypy")


def options(**privacy: Any) -> dict[str, Any]:
    return {
        "model": "tunnel/qwen2.5-coder:7b",
        "fallbackChain": ["lan/qwen2.5-coder:7b"],
        "cache": {"enabled": False},  # each test asks the fake afresh (one DEXTER_LS_HOME)
        "providers": {
            # a local port forwarded to another machine: remote as far as privacy goes
            "tunnel": {"type": "openai", "baseUrl": FAKE.base_url, "remote": True},
            "lan": {"type": "openai", "baseUrl": FAKE.base_url},  # really on this machine
        },
        "privacy": privacy,
    }


def client_with(privacy: dict[str, Any]) -> Any:
    @pytest_lsp.fixture(config=ClientServerConfig(
        server_command=SERVER, server_env=server_env(tempfile.mkdtemp(prefix="dexter-e2e-"))))
    async def fixture(lsp_client: LanguageClient) -> Any:
        fix_code_action_hook(lsp_client)
        await lsp_client.initialize_session(
            initialize_params("visual-studio-code", options(**privacy)))
        yield
        await lsp_client.shutdown_session()

    return fixture


client = client_with({})
denying = client_with({"remote": "deny"})
excluding = client_with({"excludeGlobs": ["**/billing.py"]})


async def ask(c: LanguageClient) -> tuple[Any, dict[str, Any]]:
    FAKE.plans.clear()
    before = len(FAKE.requests)
    open_document(c, URI, TEXT, "python")
    result = await explain(c, {"uri": URI, "diagnostic": as_json(c, mypy_error())})
    chats = [r for r in FAKE.requests[before:] if r.path == "/v1/chat/completions"]
    return result, (chats[-1].json() if chats else {})


async def test_family_and_category_instructions_with_redacted_context(
    client: LanguageClient,
) -> None:
    result, body = await ask(client)
    assert result["model"] == "tunnel/qwen2.5-coder:7b"
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    assert "You are a code assistant" in system  # the code-model template
    assert "This is a type error" in system  # the type-category focus
    assert result["prompt"] == "code@1+category-type@1"
    assert SECRET not in user and "hunter2secret" not in user
    assert "[REDACTED" in user and 'count: int = "3"' in user  # the error line itself is kept
    assert result["redactions"] >= 2
    assert result["category"] == "type"
    assert result["attempts"][0]["promptTokensEstimate"] > 800  # recorded on the attempt
    assert "Explained by" in result["markdown"].splitlines()[-1]


async def test_remote_deny_skips_remote_models_and_keeps_local_ones(
    denying: LanguageClient,
) -> None:
    result, body = await ask(denying)
    assert result["model"] == "lan/qwen2.5-coder:7b"
    first = result["attempts"][0]
    assert first["outcome"] == "skipped" and first["errorClass"] == "privacy"
    assert SECRET in body["messages"][1]["content"]  # on this machine: nothing to hide
    assert result["redactions"] == 0


async def test_excluded_files_send_no_source_to_remote_models(excluding: LanguageClient) -> None:
    result, body = await ask(excluding)
    assert result["model"] == "tunnel/qwen2.5-coder:7b"
    user = body["messages"][1]["content"]
    assert "excludeGlobs" in user and "return sum(items)" not in user
    assert "Incompatible types in assignment" in user  # the message alone still goes
