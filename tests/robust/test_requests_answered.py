"""Every request gets an answer, whatever its params, its frame or its text."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.robust.conftest import Session, diagnostic
from tests.robust.raw_client import RawServer, frame

INVALID_PARAMS, INVALID_REQUEST, NOT_INITIALIZED, PARSE_ERROR = -32602, -32600, -32002, -32700
DOC = {"uri": "file:///nowhere.py"}
RANGE = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}


def test_a_request_before_initialize_is_refused_with_32002(tmp_path: Path) -> None:
    server = RawServer(tmp_path)
    try:
        answer = server.request("textDocument/hover", {"textDocument": DOC, "position":
                                                       {"line": 0, "character": 0}})
        assert answer["error"]["code"] == NOT_INITIALIZED
        server.initialize(tmp_path)  # and the server still starts normally
        assert "result" in server.request("workspace/executeCommand",
                                          {"command": "dexter.listModels", "arguments": []})
    finally:
        server.close()


@pytest.mark.parametrize(("method", "params", "field"), [
    ("textDocument/hover", {"textDocument": DOC, "position": {"line": -1, "character": 0}},
     "params.position"),
    ("textDocument/hover", {"textDocument": DOC}, "params.position"),
    ("textDocument/codeAction", {"textDocument": DOC, "range": {"start": RANGE["start"]},
                                 "context": {"diagnostics": []}}, "params.range.end"),
    ("textDocument/codeAction", {"textDocument": DOC, "range": RANGE, "context": {
        "diagnostics": [{"range": RANGE}]}}, "params.context.diagnostics[0].message"),
    ("workspace/executeCommand", None, "params"),
    ("workspace/executeCommand", {"arguments": []}, "params.command"),
])
def test_invalid_params_are_answered_naming_the_field(
        session: Session, method: str, params: Any, field: str) -> None:
    answer = session.server.request(method, params)
    assert answer["error"]["code"] == INVALID_PARAMS, answer
    assert field in answer["error"]["message"]


@pytest.mark.parametrize("command", ["dexter.modelStats", "dexter.dashboard"])
@pytest.mark.parametrize("window", [{}, [], 7, "1y"])
def test_a_bad_window_is_invalid_params(session: Session, command: str, window: Any) -> None:
    answer = session.server.request("workspace/executeCommand",
                                    {"command": command, "arguments": [{"window": window}]})
    assert answer["error"]["code"] == INVALID_PARAMS, answer
    assert "window" in answer["error"]["message"]


def test_a_huge_content_length_is_refused_and_the_server_goes_on(session: Session) -> None:
    server = session.server
    server.write(b"Content-Length: 1000000000000\r\n\r\n")
    errors = server.wait_unmatched(1)
    assert errors and "larger than the limit" in errors[0]["error"]["message"]
    assert "result" in session.code_actions()
    assert server.alive


def test_a_content_length_longer_than_the_body_does_not_hang(session: Session) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": "long", "method": "textDocument/hover",
                       "params": {"textDocument": {"uri": session.uri},
                                  "position": {"line": 0, "character": 0}}}).encode()
    session.server.write(b"Content-Length: %d\r\n\r\n%s" % (len(body) + 40, body))
    assert "result" in session.server.answer("long")  # alone: after a pause, read as complete
    session.server.write(b"Content-Length: %d\r\n\r\n%s" % (len(body) + 4000, body)
                         + frame({"jsonrpc": "2.0", "id": "next", "method": "shutdown"})[:0])
    session.server.send({"jsonrpc": "2.0", "id": "after", "method": "textDocument/hover",
                         "params": {"textDocument": {"uri": session.uri},
                                    "position": {"line": 1, "character": 0}}})
    assert "result" in session.server.answer("after")  # the next header ends the body


def test_a_content_length_shorter_than_the_body_answers_and_resyncs(session: Session) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 41, "method": "textDocument/hover",
                       "params": {"textDocument": {"uri": session.uri},
                                  "position": {"line": 0, "character": 0}}}).encode()
    session.server.write(b"Content-Length: %d\r\n\r\n%s" % (len(body) - 10, body))
    answer = session.server.answer(41)
    assert answer["error"]["code"] == PARSE_ERROR
    assert "result" in session.code_actions()


@pytest.mark.parametrize("raw", [
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"Content-Length: abc\r\n\r\n{}",
    b"Content-Length: 2\r\n\r\n[]",
    b"Content-Length: 4\r\n\r\nnull",
    b"Content-Length: 5\r\n\r\n\xff\xfe{}\x00",
    b"\x00" * 20000,
    b"Content-Length: 12\r\n\r\n" + b"[" * 12,
])
def test_garbage_does_not_stop_the_server(session: Session, raw: bytes) -> None:
    session.server.write(raw)
    assert "result" in session.code_actions()


def test_a_lone_surrogate_in_a_document_and_a_message(session: Session) -> None:
    uri = session.uri.replace("main.py", "odd.py")
    session.server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1,
        "text": "x = '\ud800'\nprint(undefined_name)\n"}})
    diag = diagnostic("name 'undefined_name' is not defined \udc80", line=1)
    actions = session.server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}})
    assert actions["result"], actions
    explained = session.server.request("workspace/executeCommand", {
        "command": "dexter.explain", "arguments": [{"uri": uri, "diagnostic": diag}]})
    assert "undefined_name" in explained["result"]["markdown"], explained
    hover = session.server.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 1, "character": 12}})
    assert hover.get("result")


def test_a_five_megabyte_message_is_explained_and_others_are_answered(session: Session) -> None:
    huge = "x" * 5_000_000
    server = session.server
    server.send({"jsonrpc": "2.0", "id": "big", "method": "workspace/executeCommand",
                 "params": {"command": "dexter.explain", "arguments": [
                     {"uri": session.uri, "diagnostic": diagnostic(f"boom {huge}")}]}})
    assert "result" in session.code_actions()
    answer = server.answer("big", timeout=60)
    markdown = answer["result"]["markdown"]
    assert len(markdown) < 100_000  # what the prompt and the answer took was capped


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX only")
def test_shutdown_then_requests_are_refused(session: Session) -> None:
    server = session.server
    assert "result" in server.request("shutdown")
    answer = server.request("textDocument/hover", {"textDocument": {"uri": session.uri},
                                                   "position": {"line": 0, "character": 0}})
    assert answer["error"]["code"] == INVALID_REQUEST
