"""`dexter explain`: recognise errors in text or a command's output and explain each one."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from dexter_ls.assemble import close_providers
from dexter_ls.cli.setup import SetupError, load_settings, make_registry
from dexter_ls.core.subject import Snippet, Subject
from dexter_ls.explain.enclosing import find_enclosing
from dexter_ls.explain.result import Explanation
from dexter_ls.explain.service import Explainer
from dexter_ls.intake.parse import parse_output
from dexter_ls.models.chain import ChainExhausted
from dexter_ls.settings import Settings
from dexter_ls.store.source_files import read_source

FORMATS = (
    "a Python traceback, 'path:line:col: message' lines (ruff, mypy, flake8, pyright, "
    "gcc/clang, go, rustc --error-format short), tsc output, or LSP diagnostics as JSON"
)


class InputError(Exception):
    pass


def run_explain(args: argparse.Namespace) -> int:
    try:
        settings = settings_from_flags(args)
        subjects, status = read_subjects(args)
    except (InputError, ValueError) as exc:
        print(f"dexter explain: {exc}", file=sys.stderr)
        return 2
    if not subjects:
        if status == 0:
            print(f"dexter explain: `{' '.join(_command(args))}` succeeded; nothing to explain.")
            return 0
        print(f"dexter explain: no errors recognised in the input; expected {FORMATS}.",
              file=sys.stderr)
        return 2
    allow = tuple(settings.privacy.allow_globs)  # the CLI's settings are the user's own
    chosen = [localise(s, settings.explain.context_lines, allow)
              for s in subjects[: args.limit]]
    explainer = make_explainer(settings, use_cache=not args.no_cache)
    try:
        explanations = asyncio.run(_explain_all(explainer, chosen))
    except ChainExhausted as exc:
        print(f"dexter explain: {exc}", file=sys.stderr)
        return 1
    if args.json:
        pairs = zip(chosen, explanations, strict=True)
        print(json.dumps([_json(s, e) for s, e in pairs], indent=2))
    else:
        print(_markdown(chosen, explanations, len(subjects) - len(chosen)))
    return 0


def make_explainer(settings: Settings, *, use_cache: bool = True) -> Explainer:
    """An Explainer for one CLI run, with the shared explanation cache and local telemetry
    (as the server has them; both honour dexter.cache.enabled / dexter.telemetry.enabled)."""
    from dexter_ls.store.explanation_cache import ExplanationCache
    from dexter_ls.store.telemetry import Telemetry

    cache = ExplanationCache(max_entries=settings.cache.max_entries,
                             ttl_seconds=settings.cache.ttl_days * 86400) if use_cache else None
    telemetry = Telemetry(retention_days=settings.telemetry.retention_days,
                          max_rows=settings.telemetry.max_rows)
    return Explainer(make_registry(settings), lambda: settings, cache=cache,
                     telemetry=telemetry)


def settings_from_flags(args: argparse.Namespace) -> Settings:
    """The user's settings file with --model, --chain and --context-lines on top."""
    flags: dict[str, Any] = {"explain": {"contextLines": args.context_lines}}
    if args.model:
        flags["model"] = args.model
    if args.chain:
        flags["fallbackChain"] = [m.strip() for m in args.chain.split(",") if m.strip()]
    names = {"dexter.model": "--model", "dexter.fallbackChain": "--chain",
             "dexter.explain.contextLines": "--context-lines"}
    try:
        return load_settings(flags, names)
    except SetupError as exc:
        raise InputError(str(exc)) from None


def _command(args: argparse.Namespace) -> list[str]:
    return list(args.cmd)


def read_subjects(args: argparse.Namespace) -> tuple[list[Subject], int | None]:
    """The errors recognised in the input (file, stdin or `-- CMD`), and the command's exit
    status when one was run. Raises InputError or ValueError saying what was wrong."""
    text, hint, status = _read_input(args)
    return parse_output(text, hint), status


