"""Where the built-in providers live by default and which environment variables move them,
and a quick check that lets a run which asks no network model leave them unconfigured.

Loads nothing heavy: `dexter explain` answered from the offline reference imports this and
not `trust` (whose parser, httpx, is what connections use and decisions rest on).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

DEFAULT_URLS: dict[str, str] = {
    "ollama": "http://localhost:11434",
    "openai": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
}
ENV_URLS: dict[str, str] = {"openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL",
                            "ollama": "OLLAMA_HOST"}
DEFAULT_KEY_ENV: dict[str, str] = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# A narrow shape every URL parser reads the same way: http(s), a host of letter-led labels
# or a dotted IPv4 address, an optional port, a plain path. No user info, query, escapes.
_PLAIN_URL = (  # compiled by `re` on first use (and cached there)
    rf"https?://(?:[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*|{_OCTET}(?:\.{_OCTET}){{3}})"
    r"(?::[0-9]{1,5})?(?:/[a-z0-9._~-]*)*")


def env_url(kind: str, environ: Mapping[str, str]) -> str | None:
    """The endpoint the user's environment gives a built-in provider."""
    value = environ.get(ENV_URLS.get(kind, ""), "").strip()
    if not value:
        return None
    if kind == "ollama" and "://" not in value:
        return f"http://{value}"
    return value


def plainly_valid(url: str) -> bool:
    """`url` has the narrow shape above, which `trust.parse_endpoint` always accepts (False
    says nothing: the URL may be fine, only the full parse can tell)."""
    return re.fullmatch(_PLAIN_URL, url, re.IGNORECASE) is not None


def nothing_to_report(providers: Mapping[str, object], environ: Mapping[str, str]) -> bool:
    """Configuring the network providers would report no problem: no `dexter.providers`
    settings, and every endpoint the environment gives plainly valid. A run that asks only
    the offline reference may then leave them out without hiding a warning."""
    if providers:
        return False
    urls = (env_url(kind, environ) for kind in ENV_URLS)
    return all(url is None or plainly_valid(url) for url in urls)
