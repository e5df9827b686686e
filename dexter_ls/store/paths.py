"""Every path Dexter writes to comes from here. `DEXTER_LS_HOME` moves them all (tests use tmp)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

Kind = Literal["config", "state", "cache", "log"]


def user_dir(kind: Kind) -> Path:
    """The directory for one kind of data; not created here."""
    home = os.environ.get("DEXTER_LS_HOME")
    if home:
        return Path(home) / kind
    import platformdirs  # loaded only when it decides

    if kind == "config":
        return Path(platformdirs.user_config_dir("dexter-ls", appauthor=False))
    if kind == "state":
        return Path(platformdirs.user_state_dir("dexter-ls", appauthor=False))
    if kind == "cache":
        return Path(platformdirs.user_cache_dir("dexter-ls", appauthor=False))
    return Path(platformdirs.user_log_dir("dexter-ls", appauthor=False))
