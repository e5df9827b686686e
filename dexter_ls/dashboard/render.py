"""The dashboard as one self-contained HTML page: inline CSS and SVG, no scripts, no requests.

A strict Content-Security-Policy forbids everything but inline styles and data: images, and
every string from the data is escaped (model names and error texts are untrusted).
"""

from __future__ import annotations

import itertools
import time
from html import escape
from typing import Any

from dexter_ls.dashboard.data import (
    DashboardData,
    count,
    mapping,
    model_ids,
    num,
    records,
    stats_rows,
    text,
)
from dexter_ls.dashboard.style import CSS
from dexter_ls.dashboard.svg import (
    PALETTE,
    Bar,
    Series,
    bar_chart,
    format_ms,
    line_chart,
    nice_ticks,
)

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")
WINDOW_NAMES = {"1h": "the last hour", "24h": "the last 24 hours", "7d": "the last 7 days",
                "all": "all recorded time"}
STATUS_CLASSES = {"available": "ok", "cooling down": "cool", "needs key": "key",
                  "unavailable": "down", "unknown": "unknown"}
NOTHING = "Nothing recorded yet"


def render_dashboard(data: DashboardData) -> str:
    """The whole page for `data`, as a string (UTF-8 when written)."""
    colours = {model: PALETTE[i % len(PALETTE)] for i, model in enumerate(model_ids(data))}
    window = text(data.window, 20)
    window_name = WINDOW_NAMES.get(window, escape(window) or "an unknown window")
    generated = num(data.generated_at) or 0.0
    body = "".join([
        f'<header><h1>Dexter model dashboard</h1><p class="muted">Generated '
        f"{escape(clock(generated))} · statistics for {window_name}</p></header>",
        _summary(data),
        _section("models", "Models", _models_table(data)),
        _section("chain", "Fallback chain", _chain(data)),
        _section("latency", "Latency over time", _latency(data, colours)),
        _section("success", "Success rate", _success(data, colours)),
        _section("usage", "Usage and cost", _usage(data, colours)),
        _section("fallbacks", "Recent fallbacks", _fallbacks(data)),
    ])
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>Dexter model dashboard</title><style>{CSS}</style></head>"
        f'<body data-window="{escape(window)}"><main>{body}</main></body></html>\n'
    )


def clock(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))


def ago(ts: float, now: float) -> str:
    seconds = max(0.0, now - ts)
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit} ago"
    return f"{seconds:.0f} s ago"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f} %"


def money(cost: float | None) -> str:
    if cost is None:
        return "unknown"
    return f"${cost:.2f}" if cost == 0 or cost >= 0.01 else f"${cost:.4f}"


def context_size(value: Any) -> str:
    tokens = count(value)
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:g}M"
    if tokens >= 1000:
        return f"{tokens // 1024 if tokens % 1024 == 0 else round(tokens / 1000)}K"
    return str(tokens) if tokens else "—"


def short_version(value: Any) -> str:
    version = text(value, 200)
    if version.startswith("sha256:"):
        version = version[7:19]
    return version if len(version) <= 20 else version[:19] + "…"


def _section(key: str, title: str, content: str) -> str:
    return (f'<section id="{key}" data-section="{key}" aria-labelledby="{key}-heading">'
            f'<h2 id="{key}-heading">{title}</h2>{content}</section>')


def _box(key: str, content: str) -> str:
    return f'<div id="{key}" class="chart-box">{content}</div>'


def _empty(what: str) -> str:
    return f'<p class="empty">{NOTHING}: {what}</p>'


def _badge(status: Any) -> str:
    label = text(status, 40) or "unknown"
    kind = STATUS_CLASSES.get(label, "unknown")
    return f'<span class="badge {kind}" data-status="{escape(label)}">{escape(label)}</span>'


def _entries(data: DashboardData) -> dict[str, dict[str, Any]]:
    return {text(e.get("id")): e for e in records(data.models) if text(e.get("id"))}


def _summary(data: DashboardData) -> str:
    rows = stats_rows(data)
    entries = records(data.models)
    ready = sum(1 for e in entries if e.get("status") == "available")
    ok = sum(count(r.get("successes")) for r in rows)
    done = ok + sum(count(r.get("failures")) for r in rows)
    costs = [num(r.get("costUsd")) for r in rows if count(r.get("requests"))]
    known = sum(c for c in costs if c is not None)
    cost = money(known) if costs else "—"
    unknown = sum(1 for c in costs if c is None)
    requests = count(mapping(data.stats).get("requests")) or sum(
        count(r.get("requests")) for r in rows)
    cards = [
        ("Models available", f"{ready} of {len(entries)}", ""),
        ("Requests", str(requests), ""),
        ("Success rate", percent(ok / done if done else None),
         f"{ok} of {done} finished" if done else ""),
        ("Cost", cost, f"+ unknown for {unknown} model{'s' * (unknown != 1)}" if unknown else ""),
        ("Fallbacks", str(len(records(data.fallbacks))), ""),
    ]
    return '<div class="cards" id="summary">' + "".join(
        f'<div class="card"><div class="muted">{k}</div><div class="big">{escape(v)}</div>'
        f'<div class="sub">{escape(sub)}</div></div>' for k, v, sub in cards) + "</div>"


