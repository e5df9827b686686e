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
from dexter_ls.cli.stream import LivePrinter, Spinner, wants_streaming
from dexter_ls.core.subject import Snippet, Subject
from dexter_ls.explain.enclosing import find_enclosing
from dexter_ls.explain.result import Explanation
from dexter_ls.explain.service import Explainer, Watch
from dexter_ls.intake.parse import parse_output
from dexter_ls.models.chain import ChainExhausted
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.settings import Settings
from dexter_ls.store.source_files import read_source

FOLD_AFTER = 50  # runs whose telemetry waits beside the database before one moves it in
TAIL_LINES = 15  # of a failed command's output, when nothing in it was recognised
FORMATS = (
    "a Python traceback, 'path:line:col: message' lines (ruff, mypy, flake8, pyright, "
    "gcc/clang, go, rustc --error-format short), tsc output, or LSP diagnostics as JSON"
)


class InputError(Exception):
    pass


def run_explain(args: argparse.Namespace) -> int:
    try:
        settings = settings_from_flags(args)
        text, hint, status = _read_input(args)
        subjects = parse_output(text, hint)
    except (InputError, ValueError) as exc:
        print(f"dexter explain: {exc}", file=sys.stderr)
        return 2
    if not subjects:
        return _nothing_recognised(args, text, status)
    allow = tuple(settings.privacy.allow_globs)  # the CLI's settings are the user's own
    sources: dict[Path, list[str] | None] = {}  # each file read once per run
    chosen = [localise(s, settings.explain.context_lines, sources, allow)
              for s in subjects[: args.limit]]
    skipped = len(subjects) - len(chosen)
    explainer = make_explainer(settings, use_cache=not args.no_cache,
                               asks=settings_models(settings))
    live = wants_streaming(args.json)
    try:
        explanations = asyncio.run(_explain_all(explainer, chosen, live=live))
    except ChainExhausted as exc:
        print(f"dexter explain: {exc}", file=sys.stderr)
        return 1
    if args.json:
        pairs = zip(chosen, explanations, strict=True)
        print(json.dumps([_json(s, e) for s, e in pairs], indent=2))
    elif live:
        print(f"\n\n{_skipped(skipped)}" if skipped else "")
    else:
        print(_markdown(chosen, explanations, skipped))
    _fold_telemetry(settings)
    return 0


def _fold_telemetry(settings: Settings) -> None:
    """Now and then (the answer is out), move the waiting telemetry into the database and
    prune it with the user's limits, so that a user of the CLI alone keeps it bounded."""
    from dexter_ls.store.telemetry_spool import default_path, waiting

    if not settings.telemetry.enabled or waiting(default_path()) < FOLD_AFTER:
        return
    from dexter_ls.store.telemetry import Telemetry

    sys.stdout.flush()
    telemetry = Telemetry(retention_days=settings.telemetry.retention_days,
                          max_rows=settings.telemetry.max_rows)
    try:
        telemetry.fold_pending()
    finally:
        telemetry.close()


def _nothing_recognised(args: argparse.Namespace, text: str, status: int | None) -> int:
    """No error found: say so; for a command that failed, with its status and last lines."""
    if status == 0:
        print(f"dexter explain: `{' '.join(_command(args))}` succeeded; nothing to explain.")
        return 0
    if status is not None:
        tail = text.rstrip().splitlines()[-TAIL_LINES:]
        shown = "\n".join(f"  | {line}" for line in tail) if tail else "  (no output)"
        print(f"dexter explain: `{' '.join(_command(args))}` failed with exit status {status}, "
              f"and no errors were recognised in its output; expected {FORMATS}.\n"
              f"Its last {len(tail)} line{'s' * (len(tail) != 1)}:\n{shown}", file=sys.stderr)
        return status if 0 < status < 126 else 1
    print(f"dexter explain: no errors recognised in the input; expected {FORMATS}.",
          file=sys.stderr)
    return 2


