"""Failover with a dead, a rate-limited and a hung primary (request 1 bounded by the
first-token timeout; requests 2..N at the secondary's own speed), each with its verdict.
Run: python -m bench.hung_primary [--rounds N]. Part of `python -m bench` (group failover)."""

from __future__ import annotations

import argparse

from bench.failover_figures import failover
from bench.stats import MIN_ROUNDS, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS)
    parser.add_argument("--per-round", type=int, default=30)
    args = parser.parse_args()
    print(table(failover(args.rounds, args.per_round)))


if __name__ == "__main__":
    main()
