"""`workspace/executeCommand` handlers. Arguments are validated here, with errors that say what."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcRequestCancelled

from dexter_ls.core.subject import Subject
from dexter_ls.explain.compare import check_models, compare
from dexter_ls.explain.result import Explanation
from dexter_ls.features.base import DexterServer
from dexter_ls.features.cancellation import command_params
from dexter_ls.features.documents import UnknownDocument, any_subject
from dexter_ls.features.progress import ExplainProgress
from dexter_ls.features.show import show, way_to_show
from dexter_ls.intake.parse import diagnostic_from_json
from dexter_ls.models.chain import ChainExhausted
from dexter_ls.prompting.clean.stream import StreamCleaner

log = logging.getLogger(__name__)
REQUEST_FAILED = -32803
EXPLANATION_CHUNK = "dexter/explanationChunk"
T = TypeVar("T")


def _invalid(message: str, command: str = "dexter.explain") -> JsonRpcInvalidParams:
    return JsonRpcInvalidParams(f"{command}: {message}")


@dataclass(frozen=True)
class Options:
    """dexter.explain's second argument: `{model?, id?}`."""

    model: str | None = None
    id: str | int | None = None  # echoed in every dexter/explanationChunk of this request


def _parse_explain_args(args: tuple[Any, ...], command: str = "dexter.explain"
                        ) -> tuple[str, Mapping[str, Any], Options]:
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


def _parse_args(args: tuple[Any, ...]) -> tuple[str, Mapping[str, Any], Options]:
    if not args:
        raise ValueError("missing argument: expected [{uri, diagnostic}, {model?, id?}?]")
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
    if len(args) < 2 or args[1] is None:
        return uri, target["diagnostic"], Options()
    options = args[1]
    if not isinstance(options, Mapping):
        raise ValueError("the second argument must be an object {model?, id?}")
    model = options.get("model")
    if model is not None and not isinstance(model, str):
        raise ValueError("'model' must be a string like 'provider/model'")
    request_id = options.get("id")
    if request_id is not None and (isinstance(request_id, bool)
                                   or not isinstance(request_id, (str, int))):
        raise ValueError("'id' must be a string or an integer")
    return uri, target["diagnostic"], Options(model, request_id)


async def _cancellable(ls: DexterServer, what: str,
                       work: Callable[[ExplainProgress], Awaitable[T]]) -> T:
    """Run `work` under work-done progress. `$/cancelRequest` cancels this task (and so the
    work); `window/workDoneProgress/cancel` cancels the work, answered as RequestCancelled."""
    params = command_params()
    token = params.work_done_token if params is not None else None
    running: list[asyncio.Future[T]] = []
    stopped: list[bool] = []  # by window/workDoneProgress/cancel

    def cancel() -> None:
        stopped.append(True)
        for task in running:
            task.cancel()

    async with ExplainProgress(ls, token, cancel, what) as progress:
        if not progress.cancellable:  # nothing but $/cancelRequest can stop it: no own task
            return await work(progress)
        task = asyncio.ensure_future(work(progress))
        running.append(task)
        try:
            return await task
        except asyncio.CancelledError:
            if not stopped:
                raise  # the request itself was cancelled: pygls has answered it
            raise JsonRpcRequestCancelled(f"{what}: cancelled") from None


def _short(message: str) -> str:
    text = " ".join(message.split())
    return text if len(text) <= 80 else text[:79] + "…"


class ChunkStream:
    """`dexter/explanationChunk` notifications, cleaned as the final answer is (model output
    is untrusted), one cleaner per model so that a fallback starts afresh."""

    def __init__(self, ls: DexterServer, uri: str, range_: object,
                 request_id: str | int | None = None) -> None:
        self._ls, self._uri, self._range, self._id = ls, uri, range_, request_id
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
            chunk = {"uri": self._uri, "range": self._range, "model": self._model,
                     "text": text}
            if self._id is not None:  # the client's id for its request, echoed
                chunk["id"] = self._id
            self._ls.rpc.notify_plain(EXPLANATION_CHUNK, chunk)


def register(ls: DexterServer) -> None:
    @ls.command("dexter.explain")
    async def explain(ls: DexterServer, *args: Any) -> dict[str, object]:
        uri, raw_diagnostic, options = _parse_explain_args(args)
        # Nothing is built or sent before the pulled settings apply (context lines,
        # providers, privacy): a request right after start-up waits for them.
        await ls.configured.wait()
        subject = await _subject(ls, uri, raw_diagnostic, "dexter.explain")
        await ls.catalog_ready.wait()

        chunks = ChunkStream(ls, uri, raw_diagnostic.get("range"), options.id)

        async def work(progress: ExplainProgress) -> Explanation:
            async with ls.prefetcher.interactive():  # background prefetch waits for the user
                answer = await ls.explainer.explain(subject, override=options.model,
                                                    on_text=chunks.text,
                                                    watch=progress.watch())
            progress.end_message = f"explained by {answer.model}"
            return answer

        try:
            explanation = await _cancellable(ls, _short(subject.diagnostic.message), work)
        except ValueError as exc:
            raise _invalid(str(exc)) from None
        except ChainExhausted as exc:
            raise JsonRpcException(str(exc), REQUEST_FAILED) from None
        finally:
            chunks.finish()
        if way_to_show(ls) != "none":  # for editors that drop the result
            ls.background(show(ls, subject, explanation))
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
        await ls.configured.wait()  # the subject is built with the user's settings
        subject = await _subject(ls, uri, raw_diagnostic, "dexter.compareModels")
        await ls.catalog_ready.wait()

        async def work(progress: ExplainProgress) -> list[dict[str, object]]:
            progress.report(f"asking {', '.join(models)}")
            async with ls.prefetcher.interactive():
                return await compare(ls.explainer, subject, models)

        return {"results": await _cancellable(ls, f"comparing {len(models)} models", work)}
