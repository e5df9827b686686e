"""The credentials file: provider name -> API key (and the URL a key is bound to), in the
user config dir, mode 0600.

Written atomically (a temp file in the same directory, then rename). A corrupt file is set
aside with a warning and treated as empty; a file other users can read is refused (with a
message saying how to fix it) until its mode is 0600. Keys never reach a log.
Format: `{"keys": {name: key}, "urls": {name: url}}`; the older flat `{name: key}` is read too.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from dexter_ls.store.files import read_json, write_atomically
from dexter_ls.store.paths import user_dir

log = logging.getLogger(__name__)


class CredentialsError(Exception):
    """The credentials file cannot be used or written; the message says why and what to do."""


@dataclass(frozen=True)
class Credentials:
    keys: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # `dexter keys set NAME --url URL`


def credentials_path() -> Path:
    return user_dir("config") / "credentials.json"


def credentials_problem() -> str | None:
    """Why the credentials file is refused (readable by group or others), or None."""
    path = credentials_path()
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    if mode & 0o077:
        return (f"{path} is readable by other users (mode {mode:04o}); Dexter ignores the keys "
                f"in it until you run: chmod 600 {path}")
    return None


def load_credentials() -> Credentials:
    problem = credentials_problem()
    if problem is not None:
        log.warning("%s", problem)
        return Credentials()
    return read_json(credentials_path(), _parse, Credentials())


def load_keys() -> dict[str, str]:
    return load_credentials().keys


def load_bindings() -> dict[str, str]:
    return load_credentials().urls


def _strings(data: object) -> dict[str, str]:
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError("expected an object of strings")
    return dict(data)


def _parse(data: object) -> Credentials:
    if isinstance(data, dict) and isinstance(data.get("keys"), dict):
        return Credentials(_strings(data["keys"]), _strings(data.get("urls") or {}))
    return Credentials(_strings(data))


def save_credentials(credentials: Credentials) -> Path:
    """Raises CredentialsError when the file cannot be written (full or read-only disk)."""
    path = credentials_path()
    text = json.dumps({"keys": credentials.keys, "urls": credentials.urls}, indent=2,
                      sort_keys=True)
    try:
        write_atomically(path, text, mode=0o600, private_dir=True)
    except OSError as exc:
        raise CredentialsError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def _writable_credentials() -> Credentials:
    problem = credentials_problem()
    if problem is not None:
        raise CredentialsError(problem)
    return load_credentials()


def save_keys(keys: dict[str, str]) -> Path:
    return save_credentials(Credentials(dict(keys), load_credentials().urls))


def set_key(provider: str, key: str, url: str | None = None) -> Path:
    """Store `key` for `provider`; with `url`, bind the key to that endpoint (its origin)."""
    current = _writable_credentials()
    keys, urls = dict(current.keys), dict(current.urls)
    keys[provider] = key
    if url is not None:
        urls[provider] = url
    return save_credentials(Credentials(keys, urls))


def delete_key(provider: str) -> bool:
    current = _writable_credentials()
    if provider not in current.keys and provider not in current.urls:
        return False
    keys = {k: v for k, v in current.keys.items() if k != provider}
    urls = {k: v for k, v in current.urls.items() if k != provider}
    save_credentials(Credentials(keys, urls))
    return True
