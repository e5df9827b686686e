"""Build the language server and register its features. Nothing else lives here."""

from __future__ import annotations

from dexter_ls.features import (
    code_actions,
    commands,
    configuration,
    diagnostics,
    hover,
    lifecycle,
    models,
    preferences,
    usage,
)
from dexter_ls.features.base import DexterServer

# preferences before configuration: stored choices load before the first settings apply.
FEATURES = (lifecycle, preferences, configuration, diagnostics, code_actions, hover, commands,
            models, usage)


def build_server() -> DexterServer:
    server = DexterServer()
    for feature in FEATURES:
        feature.register(server)
    return server
