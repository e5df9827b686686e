"""The JSON-RPC protocol with two pygls 2.1.1 behaviours corrected.

1. `$/cancelRequest` reaches the handler. pygls runs a `workspace/executeCommand` handler
   as a task of its own, under the generator that answers the request; cancelling the
   request cancels only that outer future, so the command (and its HTTP call to a model)
   kept running. Here the inner task is cancelled with it.
2. Bad arguments are the client's mistake, not ours: a JSON-RPC error a handler raises
   (InvalidParams, or an answer it could not give) is logged as one WARNING line instead
   of an ERROR with a traceback.
(pygls also never forgets finished futures: features/futures.py, from the bench branch,
wraps this class's `_execute_handler` for that; the two compose.)
Also: a command handler learns its request's `workDoneToken` from `command_params()`
(pygls passes it only the arguments). And a command handler of the form
`async def (ls, *args)` (all of Dexter's) starts at once as the request's own task
(`run_command`): pygls' way, a built-in generator that hands the handler on to a second
future with a fresh uuid after reading the handler's type hints, took 0.19 ms of every
explanation, more than building its prompt.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
from collections.abc import Callable
from functools import cache, partial
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcRequestCancelled
from pygls.protocol import LanguageServerProtocol

log = logging.getLogger(__name__)
AnyFuture = Any  # asyncio.Future or concurrent.futures.Future: both have the calls used here
_COMMAND: contextvars.ContextVar[lsp.ExecuteCommandParams | None] = contextvars.ContextVar(
    "dexter_command_params", default=None)


def command_params() -> lsp.ExecuteCommandParams | None:
    """The `workspace/executeCommand` params of the command handler running now."""
    return _COMMAND.get()


class CancellingProtocol(LanguageServerProtocol):
    _parent: Any = None  # the request whose generator is starting a handler now

    def _execute_handler(self, msg_id: Any, handler: Callable[..., Any],
                         callback: Callable[..., Any], args: tuple[Any, ...] | None = None,
                         kwargs: dict[str, Any] | None = None) -> None:
        parent = self._parent
        generator = inspect.isgeneratorfunction(handler)
        if generator:  # handlers it yields (synchronously, at its first step) are its children
            self._parent = msg_id
        command = args[0] if args and isinstance(args[0], lsp.ExecuteCommandParams) else None
        # The command's task is created inside this call and copies the context: it sees it.
        context = _COMMAND.set(command) if command is not None else None
        try:
            super()._execute_handler(msg_id, handler, callback, args, kwargs)
        finally:
            if generator:
                self._parent = parent
            if context is not None:
                _COMMAND.reset(context)
        future = self._request_futures.get(msg_id)
        if future is None:
            return
        if parent is not None and parent != msg_id:
            outer = self._request_futures.get(parent)
            if outer is not None and outer is not future:
                outer.add_done_callback(partial(_cancel_with, future))

    def run_command(self, message: lsp.ExecuteCommandRequest) -> bool:
        """Start the command as a task filed under the request's id, answered when it ends
        and cancelled by `$/cancelRequest` (or `shutdown`); False: not a command this can
        start (unknown, or with typed parameters), pygls' way applies."""
        params = message.params
        handler = self.fm.commands.get(params.command)
        if handler is None or not _takes_only_args(handler):
            return False
        msg_id = message.id
        answered: list[bool] = []

        async def answer() -> Any:
            # A result is written by the task itself, on the loop turn it is ready in;
            # errors and cancellation are answered by the callback, as pygls answers them.
            result = await handler(*(params.arguments or ()))
            if self._request_futures.get(msg_id) is task:
                del self._request_futures[msg_id]
            self._send_response(msg_id, result=result)
            answered.append(True)
            return result

        command, request = _COMMAND.set(params), self._ctx_msg_id.set(msg_id)
        try:  # the task copies this context: the handler sees its params and request id
            task: AnyFuture = asyncio.ensure_future(answer())
        finally:
            self._ctx_msg_id.reset(request)
            _COMMAND.reset(command)
        self._request_futures[msg_id] = task
        task.add_done_callback(
            lambda done: None if answered else self._send_handler_result(done, msg_id=msg_id))
        return True

    def _send_handler_result(self, future: AnyFuture, *, msg_id: Any) -> None:
        if not future.cancelled():
            error = future.exception()
            if isinstance(error, JsonRpcException):
                self._request_futures.pop(msg_id, None)
                if isinstance(error, JsonRpcRequestCancelled):
                    log.info("request %s: %s", msg_id, error)
                else:
                    log.warning("request %s: %s", msg_id, error)
                self._send_response(msg_id, error=error.to_response_error())
                return
        super()._send_handler_result(future, msg_id=msg_id)


def _cancel_with(inner: AnyFuture, outer: AnyFuture) -> None:
    """The request was cancelled: so is the work done for it."""
    if outer.cancelled() and not inner.done():
        inner.cancel()


__all__ = ["CancellingProtocol", "command_params"]


@cache
def _takes_only_args(handler: Callable[..., Any]) -> bool:
    """`handler` is pygls' wrapper of an `async def (ls, *args)`: it takes the arguments as
    they are (pygls would convert none of them either)."""
    func = getattr(handler, "func", None)
    if func is None or not asyncio.iscoroutinefunction(handler):
        return False
    kinds = [p.kind for p in inspect.signature(func).parameters.values()]
    return kinds == [inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.VAR_POSITIONAL]
