"""`dexter dashboard --output FILE`: the model dashboard as one self-contained HTML file."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from dexter_ls.assemble import close_providers
from dexter_ls.cli.setup import SetupError, load_settings, make_registry
from dexter_ls.dashboard.collect import collect
from dexter_ls.dashboard.render import render_dashboard
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import candidate_order
from dexter_ls.models.usage_report import window_start
from dexter_ls.store.files import write_atomically
from dexter_ls.store.telemetry import Telemetry


def run_dashboard(args: argparse.Namespace) -> int:
    try:
        settings = load_settings({}, {})
        registry = make_registry(settings)
    except SetupError as exc:
        print(f"dexter dashboard: {exc}", file=sys.stderr)
        return 2
    if not args.no_discover:
        asyncio.run(_discover(registry))
    chain = candidate_order(None, registry.canonical(settings.model) if settings.model else None,
                            registry.canonical_ids(settings.fallback_chain))
    models: list[dict[str, Any]] = [m.to_json() for m in registry.listing(chain)]
    now = time.time()
    telemetry = Telemetry()
    try:
        records = telemetry.rows(window_start(args.window, now))
    finally:
        telemetry.close()
    page = render_dashboard(collect(models, chain, records, window=args.window, now=now))
    try:
        write_atomically(Path(args.output).expanduser(), page)
    except OSError as exc:
        print(f"dexter dashboard: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 1
    count = len(records)
    print(f"wrote {args.output} ({count} recorded attempt{'' if count == 1 else 's'} in the "
          f"window {args.window})")
    return 0


async def _discover(registry: ModelRegistry) -> None:
    try:
        await registry.refresh()
    finally:
        await close_providers(registry.providers())
