"""LiteLLM's proxy as a team's gateway, started from its own venv (.ci/bench.sh installs it
into .ci-cache/litellm-venv so its pinned dependencies never meet Dexter's).

`LiteLLMProxy({alias: upstream_base_url})` writes a config with one OpenAI-compatible
deployment per alias and a master key, starts `litellm` on a free 127.0.0.1 port in its own
process group, and waits for its readiness endpoint. Used by the benchmark (the hop's added
latency) and by tests/e2e/test_gateway.py (in front of llama.cpp's server).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
PROXY_VENV = os.environ.get("DEXTER_LITELLM_VENV", str(ROOT / ".ci-cache" / "litellm-venv"))
START_TIMEOUT_S = 180.0


def proxy_binary() -> Path | None:
    binary = Path(PROXY_VENV) / "bin" / "litellm"
    return binary if binary.exists() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiteLLMProxy:
    def __init__(self, upstreams: dict[str, str], upstream_key: str = "sk-upstream") -> None:
        self.upstreams = upstreams
        self.upstream_key = upstream_key
        self.master_key = "sk-team-" + secrets.token_hex(12)
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="litellm-proxy-"))
        self.log = self.folder / "proxy.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _config(self) -> Path:
        # JSON is YAML: no YAML writer needed.
        config = {
            "model_list": [{"model_name": alias, "litellm_params": {
                "model": f"openai/{alias}", "api_base": url, "api_key": self.upstream_key}}
                for alias, url in self.upstreams.items()],
            "general_settings": {"master_key": self.master_key},
            "litellm_settings": {"telemetry": False, "drop_params": True},
        }
        path = self.folder / "config.yaml"
        path.write_text(json.dumps(config, indent=2))
        return path

    def start(self) -> LiteLLMProxy:
        binary = proxy_binary()
        if binary is None:
            raise FileNotFoundError(f"no litellm in {PROXY_VENV}/bin (run .ci/bench.sh)")
        env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True",
               "LITELLM_TELEMETRY": "False", "NO_PROXY": "127.0.0.1,localhost"}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(binary), "--config", str(self._config()), "--host", "127.0.0.1",
                 "--port", str(self.port), "--num_workers", "1"],
                stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{self.port}/health/liveliness", timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_text(errors="replace")[-3000:]
                self.stop()
                raise RuntimeError(f"LiteLLM's proxy did not start:\n{tail}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process = None

    def __enter__(self) -> LiteLLMProxy:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
