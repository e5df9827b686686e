"""What every `dexter` subcommand shares: settings from the user's file and flags, the registry."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dexter_ls.assemble import configure_providers, register_providers
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.providers.endpoints import nothing_to_report
from dexter_ls.settings import Settings, merge, parse_settings
from dexter_ls.store.user_settings import UserSettingsError, read_user_settings, user_settings_path


class SetupError(Exception):
    """Bad flags or settings: the message names what was wrong."""


def settings_file() -> Path:
    return user_settings_path()


def load_settings(flags: dict[str, Any], flag_names: dict[str, str]) -> Settings:
    """The user's settings file (the `dexter` section, as in an editor), then the flags."""
    path = settings_file()
    try:
        from_file = read_user_settings()
    except UserSettingsError as exc:
        raise SetupError(str(exc)) from None
    settings, problems = parse_settings(merge(from_file, flags))
    for problem in problems:
        if problem.key in flag_names:
            raise SetupError(f"{flag_names[problem.key]}: {problem.message}")
        print(f"dexter: {path}: {problem}", file=sys.stderr)
    return settings


def make_registry(settings: Settings, *, asks: Iterable[str] | None = None) -> ModelRegistry:
    """The offline reference and the network providers of the settings and environment.

    `asks`: every model this run may ask, when the caller knows them (None: any). When none
    is a network model and configuring the network providers would report nothing, they are
    left out: an answer from the offline reference then loads neither httpx nor the key
    files, and says exactly what it said with them."""
    registry = ModelRegistry()
    register_providers(registry)
    if asks is not None and nothing_to_report(settings.providers, os.environ) and all(
            m.partition("/")[0] == BUILTIN_MODEL.partition("/")[0] for m in asks):
        return registry
    # Everything here is the user's own: the settings file and the command line.
    problems, _ = configure_providers(registry, settings, own=settings)
    for text in problems:
        print(f"dexter: {text}", file=sys.stderr)
    return registry
