"""Settings from initializationOptions, workspace/configuration and didChangeConfiguration.

initializationOptions are the base; the latest of a pull or a push from the
client overrides them key by key. Each change is validated once, here.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from dexter_ls.explain.preferences import FolderSettings
from dexter_ls.features.approvals import install_providers, read_trust
from dexter_ls.features.base import DexterServer
from dexter_ls.features.credentials import ask_editor_for_keys, client_offers_secrets
from dexter_ls.features.models import chain_problems

if TYPE_CHECKING:
    from dexter_ls.settings import Settings, SettingsProblem

log = logging.getLogger(__name__)
SECTION = "dexter"
PULL_TIMEOUT_SECONDS = 10.0


class _Sources:
    def __init__(self) -> None:
        self.own: dict[str, Any] = {}  # the user's own settings file: the trusted base
        self.initial: dict[str, Any] = {}
        self.client: dict[str, Any] = {}
        self.folders: dict[str, dict[str, Any]] = {}  # folder uri -> its scoped section
        self.shown: set[str] = set()
        self.lock = asyncio.Lock()  # changes apply one at a time, in the order they came
        self.generation = 0  # bumped by every push: a pull that started earlier is stale
        self.applied: str | None = None  # the sources last applied (the same again: no-op)


def section_of(raw: object) -> object:
    """Accept `{"dexter": {...}}` as well as the bare section."""
    if isinstance(raw, Mapping) and SECTION in raw:
        return raw[SECTION]
    return raw


@dataclass(frozen=True)
class _Editor:
    """The editor's settings as they were when one change began to apply: a push or a pull
    that arrives meanwhile changes `_Sources`, never what is being applied."""

    initial: dict[str, Any]
    client: dict[str, Any]
    folders: dict[str, dict[str, Any]]


async def apply(ls: DexterServer, sources: _Sources) -> None:
    async with sources.lock:
        editor = _Editor(dict(sources.initial), dict(sources.client), dict(sources.folders))
        key = json.dumps([editor.initial, editor.client, editor.folders], sort_keys=True,
                         default=str)
        if key == sources.applied:  # e.g. a pull that found what a push had sent
            return
        await _apply(ls, sources, editor)
        sources.applied = key


def _parse(own_raw: dict[str, Any], editor: _Editor) -> tuple[
        Settings, Settings, dict[str, FolderSettings], list[SettingsProblem]]:
    """Validate every source (pure; run in a thread, so the event loop keeps answering code
    actions meanwhile). The user's own settings file is the base; the editor's settings
    (untrusted) go on top."""
    from dexter_ls.settings import merge, parse_settings

    own, problems = parse_settings(own_raw)
    settings, more = parse_settings(merge(own_raw, editor.initial, editor.client))
    problems += [p for p in more if p not in problems]
    folder_settings = {}
    for folder, raw in editor.folders.items():  # model and chain may differ per folder
        scoped, scoped_problems = parse_settings(
            merge(own_raw, editor.initial, editor.client, raw))
        folder_settings[folder] = FolderSettings(scoped.model, tuple(scoped.fallback_chain))
        problems += [p for p in scoped_problems if p.kind == "invalid" and p not in problems]
    return own, settings, folder_settings, problems


def _read_own(ls: DexterServer, sources: _Sources) -> None:
    from dexter_ls.store.user_settings import UserSettingsError, read_user_settings

    try:
        sources.own = read_user_settings()
    except UserSettingsError as exc:
        sources.own = {}
        _show_once(ls, sources, f"Dexter: {exc}")


async def _apply(ls: DexterServer, sources: _Sources, editor: _Editor) -> None:
    await asyncio.to_thread(_read_own, ls, sources)
    own, settings, folder_settings, problems = await asyncio.to_thread(_parse, sources.own,
                                                                       editor)
    ls.own_settings = own
    trust = await read_trust(ls)
    settings, trust_problems = trust.settle(settings)  # what only the user may choose
    ls.settings = settings
    ls.explainer.preferences.folder_settings = folder_settings
    ls.sync_folders()
    ls.apply_storage_settings()
    provider_problems = await install_providers(ls, trust)
    if client_offers_secrets(ls):
        ls.background(ask_editor_for_keys(ls))
    for text in trust_problems + provider_problems:
        _show_once(ls, sources, f"Dexter: {text}.")
    from dexter_ls.store.credentials import credentials_problem

    refused = await asyncio.to_thread(credentials_problem)
    if refused:
        _show_once(ls, sources, f"Dexter: {refused}.")
    templates = await asyncio.to_thread(ls.explainer.reload_templates)  # files: off the loop
    for text in templates.problems:
        _show_once(ls, sources, f"Dexter: {text}")
    check_chosen_models(ls, sources)
    for problem in problems:
        if problem.kind == "unknown":
            log.warning("%s", problem)
            continue
        _show_once(ls, sources, str(problem))
    log.info("settings: model=%s chain=%s", settings.model, settings.fallback_chain)


def check_chosen_models(ls: DexterServer, sources: _Sources) -> None:
    """Report a model in the settings that no provider offers. Run when settings change and
    after each model discovery: before the first one, every model looks possible."""
    settings = ls.settings
    chosen = [m for m in [settings.model, *settings.fallback_chain,
                          *settings.category_models.values()] if m]
    for text in chain_problems(ls, chosen):
        _show_once(ls, sources, f"Dexter: dexter.model / dexter.fallbackChain: {text}.")


def _show_once(ls: DexterServer, sources: _Sources, text: str) -> None:
    log.warning("%s", text)
    if text not in sources.shown:  # one popup per distinct problem
        sources.shown.add(text)
        ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, text))


def _as_dict(ls: DexterServer, raw: object, origin: str) -> dict[str, Any]:
    raw = section_of(raw)
    if raw is None:
        return {}
    if isinstance(raw, Mapping):
        return dict(raw)
    text = f"Dexter: settings from {origin} must be an object, got {type(raw).__name__}; ignored."
    log.warning("%s", text)
    ls.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, text))
    return {}


def _can_pull(ls: DexterServer) -> bool:
    caps = ls.client_capabilities
    return bool(caps and caps.workspace and caps.workspace.configuration)


async def pull(ls: DexterServer, sources: _Sources) -> bool:
    """The window-wide section, then one per workspace folder (multi-root workspaces).
    False when the client gave no answer (the settings in force stay)."""
    started = sources.generation
    folders = list(ls.workspace.folders)
    items = [lsp.ConfigurationItem(section=SECTION)] + [
        lsp.ConfigurationItem(scope_uri=folder, section=SECTION) for folder in folders]
    try:
        result = await asyncio.wait_for(
            ls.workspace_configuration_async(lsp.ConfigurationParams(items=items)),
            PULL_TIMEOUT_SECONDS)
    except Exception as exc:  # the client may refuse or never answer; keep what we have
        log.warning("workspace/configuration failed: %s", exc or type(exc).__name__)
        return False
    if sources.generation != started:  # settings were pushed meanwhile: they are newer
        return True
    values = list(result or [])
    values += [None] * (len(items) - len(values))
    sources.client = _as_dict(ls, values[0], "workspace/configuration")
    sources.folders = {
        folder: _as_dict(ls, value, f"workspace/configuration for {folder}")
        for folder, value in zip(folders, values[1:], strict=True)}
    await apply(ls, sources)
    return True


def register(ls: DexterServer) -> None:
    sources = _Sources()

    def initialize(params: lsp.InitializeParams) -> None:
        sources.initial = _as_dict(ls, params.initialization_options, "initializationOptions")

    async def initialized() -> None:
        # Validated here, not in `initialize`: the client sends nothing else before
        # `initialized`, and the editor need not wait for the settings to be read.
        # Applied once: after the pull when the client answers one (requests wait for these
        # settings, not for the defaults), else from initializationOptions alone.
        try:
            if not (_can_pull(ls) and await pull(ls, sources)):
                await apply(ls, sources)
        finally:
            ls.configured.set()

    ls.on_initialize.append(initialize)
    ls.on_initialized.append(initialized)
    ls.on_discovered.append(lambda: check_chosen_models(ls, sources))

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def changed(ls: DexterServer, params: lsp.DidChangeConfigurationParams) -> None:
        pushed = params.settings
        sources.generation += 1
        if isinstance(pushed, Mapping) and SECTION in pushed:
            sources.client = _as_dict(ls, pushed, "didChangeConfiguration")
            await apply(ls, sources)
            if _can_pull(ls) and ls.workspace.folders:
                # A folder's own values may have changed too: earlier pulled ones would
                # otherwise keep overriding what was just pushed.
                await pull(ls, sources)
        elif _can_pull(ls):  # the pull model: the notification only says "something changed"
            await pull(ls, sources)

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def folders_changed(ls: DexterServer,
                              params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        # pygls has updated ls.workspace.folders already; each folder may have its own model.
        ls.sync_folders()
        if _can_pull(ls):
            await pull(ls, sources)
