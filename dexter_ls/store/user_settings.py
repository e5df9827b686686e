"""The user's own settings file: the `dexter` section as in an editor, in the user config dir.

Unlike editor settings (which a cloned repository can supply), this file is the user's
word: the trust rules (`providers.trust`) honour endpoints, `remote: false` and the prompt
folder from it. Read by the CLI and by the server (as the base under the editor's settings).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dexter_ls.store.paths import user_dir


class UserSettingsError(ValueError):
    """The file exists but cannot be used; the message names the file and the reason."""


def user_settings_path() -> Path:
    return user_dir("config") / "settings.json"


def read_user_settings() -> dict[str, Any]:
    """The raw `dexter` section of the file ({} when there is none). Blocking."""
    path = user_settings_path()
    if not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise UserSettingsError(f"cannot read {path}: {exc}") from None
    loaded = loaded.get("dexter", loaded) if isinstance(loaded, dict) else loaded
    if not isinstance(loaded, dict):
        raise UserSettingsError(f"{path} must hold a JSON object")
    return loaded
