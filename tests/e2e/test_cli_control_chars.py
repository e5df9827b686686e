"""Nothing a model server sends can drive the user's terminal through `dexter`."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from dexter_ls.cli.terminal import SafeStream, printable
from tests.fakes.ollama_fake import FakeOllama, OllamaModel

HOSTILE = ("evil\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J\x1b[31m\u202egnp.exe\u2066x\u2069"
           "\x9b31m\x07\x08")
DEXTER = [sys.executable, "-m", "dexter_ls.cli"]


def test_printable_drops_escape_sequences_controls_and_bidi() -> None:
    assert printable(HOSTILE) == "evilgnp.exex31m"
    assert printable("line one\n\tline two") == "line one\n\tline two"
    assert printable("naïve 日本語 ✓") == "naïve 日本語 ✓"


def test_a_sequence_split_across_writes_loses_its_escape() -> None:
    out = io.StringIO()
    stream = SafeStream(out)  # type: ignore[arg-type]
    stream.write("a\x1b")
    stream.write("]52;c;eA==\x07b")
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()


def test_model_ids_from_a_server_are_shown_without_control_sequences(tmp_path: object) -> None:
    fake = FakeOllama(models=(OllamaModel(f"{HOSTILE}:7b", "f" * 64),)).start()
    try:
        env = {**os.environ, "OLLAMA_HOST": fake.base_url, "DEXTER_LS_HOME": str(tmp_path)}
        done = subprocess.run([*DEXTER, "models"], capture_output=True, text=True, timeout=60,
                              env=env)
    finally:
        fake.stop()
    assert done.returncode == 0, done.stderr
    assert "evil" in done.stdout  # the model is listed
    for text in (done.stdout, done.stderr):
        assert not any(ch in text for ch in "\x1b\x07\x9b\u202e\u2066"), repr(text)
