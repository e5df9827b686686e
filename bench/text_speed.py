"""How long redaction takes on 200 kB of code and on hostile repetitions, and classification
on 20 kB hostile messages (guards against regular expressions that backtrack).

Each input is redacted `--repeat` times; the best time is printed. Times are compared with a
budget (default 2 s per 200 kB input, the figure the tests used to assert on an idle machine);
exit status 1 when any input is over it, so CI can run this where the CPU is not shared.
Run from the repository root: python bench/text_speed.py [--repeat N] [--budget S]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.category.classify import classify
from dexter_ls.prompting.redact.engine import redact

GOOGLE = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"
CODE = "\n".join([
    "def handler(event, context):",
    "    token = event['headers'].get('x-token')",
    '    url = f"https://api.example.com/v1/items?page={event[\'page\']}"',
    "  password: ${DB_PASSWORD}",
    f'API_KEY = "{GOOGLE}"',
    "",
])
HOSTILE = ["sk-", "eyJ", "eyJabcde.", "a://", "a://b:", "-----BEGIN PRIVATE KEY-----",
           "-----END ", "password=", "password: ", 'token = "', "token = `", "Password=",
           "?token=", "x" * 99 + "=", "Authorization: Bearer ", "secret_access_key=", "u:p@",
           " ", "\\n", "AKIA"]
SIZE = 200_000
MESSAGES = ["Type 'null ", 'has incompatible type "None ', "expected `", "cannot find value `x ",
            "must be a", "_`", "Table '", "borrow ", "a"]


def best(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        redact(text)
        times.append(time.perf_counter() - started)
    return min(times)


def classify_time(message: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for source, code in ((None, None), ("mypy", "arg-type"), ("ts", "TS2322")):
            classify(Subject(Diagnostic(message, Range(Position(0, 0), Position(0, 1)),
                                        code=code, source=source), path="x"))
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per input")
    args = parser.parse_args()
    inputs = [("200 kB of code", CODE)] + [(f"repeated {u[:24]!r}", u) for u in HOSTILE]
    over = 0
    print(f"{'input':36s} {'best s':>8s}")
    for name, unit in inputs:
        seconds = best(unit * (SIZE // len(unit) + 1), args.repeat)
        flag = "  OVER BUDGET" if seconds > args.budget else ""
        over += bool(flag)
        print(f"{name:36s} {seconds:8.3f}{flag}")
    print(f"\n{'classify (3 tools), 20 kB of':36s} {'best s':>8s}")
    for unit in MESSAGES:
        seconds = classify_time(unit * (20_000 // len(unit)), args.repeat)
        flag = "  OVER BUDGET" if seconds > args.budget else ""
        over += bool(flag)
        print(f"{unit[:36]!r:36s} {seconds:8.3f}{flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
