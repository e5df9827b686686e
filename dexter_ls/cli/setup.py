"""What every `dexter` subcommand shares: settings from the user's file and flags, the registry."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dexter_ls.assemble import configure_providers, register_providers
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.settings import Settings, merge, parse_settings
from dexter_ls.store.paths import user_dir


class SetupError(Exception):
    """Bad flags or settings: the message names what was wrong."""


def settings_file() -> Path:
    return user_dir("config") / "settings.json"


def load_settings(flags: dict[str, Any], flag_names: dict[str, str]) -> Settings:
    """The user's settings file (the `dexter` section, as in an editor), then the flags."""
    from_file: dict[str, Any] = {}
    path = settings_file()
    if path.is_file():
        try:
            loaded = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise SetupError(f"cannot read {path}: {exc}") from None
        if not isinstance(loaded, dict):
            raise SetupError(f"{path} must hold a JSON object")
        from_file = dexter_section(loaded)
    settings, problems = parse_settings(merge(from_file, flags))
    for problem in problems:
        if problem.key in flag_names:
            raise SetupError(f"{flag_names[problem.key]}: {problem.message}")
        print(f"dexter: {path}: {problem}", file=sys.stderr)
    return settings


def dexter_section(loaded: dict[str, Any]) -> dict[str, Any]:
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
            raise SetupError(f"'dexter' must be an object, got {type(value).__name__}")
        path = key.split(".")[1:]
        node: Any = value
        for part in reversed(path):
            node = {part: node}
        nested = merge(nested, node if isinstance(node, dict) else {})
    return nested


def make_registry(settings: Settings) -> ModelRegistry:
    registry = ModelRegistry()
    register_providers(registry)
    problems, _ = configure_providers(registry, settings)
    for text in problems:
        print(f"dexter: {text}", file=sys.stderr)
    return registry
