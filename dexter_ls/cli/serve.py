"""`dexter-ls`: start the language server over stdio or TCP, with logging set up."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dexter_ls import __version__
from dexter_ls.core.log_scrub import install

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def serve_main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="dexter-ls", description="Dexter language server: explains diagnostics."
    )
    parser.add_argument("--version", action="version", version=f"dexter-ls {__version__}")
    parser.add_argument("--stdio", action="store_true", help="talk LSP over stdio (the default)")
    parser.add_argument("--tcp", action="store_true", help="listen on TCP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1",
                        help="TCP host (default 127.0.0.1; another address lets other "
                        "machines connect)")
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
        _serve_tcp(server, args.host, args.port)
    else:
        server.start_io()


def _serve_tcp(server: LanguageServer, host: str, port: int) -> None:
    """One client over TCP (see cli/tcp.py); pygls reads its frames."""
    import asyncio
    import threading

    from pygls.io_ import run_async

    from dexter_ls.cli.tcp import PrefixedReader, serve_one_client

    log = logging.getLogger("dexter_ls")
    if host not in ("127.0.0.1", "::1", "localhost"):
        log.warning("TCP: listening on %s: other machines can connect", host)
    stop = threading.Event()

    async def run_client(reader: PrefixedReader, writer: asyncio.StreamWriter) -> None:
        server.protocol.set_writer(writer)
        await run_async(stop_event=stop, reader=reader, protocol=server.protocol,
                        logger=log, error_handler=server.report_server_error)

    try:
        asyncio.run(serve_one_client(host, port, run_client))
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        stop.set()
        server.shutdown()


def _setup_logging(level: str, log_file: str | None) -> None:
    # stdout carries the protocol: logs go to stderr or a file, never stdout.
    handler: logging.Handler
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    install(handler)  # credentials never reach a log line (httpx's and pygls's included)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    if level != "DEBUG":  # pygls logs every message body at INFO
        logging.getLogger("pygls").setLevel(logging.WARNING)
