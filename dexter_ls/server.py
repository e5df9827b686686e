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
)
from dexter_ls.features.base import DexterServer

FEATURES = (lifecycle, configuration, diagnostics, code_actions, hover, commands, models)


def build_server() -> DexterServer:
    server = DexterServer()
    for feature in FEATURES:
        feature.register(server)
    return server
