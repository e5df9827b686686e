"""Assemble the model registry from settings, keys and the environment.

The one place that puts provider adapters into a registry; the server (features) and the
`dexter` CLI both call it. It sits above `models` and `providers`, below `features` and `cli`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a run answered offline configures no network provider: none of these load
    from dexter_ls.core.provider import Provider
    from dexter_ls.models.registry import ModelRegistry
    from dexter_ls.providers.trust import Trust
    from dexter_ls.settings import Settings


def register_providers(registry: ModelRegistry) -> None:
    """The offline reference: always there, the end of every chain."""
    from dexter_ls.providers.builtin import REFERENCE, BuiltinProvider

    registry.register_provider(BuiltinProvider(), [REFERENCE], closed=True)


def configure_providers(
    registry: ModelRegistry,
    settings: Settings,
    environ: Mapping[str, str] | None = None,
    editor_keys: Mapping[str, str] | None = None,
    stored: Mapping[str, str] | None = None,
    *,
    trust: Trust | None = None,
    own: Settings | None = None,
) -> tuple[list[str], list[Provider]]:
    """(Re)install the network providers from settings, keys and the environment.

    `editor_keys` (from the editor's secret store) come last in the key order.
    Returns problems to show the user and the replaced providers (to be closed).
    `stored` are the credentials file's keys; when None the file is read here (blocking:
    the server reads it in a worker thread and passes it in). `trust` decides which key may
    go where; when None it is read here from the user's files, with `own` as the user's own
    settings (None: nothing in `settings` is the user's own word).
    """
    import hashlib

    from dexter_ls.providers.configure import build_provider, choose_key, provider_specs
    from dexter_ls.store.credentials import load_keys

    env = os.environ if environ is None else environ
    if trust is None:
        trust = user_trust(env, own)
    specs, problems = provider_specs(settings, env, trust)
    if stored is None:
        stored = load_keys()
    replaced = []
    for spec in specs:
        # A key that may not go there leaves the provider "needs approval" (its status and
        # its error say how to allow it; the server asks the user in the meantime).
        choice = choose_key(spec, trust, stored, env, editor_keys)
        # Unchanged providers stay: rebuilding would cut requests they are serving.
        key = choice.key
        signature = (spec, hashlib.sha256(key.encode()).hexdigest() if key else None,
                     choice.problem)
        if registry.provider_signatures.get(spec.name) == signature:
            continue
        old = registry.replace_provider(build_provider(spec, choice))
        registry.provider_signatures[spec.name] = signature
        if old is not None:
            replaced.append(old)
    return problems, replaced


def user_trust(environ: Mapping[str, str], own: Settings | None,
               once: set[tuple[str, str]] | None = None) -> Trust:
    """The trust rules with the user's bound URLs and remembered answers (blocking reads)."""
    from dexter_ls.providers.trust import Trust
    from dexter_ls.store.approvals import load_approvals
    from dexter_ls.store.credentials import load_bindings

    return Trust(environ=environ, own=own, bindings=load_bindings(),
                 approvals=load_approvals(), once=set(once or ()))


async def close_providers(providers: list[Provider], after: float = 0.0) -> None:
    """Close replaced providers' connections, `after` seconds (let requests in flight end)."""
    if after:
        import asyncio

        await asyncio.sleep(after)
    for provider in providers:
        close = getattr(provider, "aclose", None)
        if close is not None:
            await close()
