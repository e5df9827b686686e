"""The Neovim package in real Neovims (0.7.2 and a current one), headless.

Each case is a Lua function in tests/editors/nvim/lua/dexter_test/cases.lua; it waits on
editor state and prints the editor's messages when it fails.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.editors.nvim_run import (
    CASE_TIMEOUT_SECONDS,
    ROOT,
    Nvim,
    closed_port,
    find,
    python_file,
    require,
    run_case,
    server_cmd,
)
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


def base_config(tmp_path: Path, settings: Mapping[str, object]) -> dict[str, object]:
    return {"cmd": server_cmd(tmp_path / "server.log"), "settings": settings,
            "file": str(python_file(tmp_path / "project"))}


def test_reference_answer_from_a_code_action_on_another_tools_diagnostic(
        nvim: str, tmp_path: Path) -> None:
    output = run_case(nvim, "reference", tmp_path, base_config(tmp_path, {}))
    for step in ("hover: ok", "action listed: ok", "float: ok", "keys: ok"):
        assert step in output


def test_streamed_answer_fills_the_float_chunk_by_chunk(
        nvim: str, tmp_path: Path, fake: FakeOpenAI) -> None:
    # The server releases streamed text a complete line at a time (cleaned as it streams):
    # each token here ends a line, so each one can show before the next arrives.
    tokens = ["The name is used\n", "before it is defined.\n", "\n", "Define it first,\n",
              "or import it.\n"]
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
              "budget_ms": 1000}
    output = run_case(nvim, "dead", tmp_path, config,
                      env={"OLLAMA_HOST": f"127.0.0.1:{closed_port()}"})
    timings = [line for line in output.splitlines() if line.startswith("dead model")]
    print("\n".join(timings))  # the figures, with pytest -s
    assert len(timings) == 3


def readme_snippet(first_line: str) -> str:
    """The ```lua block of client/nvim/README.md or README.md that starts with `first_line`."""
    text = "\n".join(path.read_text() for path in (ROOT / "client" / "nvim" / "README.md",
                                                   ROOT / "README.md"))
    blocks = re.findall(r"```lua\n(.*?)```", text, re.S)
    found = [b for b in blocks if b.startswith(first_line)]
    assert len(found) == 1, f"one README block starts with {first_line!r}"
    return found[0]


README_CONFIGS = [  # first line of the block, how it is loaded, what else it must do, where
    ("-- lazy.nvim:", "lazy", None, ("0.12",), "lazy"),
    ("-- init.lua, the package without a plugin manager", "source", "hover", ("0.7", "0.12"),
     "runtimepath"),
    ("-- init.lua: the Dexter package (Neovim 0.7.2 and newer)", "source", "hover",
     ("0.7", "0.12"), "main-readme"),
    ("-- init.lua, Neovim 0.8+, without the package", "source", "hover", ("0.12",),
     "vim.lsp.start"),
    ("-- init.lua, Neovim 0.7", "source", "action", ("0.7",), "start_client"),
]
README_CASES = [pytest.param(nvim, *config[:3], id=f"{config[4]}-nvim-{nvim.label}")
                for config in README_CONFIGS for nvim in NVIMS if nvim.label in config[3]]


@pytest.mark.parametrize(("which", "first_line", "kind", "expect"), README_CASES)
def test_readme_configs_work_when_pasted(which: Nvim, first_line: str, kind: str,
                                         expect: str | None, tmp_path: Path) -> None:
    nvim = require(which)
    snippet = tmp_path / "snippet.lua"
    snippet.write_text(readme_snippet(first_line))
    home = tmp_path / "home"
    (home / "src").mkdir(parents=True)
    (home / "src" / "dexter-ls").symlink_to(ROOT)  # the README's checkout path
    config = {**base_config(tmp_path, {}), "snippet": str(snippet), "kind": kind,
              "expect": expect, "expect_model": "ollama/qwen2.5-coder:7b",
              "expect_fallback": "openai/gpt-4o-mini"}
    output = run_case(nvim, "readme", tmp_path, config, env={"HOME": str(home)})
    assert "settings: ollama/qwen2.5-coder:7b" in output
    if expect is not None:
        assert f"{'forwarded' if expect == 'hover' else 'action'}: ok" in output


def test_commands_models_chain_compare_stats_and_health(
        nvim: str, tmp_path: Path, fake: FakeOpenAI) -> None:
    settings = {"providers": {"local": {"type": "openai", "baseUrl": fake.base_url}}}
    config = {**base_config(tmp_path, settings),
              "models": ["local/tiny-coder", "local/gpt-4o-mini"]}
    output = run_case(nvim, "commands", tmp_path, config)
    for step in ("fallback chain", "models", "compare", "stats", "health"):
        assert f"{step}: ok" in output


def test_package_logic_options_fix_columns(nvim: str, tmp_path: Path) -> None:
    assert "units: ok" in run_case(nvim, "units", tmp_path, base_config(tmp_path, {}))


def test_forwarding_is_debounced_per_changed_buffer_without_dexters_own(
        nvim: str, tmp_path: Path) -> None:
    assert "forward: ok" in run_case(nvim, "forward", tmp_path, base_config(tmp_path, {}))


def test_closing_the_float_cancels_the_request_up_to_the_model(
        nvim: str, tmp_path: Path, fake: FakeOpenAI) -> None:
    # a first line, then silence until the client goes
    fake.plan(tokens=["The name is used\n", "before it is defined.\n"], fault="hang-mid")
    marker = tmp_path / "disconnected"

    def watch() -> None:
        if asyncio.run(fake.server.disconnected(timeout=CASE_TIMEOUT_SECONDS)):
            marker.write_text("the provider's client went away")

    threading.Thread(target=watch, daemon=True).start()
    settings = {"model": "local/tiny-coder",
                "providers": {"local": {"type": "openai", "baseUrl": fake.base_url}}}
    config = {**base_config(tmp_path, settings), "first_token": "The name is used",
              "marker": str(marker), "budget_ms": 1000}
    assert "cancel: ok" in run_case(nvim, "cancel", tmp_path, config)


SHOWN_CASES = [pytest.param(nvim, *config[:3], id=f"{config[4]}-nvim-{nvim.label}")
               for config in README_CONFIGS if config[0].startswith("-- init.lua, Neovim")
               for nvim in NVIMS if nvim.label in config[3]]


@pytest.mark.parametrize(("which", "first_line", "kind", "expect"), SHOWN_CASES)
def test_readme_configs_without_the_package_show_the_answer(
        which: Nvim, first_line: str, kind: str, expect: str, tmp_path: Path) -> None:
    """Neovim discards the result of workspace/executeCommand: the server shows it."""
    nvim = require(which)
    snippet = tmp_path / "snippet.lua"
    snippet.write_text(readme_snippet(first_line))
    config = {**base_config(tmp_path, {}), "snippet": str(snippet), "kind": kind,
              "expect": expect, "show": True, "expect_model": "ollama/qwen2.5-coder:7b",
              "expect_fallback": "openai/gpt-4o-mini"}
    assert "shown: ok" in run_case(nvim, "readme", tmp_path, config)


def test_chunks_and_progress_belong_to_their_request(
        nvim: str, tmp_path: Path, fake: FakeOpenAI) -> None:
    tokens = ["The name is used\n", "before it is defined.\n", "Define it first.\n"]
    fake.plan(tokens=tokens, delay=0.1)
    settings = {"model": "local/tiny-coder",
                "providers": {"local": {"type": "openai", "baseUrl": fake.base_url}}}
    config = {**base_config(tmp_path, settings), "model": "local/tiny-coder", "check_id": True,
              "first_token": tokens[0], "second_token": tokens[1], "last_token": tokens[-1]}
    output = run_case(nvim, "stream", tmp_path, config)
    assert "chunk ids: ok" in output and "progress: ok" in output
