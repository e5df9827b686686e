"""`dexter-ls`: start the language server over stdio or TCP, with logging set up."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from dexter_ls import __version__

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def serve_main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="dexter-ls", description="Dexter language server: explains diagnostics."
    )
    parser.add_argument("--version", action="version", version=f"dexter-ls {__version__}")
    parser.add_argument("--stdio", action="store_true", help="talk LSP over stdio (the default)")
    parser.add_argument("--tcp", action="store_true", help="listen on TCP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1", help="TCP host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2087, help="TCP port (default 2087)")
    parser.add_argument("--log-file", help="write logs to this file (default: stderr)")
    parser.add_argument(
        "--log-level", default="WARNING", type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="default WARNING",
    )
    args = parser.parse_args(argv)
    _setup_logging(args.log_level, args.log_file)

    from dexter_ls.server import build_server

    server = build_server()
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()


def _setup_logging(level: str, log_file: str | None) -> None:
    # stdout carries the protocol: logs go to stderr or a file, never stdout.
    handler: logging.Handler
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    if level != "DEBUG":  # pygls logs every message body at INFO
        logging.getLogger("pygls").setLevel(logging.WARNING)
