"""Code-action round trip: dexter-ls against the floor server (the same JSON answer, checked),
interleaved round by round. Run: python -m bench.code_action_roundtrip [--rounds N].
Part of `python -m bench` (group lsp)."""

from __future__ import annotations

import argparse

from bench.lsp_figures import code_action
from bench.stats import MIN_ROUNDS, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS)
    parser.add_argument("--per-round", type=int, default=20)
    parser.add_argument("--diagnostics", type=int, nargs="+", default=[50, 500, 5000])
    args = parser.parse_args()
    print(table([code_action(args.rounds, n, max(1, args.per_round * 50 // n))
                 for n in args.diagnostics]))


if __name__ == "__main__":
    main()
