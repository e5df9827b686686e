"""`python -m bench`: every figure, Dexter and its floor (or peer) interleaved round by round.

Prints figure | Dexter | floor/peer | ratio (median) | spread (min–max) | goal | verdict and
writes the same as JSON (with the machine, the date and the load) to bench/results.json.
Groups: lsp, memory, model, failover, cli, peer (needs the `bench-peer` extra: litellm),
gateway (needs LiteLLM's proxy: .ci/bench.sh installs it into .ci-cache/litellm-venv).
Run from the repository root. Exit status 1 when a figure misses its goal.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import MIN_ROUNDS, Figure, Unavailable, table

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("lsp", "memory", "model", "failover", "cli", "peer", "gateway")


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}",
            "load_at_start": os.getloadavg()}


def byte_compiled() -> None:
    """Compile the package once, as an install does: with PYTHONDONTWRITEBYTECODE set (or a
    read-only tree) every Dexter process would compile each module it imports from source,
    while the floors' packages (pygls, httpx) were compiled when pip installed them. That
    weighs on whatever imports many of our modules (a server start, `dexter explain`) and
    measures the set-up rather than Dexter."""
    import compileall

    import dexter_ls

    compileall.compile_dir(Path(dexter_ls.__file__).parent, quiet=1)


def _groups(rounds: int, quick: bool) -> dict[str, Callable[[], list[Figure]]]:
    from bench import cli_figures, failover_figures, lsp_figures, model_figures, peer

    scale = 1 if quick else 3
    return {
        "lsp": lambda: [
            lsp_figures.code_action(rounds, 50, 10 * scale),
            lsp_figures.code_action(rounds, 500, 3 * scale),
            lsp_figures.code_action(rounds, 5000, scale),
            lsp_figures.cached_hover(rounds, 20 * scale),
            *lsp_figures.start_up(rounds, scale),
        ],
        "memory": lambda: lsp_figures.memory(rounds, 5000),
        "model": lambda: [*model_figures.explanation(rounds, 5 * scale),
                          *model_figures.concurrent(rounds)],
        "failover": lambda: failover_figures.failover(rounds, 10 * scale),
        "cli": lambda: [cli_figures.one_error(rounds, 1), *cli_figures.import_floors(rounds, 1),
                        *cli_figures.scaling(rounds)],
        "peer": lambda: peer.figures(rounds, 200),
        "gateway": lambda: peer.gateway(rounds, 10 * scale),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS,
                        help=f"rounds per figure (at least {MIN_ROUNDS})")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated groups among {', '.join(GROUPS)}")
    parser.add_argument("--quick", action="store_true", help="fewer requests per round")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    rounds = max(args.rounds, MIN_ROUNDS)
    chosen = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = sorted(set(chosen) - set(GROUPS))
    if unknown:
        parser.error(f"unknown groups: {', '.join(unknown)}")
    info = machine()
    print(f"{info['date']} · {info['cpu']} · {info['cores']} cores · Python {info['python']} · "
          f"load {info['load_at_start'][0]:.2f} · {rounds} rounds per figure", flush=True)
    figures: list[Figure] = []
    skipped: dict[str, str] = {}
    byte_compiled()
    groups = _groups(rounds, args.quick)
    for name in chosen:
        started = time.monotonic()
        try:
            found = groups[name]()
        except Unavailable as exc:
            skipped[name] = str(exc)
            print(f"[{name}] skipped: {exc}", flush=True)
            continue
        figures.extend(found)
        print(f"[{name}] {len(found)} figures in {time.monotonic() - started:.0f} s", flush=True)
    print()
    print(table(figures))
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")
    info["load_at_end"] = os.getloadavg()
    args.json.write_text(json.dumps({"machine": info, "rounds": rounds, "skipped": skipped,
                                     "figures": [f.to_json() for f in figures]}, indent=2))
    print(f"\nwritten: {args.json}")
    return 1 if any(f.verdict == "FAIL" for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
