"""`workspace/executeCommand` handlers. Arguments are validated here, with errors that say what."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

from dexter_ls.core.subject import Subject
from dexter_ls.explain.compare import check_models, compare
from dexter_ls.features.base import DexterServer
from dexter_ls.features.documents import UnknownDocument, any_subject
from dexter_ls.intake.parse import diagnostic_from_json
from dexter_ls.models.chain import ChainExhausted
from dexter_ls.prompting.clean.stream import StreamCleaner

log = logging.getLogger(__name__)
REQUEST_FAILED = -32803
EXPLANATION_CHUNK = "dexter/explanationChunk"


def _invalid(message: str, command: str = "dexter.explain") -> JsonRpcInvalidParams:
    return JsonRpcInvalidParams(f"{command}: {message}")


def _parse_explain_args(args: tuple[Any, ...], command: str = "dexter.explain"
                        ) -> tuple[str, Mapping[str, Any], str | None]:
    try:
        return _parse_args(args)
    except ValueError as exc:
        raise _invalid(str(exc), command) from None


async def _subject(ls: DexterServer, uri: str, raw: Mapping[str, Any], command: str) -> Subject:
    try:
        diagnostic = diagnostic_from_json(raw)
    except ValueError as exc:
        raise _invalid(str(exc), command) from None
    try:
        return await any_subject(ls, uri, diagnostic)
    except UnknownDocument as exc:
        raise _invalid(str(exc), command) from None


def _parse_args(args: tuple[Any, ...]) -> tuple[str, Mapping[str, Any], str | None]:
    if not args:
        raise ValueError("missing argument: expected [{uri, diagnostic}, {model}?]")
    if len(args) > 2:
        raise ValueError(f"expected at most 2 arguments, got {len(args)}")
    target = args[0]
    if not isinstance(target, Mapping):
        raise ValueError(f"the first argument must be an object {{uri, diagnostic}}, "
                         f"got {type(target).__name__}")
    uri = target.get("uri")
    if not isinstance(uri, str) or not uri:
        raise ValueError("'uri' must be a non-empty string")
    if "diagnostic" not in target:
        raise ValueError("'diagnostic' is missing")
    model = None
    if len(args) == 2 and args[1] is not None:
        options = args[1]
        if not isinstance(options, Mapping):
            raise ValueError("the second argument must be an object {model}")
        model = options.get("model")
        if model is not None and not isinstance(model, str):
            raise ValueError("'model' must be a string like 'provider/model'")
    return uri, target["diagnostic"], model


class ChunkStream:
    """`dexter/explanationChunk` notifications, cleaned as the final answer is (model output
    is untrusted), one cleaner per model so that a fallback starts afresh."""

    def __init__(self, ls: DexterServer, uri: str, range_: object) -> None:
        self._ls, self._uri, self._range = ls, uri, range_
        self._model: str | None = None
        self._cleaner = StreamCleaner()

    def text(self, model_id: str, delta: str) -> None:
        if model_id != self._model:
            self.finish()
            self._model, self._cleaner = model_id, StreamCleaner()
        self._send(self._cleaner.feed(delta))

    def finish(self) -> None:
        self._send(self._cleaner.finish())

    def _send(self, text: str) -> None:
        if text and self._model is not None:
            self._ls.protocol.notify(EXPLANATION_CHUNK, {
                "uri": self._uri, "range": self._range, "model": self._model, "text": text})


def register(ls: DexterServer) -> None:
    @ls.command("dexter.explain")
    async def explain(ls: DexterServer, *args: Any) -> dict[str, object]:
        uri, raw_diagnostic, model = _parse_explain_args(args)
        subject = await _subject(ls, uri, raw_diagnostic, "dexter.explain")
        await ls.catalog_ready.wait()
        await ls.configured.wait()  # requests right after start-up see the user's providers

        chunks = ChunkStream(ls, uri, raw_diagnostic.get("range"))
        try:
            async with ls.prefetcher.interactive():  # background prefetch waits for the user
                explanation = await ls.explainer.explain(subject, override=model,
                                                         on_text=chunks.text)
        except ValueError as exc:
            raise _invalid(str(exc)) from None
        except ChainExhausted as exc:
            raise JsonRpcException(str(exc), REQUEST_FAILED) from None
        finally:
            chunks.finish()
        return explanation.to_json()

    @ls.command("dexter.compareModels")
    async def compare_models(ls: DexterServer, *args: Any) -> dict[str, object]:
        if len(args) != 2:
            raise JsonRpcInvalidParams(
                "dexter.compareModels: expected [{uri, diagnostic}, [model ids]]")
        try:
            models = check_models(args[1])
        except ValueError as exc:
            raise JsonRpcInvalidParams(f"dexter.compareModels: {exc}") from None
        uri, raw_diagnostic, _ = _parse_explain_args(args[:1], "dexter.compareModels")
        subject = await _subject(ls, uri, raw_diagnostic, "dexter.compareModels")
        await ls.catalog_ready.wait()
        await ls.configured.wait()
        async with ls.prefetcher.interactive():
            results = await compare(ls.explainer, subject, models)
        return {"results": results}
