"""Keys from the editor's secret store: `dexter/getCredential` (server -> client request).

Asked only of clients that declare `experimental.dexterCredentials: true`, only for
providers still missing a key, off the request path; the key is kept in memory only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from dexter_ls.core.log_scrub import remember_secret
from dexter_ls.features.approvals import install_providers
from dexter_ls.features.base import DexterServer
from dexter_ls.providers.missing_key import MissingKeyProvider

log = logging.getLogger(__name__)
GET_CREDENTIAL = "dexter/getCredential"
ASK_TIMEOUT = 10.0


def client_offers_secrets(ls: DexterServer) -> bool:
    caps = ls.client_capabilities
    experimental: Any = caps.experimental if caps else None
    if isinstance(experimental, Mapping):
        return experimental.get("dexterCredentials") is True
    return getattr(experimental, "dexterCredentials", None) is True


async def ask_editor_for_keys(ls: DexterServer) -> None:
    missing = [p.name for p in ls.registry.providers() if isinstance(p, MissingKeyProvider)
               and p.name not in ls.editor_keys]
    found = False
    for name in missing:
        try:
            answer = await asyncio.wait_for(
                ls.protocol.send_request_async(GET_CREDENTIAL, {"provider": name}), ASK_TIMEOUT)
        except Exception as exc:  # the client may not answer, or answer with an error
            log.info("%s for %s: no key from the editor (%s)", GET_CREDENTIAL, name,
                     type(exc).__name__)
            continue
        key = _key_of(answer)
        if key:
            remember_secret(key)  # no log line may ever show it
            ls.editor_keys[name] = key
            found = True
    if found:
        await install_providers(ls)
        log.info("keys from the editor's secret store: %s", ", ".join(sorted(ls.editor_keys)))


def _key_of(answer: Any) -> str | None:
    key = answer.get("key") if isinstance(answer, Mapping) else getattr(answer, "key", None)
    return key.strip() if isinstance(key, str) and key.strip() else None
