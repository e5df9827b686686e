from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def dexter_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every path Dexter writes goes under tmp (store/paths.py honours DEXTER_LS_HOME)."""
    home = tmp_path / "dexter-home"
    monkeypatch.setenv("DEXTER_LS_HOME", str(home))
    return home


PROVIDER_ENV = (
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "OLLAMA_HOST",
)


@pytest.fixture(autouse=True)
def no_ambient_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests reach only 127.0.0.1: no key or endpoint from the developer's shell leaks in."""
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")  # nothing listens: refused at once
