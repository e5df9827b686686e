"""Where the built-in providers live by default and which environment variables move them,
and a quick check that lets a run which asks no network model leave them unconfigured.

Loads nothing heavy: `dexter explain` answered from the offline reference imports this and
not `trust` (whose parser, httpx, is what connections use and decisions rest on).
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_URLS: dict[str, str] = {
    "ollama": "http://localhost:11434",
    "openai": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
}
ENV_URLS: dict[str, str] = {"openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL",
                            "ollama": "OLLAMA_HOST"}
DEFAULT_KEY_ENV: dict[str, str] = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
_LABEL = _LETTERS | _DIGITS | {"-"}
_PATH = _LABEL | frozenset("._~/")


def env_url(kind: str, environ: Mapping[str, str]) -> str | None:
    """The endpoint the user's environment gives a built-in provider."""
    value = environ.get(ENV_URLS.get(kind, ""), "").strip()
    if not value:
        return None
    if kind == "ollama" and "://" not in value:
        return f"http://{value}"
    return value


def plainly_valid(url: str) -> bool:
    """`url` has a narrow shape every URL parser reads the same way, which
    `trust.parse_endpoint` always accepts: http(s), a host of letter-led labels or a dotted
    IPv4 address, an optional port, a plain path; no user info, query or escapes. (False
    says nothing: the URL may be fine, only the full parse can tell.)"""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return False
    authority, _, path = rest.partition("/")
    host, colon, port = authority.partition(":")
    if colon and not (0 < len(port) <= 5 and set(port) <= _DIGITS):
        return False
    return (_plain_host(host) or _ipv4(host)) and set(path) <= _PATH


def _plain_host(host: str) -> bool:
    labels = host.split(".")
    return all(label and label[0] in _LETTERS and set(label) <= _LABEL for label in labels)


def _ipv4(host: str) -> bool:
    octets = host.split(".")
    return len(octets) == 4 and all(
        0 < len(o) <= 3 and set(o) <= _DIGITS and (o == "0" or o[0] != "0") and int(o) <= 255
        for o in octets)


def nothing_to_report(providers: Mapping[str, object], environ: Mapping[str, str]) -> bool:
    """Configuring the network providers would report no problem: no `dexter.providers`
    settings, and every endpoint the environment gives plainly valid. A run that asks only
    the offline reference may then leave them out without hiding a warning."""
    if providers:
        return False
    urls = (env_url(kind, environ) for kind in ENV_URLS)
    return all(url is None or plainly_valid(url) for url in urls)
