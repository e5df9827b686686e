"""`dexter explain` as seen on a terminal (a pseudo-terminal from the `pty` module): the answer
streams as it arrives, after a spinner naming the model on stderr; a pipe gets it whole. And
what a failed command with nothing recognisable in its output shows."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_fake import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
MYPY = ROOT / "examples" / "output" / "mypy.txt"
DEXTER = [sys.executable, "-m", "dexter_ls.cli"]
MODEL = "local/gpt-4o-mini"


@pytest.fixture
def fake(dexter_home: Path) -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    settings = dexter_home / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"dexter.model": MODEL, "dexter.providers": {
        "local": {"type": "openai", "baseUrl": server.base_url}}}))
    yield server
    server.stop()


class Terminal:
    """A command run on a pseudo-terminal (stdout and stderr both), read as it writes."""

    def __init__(self, *args: str) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([*DEXTER, *args], stdin=subprocess.DEVNULL,
                                        stdout=slave, stderr=slave, cwd=ROOT,
                                        env={**os.environ, "TERM": "xterm"})
        os.close(slave)
        self.seen = ""

    def read_until(self, wanted: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while wanted not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {wanted!r}; saw {self.seen!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    data = os.read(self.master, 4096)
                except OSError:  # the command ended and closed the terminal
                    data = b""
                if not data:
                    assert wanted in self.seen, f"ended without {wanted!r}; saw {self.seen!r}"
                self.seen += data.decode("utf-8", "replace")
        return self.seen

    def finish(self) -> int:
        try:
            while True:
                data = os.read(self.master, 4096)
                if not data:
                    break
                self.seen += data.decode("utf-8", "replace")
        except OSError:
            pass
        code = self.process.wait(timeout=60)
        os.close(self.master)
        return code


def test_on_a_terminal_the_answer_streams_after_a_spinner_naming_the_model(
        fake: FakeOpenAI) -> None:
    first, last = threading.Event(), threading.Event()
    fake.plan(tokens=["The name ", "is ", "undefined ", "here."], gates={0: first, 3: last})
    term = Terminal("explain", "--max", "1", "--no-cache", str(MYPY))
    try:
        term.read_until(f"asking {MODEL}")  # waiting for the first token: the spinner
        first.set()
        seen = term.read_until("undefined ")
        assert "here." not in seen  # printed before the answer was complete
        last.set()
        term.read_until("here.")
    finally:
        first.set()
        last.set()
        assert term.finish() == 0, term.seen
    out = term.seen
    assert out.index("## ") < out.index(f"asking {MODEL}") < out.index("The name ")
    assert out.count("Explained by") == 1 and f"Explained by `{MODEL}`" in out


def test_the_spinner_names_the_model_being_asked_after_a_fallback(fake: FakeOpenAI) -> None:
    gate = threading.Event()
    fake.plan(fault="401")  # local/gpt-4o-mini: a definitive failure, next model at once
    fake.plan(gates={0: gate})
    term = Terminal("explain", "--max", "1", "--no-cache", "--chain", "local/tiny-coder",
                    str(MYPY))
    try:
        term.read_until("asking local/tiny-coder")
    finally:
        gate.set()
        assert term.finish() == 0, term.seen
    assert "The name is undefined." in term.seen
    assert "after `local/gpt-4o-mini` (auth)" in term.seen


def test_a_pipe_gets_the_whole_answer_without_a_spinner(fake: FakeOpenAI) -> None:
    done = subprocess.run([*DEXTER, "explain", "--max", "1", "--no-cache", str(MYPY)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "asking" not in done.stderr and "\x1b" not in done.stdout + done.stderr
    assert "The name is undefined." in done.stdout
    assert done.stdout.count("Explained by") == 1


def test_json_on_a_terminal_is_not_streamed(fake: FakeOpenAI) -> None:
    term = Terminal("explain", "--json", "--max", "1", "--no-cache", str(MYPY))
    assert term.finish() == 0, term.seen
    assert "asking" not in term.seen
    (result,) = json.loads(term.seen)
    assert result["model"] == MODEL


def test_a_failed_command_with_nothing_recognised_shows_its_status_and_output(
        dexter_home: Path) -> None:
    script = "import sys\nprint('starting up')\nprint('fatal: the widget is bent')\nsys.exit(3)"
    done = subprocess.run([*DEXTER, "explain", "--", sys.executable, "-c", script],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 3
    assert "exit status 3" in done.stderr
    assert "fatal: the widget is bent" in done.stderr and "starting up" in done.stderr


def test_prompts_render_shows_exactly_what_explain_sends(fake: FakeOpenAI,
                                                         tmp_path: Path) -> None:
    """The same subject (source lines around the error) and the same redactions: the
    rendered messages equal the request the model received."""
    secret = "sk-proj-" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz"
    settings = Path(os.environ["DEXTER_LS_HOME"]) / "config" / "settings.json"
    settings.write_text(json.dumps({"dexter.model": MODEL, "dexter.providers": {  # redacted as
        "local": {"type": "openai", "baseUrl": fake.base_url, "remote": True}}}))  # if remote
    (tmp_path / "app.py").write_text(
        f'import os\nAPI_KEY = "{secret}"\n\ndef main() -> int:\n    return "no"\n')
    errors = 'app.py:5: error: Incompatible return value type (got "str", expected "int")  ' \
             '[return-value]\n'
    run = {"capture_output": True, "text": True, "cwd": tmp_path, "timeout": 60,
           "env": {**os.environ, "PYTHONPATH": str(ROOT)}}
    rendered = subprocess.run([*DEXTER, "prompts", "render", "--model", MODEL], input=errors,
                              **run)  # type: ignore[call-overload]
    assert rendered.returncode == 0, rendered.stderr
    header, *sections = rendered.stdout.split("\n## ")
    assert "(remote)" in header and "1 redactions" in header
    shown = [section.split("\n", 1) for section in sections]
    explained = subprocess.run([*DEXTER, "explain", "--no-cache", "--model", MODEL],
                               input=errors, **run)  # type: ignore[call-overload]
    assert explained.returncode == 0, explained.stderr
    (request,) = [r for r in fake.requests if r.path == "/v1/chat/completions"]
    sent = [[m["role"], m["content"]] for m in request.json()["messages"]]
    assert [[role, content.rstrip("\n")] for role, content in shown] == [
        [role, content.rstrip("\n")] for role, content in sent]
    user = sent[-1][1]
    assert 'return "no"' in user and "def main() -> int:" in user  # the source lines
    assert secret not in user and "[REDACTED:" in user


def test_the_readme_terminal_examples_name_files_that_exist(dexter_home: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## In the terminal\n", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"examples/[\w./-]+\w", section))
    assert "examples/errors.txt" in named
    assert [p for p in sorted(named) if not (ROOT / p).exists()] == []
    done = subprocess.run([*DEXTER, "compare", "--json", "--models", "builtin/reference",
                           "examples/errors.txt"], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["location"].startswith("examples/type_errors.py:11")
