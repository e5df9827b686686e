"""The trust boundary in one place: which key may go to which endpoint, and what is local.

Editor settings can come from a cloned repository, so they are untrusted. A key (from the
credentials file, an environment variable or the editor's secret store) goes to an origin
(scheme, host, port) only when that pairing is the user's own:

- the provider's default endpoint, or one moved by the user's environment
  (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`, `OLLAMA_HOST`);
- an endpoint in the user's own settings file (the `dexter` CLI's `settings.json`);
- the URL bound with `dexter keys set NAME --url URL`;
- an origin the user approved when asked (remembered in the user state dir).

A key never changes kind: the key of `openai` is never sent as an Anthropic or Ollama
credential, whatever `type` a setting gives. Likewise only the user's own settings (or an
approval) may call a host that is not a loopback literal local. Endpoints are parsed once,
by httpx, the parser that makes the connection. Everything else asks this module.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from dexter_ls.providers.endpoints import DEFAULT_KEY_ENV, DEFAULT_URLS, env_url

if TYPE_CHECKING:
    import httpx

    from dexter_ls.settings import Settings

Kind = Literal["ollama", "openai", "anthropic"]
SourceKind = Literal["file", "env", "editor"]
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_KEY_PREFIXES = ("sk-", "sk_", "rk_", "pk_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_",
                 "github_pat_", "glpat-", "hf_", "xox", "akia", "asia", "aiza", "npm_", "pypi-")


class EndpointError(ValueError):
    """An endpoint that cannot be used; the message says why (never echoing credentials)."""


@dataclass(frozen=True, order=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = {"http": 80, "https": 443}.get(self.scheme)
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")

    @property
    def loopback(self) -> bool:
        return is_loopback_host(self.host)


def parse_endpoint(text: str) -> httpx.URL:
    """The URL the connection will use, parsed by httpx itself; http(s) with a host only."""
    import httpx  # loaded here: a run that configures no network provider never needs it

    try:
        url = httpx.URL(text.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise EndpointError("is not a valid URL") from None
    if url.scheme not in ("http", "https"):
        raise EndpointError("must be an http(s) URL")
    if not url.host:
        raise EndpointError("has no host")
    if httpx.URL(str(url)).host != url.host:  # what we decide on is what we connect to
        raise EndpointError("is ambiguous")
    return url


def origin_of(url: httpx.URL | str) -> Origin:
    parsed = parse_endpoint(url) if isinstance(url, str) else url
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return Origin(parsed.scheme, parsed.host.lower(), port)


def is_loopback_host(host: str) -> bool:
    """A loopback literal: `localhost`, 127.0.0.0/8 or ::1 as written. A name that merely
    resolves to loopback ("localhost.", "box.local", this machine's name) is not one."""
    host = host.lower().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def env_name_problem(setting: str, value: str) -> str | None:
    """Why `value` cannot be an environment variable's name (never echoing it)."""
    if _looks_like_key(value):
        return (f"{setting} must name an environment variable, but the value looks like a key "
                "itself; it is ignored and not shown. Store keys with `dexter keys set NAME`")
    if not _ENV_NAME.fullmatch(value):
        return f"{setting} must name an environment variable (letters, digits, '_')"
    return None


def _looks_like_key(value: str) -> bool:
    lowered = value.lower()
    if lowered.startswith(_KEY_PREFIXES) or not _ENV_NAME.fullmatch(value):
        return len(value) >= 16
    mixed = (any(c.islower() for c in value) and any(c.isupper() for c in value)
             and sum(c.isdigit() for c in value) >= 2)
    return len(value) >= 20 and mixed


@dataclass(frozen=True, order=True)
class KeySource:
    kind: SourceKind
    name: str  # the provider (file, editor) or the variable (env)

    @property
    def token(self) -> str:
        """How approvals and the CLI name it: `env:VAR`, `file:NAME`, `editor:NAME`."""
        return f"{self.kind}:{self.name}"

    def label(self) -> str:
        if self.kind == "env":
            return f"${self.name}"
        if self.kind == "file":
            return f"the key stored for {self.name}"
        return f"the editor's key for {self.name}"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    why: str  # "default endpoint", "approved", ... or what is wrong
    askable: bool = False  # not decided yet: the user may be asked
    grantable: bool = True  # a command can allow it (never for a key of another kind)


LOCAL = "local"  # the approval source for "this host is on this machine"


@dataclass
class Trust:
    """The user's own facts: environment, settings file, bound URLs, answers given."""

    environ: Mapping[str, str] = field(default_factory=dict)
    own: Settings | None = None  # the user's own settings file (None: none)
    bindings: Mapping[str, str] = field(default_factory=dict)  # provider -> bound URL
    approvals: Mapping[tuple[str, str], str] = field(default_factory=dict)  # always / never
    once: set[tuple[str, str]] = field(default_factory=set)  # "Allow once", this session
    pending: dict[tuple[str, str], str] = field(default_factory=dict)  # to ask: -> question

    # --- keys -------------------------------------------------------------------------
    def own_endpoints(self, provider: str) -> set[Origin]:
        """Where the user's own configuration puts `provider`."""
        found: set[Origin] = set()
        candidates = [self.bindings.get(provider)]
        if provider in DEFAULT_URLS:
            candidates += [DEFAULT_URLS[provider], env_url(provider, self.environ)]
        own = self.own.providers.get(provider) if self.own else None
        if own is not None:
            candidates.append(own.base_url)
        for text in candidates:
            if text:
                try:
                    found.add(origin_of(text))
                except EndpointError:
                    continue
        return found

    def kind_of(self, source: KeySource) -> Kind | None:
        """The provider kind a key belongs to, when its source says (None: any)."""
        for provider in self._owners(source):
            if provider in DEFAULT_URLS:
                return provider  # type: ignore[return-value]
            own = self.own.providers.get(provider) if self.own else None
            if own is not None and own.type is not None:
                return own.type
        return None

    def _owners(self, source: KeySource) -> list[str]:
        if source.kind != "env":
            return [source.name]
        owners = [p for p, var in DEFAULT_KEY_ENV.items() if var == source.name]
        if self.own is not None:
            owners += [p for p, c in self.own.providers.items() if c.api_key_env == source.name]
        return owners

    def may_send(self, source: KeySource, url: str, kind: Kind) -> Verdict:
        """May the key from `source` go to `url` as a `kind` credential?"""
        try:
            origin = origin_of(url)
        except EndpointError as exc:
            return Verdict(False, f"the endpoint {exc}")
        owned = self.kind_of(source)
        if owned is not None and owned != kind:
            return Verdict(False, f"{source.label()} is a {owned} key; it is never sent as "
                                  f"a {kind} credential", grantable=False)
        if any(origin in self.own_endpoints(p) for p in self._owners(source)):
            return Verdict(True, "your own endpoint")
        return self._answer(source.token, origin)

    def _answer(self, token: str, origin: Origin) -> Verdict:
        pair = (token, str(origin))
        decision = self.approvals.get(pair)
        if decision == "always" or pair in self.once:
            return Verdict(True, "approved")
        if decision == "never":
            return Verdict(False, f"you declined sending it to {origin}")
        return Verdict(False, "needs approval", askable=True)

    def ask(self, source: KeySource, url: str) -> str:
        """Note that the user should be asked; returns the question."""
        origin = str(origin_of(url))
        question = f"Send the key from {source.label()} to {origin}?"
        if source.kind != "env":
            question = f"Send {source.label()} to {origin}?"
        self.pending[(source.token, origin)] = question
        return question

    # --- what counts as local ---------------------------------------------------------
    def local(self, provider: str, url: str, remote: bool | None) -> tuple[bool, str | None]:
        """(on this machine?, a problem to show). `remote: true` is always believed; `remote:
        false` for a host that is not a loopback literal only from the user's own settings
        or an approval."""
        origin = origin_of(url)
        if remote is True:
            return False, None
        if origin.loopback:
            return True, None
        if remote is None:
            return False, None
        own = self.own.providers.get(provider) if self.own else None
        if own is not None and own.remote is False and own.base_url and \
                _same_origin(own.base_url, origin):
            return True, None
        verdict = self._answer(LOCAL, origin)
        if verdict.allowed:
            return True, None
        if verdict.askable:
            self.pending[(LOCAL, str(origin))] = (
                f"Treat {origin} as this machine (code sent there unredacted, allowed when "
                "remote models are denied)?")
        return False, (f"dexter.providers.{provider}.remote: false is ignored for {origin}: "
                       "only your own settings file or an approval may call another host "
                       f"local (`dexter keys allow local {origin}`)")

    # --- other settings only the user may give ------------------------------------------
    def settle(self, settings: Settings) -> tuple[Settings, list[str]]:
        """`settings` with what only the user may choose taken from the user's own file:
        the prompt folder (its files go into every prompt) and the files allowed despite
        the built-in deny list. Returns problems to show for values that were dropped."""
        problems: list[str] = []
        own_dir = self.own.prompts.directory if self.own else None
        if settings.prompts.directory and settings.prompts.directory != own_dir:
            problems.append("dexter.prompts.directory from editor settings is ignored: only "
                            "your own settings file may choose a prompt folder")
        own_allow = list(self.own.privacy.allow_globs) if self.own else []
        if settings.privacy.allow_globs != own_allow:
            if set(settings.privacy.allow_globs) - set(own_allow):
                problems.append("dexter.privacy.allowGlobs from editor settings is ignored: "
                                "only your own settings file may allow credential files")
        prompts = replace(settings.prompts, directory=own_dir)
        privacy = replace(settings.privacy, allow_globs=own_allow)
        return replace(settings, prompts=prompts, privacy=privacy), problems


def _same_origin(text: str, origin: Origin) -> bool:
    try:
        return origin_of(text) == origin
    except EndpointError:
        return False


def grant_hint(source: KeySource, url: str) -> str:
    """The command that grants `source` to `url`'s origin."""
    origin = origin_of(url)
    if source.kind in ("file", "editor"):
        return (f"run `dexter keys set {source.name} --url {origin}` or "
                f"`dexter keys allow {source.token} {origin}`")
    return f"run `dexter keys allow {source.token} {origin}`"
