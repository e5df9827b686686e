"""`dexter cache stats [--json]` and `dexter cache clear`: the explanation cache on disk."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import closing
from typing import Any

# The parser is built for every `dexter` command: the cache (SQLite) loads when it runs.


def add_cache_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cache = sub.add_parser("cache", help="the explanations kept on disk between sessions")
    actions = cache.add_subparsers(dest="action", required=True)
    stats = actions.add_parser("stats", help="where the cache is, its size and what it holds")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    actions.add_parser("clear", help="remove every cached explanation")


def run_cache(args: argparse.Namespace) -> int:
    import sqlite3

    from dexter_ls.store.explanation_cache import ExplanationCache

    try:
        with closing(ExplanationCache()) as cache:
            if args.action == "clear":
                removed = cache.clear()
                print(f"removed {removed} cached explanation{'' if removed == 1 else 's'}")
                return 0
            stats = cache.stats()
    except (OSError, sqlite3.Error) as exc:
        print(f"dexter cache: {exc}", file=sys.stderr)
        return 1
    if getattr(args, "json", False):
        print(json.dumps(stats, indent=2))
    else:
        print(format_stats(stats))
    return 0


def format_stats(stats: dict[str, Any]) -> str:
    days = stats["ttlSeconds"] / 86400
    lines = [
        f"path     {stats['path']}",
        f"entries  {stats['entries']} (at most {stats['maxEntries']}, each kept {days:g} days)",
        f"size     {format_size(stats['bytes'])}",
        f"oldest   {stats['oldest'] or '-'}",
        f"newest   {stats['newest'] or '-'}",
    ]
    if stats["models"]:
        lines.append("models")
        width = max(len(name) for name in stats["models"])
        lines += [f"  {name:{width}s}  {count}" for name, count in stats["models"].items()]
    return "\n".join(lines)


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"
