"""Files that must never be sent, prompt folders that cannot hang, logs without secrets."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import httpx
import pytest

from dexter_ls.core.log_scrub import ScrubFilter, remember_secret, scrub
from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.subject import Diagnostic, Position, Range, Snippet, Subject
from dexter_ls.prompting.build import PromptPolicy, build_prompt
from dexter_ls.prompting.templates import load_templates
from dexter_ls.store.source_files import read_source, refusal


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("print(undefined)\n")
    for name in (".env", ".env.local", "deploy/key.pem", ".aws/credentials", ".ssh/id_rsa",
                 ".docker/config.json", "vault.kdbx", ".netrc", ".git-credentials"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SECRET=hunter2\n")
    return root


def test_source_only_from_regular_text_files_inside_the_project(project: Path,
                                                               tmp_path: Path) -> None:
    lines, why = read_source(project / "src" / "app.py", [project])
    assert lines == ["print(undefined)"] and why is None
    for name in (".env", ".env.local", "deploy/key.pem", ".aws/credentials", ".ssh/id_rsa",
                 ".docker/config.json", "vault.kdbx", ".netrc", ".git-credentials"):
        lines, why = read_source(project / name, [project])
        assert lines is None and why is not None and "credentials file" in why, name
    assert read_source(project / ".env", [project], allow=[".env"])[0] == ["SECRET=hunter2"]
    for system in ("/proc/self/environ", "/sys/kernel/hostname", "/dev/zero"):
        assert read_source(Path(system), [Path("/")])[0] is None
    outside = tmp_path / "elsewhere.py"
    outside.write_text("x = 1\n")
    assert refusal(outside, [project]) == "outside the project"
    link = project / "src" / "innocent.py"
    link.symlink_to(project / ".ssh" / "id_rsa")  # a link to a credentials file
    assert read_source(link, [project])[0] is None
    proc = project / "src" / "env.py"
    proc.symlink_to("/proc/self/environ")
    assert read_source(proc, [project])[0] is None
    fifo = project / "src" / "pipe.py"
    os.mkfifo(fifo)
    assert read_source(fifo, [project]) == (None, "not a regular file")  # no hang
    (project / "src" / "folder.py").mkdir()
    assert read_source(project / "src" / "folder.py", [project])[0] is None
    (project / "src" / "blob.py").write_bytes(b"\x00\x01binary")
    assert read_source(project / "src" / "blob.py", [project])[0] is None


def test_prompt_folder_skips_what_is_not_a_regular_file(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "x.txt").mkdir()  # a folder named like a template
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.txt")
    (folder / "big.txt").write_text("x" * 300_000)
    templates = load_templates(str(folder))  # returns at once: nothing is read forever
    assert "base" in templates.templates
    skipped = " ".join(templates.problems)
    for name in ("x.txt", "zero.txt", "fifo.txt", "big.txt"):
        assert f"{name} skipped" in skipped


def subject_for(uri: str, path: str) -> Subject:
    diag = Diagnostic("boom", Range(Position(0, 0), Position(0, 1)), source="tool")
    return Subject(diag, uri=uri, path=path, snippet=Snippet(0, ("TOKEN = 'abc'",)))


@pytest.mark.parametrize("globs, path, excluded", [
    (["**/.env"], ".env", True), ([".env"], "sub/.env", True), (["secrets/"], "secrets/a.py",
                                                                  True),
    (["/build"], "src/build", False), (["*.py", "!keep.py"], "keep.py", False)])
def test_exclude_globs_have_gitignore_semantics(globs: list[str], path: str,
                                                 excluded: bool) -> None:
    info = ModelInfo("x/y", "x", "y", "y")
    prompt = build_prompt(subject_for(f"file:///w/{path}", path), info, load_templates(),
                          PromptPolicy("other", remote=True, exclude_globs=tuple(globs)))
    assert ("TOKEN" not in prompt.request.messages[1].content) is excluded


def test_a_symlink_to_an_excluded_file_is_excluded(tmp_path: Path) -> None:
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "keys.py").write_text("TOKEN = 'abc'\n")
    (tmp_path / "alias.py").symlink_to(tmp_path / "private" / "keys.py")
    info = ModelInfo("x/y", "x", "y", "y")
    prompt = build_prompt(subject_for((tmp_path / "alias.py").as_uri(), "alias.py"), info,
                          load_templates(),
                          PromptPolicy("other", remote=True, exclude_globs=("private/",)))
    assert "TOKEN" not in prompt.request.messages[1].content


def test_one_filter_scrubs_every_handler_including_httpx() -> None:
    planted = "Zq9-planted-not-a-known-shape-77"
    remember_secret(planted)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScrubFilter())
    logger = logging.getLogger("httpx")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        url = httpx.URL("http://user:hunter2pass@127.0.0.1:8000/v1")
        logger.info("HTTP Request: POST %s", url)
        logger.debug("headers %s", {"authorization": f"Bearer {planted}"})
        logger.debug('{"apiKeyEnv": "sk-proj-pasted0123456789abcdef", "key": "%s"}', "opaque1")
        try:
            raise ValueError(f"bad key {planted}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    text = stream.getvalue()
    for secret in (planted, "hunter2pass", "sk-proj-pasted", "opaque1"):
        assert secret not in text
    assert "127.0.0.1:8000" in text and "failed" in text


@pytest.mark.parametrize("text", [
    "sk-ant-api03-abcdefghijklmnop", "ghp_abcdefghijklmnopqrstuv", "AKIAABCDEFGHIJKLMNOP",
    "glpat-abcdefghijklmnopqrst", "hf_abcdefghijklmnopqrstuvwx", "xoxb-1234567890-abcdef",
    "sk_live_abcdefghijklmnop", "https://u:p4ss@host/x"])
def test_known_key_shapes_are_scrubbed(text: str) -> None:
    assert scrub(f"value {text} end").count("[redacted]") == 1
