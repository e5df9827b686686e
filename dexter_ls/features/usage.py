"""Local usage: dexter.modelStats and dexter.dashboard (telemetry read in a thread)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

from pygls.exceptions import JsonRpcInvalidParams

from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.features.base import DexterServer
from dexter_ls.features.models import models_json
from dexter_ls.models.usage_report import WINDOWS, model_stats, window_start


def _window(command: str, args: tuple[Any, ...], default: str) -> str:
    options = args[0] if args else None
    if options is None:
        return default
    if not isinstance(options, Mapping):
        raise JsonRpcInvalidParams(f"{command}: expected [{{window}}], got {options!r}")
    window = options.get("window", default)
    if not isinstance(window, str) or window not in WINDOWS:
        raise JsonRpcInvalidParams(
            f"{command}: window must be one of {', '.join(WINDOWS)}, got {window!r}")
    return str(window)


async def _records(ls: DexterServer, since: float | None) -> list[AttemptRecord]:
    telemetry = ls.telemetry
    await ls.explainer.flush()  # what was just answered counts
    return await asyncio.to_thread(telemetry.rows, since)


def register(ls: DexterServer) -> None:
    @ls.command("dexter.modelStats")
    async def stats(ls: DexterServer, *args: Any) -> dict[str, Any]:
        window = _window("dexter.modelStats", args, "24h")
        now = time.time()
        result = model_stats(await _records(ls, window_start(window, now)), window, now)
        result["telemetryEnabled"] = ls.settings.telemetry.enabled
        return result

    @ls.command("dexter.dashboard")
    async def dashboard(ls: DexterServer, *args: Any) -> dict[str, Any]:
        from dexter_ls.dashboard.collect import collect
        from dexter_ls.dashboard.render import render_dashboard

        window = _window("dexter.dashboard", args, "24h")
        await ls.configured.wait()
        now = time.time()
        listing = models_json(ls)
        data = collect(listing["models"], listing["chain"],
                       await _records(ls, window_start(window, now)), window=window, now=now)
        return {"html": render_dashboard(data), "window": window}