def _models_table(data: DashboardData) -> str:
    entries = records(data.models)
    if not entries:
        return _empty("no models are registered.")
    head = ("<tr><th>Model</th><th>Status</th><th>Family</th><th>Size</th><th>Context</th>"
            '<th>Version</th><th class="num">Success in window</th>'
            '<th class="num">Median latency</th></tr>')
    window = {text(row.get("model")): row for row in stats_rows(data)}
    rows = []
    for entry in entries:
        model_id = text(entry.get("id"))
        name = text(entry.get("displayName")) or text(entry.get("name")) or model_id
        local = '<span class="tag">local</span>' if entry.get("local") is True else ""
        detail = [text(entry.get("statusDetail"))]
        cooldown = mapping(entry.get("cooldown"))
        if cooldown:
            left = num(cooldown.get("secondsLeft"))
            detail.append(f"circuit {text(cooldown.get('state'), 20) or 'open'}"
                          + (f", {left:.0f} s left" if left is not None else "")
                          + (f": {text(cooldown.get('reason'))}" if cooldown.get("reason") else ""))
        detail_html = "".join(f'<div class="detail">{escape(d)}</div>' for d in detail if d)
        size = " · ".join(text(entry.get(k), 40) for k in ("parameterSize", "quantization")
                          if text(entry.get(k)))
        version = text(entry.get("version"), 200)
        # The window's telemetry, as the summary and `dexter stats` count it (the entry's
        # own "recent" figures cover only this server session).
        row = window.get(model_id, {})
        requests = count(row.get("requests"))
        rate = num(row.get("successRate"))
        median = num(mapping(row.get("latencyMs")).get("p50"))
        rows.append(
            f'<tr data-model="{escape(model_id)}">'
            f'<td class="model"><strong>{escape(name)}</strong>{local}'
            f'<div class="mono muted">{escape(model_id)}</div></td>'
            f"<td>{_badge(entry.get('status'))}{detail_html}</td>"
            f"<td class=\"nowrap\">{escape(text(entry.get('family'), 60)) or '—'}</td>"
            f'<td>{escape(size) or "—"}</td>'
            f'<td class="nowrap">{context_size(entry.get("contextWindow"))}</td>'
            f'<td class="mono nowrap" title="{escape(version)}">'
            f'{escape(short_version(version)) or "—"}</td><td class="num">{percent(rate)}'
            f'<div class="detail">{requests} request{"" if requests == 1 else "s"}</div></td>'
            f'<td class="num">{format_ms(median) if median is not None else "—"}</td></tr>')
    return (f'<div class="scroll"><table id="models-table"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _chain(data: DashboardData) -> str:
    chain = [text(m) for m in data.chain if text(m)] if isinstance(data.chain, list) else []
    if not chain:
        return '<p class="empty">No fallback chain is configured.</p>'
    entries = _entries(data)
    items = []
    for position, model in enumerate(chain, 1):
        entry = entries.get(model, {})
        name = text(entry.get("displayName")) or model
        items.append(f'<li data-model="{escape(model)}"><span class="step">{position}</span>'
                     f"<span><strong>{escape(name)}</strong>"
                     f'<span class="mono muted">{escape(model)}</span></span>'
                     f"{_badge(entry.get('status') if entry else 'unknown')}</li>")
    return ('<p class="muted">Each explanation tries these models in order and falls back to '
            f'the next on failure.</p><ol id="chain-list" class="chain">{"".join(items)}</ol>')


def _latency(data: DashboardData, colours: dict[str, str]) -> str:
    lines, starts = [], []
    for model, buckets in mapping(data.series).items():
        points, notes = [], []
        for bucket in records(buckets):
            start = num(bucket.get("start"))
            if start is None:
                continue
            starts.append(start)
            points.append((start, num(bucket.get("p50"))))
            n, ok = count(bucket.get("requests")), count(bucket.get("successes"))
            notes.append(f" ({n} requests, {ok} succeeded)")
        if any(p50 is not None for _, p50 in points):
            lines.append((text(model), points, notes))
    if not lines:
        return _box("latency-chart", _empty("no latency in this window."))
    ordered = sorted(set(starts))
    width = min((b - a for a, b in itertools.pairwise(ordered)), default=60.0)
    series = [Series(model, colours.get(model, PALETTE[-1]),
                     [(ts + width / 2, p50) for ts, p50 in points], notes)
              for model, points, notes in lines]
    chart = line_chart("latency-chart", series, ordered[0], ordered[-1] + width,
                       window=text(data.window, 20), title="Median (p50) latency per model",
                       desc="One line per model; a gap means no successful request in that "
                            "interval.", y_label="p50 latency")
    return _box("latency-chart", chart)


def _success(data: DashboardData, colours: dict[str, str]) -> str:
    bars = []
    for row in stats_rows(data):
        requests = count(row.get("requests"))
        if not requests:
            continue
        model, rate = text(row.get("model")), num(row.get("successRate"))
        ok, bad = count(row.get("successes")), count(row.get("failures"))
        label = f"{percent(rate)} ({ok} of {ok + bad})" if rate is not None else "none finished"
        value = None if rate is None else rate * 100
        bars.append(Bar(model, value, colours.get(model, PALETTE[-1]), label))
    if not bars:
        return _box("success-chart", _empty("no requests in this window."))
    chart = bar_chart("success-chart", bars, max_value=100, ticks=[0, 25, 50, 75, 100],
                      tick_label=lambda v: f"{v:.0f} %", title="Success rate per model",
                      desc="Share of finished requests that succeeded, per model.",
                      x_label="successful requests (%)")
    return _box("success-chart", chart)


def _usage(data: DashboardData, colours: dict[str, str]) -> str:
    rows = [r for r in stats_rows(data) if count(r.get("requests")) or count(r.get("skipped"))]
    if not rows:
        return _box("usage-chart", _empty("no requests in this window."))
    most = max(count(r.get("requests")) for r in rows)
    ticks = nice_ticks(0, most or 1)
    bars = [Bar(text(r.get("model")), count(r.get("requests")),
                colours.get(text(r.get("model")), PALETTE[-1]),
                f"{count(r.get('requests'))} · {money(num(r.get('costUsd')))}") for r in rows]
    chart = bar_chart("usage-chart", bars, max_value=ticks[-1], ticks=ticks,
                      tick_label=lambda v: f"{v:g}", title="Requests per model",
                      desc="Number of requests per model in this window, with their cost.",
                      x_label="requests")
    head = ('<tr><th>Model</th><th class="num">Requests</th><th class="num">Skipped</th>'
            '<th class="num">p50 / p95</th><th class="num">Tokens in</th>'
            '<th class="num">Tokens out</th><th class="num">Cost</th></tr>')
    body = []
    for row in rows:
        latency = mapping(row.get("latencyMs"))
        p50, p95 = num(latency.get("p50")), num(latency.get("p95"))
        tokens = mapping(row.get("tokens"))
        cost = num(row.get("costUsd"))
        body.append(
            f'<tr data-model="{escape(text(row.get("model")))}">'
            f'<td class="mono">{escape(text(row.get("model")))}</td>'
            f'<td class="num">{count(row.get("requests"))}</td>'
            f'<td class="num">{count(row.get("skipped"))}</td>'
            f'<td class="num">{format_ms(p50) if p50 is not None else "—"} / '
            f'{format_ms(p95) if p95 is not None else "—"}</td>'
            f'<td class="num">{count(tokens.get("input")):,}</td>'
            f'<td class="num">{count(tokens.get("output")):,}</td>'
            f'<td class="num{" unknown" if cost is None else ""}" data-cost>{money(cost)}</td>'
            "</tr>")
    return (f'{_box("usage-chart", chart)}<div class="scroll">'
            f'<table id="usage-table"><thead>{head}</thead><tbody>{"".join(body)}</tbody>'
            '</table></div><p class="muted">Cost is "unknown" when the provider reports no price '
            "for the model.</p>")


def _fallbacks(data: DashboardData, limit: int = 50) -> str:
    events = records(data.fallbacks)
    if not events:
        return _empty("no fallback happened in this window.")
    now = num(data.generated_at) or time.time()
    rows = []
    for event in events[:limit]:
        ts = num(event.get("ts"))
        when = f'{clock(ts)} <span class="muted">({ago(ts, now)})</span>' if ts else "—"
        rows.append(
            f"<tr><td>{when}</td><td class=\"mono\">{escape(text(event.get('from')))}</td>"
            f"<td class=\"mono\">{escape(text(event.get('to')))}</td>"
            f"<td>{escape(text(event.get('category'), 60)) or '—'}</td>"
            f"<td>{escape(text(event.get('reason'))) or '—'}</td></tr>")
    more = (f'<p class="muted">Showing the newest {limit} of {len(events)}.</p>'
            if len(events) > limit else "")
    return ('<div class="scroll"><table id="fallbacks-table"><thead><tr><th>When</th>'
            "<th>From</th><th>To</th><th>Category</th><th>Reason</th></tr></thead>"
            f'<tbody>{"".join(rows)}</tbody></table></div>{more}')
