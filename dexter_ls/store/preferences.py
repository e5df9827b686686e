"""Model choices made with `dexter.selectModel` / `dexter.setFallbackChain` for a workspace.

One JSON file in the user state dir, keyed by workspace folder URI — never written into
the repository. Written atomically; re-read just before each write so two servers on the
same machine do not undo each other's choices. A corrupt file is set aside with a warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dexter_ls.store.files import read_json, write_atomically
from dexter_ls.store.paths import user_dir

FORMAT_VERSION = 1


@dataclass(frozen=True)
class WorkspaceChoice:
    model: str | None = None
    fallback_chain: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model,
                "fallbackChain": None if self.fallback_chain is None else list(
                    self.fallback_chain)}


def preferences_path() -> Path:
    return user_dir("state") / "preferences.json"


def load_choices(path: Path | None = None) -> dict[str, WorkspaceChoice]:
    """Folder URI -> the choices stored for it. Missing file: none."""
    return read_json(path or preferences_path(), _parse, {})


def update_choice(folder: str, change: Callable[[WorkspaceChoice], WorkspaceChoice],
                  path: Path | None = None) -> dict[str, WorkspaceChoice]:
    """Apply `change` to the choice stored for `folder` (re-read from disk first, so another
    server's choices for other folders survive). Returns every stored choice after the write."""
    path = path or preferences_path()
    choices = load_choices(path)
    new = change(choices.get(folder, WorkspaceChoice()))
    if new == WorkspaceChoice():
        choices.pop(folder, None)
    else:
        choices[folder] = new
    _save(path, choices)
    return choices


def _parse(data: object) -> dict[str, WorkspaceChoice]:
    if not isinstance(data, dict) or not isinstance(data.get("workspaces"), dict):
        raise ValueError("expected an object with 'workspaces'")
    out: dict[str, WorkspaceChoice] = {}
    for folder, entry in data["workspaces"].items():
        if not isinstance(entry, dict):
            raise ValueError(f"entry for {folder!r} is not an object")
        model = entry.get("model")
        chain = entry.get("fallbackChain")
        if model is not None and not isinstance(model, str):
            raise ValueError(f"'model' for {folder!r} is not a string")
        if chain is not None and not (isinstance(chain, list)
                                      and all(isinstance(m, str) for m in chain)):
            raise ValueError(f"'fallbackChain' for {folder!r} is not a list of strings")
        out[folder] = WorkspaceChoice(model, None if chain is None else tuple(chain))
    return out


def _save(path: Path, choices: dict[str, WorkspaceChoice]) -> None:
    data = {"version": FORMAT_VERSION,
            "workspaces": {folder: c.to_json() for folder, c in sorted(choices.items())}}
    write_atomically(path, json.dumps(data, indent=2), private_dir=True)
