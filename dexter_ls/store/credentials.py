"""The credentials file: provider name -> API key, in the user config dir, mode 0600.

Written atomically (a temp file in the same directory, then rename). A corrupt file
is set aside with a warning and treated as empty; keys never reach a log.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path

from dexter_ls.store.paths import user_dir

log = logging.getLogger(__name__)


def credentials_path() -> Path:
    return user_dir("config") / "credentials.json"


def load_keys() -> dict[str, str]:
    path = credentials_path()
    try:
        raw = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc.strerror)
        return {}
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise ValueError("expected an object of strings")
    except ValueError:
        aside = path.with_name(f"credentials.corrupt-{int(time.time())}.json")
        os.replace(path, aside)
        log.warning("%s was not valid; moved it to %s and started empty", path, aside.name)
        return {}
    return dict(data)


def save_keys(keys: dict[str, str]) -> Path:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".credentials-", suffix=".tmp")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(keys, out, indent=2, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
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
