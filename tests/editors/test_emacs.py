"""The Emacs package (client/emacs) in a real `emacs --batch`, with lsp-mode and eglot.

Each ERT test runs in a fresh Emacs with its own `dexter-ls` and state folder; the
ERT files are tests/editors/emacs/*.el. Skips when Emacs or lsp-mode/eglot is missing,
unless DEXTER_REQUIRE_EDITORS=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_fake import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "client" / "emacs"
SUITES = Path(__file__).resolve().parent / "emacs"
REQUIRED = os.environ.get("DEXTER_REQUIRE_EDITORS") == "1"
PYTHON_FILE = 'import os\n\n\ndef greet(name):\n    return "hello " + nam\n'
RUN_SECONDS = 120


def _emacs_has(feature: str) -> bool:
    emacs = shutil.which("emacs")
    if emacs is None:
        return False
    probe = subprocess.run([emacs, "--batch", "--eval", f"(require '{feature})"],
                           capture_output=True, timeout=60)
    return probe.returncode == 0


def _need(feature: str) -> None:
    if shutil.which("emacs") is None or not _emacs_has(feature):
        message = f"emacs with {feature} is not installed"
        if REQUIRED:
            pytest.fail(f"{message} (DEXTER_REQUIRE_EDITORS=1)")
        pytest.skip(message)


def _server() -> str:
    """This checkout's `dexter-ls`; DEXTER_LS_BIN names another (e.g. a branch's build)."""
    if os.environ.get("DEXTER_LS_BIN"):
        return os.environ["DEXTER_LS_BIN"]
    found = Path(sys.executable).parent / "dexter-ls"
    return str(found) if found.exists() else shutil.which("dexter-ls") or "dexter-ls"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens here any more: connections are refused


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def run_ert(suite: str, test: str, tmp_path: Path, fake: FakeOpenAI) -> str:
    """Run one ERT test of `suite` in a fresh Emacs; fail with its output."""
    workspace = tmp_path / "project"
    workspace.mkdir()
    (workspace / "main.py").write_text(PYTHON_FILE)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL",
                        "ANTHROPIC_BASE_URL")}
    env.update({
        "HOME": str(home),  # lsp-mode and eglot write their state under ~/.emacs.d
        "DEXTER_LS_HOME": str(tmp_path / "dexter-home"),
        "OLLAMA_HOST": "127.0.0.1:9",
        "DEXTER_TEST_KEY": "sk-test-not-a-secret",
        "DEXTER_TEST_ROOT": str(workspace),
        "DEXTER_TEST_SERVER": _server(),
        "DEXTER_TEST_LOG": str(tmp_path / "server.log"),
        "DEXTER_TEST_OPENAI": fake.base_url,
        "DEXTER_TEST_DEAD": f"http://127.0.0.1:{_closed_port()}/v1",
    })
    # The user approved these endpoints for the test key once, as `dexter keys allow` does
    # (a workspace-chosen endpoint gets a key only from the user's own word).
    for url in (env["DEXTER_TEST_OPENAI"], env["DEXTER_TEST_DEAD"]):
        subprocess.run([sys.executable, "-m", "dexter_ls.cli", "keys", "allow",
                        "env:DEXTER_TEST_KEY", url], env=env, check=True,
                       capture_output=True, timeout=60)
    command = ["emacs", "--batch", "-L", str(PACKAGE), "-L", str(SUITES),
               "-l", suite, "--eval", f'(ert-run-tests-batch-and-exit "^{re.escape(test)}$")']
    # Its own process group: a run that times out ends dexter-ls too, not only Emacs.
    with subprocess.Popen(command, cwd=workspace, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          start_new_session=True) as editor:
        try:
            output, _ = editor.communicate(timeout=RUN_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(editor.pid, signal.SIGKILL)
            output, _ = editor.communicate()
            pytest.fail(f"ERT {test} still running after {RUN_SECONDS} s:\n{output}",
                        pytrace=False)
    if editor.returncode != 0 or "Ran 1 test" not in output:
        pytest.fail(f"ERT {test} failed (exit {editor.returncode}):\n{output}", pytrace=False)
    return output


LSP_TESTS = [
    "dexter-lsp/declares-the-explanation-view",
    "dexter-lsp/explain-at-point-from-the-reference",
    "dexter-lsp/hover-on-a-forwarded-diagnostic",
    "dexter-lsp/streams-from-an-openai-compatible-model",
    "dexter-lsp/select-model-then-explain",
    "dexter-lsp/changed-options-reach-the-server",
    "dexter-lsp/action-for-a-flymake-diagnostic",
    "dexter-lsp/chunks-carry-the-request-id",
    "dexter-lsp/a-dead-model-stays-fast",
    "dexter-lsp/progress-names-the-model-asked",
]

EGLOT_TESTS = [
    "dexter-eglot/declares-the-explanation-view",
    "dexter-eglot/explain-at-point",
    "dexter-eglot/hover",
    "dexter-eglot/streams-from-an-openai-compatible-model",
    "dexter-eglot/select-model-then-explain",
    "dexter-eglot/action-for-a-flymake-diagnostic",
]


def _plan(fake: FakeOpenAI, test: str) -> None:
    fake.plans.clear()
    if "streams" in test or "progress" in test:
        # Lines 50 ms apart: the server releases streamed text a complete line at a time
        # (cleaned as it streams), so the buffer fills line by line before the result.
        fake.plan(tokens=["The name is undefined.\n", "\n", "Define it first,\n",
                          "or import it.\n"], delay=0.05)


@pytest.mark.parametrize("test", LSP_TESTS)
def test_lsp_mode(test: str, tmp_path: Path, fake: FakeOpenAI) -> None:
    _need("lsp-mode")
    _plan(fake, test)
    output = run_ert("dexter-test-lsp", test, tmp_path, fake)
    for line in output.splitlines():
        if line.startswith("DEXTER-FIGURES"):
            print(line)


@pytest.mark.parametrize("test", EGLOT_TESTS)
def test_eglot(test: str, tmp_path: Path, fake: FakeOpenAI) -> None:
    _need("eglot")
    _plan(fake, test)
    run_ert("dexter-test-eglot", test, tmp_path, fake)


PACKAGE_FILES = ["dexter-view.el", "dexter-diagnostics.el", "dexter.el", "dexter-lsp.el",
                 "dexter-eglot.el"]


def _batch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["emacs", "--batch", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=RUN_SECONDS)


def test_package_byte_compiles_without_warnings(tmp_path: Path) -> None:
    _need("lsp-mode")
    for name in PACKAGE_FILES:
        shutil.copy(PACKAGE / name, tmp_path / name)
    done = _batch("-L", ".", "--eval", "(progn (require 'package) (package-initialize))",
                  "--eval", "(setq byte-compile-error-on-warn t)",
                  "-f", "batch-byte-compile", *PACKAGE_FILES, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert all((tmp_path / f"{name}c").exists() for name in PACKAGE_FILES)


def test_package_passes_checkdoc(tmp_path: Path) -> None:
    _need("lsp-mode")
    for name in PACKAGE_FILES:
        done = _batch("-L", str(PACKAGE), "--eval", "(progn (require 'package) "
                      "(package-initialize) (require 'checkdoc) "
                      "(setq checkdoc-spellcheck-documentation-flag nil) "
                      f'(checkdoc-file "{PACKAGE / name}"))', cwd=tmp_path)
        warnings = [line for line in done.stderr.splitlines()
                    if line.strip() and not line.startswith("Loading")]
        assert done.returncode == 0 and not warnings, f"{name}:\n{done.stderr}"


def test_unit_suite(tmp_path: Path) -> None:
    """Conversions, debouncing and the explanation buffer, with no server."""
    _need("flymake")
    done = _batch("-L", str(PACKAGE), "-L", str(SUITES), "-l", "dexter-test-unit",
                  "-f", "ert-run-tests-batch-and-exit", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"Ran \d+ tests, (\d+) results as expected, 0 unexpected", done.stderr)


def _readme_blocks() -> list[str]:
    text = (PACKAGE / "README.md").read_text()
    blocks = re.findall(r"```elisp\n(.*?)```", text, re.S)
    return [b.replace('"~/src/dexter-ls/client/emacs"', f'"{PACKAGE}"') for b in blocks]


@pytest.mark.parametrize("index, check", [
    (0, "(progn (require 'lsp-mode) (and (gethash 'dexter-ls lsp-clients) "
        "(equal dexter-model \"ollama/qwen2.5-coder:7b\") "
        "(memq 'lsp-deferred python-mode-hook)))"),
    (1, "(and (eq (cdr (assoc '(python-mode) eglot-server-programs)) 'dexter-eglot-contact)"
        " (equal (dexter-eglot-contact) '(dexter-eglot-server \"dexter-ls\"))"
        " (memq 'eglot-ensure python-mode-hook))"),
    (2, "(equal (dexter-settings-section) '(:providers (:myvllm (:type \"openai\" "
        ":baseUrl \"http://127.0.0.1:8000/v1\")) :explain (:timeoutSeconds 30) "
        ":model \"myvllm/qwen2.5-coder-7b\" :fallbackChain [\"ollama/qwen2.5-coder:7b\" "
        "\"openai/gpt-4o-mini\"]))"),
])
def test_readme_configs_work_when_pasted(index: int, check: str, tmp_path: Path) -> None:
    """Each README snippet loads in a fresh Emacs (packages activated as at start-up)."""
    _need("lsp-mode")
    blocks = _readme_blocks()
    assert len(blocks) == 3
    prelude = blocks[0] if index == 2 else ""  # the options example builds on the first
    init = tmp_path / "init.el"
    init.write_text(f"(require 'package)\n(package-initialize)\n{prelude}\n{blocks[index]}\n"
                    f"(unless {check} (error \"README block {index}: check failed\"))\n")
    done = _batch("-l", str(init), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
