"""Reading LSP frames (`Content-Length: N\\r\\n\\r\\n` + N bytes of JSON) from a byte stream
without trusting the lengths.

pygls' reader allocates whatever `Content-Length` says (10^12 ends the server), and a length
that is wrong leaves it waiting for bytes that never come. This reader:
- refuses a frame larger than `max_frame` (64 MB) with an error, then looks for the next header;
- notices a length that is too long: raw CR LF cannot occur inside JSON, so a
  `Content-Length: N\\r\\n` line inside the body is the next frame's header, and the body ends
  before it; and when no byte arrives for `stall` seconds while the bytes so far already are a
  complete JSON value, that value is the body;
- skips garbage before a header (what is left of a frame whose length was too short), keeping
  at most `MAX_HEADER` bytes while it looks;
- answers a body that is not JSON with a parse error, carrying the request's id when one can
  be read from it, so that the client is not left waiting.

`run_frames` drives a `FrameSink` (the protocol) from any `read_chunk` coroutine: stdin read by
the event loop itself when it is a pipe (`pipe_reader`), else through a thread; or an asyncio
stream.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import stat
from collections.abc import Awaitable, Callable
from typing import IO, Any, Protocol

log = logging.getLogger(__name__)

MAX_FRAME = 64 * 1024 * 1024
MAX_HEADER = 8192
STALL_SECONDS = 0.5
PARSE_ERROR = -32700
INVALID_REQUEST = -32600

_HEADER_END = b"\r\n\r\n"
_LENGTH = re.compile(rb"(?im)content-length[ \t]*:[ \t]*([0-9]{1,20})[ \t]*\r?$")
_NEXT_HEADER = re.compile(rb"Content-Length:[ \t]*[0-9]{1,20}\r\n")
_ID = re.compile(rb'"id"[ \t\r\n]*:[ \t\r\n]*(-?[0-9]{1,18}|"(?:[^"\\]|\\.){0,200}")')


class FrameSink(Protocol):
    def structure_message(self, data: dict[str, Any]) -> Any: ...

    def handle_message(self, message: Any) -> None: ...

    def reject(self, msg_id: int | str | None, code: int, text: str) -> None: ...


def request_id(body: bytes) -> int | str | None:
    """The id of a request whose body cannot be parsed, when it can be read anyway."""
    m = _ID.search(body[:4096])
    if m is None:
        return None
    try:
        value = json.loads(m.group(1))
    except ValueError:
        return None
    return value if isinstance(value, (int, str)) else None


def _text(body: bytes) -> str:
    """The body as text that encodes again: bytes that are not UTF-8 and lone surrogates
    (`"\\ud800"` escapes, which JSON allows) become U+FFFD, so no handler meets a string it
    cannot encode, hash or store."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        log.warning("a message that is not valid UTF-8: undecodable bytes replaced")
        text = body.decode("utf-8", "replace")
    if "\\ud" not in text and "\\uD" not in text:
        return text
    return json.dumps(_mend(json.loads(text)), ensure_ascii=False)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _mend(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_mend(v) for v in value]
    if isinstance(value, dict):
        return {_mend(k): _mend(v) for k, v in value.items()}
    return value


def deliver(body: bytes, sink: FrameSink) -> None:
    """Parse one body and hand it to the protocol; a body that does not parse is answered."""
    try:
        message = json.loads(_text(body), object_hook=sink.structure_message)
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, or nested too deep
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        log.warning("unparseable message (%d bytes): %s", len(body), problem)
        sink.reject(request_id(body), PARSE_ERROR, f"parse error: {problem}")
        return
    try:
        sink.handle_message(message)
    except Exception:  # a handler's own failure is answered by pygls; this is the rest
        log.exception("unable to handle a message")


async def run_frames(
    read_chunk: Callable[[], Awaitable[bytes]],
    sink: FrameSink,
    stopped: Callable[[], bool] = lambda: False,
    *,
    max_frame: int = MAX_FRAME,
    stall: float = STALL_SECONDS,
) -> None:
    """Read frames until end of input (or `stopped()`), delivering each to `sink`."""
    buf = bytearray()
    eof = False
    pending: asyncio.Future[bytes] | None = None

    async def more(timeout: float | None = None) -> bool:
        """Read one chunk into `buf`; False when `timeout` passed first."""
        nonlocal pending, eof
        if pending is None and timeout is None:  # the common case: no task, no wait set
            try:
                data = await read_chunk()
            except (OSError, ValueError):
                data = b""
        else:
            if pending is None:
                pending = asyncio.ensure_future(read_chunk())
            done, _ = await asyncio.wait({pending}, timeout=timeout)
            if not done:
                return False
            try:
                data = pending.result()
            except (OSError, ValueError):
                data = b""
            pending = None
        if data:
            buf.extend(data)
        else:
            eof = True
        return True

    while not stopped():
        end = buf.find(_HEADER_END)
        if end < 0:
            if len(buf) > MAX_HEADER:  # garbage: keep a tail that may hold a split header
                log.warning("skipped %d bytes that are no LSP header", len(buf) - 64)
                del buf[:-64]
            if eof:
                break
            await more()
            continue
        lengths = _LENGTH.findall(bytes(buf[:end]))
        del buf[:end + len(_HEADER_END)]
        if not lengths:
            log.warning("a header without Content-Length")
            sink.reject(None, INVALID_REQUEST, "a header without a valid Content-Length")
            continue
        length = int(lengths[-1])
        if length > max_frame:
            log.warning("refused a frame of %d bytes", length)
            sink.reject(None, INVALID_REQUEST,
                        f"a frame of {length} bytes is larger than the limit of "
                        f"{max_frame} bytes: refused")
            continue  # what follows is garbage until the next header
        searched = 0
        while True:
            nxt = _NEXT_HEADER.search(buf, searched, length + 64)
            searched = max(0, min(len(buf), length) - 64)
            if nxt is not None and nxt.start() < length:
                log.warning("Content-Length %d runs into the next frame", length)
                length = nxt.start()
                break
            if len(buf) >= length or eof:
                break
            if not await more(timeout=stall) and _complete_json(buf):
                log.warning("Content-Length %d is larger than the %d-byte body", length,
                            len(buf))
                length = len(buf)
                break
        if len(buf) < length:  # end of input inside a body
            deliver(bytes(buf), sink)
            break
        body = bytes(buf[:length])
        del buf[:length]
        deliver(body, sink)
    if pending is not None:
        pending.cancel()


def _complete_json(buf: bytearray) -> bool:
    try:
        json.loads(bytes(buf))
    except (ValueError, RecursionError):
        return False
    return True


async def pipe_reader(source: IO[bytes], sink: IO[bytes]) -> Callable[[], Awaitable[bytes]] | None:
    """A `read_chunk` that the event loop serves itself, when `source` is a pipe of its own;
    None otherwise (the caller reads through a thread).

    Editors start the server with stdin and stdout as two pipes. Reading stdin through a
    thread costs a hand-over per read, on every message. The loop can only read a pipe it
    may make non-blocking: not a terminal (the shell would inherit it so), and not a file
    shared with stdout (a socket pair as both ends: writes to stdout would then fail when
    its buffer is full instead of waiting).
    """
    try:
        mode, out = os.fstat(source.fileno()), os.fstat(sink.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    if not stat.S_ISFIFO(mode.st_mode) or (mode.st_dev, mode.st_ino) == (out.st_dev, out.st_ino):
        return None
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_FRAME)
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), source)
    except (OSError, ValueError, NotImplementedError):
        return None

    async def read_chunk() -> bytes:
        return await reader.read(65536)

    return read_chunk
