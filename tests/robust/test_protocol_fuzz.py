"""Protocol fuzzing against the real server over stdio: thousands of malformed requests,
notifications and broken frames per run. Every well-framed request is answered, the server
stays alive and recovers from broken frames, and a good explanation works afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robust.conftest import Session, diagnostic, open_session
from tests.robust.raw_client import frame

EXAMPLES = 450  # x about 12 messages each: ~5,000 messages per run, ~25 s

_ids = count(1)
SENT = {"messages": 0, "requests": 0, "broken": 0}

# --- JSON values and mutations of valid params --------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**40, max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20), st.sampled_from(["\ud800", "\x1b]52;c;x\x07", "", "file:///etc/passwd",
                                           "a" * 3000, "-1", "dexter.explain"]))
json_values = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                     st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)

URI = "file:///fuzz/main.py"
POSITION = {"line": 0, "character": 0}
RANGE = {"start": POSITION, "end": {"line": 0, "character": 3}}
DIAG = {"range": RANGE, "message": "boom", "severity": 1, "source": "fuzz"}
VALID: dict[str, Any] = {
    "textDocument/hover": {"textDocument": {"uri": URI}, "position": POSITION},
    "textDocument/codeAction": {"textDocument": {"uri": URI}, "range": RANGE,
                                "context": {"diagnostics": [DIAG]}},
    "workspace/executeCommand": {"command": "dexter.explain",
                                 "arguments": [{"uri": URI, "diagnostic": DIAG}]},
    "textDocument/didOpen": {"textDocument": {"uri": URI, "languageId": "python", "version": 1,
                                              "text": "print(x)\n"}},
    "textDocument/didChange": {"textDocument": {"uri": URI, "version": 2},
                               "contentChanges": [{"text": "y = 1\n"}]},
    "textDocument/didClose": {"textDocument": {"uri": URI}},
    "dexter/didChangeDiagnostics": {"uri": URI, "diagnostics": [DIAG]},
    "$/cancelRequest": {"id": 1},
}
COMMANDS = ["dexter.explain", "dexter.listModels", "dexter.selectModel", "dexter.modelStats",
            "dexter.getPreferences", "dexter.dashboard", "dexter.compareModels",
            "dexter.setFallbackChain", "dexter.nonexistent"]
REQUESTS = ["textDocument/hover", "textDocument/codeAction", "workspace/executeCommand",
            "textDocument/definition", "workspace/symbol", "dexter/unknown", ""]
NOTIFICATIONS = ["textDocument/didOpen", "textDocument/didChange", "textDocument/didClose",
                 "dexter/didChangeDiagnostics", "$/cancelRequest", "$/setTrace", "initialized",
                 "dexter/unknown", "workspace/didChangeConfiguration"]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


def _set(value: Any, path: tuple[Any, ...], new: Any, delete: bool) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for key in path[:-1]:
        target = target[key]
    if delete and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return copy


@st.composite
def params_for(draw: st.DrawFn, method: str) -> Any:
    valid = VALID.get(method)
    if method == "workspace/executeCommand" and draw(st.booleans()):
        return {"command": draw(st.sampled_from(COMMANDS)),
                "arguments": draw(st.lists(json_values, max_size=3))}
    if method == "workspace/didChangeConfiguration":
        return {"settings": {"dexter": {draw(st.sampled_from(
            ["explain", "cache", "telemetry", "model", "chain", "privacy", "prompts"])):
            draw(json_values)}}}
    if valid is None or draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    paths = list(_paths(valid))
    path = draw(st.sampled_from(paths))
    return _set(valid, path, draw(json_values), delete=draw(st.booleans()))


@st.composite
def message(draw: st.DrawFn) -> tuple[dict[str, Any], Any | None]:
    """(message, the id an answer must carry, or None when no answer is owed)."""
    if draw(st.booleans()):
        method = draw(st.sampled_from(REQUESTS))
        msg_id: Any = f"f{next(_ids)}" if draw(st.booleans()) else next(_ids) + 10**6
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if draw(st.integers(0, 9)):
            msg["params"] = draw(params_for(method))
        return msg, msg_id
    method = draw(st.sampled_from(NOTIFICATIONS))
    msg = {"jsonrpc": "2.0", "method": method}
    if draw(st.integers(0, 9)):
        msg["params"] = draw(params_for(method))
    return msg, None


odd_requests = st.sampled_from([  # answered with a null id: counted, not matched
    {"jsonrpc": "2.0", "id": {"x": 1}, "method": "textDocument/hover"},
    {"jsonrpc": "2.0", "id": True, "method": "textDocument/hover"},
    {"jsonrpc": "1.0", "id": None, "method": 5},
    [1, 2, 3], "text", 42,
])

broken_frames = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([
        b"Content-Length: 1000000000000\r\n\r\n", b"Content-Length: 60000000\r\n\r\n{",
        b"Content-Length: -5\r\n\r\n", b"Content-Length:\r\n\r\n", b"\r\n\r\n\r\n",
        b"Content-Length: 10\r\n\r\n{\"jsonrpc\"", b"POST / HTTP/1.1\r\nHost: x\r\n\r\n{}",
        b"Content-Length: 3\r\n\r\n\xff\xfe\xfd", b"Content-Type: text/plain\r\n\r\n",
        b"Content-Length: 20\r\nContent-Length: 2\r\n\r\n{}",
    ]),
)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    session = open_session(tmp_path_factory.mktemp("fuzz"))
    yield session
    session.server.close()


def _resync(session: Session) -> None:
    """After broken bytes, the server must come back: a request answered within a few tries."""
    for _ in range(4):
        msg_id = f"sync{next(_ids)}"
        session.server.send({"jsonrpc": "2.0", "id": msg_id, "method": "workspace/executeCommand",
                             "params": {"command": "dexter.getPreferences", "arguments": []}})
        try:
            session.server.answer(msg_id, timeout=5)
            return
        except TimeoutError:
            continue
    raise AssertionError("the server did not recover from a broken frame")


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(garbage=st.one_of(st.none(), broken_frames),
       messages=st.lists(message(), min_size=8, max_size=40),
       odd=st.lists(odd_requests, max_size=2))
def test_every_request_is_answered_and_the_server_survives(
        fuzzed: Session, garbage: bytes | None, messages: list[tuple[dict[str, Any], Any]],
        odd: list[Any]) -> None:
    server = fuzzed.server
    if garbage is not None:
        server.write(garbage)
        _resync(fuzzed)
    server.write(b"".join(frame(m) for m, _ in messages) + b"".join(frame(o) for o in odd))
    SENT["messages"] += len(messages) + len(odd)
    SENT["requests"] += sum(1 for _, msg_id in messages if msg_id is not None)
    SENT["broken"] += garbage is not None
    for _, msg_id in messages:
        if msg_id is not None:
            answer = server.answer(msg_id, timeout=30)
            assert ("result" in answer) != ("error" in answer), answer
            if "error" in answer:
                assert answer["error"]["code"] in (-32600, -32601, -32602, -32603, -32700,
                                                   -32800, -32803), answer
    assert server.alive


def test_a_good_explanation_still_works_after_the_fuzzing(fuzzed: Session) -> None:
    fuzzed.server.notify("textDocument/didOpen", {"textDocument": {
        "uri": fuzzed.uri, "languageId": "python", "version": 99,
        "text": "import os\n\ndef main():\n    print(undefined_name)\n"}})
    answer = fuzzed.explain(diagnostic())
    assert "result" in answer, answer
    assert "Explained by" in answer["result"]["markdown"]
    assert fuzzed.server.alive
    assert SENT["messages"] >= 3000 and SENT["requests"] >= 1000, SENT  # thousands went through
    assert SENT["broken"] >= 50, SENT
