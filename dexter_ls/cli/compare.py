"""`dexter compare --models a,b,c`: one error, several models at once, side by side."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import textwrap
from itertools import zip_longest

from dexter_ls.assemble import close_providers
from dexter_ls.cli.explain import (
    FORMATS,
    InputError,
    localise,
    make_explainer,
    read_subjects,
    settings_from_flags,
)
from dexter_ls.core.subject import Subject
from dexter_ls.explain.compare import check_models, compare
from dexter_ls.explain.service import Explainer

GAP = " │ "
HEADER_LINES = 3  # model; latency; tokens and cost


def run_compare(args: argparse.Namespace) -> int:
    try:
        models = check_models([m.strip() for m in args.models.split(",") if m.strip()])
        settings = settings_from_flags(args)
        subjects, _ = read_subjects(args)
    except (InputError, ValueError) as exc:
        print(f"dexter compare: {exc}", file=sys.stderr)
        return 2
    if not subjects:
        print(f"dexter compare: no errors recognised in the input; expected {FORMATS}.",
              file=sys.stderr)
        return 2
    if not 1 <= args.index <= len(subjects):
        print(f"dexter compare: --index {args.index}: the input holds {len(subjects)} "
              f"error{'s' if len(subjects) != 1 else ''}", file=sys.stderr)
        return 2
    subject = localise(subjects[args.index - 1], settings.explain.context_lines)
    explainer = make_explainer(settings)
    results = asyncio.run(_compare(explainer, subject, models))
    if args.json:
        print(json.dumps({"location": subject.location(), "message": subject.diagnostic.message,
                          "results": results}, indent=2))
    else:
        width = args.width or shutil.get_terminal_size((160, 40)).columns
        print(f"{subject.location()}: {subject.diagnostic.message}\n")
        print(side_by_side(results, width))
    return 0 if any(r["error"] is None for r in results) else 1


async def _compare(explainer: Explainer, subject: Subject,
                   models: list[str]) -> list[dict[str, object]]:
    try:
        await explainer.registry.discover_for(explainer.registry.canonical_ids(models))
        return await compare(explainer, subject, models)
    finally:
        await explainer.flush()
        await close_providers(explainer.registry.providers())


def side_by_side(results: list[dict[str, object]], width: int) -> str:
    """Columns of equal width, one per model: a header of figures, then the answer."""
    count = max(len(results), 1)
    column = max(20, (width - len(GAP) * (count - 1)) // count)
    blocks = [_column(result, column) for result in results]
    rule = "─" * column
    lines = [GAP.join(cell.ljust(column) for cell in row).rstrip()
             for row in zip_longest(*blocks, fillvalue="")]
    lines.insert(HEADER_LINES, "─┼─".join(rule for _ in results))
    return "\n".join(lines)


def _column(result: dict[str, object], width: int) -> list[str]:
    usage = result.get("usage")
    tokens = "-"
    if isinstance(usage, dict) and usage.get("outputTokens") is not None:
        tokens = f"{usage.get('inputTokens')}→{usage.get('outputTokens')} tok"
    cost = result.get("costUsd")
    first = result.get("firstTokenMs")
    head = [
        str(result["model"])[:width],
        f"{result.get('latencyMs')} ms" + (f" · first {first} ms" if first is not None else ""),
        (f"{tokens} · ${cost}" if cost is not None else tokens)[:width],
    ]
    body = (f"error: {result['error']}" if result.get("error") is not None
            else str(result.get("markdown") or ""))
    lines: list[str] = []
    for paragraph in body.splitlines():
        lines += textwrap.wrap(paragraph, width, break_long_words=True,
                               replace_whitespace=False) or [""]
    return head + lines
