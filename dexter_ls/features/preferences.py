"""Model switching: dexter.selectModel, dexter.setFallbackChain, dexter.getPreferences.

Choices with scope "session" live in memory until the server stops; scope "workspace"
persists in the user state dir keyed by the workspace folder (never in the repository).
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from collections.abc import Mapping
from typing import Any, Literal

from pygls.exceptions import JsonRpcInvalidParams

from dexter_ls.core.model_info import split_model_id
from dexter_ls.features.base import DexterServer
from dexter_ls.features.models import chain_problems
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.store.preferences import WorkspaceChoice, load_choices, update_choice

log = logging.getLogger(__name__)
SCOPES = ("session", "workspace")


def _invalid(command: str, message: str) -> JsonRpcInvalidParams:
    return JsonRpcInvalidParams(f"{command}: {message}")


def close_matches(ls: DexterServer, model_id: str) -> list[str]:
    known = {m.id for m in ls.registry.models()} | {BUILTIN_MODEL}
    return difflib.get_close_matches(model_id, sorted(known), n=3, cutoff=0.5)


def check_model(ls: DexterServer, command: str, model_id: str) -> None:
    """Raise InvalidParams for a malformed or unknown model id, naming close matches."""
    try:
        split_model_id(model_id)
    except ValueError as exc:
        raise _invalid(command, str(exc)) from None
    problem = ls.registry.check(ls.registry.canonical(model_id))
    if problem is None:
        return
    if "did you mean" not in problem:
        close = close_matches(ls, model_id)
        if close:
            problem += f" (did you mean {', '.join(repr(c) for c in close)}?)"
    raise _invalid(command, problem)


def _scope_and_uri(command: str, args: tuple[Any, ...], position: int
                   ) -> tuple[str | None, str | None]:
    scope = args[position] if len(args) > position else None
    if scope is not None and scope not in SCOPES:
        raise _invalid(command, f"scope must be 'session' or 'workspace', got {scope!r}")
    options = args[position + 1] if len(args) > position + 1 else None
    if options is not None and not isinstance(options, Mapping):
        raise _invalid(command, "the last argument must be an object {uri}")
    uri = options.get("uri") if options else None
    if uri is not None and not isinstance(uri, str):
        raise _invalid(command, "'uri' must be a string")
    return scope, uri


def _folder_for(ls: DexterServer, command: str, uri: str | None) -> str:
    ls.sync_folders()
    prefs = ls.explainer.preferences
    folder = prefs.folder_of(uri) if uri else (prefs.folders[0] if prefs.folders else None)
    if folder is None:
        where = f"'{uri}' is in no open workspace folder" if uri else "no workspace folder is open"
        raise _invalid(command, f"{where}: use scope 'session'")
    return folder


async def _choose(ls: DexterServer, command: str, scope: str, uri: str | None, *,
                  model: str | None = None, chain: tuple[str, ...] | None = None,
                  choosing: Literal["model", "chain"]) -> str | None:
    """Set the model or the chain for the session, or persist it for the workspace folder
    of `uri` (a file write, in a thread). Returns that folder (None for the session)."""
    prefs = ls.explainer.preferences
    if scope == "session":
        if choosing == "model":
            prefs.session_model = model
        else:
            prefs.session_chain = chain
        return None
    folder = _folder_for(ls, command, uri)

    def change(old: WorkspaceChoice) -> WorkspaceChoice:
        return (WorkspaceChoice(model, old.fallback_chain) if choosing == "model"
                else WorkspaceChoice(old.model, chain))

    try:
        prefs.choices = await asyncio.to_thread(update_choice, folder, change)
    except OSError as exc:
        raise _invalid(command, f"could not save the choice: {exc.strerror or exc}") from None
    return folder


def preferences_json(ls: DexterServer, uri: str | None) -> dict[str, object]:
    ls.sync_folders()
    prefs = ls.explainer.preferences
    effective = ls.explainer.effective(uri)
    out = effective.to_json()
    out["candidates"] = ls.explainer.candidates(uri=uri)
    choice = prefs.choices.get(effective.folder) if effective.folder else None
    out["choices"] = {
        "session": {"model": prefs.session_model,
                    "fallbackChain": None if prefs.session_chain is None
                    else list(prefs.session_chain)},
        "workspace": choice.to_json() if choice else None,
    }
    return out


def register(ls: DexterServer) -> None:
    async def load() -> None:  # before settings are applied, so the first request sees them
        ls.explainer.preferences.choices = await asyncio.to_thread(load_choices)

    ls.on_initialized.append(load)

    @ls.command("dexter.selectModel")
    async def select_model(ls: DexterServer, *args: Any) -> dict[str, object]:
        command = "dexter.selectModel"
        await ls.configured.wait()
        if not args:
            raise _invalid(command, "expected [modelId, scope?, {uri}?]")
        model = args[0]
        if model is not None and not isinstance(model, str):
            raise _invalid(command, "the model id must be a string like 'provider/model' "
                           "(or null to clear the choice)")
        if model is not None:
            check_model(ls, command, model)
            model = ls.registry.canonical(model)
        scope, uri = _scope_and_uri(command, args, 1)
        ls.sync_folders()
        scope = scope or ("workspace" if ls.explainer.preferences.folders else "session")
        folder = await _choose(ls, command, scope, uri, model=model, choosing="model")
        log.info("model %s for %s", model or "(cleared)", folder or "this session")
        return {"model": model, "scope": scope, "workspaceFolder": folder,
                "preferences": preferences_json(ls, uri or folder)}

    @ls.command("dexter.setFallbackChain")
    async def set_fallback_chain(ls: DexterServer, *args: Any) -> dict[str, object]:
        command = "dexter.setFallbackChain"
        await ls.configured.wait()
        if not args or not (args[0] is None or (isinstance(args[0], list) and all(
                isinstance(m, str) for m in args[0]))):
            raise _invalid(command, "expected [[model ids], scope?, {uri}?]")
        chain: list[str] | None = args[0]
        for model_id in chain or []:
            try:
                split_model_id(model_id)
            except ValueError as exc:
                raise _invalid(command, str(exc)) from None
        if chain is not None:
            chain = [ls.registry.canonical(m) for m in chain]
        problems = chain_problems(ls, chain or [])
        if problems:
            raise _invalid(command, "; ".join(problems))
        scope, uri = _scope_and_uri(command, args, 1)
        scope = scope or "session"
        folder = await _choose(ls, command, scope, uri, choosing="chain",
                               chain=None if chain is None else tuple(chain))
        return {"chain": ls.explainer.candidates(uri=uri or folder), "scope": scope,
                "workspaceFolder": folder}

    @ls.command("dexter.getPreferences")
    async def get_preferences(ls: DexterServer, *args: Any) -> dict[str, object]:
        await ls.configured.wait()
        target = args[0] if args else None
        uri = target.get("uri") if isinstance(target, Mapping) else target
        if uri is not None and not isinstance(uri, str):
            raise _invalid("dexter.getPreferences", "expected [uri] or [{uri}]")
        return preferences_json(ls, uri)
