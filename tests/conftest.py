from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def dexter_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every path Dexter writes goes under tmp (store/paths.py honours DEXTER_LS_HOME)."""
    home = tmp_path / "dexter-home"
    monkeypatch.setenv("DEXTER_LS_HOME", str(home))
    return home
