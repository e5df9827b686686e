"""Provider adapters. `register_providers` is the one place that puts them in a registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry imports providers.base: no runtime import here
    from dexter_ls.models.registry import ModelRegistry


def register_providers(registry: ModelRegistry) -> None:
    from dexter_ls.providers.builtin import REFERENCE, BuiltinProvider

    registry.register_provider(BuiltinProvider(), [REFERENCE], closed=True)
