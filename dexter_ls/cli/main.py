"""`dexter`: the argument parser and the dispatch to one module per subcommand."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from dexter_ls import __version__
from dexter_ls.cli.cache import add_cache_parser
from dexter_ls.cli.serve import LOG_FORMAT
from dexter_ls.cli.stats import add_stats_parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dexter", description="Explain compiler errors, linter findings and tracebacks."
    )
    parser.add_argument("--version", action="version", version=f"dexter {__version__}")
    parser.add_argument("--log-level", default="WARNING", type=str.upper,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    sub = parser.add_subparsers(dest="command", required=True)

    explain = sub.add_parser(
        "explain",
        help="explain errors from stdin, a file, or a command's output",
        usage="dexter explain [FILE] [options] [-- CMD ARGS...]",
        description="Reads Python tracebacks, 'path:line:col: message' lines (ruff, mypy, "
        "flake8, pyright, gcc/clang, go, rustc --error-format short), tsc output and LSP "
        "diagnostics as JSON. Use 'dexter explain -- CMD ARGS...' to run a command.",
    )
    explain.add_argument("file", nargs="?", help="a file holding the errors (default: stdin)")
    explain.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    explain.add_argument("--model", help="the model to ask first, e.g. ollama/qwen2.5-coder:7b")
    explain.add_argument("--chain", help="comma-separated fallback models, in order")
    explain.add_argument("--context-lines", type=int, default=5,
                         help="source lines shown around each error (default 5)")
    explain.add_argument("--max", type=int, default=20, dest="limit",
                         help="explain at most this many errors (default 20)")
    explain.add_argument("--no-cache", action="store_true",
                         help="ask the models again instead of reusing cached answers")

    compare = sub.add_parser(
        "compare", help="ask several models about the same error, side by side",
        usage="dexter compare --models A,B[,C...] [FILE] [options] [-- CMD ARGS...]")
    compare.add_argument("file", nargs="?", help="a file holding the errors (default: stdin)")
    compare.add_argument("--models", required=True, help="comma-separated model ids")
    compare.add_argument("--index", type=int, default=1,
                         help="which recognised error to compare on (default 1: the first)")
    compare.add_argument("--json", action="store_true", help="print JSON instead of columns")
    compare.add_argument("--width", type=int, help="total width (default: the terminal's)")
    compare.add_argument("--context-lines", type=int, default=5)
    compare.set_defaults(model=None, chain=None)

    dashboard = sub.add_parser("dashboard", help="write the model dashboard as one HTML file")
    dashboard.add_argument("--output", "-o", required=True, help="the HTML file to write")
    dashboard.add_argument("--window", default="24h", choices=["1h", "24h", "7d", "all"])
    dashboard.add_argument("--no-discover", action="store_true",
                           help="do not ask the providers which models they have")

    add_cache_parser(sub)
    add_stats_parser(sub)

    models = sub.add_parser("models", help="list the models Dexter knows and their status")
    models.add_argument("--json", action="store_true")

    keys = sub.add_parser("keys", help="store API keys in the credentials file (mode 0600)")
    key_actions = keys.add_subparsers(dest="action", required=True)
    key_set = key_actions.add_parser("set", help="store a key (typed at a prompt, or piped in)")
    key_set.add_argument("provider", help="provider name, e.g. openai, anthropic, myvllm")
    key_actions.add_parser("list", help="which providers have a key, and from where")
    key_delete = key_actions.add_parser("delete", help="remove a stored key")
    key_delete.add_argument("provider")

    config = sub.add_parser("config", help="the settings file the CLI reads")
    config_actions = config.add_subparsers(dest="action", required=True)
    config_actions.add_parser("path", help="print where the settings file is (it may not "
                              "exist yet)")

    words = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if "--" in words:  # everything after `--` is the command to run, untouched by argparse
        split = words.index("--")
        words, command = words[:split], words[split + 1 :]
    prompts = sub.add_parser("prompts", help="the prompt templates and what they send")
    prompt_actions = prompts.add_subparsers(dest="action", required=True)
    prompt_actions.add_parser("list", help="every template, shipped and yours")
    prompt_show = prompt_actions.add_parser("show", help="one template")
    prompt_show.add_argument("name")
    prompt_render = prompt_actions.add_parser(
        "render", help="the exact request for a diagnostic (stdin) and a model")
    prompt_render.add_argument("--model", required=True, help="e.g. ollama/qwen2.5-coder:7b")
    prompt_render.add_argument("--category", help="override the detected error category")

    args = parser.parse_args(words)
    args.cmd = command
    if command and args.command not in ("explain", "compare"):
        parser.error("'-- CMD' is only for 'dexter explain' and 'dexter compare'")
    logging.basicConfig(level=args.log_level, format=LOG_FORMAT, stream=sys.stderr)
    try:
        return _dispatch(args)
    except BrokenPipeError:  # `dexter ... | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "explain":
        from dexter_ls.cli.explain import run_explain

        return run_explain(args)
    if args.command == "prompts":
        from dexter_ls.cli.prompts import run_prompts

        return run_prompts(args)
    if args.command == "compare":
        from dexter_ls.cli.compare import run_compare

        return run_compare(args)
    if args.command == "dashboard":
        from dexter_ls.cli.dashboard import run_dashboard

        return run_dashboard(args)
    if args.command == "cache":
        from dexter_ls.cli.cache import run_cache

        return run_cache(args)
    if args.command == "stats":
        from dexter_ls.cli.stats import run_stats

        return run_stats(args)
    if args.command == "config":
        from dexter_ls.cli.setup import settings_file

        print(settings_file())
        return 0
    if args.command == "keys":
        from dexter_ls.cli.keys import run_keys

        return run_keys(args)
    from dexter_ls.cli.models import run_models

    return run_models(args)

