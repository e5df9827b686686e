"""Explanations that installed tools give of their own codes (`ruff rule`, `rustc --explain`).

Run as subprocesses with a short timeout; results (including "nothing") are cached
for the life of the process. Never used on the hover or code-action paths.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import sys
from pathlib import Path

from dexter_ls.core.tool_families import Tool

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3.0
_cache: dict[tuple[str, str], str | None] = {}


def _find(name: str) -> str | None:
    """On PATH, or beside the running interpreter (a virtualenv that is not activated)."""
    found = shutil.which(name)
    if found:
        return found
    sibling = Path(sys.executable).with_name(name)
    return str(sibling) if sibling.is_file() else None


def _command(tool: Tool, code: str) -> list[str] | None:
    if tool == "python-lint" and re.fullmatch(r"[A-Z]{1,4}\d{1,4}", code):
        exe = _find("ruff")
        return [exe, "rule", code] if exe else None
    if tool == "rustc" and re.fullmatch(r"E\d{4}", code):
        exe = _find("rustc")
        return [exe, "--explain", code] if exe else None
    return None


async def tool_explanation(tool: Tool, code: str) -> str | None:
    key = (tool, code)
    if key in _cache:
        return _cache[key]
    command = _command(tool, code)
    text = await _run(command) if command else None
    _cache[key] = text
    return text


async def _run(command: list[str]) -> str | None:
    try:
        proc = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError as exc:
        log.info("could not run %s: %s", command[0], exc)
        return None
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), TIMEOUT_SECONDS)
    except asyncio.TimeoutError:
        proc.kill()
        await proc.wait()
        log.info("%s took longer than %.0fs; skipped", " ".join(command[1:]), TIMEOUT_SECONDS)
        return None
    if proc.returncode != 0:
        return None
    text = out.decode("utf-8", "replace").strip()
    return text or None
