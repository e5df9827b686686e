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
    if not isinstance(loaded, dict):
        raise UserSettingsError(f"{path} must hold a JSON object")
    return dexter_section(loaded, path)


def dexter_section(loaded: dict[str, Any], path: Path) -> dict[str, Any]:
    """The `dexter` settings in a file written either way an editor does: nested
    (`{"dexter": {"model": …}}`) or flat with dotted keys, as in VS Code's settings.json
    (`{"dexter.model": …, "dexter.explain.timeoutSeconds": 30}`). Keys of other tools in a
    copied settings.json (`editor.fontSize`) are not ours and are left alone. A file with
    neither form is taken as the section itself (`{"model": …}`)."""
    ours = {k: v for k, v in loaded.items() if k == "dexter" or k.startswith("dexter.")}
    if not ours:
        return loaded
    nested: dict[str, Any] = {}
    for key, value in ours.items():
        if key == "dexter" and not isinstance(value, dict):
            raise UserSettingsError(
                f"{path}: 'dexter' must be an object, got {type(value).__name__}")
        node: Any = value
        for part in reversed(key.split(".")[1:]):
            node = {part: node}
        if isinstance(node, dict):
            _merge_into(nested, node)
    return nested


def _merge_into(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge_into(base[key], value)
        else:
            base[key] = value
