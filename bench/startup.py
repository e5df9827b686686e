"""Start-up to the `initialize` answer: dexter-ls against the floor server and against
`python -c pass`, interleaved round by round. Run: python -m bench.startup [--rounds N].
Part of `python -m bench` (group lsp)."""

from __future__ import annotations

import argparse

from bench.lsp_figures import start_up
from bench.stats import MIN_ROUNDS, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS)
    parser.add_argument("--per-round", type=int, default=3)
    args = parser.parse_args()
    print(table(start_up(args.rounds, args.per_round)))


if __name__ == "__main__":
    main()
