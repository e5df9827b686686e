"""CLI figures: `dexter explain` of one error answered by the offline reference against
`dexter --version` (the same interpreter and entry point doing nothing), and how a run grows
from 1 to 1,000 errors (each file is read once; the time per error should stay flat)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.lsp_figures import dexter_env
from bench.stats import Figure, interleaved, median

DEXTER = [sys.executable, "-c", "import sys; from dexter_ls.cli.main import main; "
          "sys.exit(main())"]


def _workspace(errors: int) -> Path:
    """A folder with app.py (1,000 lines) and errors.txt holding `errors` ruff-style lines."""
    folder = Path(tempfile.mkdtemp(prefix="dexter-cli-bench-"))
    (folder / "app.py").write_text("".join(f"value_{i} = undefined_{i}\n" for i in range(1000)))
    (folder / "errors.txt").write_text("".join(
        f"app.py:{i % 1000 + 1}:11: F821 undefined name `undefined_{i % 1000}`\n"
        for i in range(errors)))
    return folder


def _run(args: list[str], folder: Path, env: dict[str, str],
         command: list[str] = DEXTER) -> float:
    started = time.perf_counter()
    done = subprocess.run([*command, *args], cwd=folder, env=env, capture_output=True,
                          check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise AssertionError(f"dexter {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def _explain(folder: Path, env: dict[str, str], errors: int) -> float:
    return _run(["explain", "errors.txt", "--no-cache", "--max", str(errors)], folder, env)


def one_error(rounds: int, per_round: int) -> Figure:
    folder, env = _workspace(1), dexter_env()
    return interleaved(
        rounds, lambda: median([_explain(folder, env, 1) for _ in range(per_round)]),
        lambda: median([_run(["--version"], folder, env) for _ in range(per_round)]),
        Figure("CLI: one error from the offline reference", "ms", "ratio", 1.2,
               floor_name="dexter --version"))


# `dexter --version` with modules imported first and nothing else done: what importing the
# event loop, and the whole explain use case the CLI shares with the server (DESIGN.md:
# `explain/` is used by the CLI too), cost before any answer is made.
_IMPORTED = {
    "asyncio": "import asyncio",
    "the explain use case (explain/, models/, asyncio)":
        "import dexter_ls.explain.service, dexter_ls.cli.explain",
}


def import_floors(rounds: int, per_round: int) -> list[Figure]:
    folder, env = _workspace(1), dexter_env()
    figures = []
    for what, statement in _IMPORTED.items():
        command = [sys.executable, "-c", f"import sys; {statement}; "
                   "from dexter_ls.cli.main import main; sys.exit(main())"]

        def imported(command: list[str] = command) -> float:
            return median([_run(["--version"], folder, env, command) for _ in range(per_round)])

        figures.append(interleaved(
            rounds, imported,
            lambda: median([_run(["--version"], folder, env) for _ in range(per_round)]),
            Figure(f"CLI: dexter --version with {what} imported", "ms", "ratio", None,
                   floor_name="dexter --version",
                   note="no answer made: the least the offline answer can cost through "
                        "the shared use case")))
    return figures


def scaling(rounds: int, sizes: tuple[int, ...] = (1, 10, 100, 1000)) -> list[Figure]:
    """Per size: ms for the run; the last figure: ms per error at the largest size against
    ms per error at 100 (linear growth gives ≈ 1)."""
    env = dexter_env()
    folders = {n: _workspace(n) for n in sizes}
    runs: dict[int, list[float]] = {n: [] for n in sizes}
    for index in range(max(rounds, 7)):
        order = sizes if index % 2 == 0 else sizes[::-1]
        for n in order:
            runs[n].append(_explain(folders[n], env, n))
    figures = [Figure(f"dexter explain, {n} errors", "ms", "value", None, dexter=runs[n])
               for n in sizes]
    small, large = sizes[-2], sizes[-1]
    figures.append(Figure(
        f"dexter explain, time per error at {large} / at {small}", "ms", "ratio", 1.5,
        dexter=[(r - s) / (large - 1) for r, s in zip(runs[large], runs[1], strict=True)],
        floor=[(r - s) / (small - 1) for r, s in zip(runs[small], runs[1], strict=True)],
        floor_name=f"per error at {small}",
        note="start-up (the 1-error run) subtracted; ≈ 1 means linear"))
    return figures
