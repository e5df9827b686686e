"""DiagnosticStore: bounds per document and in total, oldest documents first, one-pass eviction."""

from __future__ import annotations

import json
import logging

import pytest

from dexter_ls.core.subject import Diagnostic, Position, Range
from dexter_ls.features.diagnostic_store import DiagnosticStore
from dexter_ls.features.diagnostics import DID_CHANGE_DIAGNOSTICS
from dexter_ls.server import build_server


def diag(line: int, severity: int = 1, message: str = "boom") -> Diagnostic:
    return Diagnostic(f"{message} {line}", Range(Position(line, 0), Position(line, 3)),
                      severity=severity, source="t")


def test_a_push_beyond_the_document_bound_keeps_the_most_severe(
        caplog: pytest.LogCaptureFixture) -> None:
    store = DiagnosticStore(pushed_per_document=3)
    with caplog.at_level(logging.WARNING):
        store.replace("a", [diag(0, 4), diag(1, 2), diag(2, 1), diag(3, 3), diag(4, 1)])
    assert [d.range.start.line for d in store.pushed("a")] == [2, 4, 1]
    assert "kept the 3 most severe of 5" in caplog.text


def test_past_the_total_the_oldest_documents_go_first(caplog: pytest.LogCaptureFixture) -> None:
    store = DiagnosticStore(pushed_total=12)
    for name in "abc":
        store.replace(name, [diag(i) for i in range(4)])
    store.replace("a", [diag(i) for i in range(4)])  # pushed again: now the newest
    with caplog.at_level(logging.WARNING):
        store.replace("d", [diag(i) for i in range(8)])
    assert store.pushed("b") == [] and store.pushed("c") == []
    assert len(store.pushed("a")) == 4 and len(store.pushed("d")) == 8
    assert store.counts()[0] == 12
    assert "forgot 2 of the oldest documents" in caplog.text and "b, c" in caplog.text


def test_clearing_and_closing_release_what_was_held() -> None:
    store = DiagnosticStore()
    store.replace("a", [diag(i) for i in range(100)])
    store.saw("a", [diag(i) for i in range(50)])
    store.replace("b", [diag(i) for i in range(10)])
    store.replace("a", [])
    assert store.counts() == (10, 50)
    store.drop("a")
    store.drop("b")
    assert store.counts() == (0, 0)


def test_seen_keeps_the_newest_per_document_and_is_bounded_in_total() -> None:
    store = DiagnosticStore(seen_per_document=500, seen_total=1000)
    store.saw("a", [diag(i) for i in range(20_000)])  # one pass, not one eviction per entry
    kept = store.at("a", Position(19_999, 1))
    assert len(kept) == 1 and store.at("a", Position(19_499, 1)) == []
    assert store.counts()[1] == 500
    store.saw("b", [diag(i) for i in range(400)])
    store.saw("c", [diag(i) for i in range(400)])
    assert store.at("a", Position(19_999, 1)) == [] and store.counts()[1] == 800
    store.saw("c", [diag(0)])  # seen again: replaced, not counted twice
    assert store.counts()[1] == 800


def test_the_notification_reaches_its_handler_as_plain_json() -> None:
    """pygls would build namedtuple classes for each JSON object (slow, memory kept)."""
    server = build_server()
    server.background = lambda work: work.close()  # type: ignore[method-assign]
    diagnostics = [{"range": {"start": {"line": i, "character": 0},
                              "end": {"line": i, "character": 3}},
                    "message": f"m{i}", "severity": 2, "code": 7, "source": "t"}
                   for i in range(20)]
    raw = json.dumps({"jsonrpc": "2.0", "method": DID_CHANGE_DIAGNOSTICS,
                      "params": {"uri": "file:///a.py", "diagnostics": diagnostics}})
    message = server.protocol.structure_message(json.loads(raw))
    assert type(message.params) is dict
    server.protocol.handle_message(message)
    kept = server.diagnostics.pushed("file:///a.py")
    assert [d.code for d in kept] == ["7"] * 20 and kept[3].message == "m3"
