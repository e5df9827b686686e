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
        loaded = loaded.get("dexter", loaded) if isinstance(loaded, dict) else loaded
        if not isinstance(loaded, dict):
            raise SetupError(f"{path} must hold a JSON object")
        from_file = loaded
    settings, problems = parse_settings(merge(from_file, flags))
    for problem in problems:
        if problem.key in flag_names:
            raise SetupError(f"{flag_names[problem.key]}: {problem.message}")
        print(f"dexter: {path}: {problem}", file=sys.stderr)
    return settings


def make_registry(settings: Settings) -> ModelRegistry:
    registry = ModelRegistry()
    register_providers(registry)
    problems, _ = configure_providers(registry, settings)
    for text in problems:
        print(f"dexter: {text}", file=sys.stderr)
    return registry
