"""The CLI's settings file (nested or VS Code's flat form, and where it is) and Ollama model
ids without a tag in --model, --chain and --models, against a fake Ollama on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.ollama_fake import FakeOllama

ROOT = Path(__file__).resolve().parents[2]
MYPY = ROOT / "examples" / "output" / "mypy.txt"
DEXTER = [sys.executable, "-m", "dexter_ls.cli"]
LATEST = "ollama/llama3.2:latest"


@pytest.fixture
def ollama(dexter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    server = FakeOllama().start()
    monkeypatch.setenv("OLLAMA_HOST", server.server.base_url)
    yield server
    server.stop()


def dexter(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEXTER, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60, env={**os.environ})


def settings_path() -> Path:
    done = dexter("config", "path")
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def test_config_path_names_the_file_under_the_state_dir(dexter_home: Path) -> None:
    assert settings_path() == dexter_home / "config" / "settings.json"


@pytest.mark.parametrize("content", [
    {"dexter": {"model": "ollama/llama3.2", "explain": {"timeoutSeconds": 9}}},
    {"dexter.model": "ollama/llama3.2", "dexter.explain.timeoutSeconds": 9,
     "editor.fontSize": 14},  # copied from VS Code: flat dotted keys, other tools' keys
    {"dexter.model": "ollama/llama3.2", "dexter.explain": {"timeoutSeconds": 9}},
], ids=["nested", "flat", "flat-with-objects"])
def test_settings_file_nested_or_flat(ollama: FakeOllama, content: dict[str, object]) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content))
    done = dexter("explain", "--json", "--max", "1", "--no-cache", str(MYPY))
    assert done.returncode == 0, done.stderr
    assert "unknown setting" not in done.stderr and "invalid setting" not in done.stderr
    (result,) = json.loads(done.stdout)
    assert result["model"] == LATEST  # the file's model, tag added


def test_flat_settings_with_a_provider_block(ollama: FakeOllama) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"dexter.model": "box/llama3.2", "dexter.providers": {
        "box": {"type": "ollama", "baseUrl": ollama.server.base_url}}}))
    done = dexter("explain", "--json", "--max", "1", "--no-cache", str(MYPY))
    assert done.returncode == 0, done.stderr
    assert "dexter.dexter" not in done.stderr
    assert json.loads(done.stdout)[0]["model"] == "box/llama3.2:latest"


def test_model_flag_without_a_tag(ollama: FakeOllama) -> None:
    done = dexter("explain", "--json", "--max", "1", "--no-cache", "--model",
                  "ollama/llama3.2", str(MYPY))
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)
    assert (result["model"], result["requestedModel"]) == (LATEST, LATEST)


def test_chain_flag_without_a_tag(ollama: FakeOllama) -> None:
    done = dexter("explain", "--json", "--max", "1", "--no-cache", "--chain",
                  "ollama/llama3.2,ollama/llama3.2:latest", str(MYPY))
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)
    assert result["model"] == LATEST
    assert [a["model"] for a in result["attempts"]] == [LATEST]  # one model, asked once


def test_models_flag_without_a_tag(ollama: FakeOllama) -> None:
    done = dexter("compare", "--json", "--models", "ollama/llama3.2,ollama/llama3.2:latest",
                  str(MYPY))
    assert done.returncode == 0, done.stderr
    (only,) = json.loads(done.stdout)["results"]
    assert only["model"] == LATEST and only["error"] is None


def test_the_cli_discovers_a_llamacpp_model_before_asking(dexter_home: Path) -> None:
    """llama.cpp serving a 135M model with a 4096-token context: `dexter explain` and
    `dexter prompts render` pick the template for small models, as the server does."""
    from tests.fakes.openai_fake import FakeOpenAI

    meta = {"n_ctx_train": 8192, "n_params": 134515008}
    with FakeOpenAI(("smol",), details={"smol": {"owned_by": "llamacpp", "meta": meta}},
                    props={"default_generation_settings": {"n_ctx": 4096}}) as fake:
        path = settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"dexter.model": "llamacpp/smol", "dexter.providers": {
            "llamacpp": {"type": "openai", "baseUrl": fake.base_url}}}))
        done = dexter("explain", "--json", "--max", "1", "--no-cache", str(MYPY))
        assert done.returncode == 0, done.stderr
        (result,) = json.loads(done.stdout)
        assert result["model"] == "llamacpp/smol"
        assert str(result["prompt"]).startswith("small@")
        rendered = subprocess.run([*DEXTER, "prompts", "render", "--model", "llamacpp/smol"],
                                  input=MYPY.read_text(), capture_output=True, text=True,
                                  cwd=ROOT, timeout=60)
        assert rendered.returncode == 0, rendered.stderr
        assert "templates small@" in rendered.stdout.splitlines()[0]
