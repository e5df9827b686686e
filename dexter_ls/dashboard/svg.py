"""Inline SVG charts as strings: pure, deterministic, no scripts.

Text and axes use `currentColor`, so the page's colour scheme (light or dark) applies; series
colours come from a fixed palette. Every label passes through html.escape here, so callers may
hand in untrusted strings.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Okabe-Ito without yellow, plus two neutrals: distinguishable with common colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D31",
           "#7F7F7F")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIME_STEPS = (60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800,
               604800, 1209600, 2592000)
FONT = 'font-size="12"'


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    points: Sequence[tuple[float, float | None]]  # (unix seconds, value); None is a gap
    notes: Sequence[str] = ()  # optional per-point tooltip suffix, same length as points


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: "no data"
    colour: str
    value_text: str


def fmt(value: float) -> str:
    """A coordinate with at most one decimal, without trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values covering [low, high], about `target` of them, step 1/2/2.5/5 × 10^k."""
    if not high > low:
        high = low + 1.0
    raw = (high - low) / max(target, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]


def format_ms(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.1f}".rstrip("0").rstrip(".") + " s"
    return f"{value:.0f} ms"


def time_ticks(start: float, end: float, target: int = 6) -> tuple[list[float], int]:
    """Tick times in [start, end] on round local-time boundaries, and the step in seconds."""
    span = max(end - start, 60.0)
    step = next((s for s in _TIME_STEPS if span / s <= target), _TIME_STEPS[-1])
    offset = time.localtime(start).tm_gmtoff
    tick = math.ceil((start + offset) / step) * step - offset
    ticks = []
    while tick <= end + 1e-6:
        ticks.append(float(tick))
        tick += step
    return ticks, step


def format_time(ts: float, step: float, window: str) -> str:
    """Local HH:MM for short steps; a date (with the time if needed) for days and long windows."""
    moment = time.localtime(ts)
    clock = f"{moment.tm_hour:02d}:{moment.tm_min:02d}"
    date = f"{MONTHS[moment.tm_mon - 1]} {moment.tm_mday}"
    if step >= 86400:
        return date
    if window in ("7d", "all"):
        return f"{date} {clock}"
    return clock


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> str:
    cid = escape(chart_id)
    return (
        f'<svg id="{cid}-svg" class="chart" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" aria-label="{escape(title)}">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(desc)}</desc>'
    )


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def line_chart(chart_id: str, series: Sequence[Series], start: float, end: float, *,
               window: str, title: str, desc: str, y_label: str,
               y_format: Callable[[float], str] = format_ms) -> str:
    """A multi-series line chart: one <path> per series (gaps where a value is None), a circle per
    point (with a tooltip), a time axis, a value axis from 0 with round ticks, and a legend."""
    width, height = 960, max(340, 50 + 22 * len(series))
    left, right, top, bottom = 70, 230, 18, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for _, v in s.points if v is not None]
    y_ticks = nice_ticks(0.0, max(values, default=1.0) or 1.0)
    y_max = y_ticks[-1]
    end = end if end > start else start + 60.0

    def x(ts: float) -> float:
        return left + (ts - start) / (end - start) * plot_w

    def y(value: float) -> float:
        return top + plot_h - value / y_max * plot_h

    out = [_open(chart_id, width, height, title, desc), f'<g class="axes" {FONT}>']
    for tick in y_ticks:
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{fmt(y(tick))}" '
                   f'y2="{fmt(y(tick))}" stroke="currentColor" stroke-opacity="0.14"/>')
        out.append(f'<text x="{left - 8}" y="{fmt(y(tick) + 4)}" text-anchor="end" '
                   f'fill="currentColor">{escape(y_format(tick))}</text>')
    ticks, step = time_ticks(start, end)
    for tick in ticks:
        out.append(f'<line x1="{fmt(x(tick))}" x2="{fmt(x(tick))}" y1="{top + plot_h}" '
                   f'y2="{top + plot_h + 5}" stroke="currentColor" stroke-opacity="0.5"/>')
        out.append(f'<text x="{fmt(x(tick))}" y="{top + plot_h + 20}" text-anchor="middle" '
                   f'fill="currentColor">{escape(format_time(tick, step, window))}</text>')
    out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
               f'stroke="currentColor" stroke-opacity="0.5"/>')
    out.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 4}" text-anchor="middle" '
               f'fill="currentColor" opacity="0.75">local time</text>')
    out.append(f'<text transform="translate(16 {top + plot_h / 2:.0f}) rotate(-90)" '
               f'text-anchor="middle" fill="currentColor" opacity="0.75">'
               f'{escape(y_label)}</text></g>')
    for index, line in enumerate(series):
        colour = escape(line.colour)
        commands, dots, pen_down = [], [], False
        for i, (ts, value) in enumerate(line.points):
            if value is None:
                pen_down = False
                continue
            px, py = fmt(x(ts)), fmt(y(value))
            commands.append(f"{'L' if pen_down else 'M'}{px} {py}")
            pen_down = True
            note = line.notes[i] if i < len(line.notes) else ""
            tip = f"{line.label} · {format_time(ts, 60, window)}: {y_format(value)}{note}"
            dots.append(f'<circle cx="{px}" cy="{py}" r="3.5" fill="{colour}">'
                        f"<title>{escape(tip)}</title></circle>")
        out.append(f'<g class="series" data-series="{index}" data-label="{escape(line.label)}">')
        if commands:
            out.append(f'<path class="line" d="{" ".join(commands)}" fill="none" '
                       f'stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"/>')
        out.extend(dots)
        out.append("</g>")
    out.append(f'<g class="legend" {FONT}>')
    for index, line in enumerate(series):
        ly = top + 10 + index * 22
        lx = width - right + 20
        out.append(f'<g class="legend-item" data-series="{index}"><title>{escape(line.label)}'
                   f'</title><line x1="{lx}" x2="{lx + 22}" y1="{ly}" y2="{ly}" '
                   f'stroke="{escape(line.colour)}" stroke-width="3"/>'
                   f'<circle cx="{lx + 11}" cy="{ly}" r="3.5" fill="{escape(line.colour)}"/>'
                   f'<text x="{lx + 30}" y="{ly + 4}" fill="currentColor">'
                   f"{escape(_short(line.label, 26))}</text></g>")
    out.append("</g></svg>")
    return "".join(out)


def bar_chart(chart_id: str, bars: Sequence[Bar], *, max_value: float, ticks: Sequence[float],
              tick_label: Callable[[float], str], title: str, desc: str, x_label: str) -> str:
    """Horizontal bars, one per row: the label on the left, the value text after the bar, a value
    axis underneath. A bar with value None shows "no data" and draws nothing."""
    width, row_h = 960, 30
    left, right, top, bottom = 250, 150, 8, 44
    plot_w = width - left - right
    height = top + row_h * len(bars) + bottom
    max_value = max_value if max_value > 0 else 1.0

    def x(value: float) -> float:
        return left + max(0.0, min(value, max_value)) / max_value * plot_w

    out = [_open(chart_id, width, height, title, desc), f'<g class="axes" {FONT}>']
    base = top + row_h * len(bars)
    for tick in ticks:
        out.append(f'<line x1="{fmt(x(tick))}" x2="{fmt(x(tick))}" y1="{top}" y2="{base}" '
                   f'stroke="currentColor" stroke-opacity="0.14"/>')
        out.append(f'<text x="{fmt(x(tick))}" y="{base + 18}" text-anchor="middle" '
                   f'fill="currentColor">{escape(tick_label(tick))}</text>')
    out.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 4}" text-anchor="middle" '
               f'fill="currentColor" opacity="0.75">{escape(x_label)}</text></g>')
    out.append(f'<g class="bars" {FONT}>')
    for index, bar in enumerate(bars):
        row_y = top + index * row_h
        mid = row_y + row_h / 2
        out.append(f'<g class="bar-row" data-row="{index}" data-label="{escape(bar.label)}">'
                   f"<title>{escape(bar.label)}: {escape(bar.value_text)}</title>"
                   f'<text x="{left - 10}" y="{fmt(mid + 4)}" text-anchor="end" '
                   f'fill="currentColor">{escape(_short(bar.label, 34))}</text>')
        if bar.value is None:
            out.append(f'<text x="{left + 6}" y="{fmt(mid + 4)}" fill="currentColor" '
                       f'opacity="0.6" font-style="italic">{escape(bar.value_text)}</text>')
        else:
            bar_w = max(x(bar.value) - left, 1.5)
            out.append(f'<rect class="bar" x="{left}" y="{fmt(row_y + 6)}" width="{fmt(bar_w)}" '
                       f'height="{row_h - 12}" rx="3" fill="{escape(bar.colour)}"/>')
            out.append(f'<text x="{fmt(left + bar_w + 8)}" y="{fmt(mid + 4)}" '
                       f'fill="currentColor">{escape(bar.value_text)}</text>')
        out.append("</g>")
    out.append("</g></svg>")
    return "".join(out)
