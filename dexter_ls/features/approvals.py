"""Installing providers under the trust rules, and asking the user about a key's new home.

`providers.trust` decides; this module gathers what it needs (the user's own settings file,
bound URLs, remembered answers, "Allow once" answers of this session), installs the providers,
and asks each undecided question once with `window/showMessageRequest`: Allow once / Always /
Never. No answer, an error or a client that cannot ask counts as Never for this session
(nothing is remembered then); "Always" and "Never" are remembered in the user state dir.
"""

from __future__ import annotations

import asyncio
import logging
import os

from lsprotocol import types as lsp

from dexter_ls.assemble import close_providers, configure_providers, user_trust
from dexter_ls.features.base import DexterServer
from dexter_ls.providers.trust import Trust
from dexter_ls.store.approvals import remember
from dexter_ls.store.credentials import load_keys

log = logging.getLogger(__name__)
ASK_TIMEOUT_SECONDS = 300.0  # the user may be busy; the question stays until answered
ALLOW_ONCE, ALWAYS, NEVER = "Allow once", "Always", "Never"


async def read_trust(ls: DexterServer) -> Trust:
    """The trust rules for this server, from the user's files (read off the event loop)."""
    return await asyncio.to_thread(user_trust, os.environ, ls.own_settings, ls.approved_once)


async def install_providers(ls: DexterServer, trust: Trust | None = None) -> list[str]:
    """(Re)install the network providers; returns problems to show the user."""
    trust = trust if trust is not None else await read_trust(ls)
    stored = await asyncio.to_thread(load_keys)  # a file read: off the event loop
    before = {p.name: p for p in ls.registry.providers()}
    problems, replaced = configure_providers(ls.registry, ls.settings, stored=stored,
                                             editor_keys=ls.editor_keys, trust=trust)
    # A provider added or replaced (new endpoint, new key) has its models discovered now,
    # not at the next periodic probe: settings often arrive after the first discovery ran.
    fresh = [p.name for p in ls.registry.providers() if before.get(p.name) is not p]
    if fresh:
        ls.background(ls.discover(fresh))
    for provider in replaced:
        ls.explainer.chain.breakers.forget_provider(provider.name)
    if replaced:  # requests in flight keep the old ones until their deadline
        ls.background(close_providers(replaced, after=ls.settings.explain.timeout_seconds + 5))
    for pair, question in trust.pending.items():
        if pair not in ls.asked:
            ls.asked.add(pair)
            ls.background(_ask(ls, pair, question))
    return problems


async def _ask(ls: DexterServer, pair: tuple[str, str], question: str) -> None:
    source, origin = pair
    params = lsp.ShowMessageRequestParams(
        type=lsp.MessageType.Warning, message=f"Dexter: {question}",
        actions=[lsp.MessageActionItem(ALLOW_ONCE), lsp.MessageActionItem(ALWAYS),
                 lsp.MessageActionItem(NEVER)])
    try:
        answer = await asyncio.wait_for(ls.window_show_message_request_async(params),
                                        ASK_TIMEOUT_SECONDS)
    except Exception as exc:  # cannot ask, refused, or no answer: Never (not remembered)
        log.info("approval for %s -> %s: no answer (%s); not sent", source, origin,
                 type(exc).__name__)
        return
    title = getattr(answer, "title", None)
    log.info("approval for %s -> %s: %s", source, origin, title or "no answer")
    if title == ALLOW_ONCE:
        ls.approved_once.add(pair)
    elif title in (ALWAYS, NEVER):
        try:
            await asyncio.to_thread(remember, source, origin, "always" if title == ALWAYS
                                    else "never")
        except OSError as exc:
            log.warning("cannot remember the answer for %s -> %s: %s", source, origin,
                        exc.strerror or exc)
            if title == ALWAYS:
                ls.approved_once.add(pair)
    if title in (ALLOW_ONCE, ALWAYS):
        await install_providers(ls)