def _read_input(args: argparse.Namespace) -> tuple[str, str | None, int | None]:
    """(text, tool hint, exit status of the command if one was run)."""
    cmd = _command(args)
    if cmd:
        if args.file:
            raise InputError("give either a file or '-- CMD', not both")
        return _run(cmd)
    if args.file and args.file != "-":
        try:
            return Path(args.file).read_text("utf-8", "replace"), None, None
        except OSError as exc:
            raise InputError(f"cannot read {args.file}: {exc.strerror}") from None
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError("nothing to explain: pipe errors in, name a file, or use '-- CMD ARGS'")
    return sys.stdin.read(), None, None


def _run(cmd: list[str]) -> tuple[str, str | None, int]:
    if shutil.which(cmd[0]) is None:
        raise InputError(f"cannot run '{cmd[0]}': command not found")
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, check=False)
    except OSError as exc:
        raise InputError(f"cannot run '{cmd[0]}': {exc.strerror}") from None
    return done.stdout.decode("utf-8", "replace"), _tool_hint(cmd), done.returncode


def _tool_hint(cmd: list[str]) -> str:
    name = os.path.basename(cmd[0])
    rest = cmd[1:]
    if name.startswith("python") and len(rest) >= 2 and rest[0] == "-m":
        return rest[1]
    if name in ("go", "cargo") and rest and rest[0] in ("vet", "clippy"):
        return rest[0]
    if name in ("npx", "uv", "poetry", "pipx") and rest:
        return os.path.basename(rest[-1] if rest[0] == "run" and len(rest) > 1 else rest[0])
    return name


def localise(subject: Subject, around: int, allow: tuple[str, ...] = ()) -> Subject:
    """Show paths relative to the current directory and add the source around the error:
    only from regular text files inside the current directory, never credential files."""
    if not subject.path:
        return subject
    path = Path(subject.path)
    frames = tuple(replace(f, path=_relative(f.path)) for f in subject.frames)
    subject = replace(subject, path=_relative(subject.path), frames=frames)
    if subject.snippet is not None:
        return subject
    lines, _ = read_source(path, [Path.cwd()], allow)
    if lines is None:
        return subject
    line = subject.diagnostic.range.start.line
    return replace(subject, snippet=Snippet.around(lines, line, around),
                   enclosing=find_enclosing(lines, line))


def _relative(path: str) -> str:
    here = Path.cwd()
    candidate = Path(path)
    if candidate.is_absolute() and candidate.is_relative_to(here):
        return str(candidate.relative_to(here))
    return path


async def _explain_all(explainer: Explainer, subjects: list[Subject]) -> list[Explanation]:
    try:
        return [await explainer.explain(subject) for subject in subjects]
    finally:
        await explainer.flush()
        await close_providers(explainer.registry.providers())


def _markdown(subjects: list[Subject], explanations: list[Explanation], skipped: int) -> str:
    blocks = []
    for subject, explanation in zip(subjects, explanations, strict=True):
        diag = subject.diagnostic
        code = f" {diag.code}" if diag.code else ""
        head = f"## {subject.location()} ({diag.source or 'unknown tool'}{code})"
        tried = ", ".join(f"{a.model}: {a.error or a.outcome}" for a in explanation.attempts
                          if a.outcome != "success")
        foot = f"_Explained by {explanation.model} in {explanation.latency_ms:.0f} ms"
        foot += f"; tried first: {tried}_" if tried else "_"
        blocks.append(f"{head}\n\n{explanation.markdown}\n\n{foot}")
    if skipped:
        blocks.append(f"_{skipped} more errors not explained (raise --max to see them)._")
    return "\n\n".join(blocks)


def _json(subject: Subject, explanation: Explanation) -> dict[str, object]:
    diag = subject.diagnostic
    return {
        "location": subject.location(),
        "path": subject.path,
        "line": diag.range.start.line + 1,
        "column": diag.range.start.character + 1,
        "source": diag.source,
        "code": diag.code,
        "message": diag.message,
        **explanation.to_json(),
    }
