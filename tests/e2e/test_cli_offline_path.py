"""`dexter explain` answered by the offline reference loads nothing it does not use: no
HTTP client or TLS trust store (no network model is asked), no SQLite with --no-cache
(telemetry waits in a file). Its answer and its warnings are those of a full set-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dexter_ls.providers.endpoints import nothing_to_report, plainly_valid
from dexter_ls.providers.trust import Trust, parse_endpoint

# The CLI's own entry point; then, on the last line of stderr, which watched modules loaded.
RUN = """
import json, sys
from dexter_ls.cli.main import main
code = main(sys.argv[1:])
watched = {"httpx", "httpcore", "certifi", "sqlite3", "_sqlite3", "pathspec"}
loaded = sorted(name for name in sys.modules if name.split(".")[0] in watched)
sys.stdout.flush()
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def run(folder: Path, *args: str, env: dict[str, str] | None = None
        ) -> tuple[int, str, str, set[str]]:
    """(exit code, stdout, stderr without the report, watched modules that were loaded)."""
    done = subprocess.run([sys.executable, "-c", RUN, *args], cwd=folder, capture_output=True,
                          text=True, timeout=60,
                          env={**os.environ, "DEXTER_LS_HOME": str(folder / "home"),
                               **(env or {})})
    *rest, report = done.stderr.rstrip("\n").split("\n")
    data = json.loads(report)
    return data["code"], done.stdout, "\n".join(rest), set(data["loaded"])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text("value_0 = undefined_0\n")
    (tmp_path / "errors.txt").write_text("app.py:1:11: F821 undefined name `undefined_0`\n")
    return tmp_path


def test_one_offline_answer_loads_no_http_tls_or_sqlite(folder: Path) -> None:
    code, out, err, loaded = run(folder, "explain", "errors.txt", "--no-cache")
    assert code == 0, err
    assert "F821" in out and "Explained by `builtin/reference`" in out
    assert loaded == set(), f"the offline path loaded {sorted(loaded)}"
    waiting = list((folder / "home" / "state" / "telemetry.sqlite3.pending").glob("*.json"))
    assert len(waiting) == 1  # its telemetry is kept, for the next reader to move in
    code, out, err, _ = run(folder, "stats", "--window", "all", "--json")
    assert code == 0 and json.loads(out)["requests"] == 1


def test_a_network_model_in_the_settings_configures_the_providers(folder: Path) -> None:
    code, out, err, loaded = run(folder, "explain", "errors.txt", "--no-cache",
                                 "--model", "ollama/qwen2.5-coder:7b")
    assert code == 0, err
    assert "httpx" in loaded  # it was asked (nothing listens on 127.0.0.1:9: refused)
    assert "Explained by `builtin/reference`" in out and "ollama/qwen2.5-coder:7b" in out


def test_a_bad_endpoint_is_still_reported_when_only_the_reference_answers(folder: Path) -> None:
    code, out, err, _ = run(folder, "explain", "errors.txt", "--no-cache",
                            env={"OPENAI_BASE_URL": "ftp://example.com"})
    assert code == 0, err
    assert "dexter.providers.openai.baseUrl must be an http(s) URL" in err
    assert "Explained by `builtin/reference`" in out


URL_PART = st.text("abcxyz019-", min_size=1, max_size=8)


@given(st.sampled_from(["http", "https", "HTTP"]),
       st.lists(URL_PART, min_size=1, max_size=3),
       st.one_of(st.none(), st.integers(0, 99999)),
       st.lists(st.text("abz09._~-", max_size=6), max_size=3))
def test_a_plainly_valid_url_is_one_the_full_parse_accepts(
        scheme: str, labels: list[str], port: int | None, path: list[str]) -> None:
    url = f"{scheme}://{'.'.join(labels)}{'' if port is None else f':{port}'}"
    url += "".join(f"/{part}" for part in path)
    if plainly_valid(url):
        parsed = parse_endpoint(url)  # raises EndpointError if not
        assert Trust().local("p", str(parsed), None)[1] is None


@pytest.mark.parametrize("url, plain", [
    ("http://127.0.0.1:9", True), ("http://localhost:11434", True),
    ("https://api.openai.com/v1", True), ("http://10.0.0.1:8080/v1/", True),
    ("http://999.1.1.1", False), ("http://01.2.3.4", False), ("ftp://example.com", False),
    ("http://user:pw@host", False), ("http://[::1]:11434", False), ("http://host?x=1", False),
    ("http://a%2eb", False), ("http://1a2b3c4", False),
])
def test_plainly_valid_shapes(url: str, plain: bool) -> None:
    assert plainly_valid(url) is plain


def test_nothing_to_report_needs_no_provider_settings_and_plain_endpoints() -> None:
    assert nothing_to_report({}, {})
    assert nothing_to_report({}, {"OLLAMA_HOST": "127.0.0.1:9"})
    assert not nothing_to_report({"custom": object()}, {})
    assert not nothing_to_report({}, {"OPENAI_BASE_URL": "ftp://example.com"})
    assert not nothing_to_report({}, {"OLLAMA_HOST": "[::1]:11434"})
