"""`dexter models`: the registry, discovered from every configured provider, with status."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from dexter_ls.assemble import close_providers
from dexter_ls.cli.setup import SetupError, load_settings, make_registry
from dexter_ls.models.registry import ModelRegistry


async def _discover(registry: ModelRegistry) -> dict[str, str]:
    try:
        return await registry.refresh()
    finally:
        await close_providers(registry.providers())


def run_models(args: argparse.Namespace) -> int:
    try:
        registry = make_registry(load_settings({}, {}))
    except SetupError as exc:
        print(f"dexter models: {exc}", file=sys.stderr)
        return 2
    failures = asyncio.run(_discover(registry))
    models = registry.models()
    if args.json:
        print(json.dumps({"models": [m.to_json() for m in models], "providers": failures},
                         indent=2))
        return 0
    rows = [("MODEL", "STATUS", "FAMILY", "SIZE", "QUANT", "CONTEXT", "VERSION", "CAPABILITIES")]
    for m in models:
        rows.append((m.id, m.status.value, m.family or "-", m.parameter_size or "-",
                     m.quantization or "-", str(m.context_window or "-"),
                     (m.version or "-")[:12], ",".join(sorted(c.value for c in m.capabilities))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if failures:
        print()
        for provider, error in sorted(failures.items()):
            print(f"{provider}: {error}")
    return 0
