"""The JSON-RPC layer's promise: every request gets an answer.

pygls 2.1.1 raises from inside `json.loads` when a request's params do not deserialize (a
negative line, a missing `range.end`, `params: null`), and its read loop only logs that: the
client waits forever. `DexterProtocol` turns such a request into an error answer naming the
field (InvalidParams, -32602), answers a request sent before `initialize` with
ServerNotInitialized (-32002) and one after `shutdown` with InvalidRequest (-32600), and
answers anything that is not a JSON-RPC message at all with InvalidRequest and a null id.
Bad notifications are dropped with a warning (nobody waits for them).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import cattrs
from cattrs.v import format_exception
from lsprotocol.types import (
    SHUTDOWN,
    ExecuteCommandRequest,
    ResponseError,
    ResponseErrorMessage,
)
from pygls.protocol import JsonRPCRequestMessage, lsp_method

from dexter_ls.features.cancellation import CancellingProtocol

log = logging.getLogger(__name__)

INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002
_MAX_FIELDS = 3  # problems named in one error message
_SNAKE = re.compile(r"_([a-z])")


@dataclass(frozen=True)
class Rejected:
    """A message that cannot be handled: answered with `code` when it is a request."""

    id: int | str | None
    code: int
    message: str
    is_request: bool = True


def _camel(path: str) -> str:
    return _SNAKE.sub(lambda m: m.group(1).upper(), path)


def describe(exc: BaseException) -> str:
    """The fields at fault in a deserialization error: `params.position.line: invalid value`."""
    if isinstance(exc, cattrs.BaseValidationError):
        problems = []
        for text in cattrs.transform_error(exc, format_exception=_format):
            what, _, where = text.rpartition(" @ $.")
            problems.append(f"{_camel(where) or 'message'}: {what or text}")
        more = len(problems) - _MAX_FIELDS
        return "; ".join(problems[:_MAX_FIELDS]) + (f" (and {more} more)" if more > 0 else "")
    return str(exc) or type(exc).__name__


def _format(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, ValueError) and str(exc):  # lsprotocol's validators say what is wrong
        return str(exc)
    return format_exception(exc, type_)


def _valid_id(value: Any) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


class DexterProtocol(CancellingProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initialize_seen = False

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" not in data:
            return data  # a nested object (pygls calls this for every object in the body)
        is_request = "method" in data and "id" in data
        if not is_request:
            try:
                return super().structure_message(data)
            except Exception as exc:  # a bad notification or response: nobody waits for it
                method = data.get("method")
                return Rejected(None, INVALID_PARAMS,
                                f"{method}: {describe(exc.__cause__ or exc)}", is_request=False)
        msg_id, method = data["id"], data["method"]
        if not _valid_id(msg_id):
            return Rejected(None, INVALID_REQUEST, "'id' must be an integer or a string")
        if not isinstance(method, str):
            return Rejected(msg_id, INVALID_REQUEST, "'method' must be a string")
        if data["jsonrpc"] != self.VERSION:
            return Rejected(msg_id, INVALID_REQUEST, "'jsonrpc' must be \"2.0\"")
        request_type = self.get_message_type(method)
        try:
            if request_type is None:
                return self._converter.structure({"params": None, **data},
                                                 JsonRPCRequestMessage)
            return self._converter.structure(data, request_type)
        except Exception as exc:
            problem = describe(exc)
            log.warning("%s request %r: invalid params: %s", method, msg_id, problem)
            return Rejected(msg_id, INVALID_PARAMS, f"{method}: invalid params: {problem}")

    def handle_message(self, message: Any) -> None:
        if isinstance(message, Rejected):
            if message.is_request:
                self.reject(message.id, message.code, message.message)
            else:
                log.warning("dropped a malformed notification: %s", message.message)
            return
        method = getattr(message, "method", None)
        if not hasattr(message, "jsonrpc"):  # an array, a number, an object without jsonrpc
            self.reject(None, INVALID_REQUEST, "not a JSON-RPC 2.0 message")
            return
        is_request = method is not None and hasattr(message, "id")
        if method == "initialize":
            self.initialize_seen = True
        elif method is not None and method != "exit":
            if not self.initialize_seen:
                if is_request:
                    self.reject(message.id, SERVER_NOT_INITIALIZED,
                                f"{method}: the server is not initialized yet")
                return
            if self._shutdown and is_request:
                self.reject(message.id, INVALID_REQUEST,
                            f"{method}: the server is shutting down")
                return
        if type(message) is ExecuteCommandRequest and self.run_command(message):
            return
        super().handle_message(message)

    @lsp_method(SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        """pygls' own, but cancelling from a snapshot: cancelling a request removes it from
        `_request_futures`, and iterating the live dict answered `shutdown` with an error."""
        if (user_handler := self.fm.features.get(SHUTDOWN)) is not None:
            yield user_handler, args, None
        current = self.msg_id
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != current and not future.done():
                future.cancel()
        self._shutdown = True
        return None

    def notify_plain(self, method: str, params: dict[str, Any]) -> None:
        """A notification whose params are JSON already (the explanation chunks): written
        as it is, without pygls building an attrs message and cattrs walking it back."""
        self._send_data({"jsonrpc": self.VERSION, "method": method, "params": params})

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        """A command's result (a dict) is written as it is; anything nested that is not JSON
        (an lsprotocol object) still goes through pygls' converter, as json.dumps' default.
        Typed results (hovers, code actions, ...) and errors take pygls' own way."""
        if error is None and type(result) is dict:
            self._result_types.pop(msg_id, None)
            self._send_data({"jsonrpc": self.VERSION, "id": msg_id, "result": result})
            return
        super()._send_response(msg_id, result, error)

    def reject(self, msg_id: int | str | None, code: int, text: str) -> None:
        self._send_data(ResponseErrorMessage(id=msg_id, error=ResponseError(code, text)))
