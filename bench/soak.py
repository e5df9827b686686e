"""Soak: the real server under steady load through faulty fakes for minutes, watching for
lost or duplicated answers, errors, broken concurrency limits and memory growth.

    python bench/soak.py                 # 10 minutes, 100 explanations in flight
    python bench/soak.py --minutes 2 --in-flight 50

Run from the repository root with the project's venv. It prints the server's resident memory
once a minute-ish and a summary; it exits 1 when an answer was lost or duplicated, a request
failed, a fake saw more than `maxConcurrency` requests at once, or memory grew by more than
--max-growth-mb between the first minute and the end (the pytest version of the same load is
tests/robust/test_load.py, shorter, run in CI).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes import openai_fake
from tests.robust.load import MAX_CONCURRENCY, run_load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--in-flight", type=int, default=100)
    parser.add_argument("--max-growth-mb", type=float, default=64.0)
    args = parser.parse_args()
    openai_fake.ERRORS.setdefault("429-bare", (429, openai_fake.ERRORS["429"][1], {}))
    with tempfile.TemporaryDirectory(prefix="dexter-soak-") as home:
        report = run_load(Path(home), total=10**9, in_flight=args.in_flight,
                          seconds=args.minutes * 60)
    print(f"{report.answered} explanations in {report.seconds:.0f} s "
          f"({report.answered / max(report.seconds, 1e-9):.1f}/s), {report.sent} sent")
    print(f"answered by: {dict(report.models)}; errors: {dict(report.errors)}")
    print(f"lost: {len(report.lost)}, duplicated: {report.duplicates}, "
          f"max in flight per fake: {report.max_in_flight} (limit {MAX_CONCURRENCY})")
    print("server memory (s, VmRSS MB): "
          + ", ".join(f"{t:.0f}:{kb / 1024:.1f}" for t, kb in report.rss_kb))
    settled = [kb for t, kb in report.rss_kb if t >= 60] or [report.rss_kb[0][1]]
    growth = (report.rss_kb[-1][1] - settled[0]) / 1024
    print(f"memory growth after the first minute: {growth:+.1f} MB")
    failed = (report.lost or report.duplicates or report.errors or growth > args.max_growth_mb
              or any(n > MAX_CONCURRENCY for n in report.max_in_flight.values()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
