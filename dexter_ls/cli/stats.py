"""`dexter stats`: per-model requests, success, latency, tokens, cost and fallbacks.

Read from the local telemetry database only; nothing is sent anywhere.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from dexter_ls.models.usage_report import WINDOWS, model_stats, window_start

NOTHING_YET = (
    "Nothing has been recorded yet.\n"
    "The language server keeps local telemetry (never sent anywhere) as it explains\n"
    "diagnostics, while the setting `dexter.telemetry.enabled` is true (the default)."
)
LEGEND = "FALLBACKS →/←: times this model gave way to another / took over from another."

HEADER = ("MODEL", "REQ", "OK%", "P50 ms", "P95 ms", "FIRST-TOKEN P50", "TOKENS IN/OUT",
          "COST USD", "FALLBACKS →/←")


def add_stats_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    stats = sub.add_parser("stats", help="per-model statistics from local telemetry")
    stats.add_argument("--window", choices=list(WINDOWS), default="24h",
                       help="how far back to look (default 24h)")
    stats.add_argument("--json", action="store_true", help="print the JSON of dexter.modelStats")


def run_stats(args: argparse.Namespace) -> int:
    from dexter_ls.store.telemetry import Telemetry, default_path  # SQLite: only when run

    now = time.time()
    since = window_start(args.window, now)
    path = default_path()
    total, records = 0, []
    telemetry = Telemetry(path)
    if path.exists() or telemetry.has_pending():  # reading never creates it for nothing
        try:
            total, records = telemetry.count(), telemetry.rows(since=since)
        finally:
            telemetry.close()
    report = model_stats(records, args.window, now)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    if total == 0:
        print(NOTHING_YET)
        return 0
    if not report["models"]:
        print(f"Nothing recorded in the last {args.window} ({total} attempts in all); "
              "try --window all.")
        return 0
    scope = "all time" if args.window == "all" else f"the last {args.window}"
    count = report["requests"]
    print(f"{count} request{'' if count == 1 else 's'} in {scope}\n")
    _print_table([HEADER, *(_row(m) for m in report["models"])])
    print(f"\n{LEGEND}")
    return 0


def _row(m: dict[str, Any]) -> tuple[str, ...]:
    rate = m["successRate"]
    return (
        m["model"],
        str(m["requests"]),
        "-" if rate is None else f"{rate * 100:.1f}",
        _ms(m["latencyMs"]["p50"]),
        _ms(m["latencyMs"]["p95"]),
        _ms(m["firstTokenMs"]["p50"]),
        f"{m['tokens']['input']}/{m['tokens']['output']}",
        _cost(m["costUsd"]),
        f"{sum(m['fallbacksFrom'].values())}/{sum(m['fallbacksTo'].values())}",
    )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _cost(value: float | None) -> str:
    if value is None:
        return "-"
    if 0 < value < 0.0001:
        return "<0.0001"
    return f"{value:.4f}"


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(cells).rstrip())
