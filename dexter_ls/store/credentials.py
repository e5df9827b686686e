"""The credentials file: provider name -> API key, in the user config dir, mode 0600.

Written atomically (a temp file in the same directory, then rename). A corrupt file
is set aside with a warning and treated as empty; keys never reach a log.
"""

from __future__ import annotations

import json
from pathlib import Path

from dexter_ls.store.files import read_json, write_atomically
from dexter_ls.store.paths import user_dir


def credentials_path() -> Path:
    return user_dir("config") / "credentials.json"


def load_keys() -> dict[str, str]:
    return read_json(credentials_path(), _keys, {})


def _keys(data: object) -> dict[str, str]:
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError("expected an object of strings")
    return dict(data)


def save_keys(keys: dict[str, str]) -> Path:
    path = credentials_path()
    write_atomically(path, json.dumps(keys, indent=2, sort_keys=True), mode=0o600, private_dir=True)
    return path


def set_key(provider: str, key: str) -> Path:
    keys = load_keys()
    keys[provider] = key
    return save_keys(keys)


def delete_key(provider: str) -> bool:
    keys = load_keys()
    if keys.pop(provider, None) is None:
        return False
    save_keys(keys)
    return True
