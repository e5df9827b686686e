"""Work-done progress for one explanation: "Dexter: explaining", a report for each model
asked and each fallback taken, an end; cancellable (`window/workDoneProgress/cancel`).

The token is the client's `workDoneToken`, else one the server creates when the client
supports `window.workDoneProgress`; a client with neither sees nothing.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from lsprotocol import types as lsp

from dexter_ls.explain.service import Watch
from dexter_ls.features.base import DexterServer
from dexter_ls.models.attempts import Attempt
from dexter_ls.models.router import BUILTIN_MODEL

log = logging.getLogger(__name__)
TITLE = "Dexter: explaining"
CREATE_TIMEOUT = 2.0  # a client that never answers the create request gets no progress


def _client_supports(ls: DexterServer) -> bool:
    caps = ls.client_capabilities
    return bool(caps and caps.window and caps.window.work_done_progress)


class ExplainProgress:
    """Use as `async with ExplainProgress(ls, token, on_cancel) as progress:`."""

    def __init__(self, ls: DexterServer, token: lsp.ProgressToken | None,
                 on_cancel: Callable[[], None], what: str) -> None:
        self._ls = ls
        self._token = token
        self._on_cancel = on_cancel
        self._what = what
        self.end_message = "done"

    async def __aenter__(self) -> ExplainProgress:
        if self._token is None and _client_supports(self._ls):
            token = f"dexter-explain-{uuid.uuid4().hex}"
            try:
                await asyncio.wait_for(self._ls.work_done_progress.create_async(token),
                                       CREATE_TIMEOUT)
            except Exception as exc:  # refused or unanswered: explain without progress
                log.info("work-done progress not created: %s", exc or type(exc).__name__)
                self._ls.work_done_progress.tokens.pop(token, None)
            else:
                self._token = token
        if self._token is not None:
            self._ls.work_done_progress.begin(self._token, lsp.WorkDoneProgressBegin(
                title=TITLE, cancellable=True, message=self._what))
            cancel: Future[Any] | None = self._ls.work_done_progress.tokens.get(self._token)
            if cancel is not None:
                cancel.add_done_callback(self._cancelled)
        return self

    @property
    def cancellable(self) -> bool:
        """The user can cancel the work from the progress it shows."""
        return self._token is not None

    def _cancelled(self, future: Future[Any]) -> None:
        if future.cancelled():
            self.end_message = "cancelled"
            self._on_cancel()

    def report(self, message: str) -> None:
        if self._token is not None:
            self._ls.work_done_progress.report(self._token,
                                               lsp.WorkDoneProgressReport(message=message))

    def watch(self) -> Watch:
        """The chain's events as reports: the model asked, each fallback and why."""
        def asking(model: str) -> None:
            self.report(f"asking {model}" if model != BUILTIN_MODEL
                        else "answering from the offline reference")

        def attempted(attempt: Attempt) -> None:
            if attempt.outcome in ("failed", "skipped") and attempt.model != BUILTIN_MODEL:
                why = attempt.error or attempt.error_class or attempt.outcome
                self.report(f"{attempt.model} {attempt.outcome} ({why}): falling back")

        return Watch(on_attempt=attempted, on_asking=asking)

    async def __aexit__(self, kind: object, error: object, traceback: object) -> None:
        if self._token is None:
            return
        if isinstance(error, asyncio.CancelledError):
            self.end_message = "cancelled"
        elif error is not None and self.end_message == "done":
            self.end_message = "failed"
        self._ls.work_done_progress.end(self._token,
                                        lsp.WorkDoneProgressEnd(message=self.end_message))
        self._ls.work_done_progress.tokens.pop(self._token, None)  # pygls never forgets it
