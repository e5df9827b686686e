"""Resident memory of a running dexter-ls stays flat under many explanations and pushes.

Raw stdio (bench/lsp_pipe.py) so the client adds nothing; requests are pipelined in batches.
Bounds are generous (a leak of pygls's command futures grew ~2 MB per 1,000 explanations
here); they catch unbounded growth, not allocator noise.
"""

from __future__ import annotations

import sys
import tempfile
from typing import Any

from bench.lsp_pipe import INITIALIZE, Pipe, pipelined, rss_mb
from tests.e2e.conftest import server_env

URI = "file:///work/project/app.py"
TEXT = "import os\n\ndef main():\n    print(undefined_name)\n"


def _diag(line: int, message: str = '"undefined_name" is not defined') -> dict[str, Any]:
    return {"range": {"start": {"line": line, "character": 10},
                      "end": {"line": line, "character": 24}},
            "message": message, "severity": 1, "code": "reportUndefinedVariable",
            "source": "Pylance"}


def _server() -> Pipe:
    pipe = Pipe([sys.executable, "-m", "dexter_ls"],
                env=server_env(tempfile.mkdtemp(prefix="dexter-mem-")))
    pipe.request("initialize", INITIALIZE)
    pipe.send("initialized", {}, request=False)
    pipe.send("textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "python", "version": 1, "text": TEXT}}, request=False)
    return pipe


def _explain(pipe: Pipe, count: int, start: int = 0) -> None:
    """`count` explanations, each of a diagnostic not explained before: each is answered
    afresh (not from memory) and recorded in telemetry, as a working session's are."""
    for batch in range(start, start + count, 100):
        calls = [{"command": "dexter.explain", "arguments": [{"uri": URI, "diagnostic": _diag(
            3, f'"undefined_{n}" is not defined')}]} for n in range(batch, batch + 100)]
        results = pipelined(pipe, "workspace/executeCommand", calls)
        assert all(isinstance(r, dict) and r.get("markdown") for r in results), results[0]


def test_memory_is_flat_across_thousands_of_explanations() -> None:
    pipe = _server()
    try:
        _explain(pipe, 1000)
        after_1000 = rss_mb(pipe.proc.pid)
        _explain(pipe, 3000, start=1000)
        growth = rss_mb(pipe.proc.pid) - after_1000
    finally:
        pipe.close()
    assert growth < 3.0, f"resident memory grew {growth:.1f} MiB over 3,000 explanations"


def test_pushed_diagnostics_are_bounded() -> None:
    pipe = _server()
    try:
        base = rss_mb(pipe.proc.pid)
        for index in range(50):  # 50 documents × 1,000 diagnostics: past every bound
            diags = [_diag(i % 200, f"message {index}-{i} " + "x" * 80) for i in range(1000)]
            pipe.send("dexter/didChangeDiagnostics",
                      {"uri": f"file:///p/f{index}.py", "diagnostics": diags}, request=False)
        pipe.request("workspace/executeCommand", {"command": "dexter.listModels"})
        full = rss_mb(pipe.proc.pid) - base
    finally:
        pipe.close()
    assert full < 60, f"50,000 pushed diagnostics held {full:.0f} MiB"
