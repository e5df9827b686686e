"""`dexter models`: the registry and each model's status."""

from __future__ import annotations

import argparse
import asyncio
import json

from dexter_ls.models.registry import ModelRegistry
from dexter_ls.providers import register_providers


def run_models(args: argparse.Namespace) -> int:
    registry = ModelRegistry()
    register_providers(registry)
    failures = asyncio.run(registry.refresh())
    models = registry.models()
    if args.json:
        print(json.dumps({"models": [m.to_json() for m in models], "errors": failures}, indent=2))
        return 0
    rows = [("MODEL", "STATUS", "FAMILY", "CONTEXT", "VERSION", "DETAIL")]
    for m in models:
        rows.append((m.id, m.status.value, m.family or "-",
                     str(m.context_window) if m.context_window else "-",
                     m.version or "-", m.status_detail))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]  # the last one is free
        print("  ".join([*cells, row[-1]]))
    for provider, error in failures.items():
        print(f"\n{provider}: {error}")
    return 0