def make_explainer(settings: Settings, *, use_cache: bool = True,
                   asks: list[str] | None = None) -> Explainer:
    """An Explainer for one CLI run, with the shared explanation cache and local telemetry
    (as the server has them; both honour dexter.cache.enabled / dexter.telemetry.enabled).
    `asks`: every model the run may ask, when known (see `make_registry`)."""
    from dexter_ls.store.telemetry_spool import TelemetrySpool

    cache = None
    if use_cache:  # SQLite loads only then
        from dexter_ls.store.explanation_cache import ExplanationCache

        cache = ExplanationCache(max_entries=settings.cache.max_entries,
                                 ttl_seconds=settings.cache.ttl_days * 86400)
    # Attempts wait beside the telemetry database; the next reader or writer moves them in
    # (and the server prunes with its limits), so a run loads no SQLite for them.
    telemetry = TelemetrySpool()  # one file per run, written by Explainer.flush
    return Explainer(make_registry(settings, asks=asks), lambda: settings, cache=cache,
                     telemetry=telemetry)


def settings_models(settings: Settings) -> list[str]:
    """The models `dexter explain` may ask: those the settings (and flags) name, then the
    offline reference (the CLI remembers no per-document choice)."""
    named = [settings.model, *settings.fallback_chain, *settings.category_models.values()]
    return [*(m for m in named if m), BUILTIN_MODEL]


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


def localise(subject: Subject, around: int,
             sources: dict[Path, list[str] | None] | None = None,
             allow: tuple[str, ...] = ()) -> Subject:
    """Show paths relative to the current directory and add the source around the error:
    only from regular text files inside the current directory, never credential files.
    `sources` remembers the files read (by path) so errors in one file read it once."""
    if not subject.path:
        return subject
    path = Path(subject.path)
    frames = tuple(replace(f, path=_relative(f.path)) for f in subject.frames)
    subject = replace(subject, path=_relative(subject.path), frames=frames)
    if subject.snippet is not None:
        return subject
    if sources is None:
        sources = {}
    if path not in sources:
        sources[path] = read_source(path, [Path.cwd()], allow)[0]
    lines = sources[path]
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


async def _explain_all(explainer: Explainer, subjects: list[Subject], *, live: bool = False
                       ) -> list[Explanation]:
    """Each subject's explanation; with `live`, each is printed while it arrives."""
    try:
        await explainer.registry.discover_for(
            {m for subject in subjects for m in explainer.candidates(subject=subject)})
        if not live:
            return [await explainer.explain(subject) for subject in subjects]
        return [await _explain_live(explainer, subject, first=index == 0)
                for index, subject in enumerate(subjects)]
    finally:
        await explainer.flush()
        await close_providers(explainer.registry.providers())


async def _explain_live(explainer: Explainer, subject: Subject, *, first: bool) -> Explanation:
    """Print the heading, a spinner naming the model until the first text, the text as it
    arrives, then what the finished answer adds (a note if it was cut, the footer)."""
    sys.stdout.write(("" if first else "\n\n") + _heading(subject) + "\n\n")
    sys.stdout.flush()
    model = explainer.candidates(subject=subject)[0]
    with Spinner(f"asking {model}…") as spinner:
        printer = LivePrinter(spinner)
        explanation = await explainer.explain(
            subject, on_text=printer,
            watch=Watch(on_asking=lambda m: spinner.relabel(f"asking {m}…")))
    if not printer.printed:  # remembered, or nothing streamed: the whole answer now
        sys.stdout.write(explanation.markdown)
    else:
        note = explanation.body.rsplit("\n\n", 1)[-1] if explanation.incomplete else ""
        if note.startswith("*(incomplete") and note not in printer.printed:
            sys.stdout.write(f"\n\n{note}")
        sys.stdout.write(explanation.markdown[len(explanation.body):])
    sys.stdout.flush()
    return explanation


def _heading(subject: Subject) -> str:
    diag = subject.diagnostic
    code = f" {diag.code}" if diag.code else ""
    return f"## {subject.location()} ({diag.source or 'unknown tool'}{code})"


def _skipped(count: int) -> str:
    return f"_{count} more errors not explained (raise --max to see them)._"


def _markdown(subjects: list[Subject], explanations: list[Explanation], skipped: int) -> str:
    blocks = [f"{_heading(subject)}\n\n{explanation.markdown}"  # it ends with its footer
              for subject, explanation in zip(subjects, explanations, strict=True)]
    if skipped:
        blocks.append(_skipped(skipped))
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
