"""The model registry: providers register themselves and their models; lookups are in memory.

The registry never imports provider internals (providers call `register_provider`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from dexter_ls.core.model_info import ModelInfo, ModelStatus, split_model_id
from dexter_ls.core.provider import ErrorClass, Provider, ProviderError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resolved:
    provider: Provider
    info: ModelInfo


class UnknownModel(LookupError):
    """A model id that no registered provider can serve."""


class ModelRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, Provider] = {}
        self._closed: set[str] = set()  # providers whose model list is complete
        self._models: dict[str, ModelInfo] = {}
        self.provider_problems: dict[str, str] = {}  # from the last refresh
        self.provider_signatures: dict[str, object] = {}  # how each was configured
        self._asked: dict[str, tuple[Provider, float]] = {}  # name -> (the object, when asked)

    def register_provider(
        self, provider: Provider, models: list[ModelInfo] | None = None, *, closed: bool = False
    ) -> None:
        """Add a provider. `closed` means only the listed models exist (no discovery)."""
        self._providers[provider.name] = provider
        if closed:
            self._closed.add(provider.name)
        for info in models or []:
            self._models[info.id] = info

    def replace_provider(self, provider: Provider) -> Provider | None:
        """Install `provider` under its name, dropping the models the old one had found."""
        old = self._providers.get(provider.name)
        for model_id in [m for m, info in self._models.items() if info.provider == provider.name]:
            del self._models[model_id]
        self._providers[provider.name] = provider
        return old

    def installed(self, provider: Provider) -> bool:
        """`provider` is still the one installed under its name (not replaced since)."""
        return self._providers.get(provider.name) is provider

    def providers(self) -> list[Provider]:
        return list(self._providers.values())

    def models(self) -> list[ModelInfo]:
        return sorted(self._models.values(), key=lambda m: (m.provider == "builtin", m.id))

    def listing(self, chain: list[str]) -> list[ModelInfo]:
        """Every known model, then the chain's models not discovered (yet), described from
        their ids — what `dexter.listModels` and the dashboard show."""
        models = self.models()
        known = {m.id for m in models}
        return models + [self.describe(m) for m in chain if m not in known]

    def canonical(self, model_id: str) -> str:
        """The one spelling of `model_id` its provider uses (`ollama/llama3.2` is
        `ollama/llama3.2:latest`); every model id read from settings, commands and flags
        passes through here. Malformed ids and unknown providers are returned unchanged."""
        provider_name, sep, name = model_id.partition("/")
        canonical = getattr(self._providers.get(provider_name), "canonical_name", None)
        if not sep or not name or canonical is None:
            return model_id
        return f"{provider_name}/{canonical(name)}"

    def canonical_ids(self, model_ids: Iterable[str]) -> list[str]:
        """`canonical` of each, without repeats, in order."""
        return list(dict.fromkeys(self.canonical(m) for m in model_ids))

    def get(self, model_id: str) -> ModelInfo | None:
        return self._models.get(model_id)

    def resolve(self, model_id: str) -> Resolved:
        """The provider and metadata for `model_id`; raises UnknownModel saying why."""
        try:
            provider_name, name = split_model_id(model_id)
        except ValueError as exc:
            raise UnknownModel(str(exc)) from None
        provider = self._providers.get(provider_name)
        if provider is None:
            raise UnknownModel(
                f"unknown model '{model_id}': no provider named '{provider_name}' is configured"
                + self._suggest(model_id)
            )
        info = self._models.get(model_id)
        if info is None:
            if provider_name in self._closed:
                raise UnknownModel(
                    f"unknown model '{model_id}': provider '{provider_name}' has no model "
                    f"'{name}'" + self._suggest(model_id)
                )
            info = ModelInfo(model_id, provider_name, name, name,  # not discovered yet
                             local=bool(getattr(provider, "local", False)))
        return Resolved(provider, info)

    def describe(self, model_id: str) -> ModelInfo:
        """What is known about any model id, discovered or not, with a status that says why."""
        known = self._models.get(model_id)
        if known is not None:
            return known
        provider, _, name = model_id.partition("/")
        try:
            info = self.resolve(model_id).info
        except UnknownModel as exc:
            return ModelInfo(model_id, provider, name, name, status=ModelStatus.UNKNOWN,
                             status_detail=str(exc))
        problem = self.provider_problems.get(info.provider)
        if problem is None:
            return info.with_status(ModelStatus.UNKNOWN, "not discovered yet")
        status = (_key_status(problem) if problem.startswith(ErrorClass.AUTH.value)
                  else ModelStatus.UNAVAILABLE)
        return info.with_status(status, problem)

    def check(self, model_id: str) -> str | None:
        """Why `model_id` cannot be used in a chain (None: it can, as far as we know)."""
        try:
            info = self.resolve(model_id).info
        except UnknownModel as exc:
            return str(exc)
        offered = [m for m in self._models if m.startswith(f"{info.provider}/")]
        if (model_id not in self._models and offered
                and info.provider not in self.provider_problems):
            return (f"'{info.provider}' does not offer '{info.name}'"
                    + self._suggest(model_id, offered, cutoff=0.5))
        return None

    def set_status(self, model_id: str, status: ModelStatus, detail: str = "") -> None:
        info = self._models.get(model_id)
        if info is not None:
            self._models[model_id] = info.with_status(status, detail)

    async def refresh(self, only: Iterable[str] | None = None, *,
                      skip_recent: float = 0.0) -> dict[str, str]:
        """Re-discover every provider's models (or those of the providers named in `only`),
        concurrently. Returns provider -> error. With `skip_recent`, a provider (the same
        object) asked less than that many seconds ago, or being asked now, is left out: a
        periodic probe does not repeat the discovery that installing it just started."""
        names = None if only is None else set(only)
        now = time.monotonic()
        providers = [p for p in self._providers.values()
                     if (names is None or p.name in names)
                     and not (skip_recent and self._asked_since(p, now - skip_recent))]
        for provider in providers:
            self._asked[provider.name] = (provider, now)
        results = await asyncio.gather(*(p.discover() for p in providers), return_exceptions=True)
        failures: dict[str, str] = {}
        for provider, result in zip(providers, results, strict=True):
            if isinstance(result, ProviderError):
                failures[provider.name] = str(result)
                status = (_key_status(result.message) if result.error_class is ErrorClass.AUTH
                          else ModelStatus.UNAVAILABLE)
                catalog = getattr(provider, "catalog_models", None)  # known without the API
                for info in catalog() if catalog is not None else []:
                    self._models.setdefault(info.id, info)
                for model_id, info in list(self._models.items()):
                    if info.provider == provider.name:
                        self._models[model_id] = info.with_status(status, result.message)
            elif isinstance(result, BaseException):
                raise result  # a bug in an adapter: nothing may be swallowed
            elif self._providers.get(provider.name) is provider:  # not replaced meanwhile
                for info in result:
                    old = self._models.get(info.id)
                    if old is not None and old.version and old.version != info.version:
                        log.info("%s changed version: %s -> %s; its remembered answers retire",
                                 info.id, old.version[:12], (info.version or "?")[:12])
                    self._models[info.id] = info
        asked = {p.name for p in providers}
        kept = {k: v for k, v in self.provider_problems.items()
                if k not in asked and k in self._providers}
        self.provider_problems = {**kept, **failures}
        return failures

    def _asked_since(self, provider: Provider, since: float) -> bool:
        last = self._asked.get(provider.name)
        return last is not None and last[0] is provider and last[1] >= since

    async def discover_for(self, model_ids: Iterable[str]) -> None:
        """Discover the providers of `model_ids` (not the offline reference's): their
        context windows, sizes and versions decide templates, skips and cache keys."""
        wanted = {m.partition("/")[0] for m in model_ids} & set(self._providers)
        await self.refresh(wanted - self._closed)

    def _suggest(self, model_id: str, among: list[str] | None = None,
                 cutoff: float = 0.6) -> str:
        """` (did you mean 'a', 'b'?)` for the close ids `among` (default: every model), or ''."""
        import difflib  # only for a model id that is wrong

        close = difflib.get_close_matches(model_id, list(self._models) if among is None
                                          else among, n=3, cutoff=cutoff)
        return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _key_status(message: str) -> ModelStatus:
    """An auth problem: a missing key, or one the user has not allowed to go there yet."""
    return (ModelStatus.NEEDS_APPROVAL if "needs approval:" in message
            else ModelStatus.NEEDS_KEY)
