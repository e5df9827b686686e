"""The Neovim package in real Neovims (0.7.2 and a current one), headless.

Each case is a Lua function in tests/editors/nvim/lua/dexter_test/cases.lua; it waits on
editor state and prints the editor's messages when it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.editors.nvim_run import closed_port, find, python_file, require, run_case, server_cmd
from tests.fakes.openai_fake import FakeOpenAI

NVIMS = [find("0.7"), find("0.12")]


@pytest.fixture(params=NVIMS, ids=lambda n: f"nvim-{n.label}")
def nvim(request: pytest.FixtureRequest) -> str:
    return require(request.param)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def base_config(tmp_path: Path, settings: dict[str, object]) -> dict[str, object]:
    return {"cmd": server_cmd(tmp_path / "server.log"), "settings": settings,
            "file": str(python_file(tmp_path / "project"))}


def test_reference_answer_from_a_code_action_on_another_tools_diagnostic(
        nvim: str, tmp_path: Path) -> None:
    output = run_case(nvim, "reference", tmp_path, base_config(tmp_path, {}))
    for step in ("hover: ok", "action listed: ok", "float: ok", "keys: ok"):
        assert step in output


def test_streamed_answer_fills_the_float_chunk_by_chunk(
        nvim: str, tmp_path: Path, fake: FakeOpenAI) -> None:
    tokens = ["The name ", "`undefined_name` ", "is used ", "before it ", "is defined."]
    fake.plan(tokens=tokens, delay=0.25)
    settings = {"model": "local/tiny-coder",
                "providers": {"local": {"type": "openai", "baseUrl": fake.base_url}}}
    config = {**base_config(tmp_path, settings), "model": "local/tiny-coder",
              "first_token": tokens[0], "second_token": tokens[1], "last_token": tokens[-1]}
    assert "stream: ok" in run_case(nvim, "stream", tmp_path, config)
    assert len(fake.requests_to("/v1/chat/completions")) == 1


def test_select_model_switches_the_model_and_the_statusline(
        nvim: str, tmp_path: Path, fake: FakeOpenAI) -> None:
    settings = {"providers": {"local": {"type": "openai", "baseUrl": fake.base_url}}}
    config = {**base_config(tmp_path, settings), "model": "local/tiny-coder"}
    assert "select: ok" in run_case(nvim, "select", tmp_path, config)
    chats = fake.requests_to("/v1/chat/completions")
    assert [r.json()["model"] for r in chats] == ["tiny-coder"]


def test_a_dead_local_model_does_not_stall_the_editor(nvim: str, tmp_path: Path) -> None:
    settings = {"model": "ollama/qwen2.5-coder:7b", "fallbackChain": ["openai/gpt-4o-mini"]}
    config = {**base_config(tmp_path, settings), "dead_model": "ollama/qwen2.5-coder:7b",
              "budget_ms": 2000}
    output = run_case(nvim, "dead", tmp_path, config,
                      env={"OLLAMA_HOST": f"127.0.0.1:{closed_port()}"})
    assert output.count("dead model, explanation") == 3
