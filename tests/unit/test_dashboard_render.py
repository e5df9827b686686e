"""The dashboard page: sections, escaping of untrusted strings, no external assets, empty data,
unknown costs, and charts that match the data. Parsed with html.parser, no browser."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

import pytest

from dexter_ls.dashboard import DashboardData, render_dashboard, sample_data
from dexter_ls.dashboard.svg import Bar, Series, bar_chart, line_chart, nice_ticks, time_ticks

NOW = 1_790_000_000.0
EVIL = "<script>alert(1)</script>"
EVIL_ATTR = '"><img src=x onerror=alert(1)>'
SECTIONS = ["models", "chain", "latency", "success", "usage", "fallbacks"]
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "p", "div",
    "span", "strong", "section", "table", "thead", "tbody", "tr", "th", "td", "ol", "li",
    "svg", "desc", "g", "line", "text", "path", "circle", "rect",
}


class Page(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags
                if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """Time labels are local time: pin the zone so the expected labels are known."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


def section(page: str, key: str) -> str:
    match = re.search(rf'<section id="{key}".*?</section>', page, re.S)
    assert match, f"no section {key}"
    return match.group(0)


def hostile() -> DashboardData:
    """Every string field carries markup; numbers are missing or of the wrong type."""
    model = {"id": EVIL, "provider": EVIL_ATTR, "name": EVIL, "displayName": EVIL,
             "family": EVIL, "parameterSize": EVIL, "quantization": EVIL_ATTR,
             "contextWindow": "lots", "capabilities": [EVIL], "status": EVIL,
             "statusDetail": EVIL_ATTR, "version": EVIL_ATTR, "local": "yes",
             "cooldown": {"state": EVIL, "reason": EVIL, "secondsLeft": math.nan},
             "recent": {"requests": "9", "successRate": math.inf, "medianLatencyMs": None}}
    stats = {"requests": 3, "models": [
        {"model": EVIL, "provider": EVIL, "requests": 3, "successes": 2, "failures": 1,
         "successRate": 2 / 3, "latencyMs": {"p50": 100.0, "p95": None}, "costUsd": None,
         "tokens": None, "errors": {EVIL: 1}},
        None, {"model": None}, "junk"]}
    series: dict[str, Any] = {EVIL: [{"start": NOW - 120, "p50": 90.0, "requests": 1},
                                     {"start": NOW - 60, "p50": 110.0, "requests": 2}, None]}
    fallbacks: list[Any] = [{"ts": NOW - 5, "from": EVIL, "to": EVIL_ATTR, "reason": EVIL,
                             "category": EVIL_ATTR}, None, {"ts": "soon"}]
    models: list[Any] = [model, None]
    chain: list[Any] = [EVIL, None]
    return DashboardData(NOW, EVIL, models, chain, stats, series, fallbacks)


def test_every_section_is_present_with_data() -> None:
    page = render_dashboard(sample_data(NOW))
    parsed = Page(page)
    for key in SECTIONS:
        assert parsed.find("section", id=key), key
    for chart in ("latency-chart", "success-chart", "usage-chart"):
        assert parsed.find("div", id=chart) and parsed.find("svg", id=f"{chart}-svg"), chart
    assert len(parsed.find("tr", data_model="openai/gpt-4o-mini")) == 2  # models and usage
    chain = [a["data-model"] for a in parsed.find("li") if "data-model" in a]
    assert chain == ["ollama/qwen2.5-coder:7b", "openai/gpt-4o-mini", "builtin/reference"]
    assert "Nothing recorded yet" not in page
    assert 'data-status="cooling down"' in page and "42 s left" in page


def test_untrusted_strings_are_escaped_everywhere() -> None:
    page = render_dashboard(hostile())
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = Page(page)
    tags = {tag for tag, _ in parsed.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    assert not [a for _, attrs in parsed.tags for a in attrs if a.startswith("on")]
    assert not parsed.find("img")
    # the hostile strings survive as text: shown, not interpreted
    assert parsed.find("tr", data_model=EVIL) and parsed.find("li", data_model=EVIL)
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_garbage_numbers_render_as_unknown_not_crash() -> None:
    page = render_dashboard(hostile())
    models = section(page, "models")
    assert "inf" not in models.lower() and "nan" not in models.lower()
    assert "unknown" in section(page, "usage")


def test_no_external_assets_and_a_strict_csp() -> None:
    page = render_dashboard(sample_data(NOW))
    parsed = Page(page)
    for _, attrs in parsed.tags:
        for name in ("src", "href", "xlink:href", "action", "srcset"):
            assert name not in attrs, (name, attrs)
    assert "url(" not in page and "@import" not in page
    assert "http://" not in page and "https://" not in page
    csp = parsed.find("meta", http_equiv="Content-Security-Policy")
    assert len(csp) == 1
    policy = csp[0]["content"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert page.index("Content-Security-Policy") < page.index("<style>")  # before any content


def test_empty_data_says_nothing_recorded_yet() -> None:
    page = render_dashboard(DashboardData(NOW, "24h", [], [], {}, {}, []))
    for key in ("latency-chart", "success-chart", "usage-chart"):
        box = re.search(rf'<div id="{key}" class="chart-box">(.*?)</div>', page, re.S)
        assert box and "Nothing recorded yet" in box.group(1), key
    assert "Nothing recorded yet" in section(page, "fallbacks")
    assert "Nothing recorded yet" in section(page, "models")
    assert "No fallback chain" in section(page, "chain")
    assert "<svg" not in page


def test_series_without_any_p50_is_no_chart() -> None:
    data = DashboardData(NOW, "1h", series={"a/b": [{"start": NOW, "p50": None, "requests": 2}]})
    page = render_dashboard(data)
    assert "<svg" not in section(page, "latency")
    assert "Nothing recorded yet" in section(page, "latency")


def test_null_cost_is_unknown_never_zero() -> None:
    page = render_dashboard(sample_data(NOW))
    rows = {a["data-model"]: a for a in Page(section(page, "usage")).find("tr") if a}
    assert set(rows) == {"ollama/qwen2.5-coder:7b", "openai/gpt-4o-mini", "builtin/reference"}
    usage = section(page, "usage")
    cloud = re.search(r'<tr data-model="openai/gpt-4o-mini">.*?</tr>', usage, re.S)
    local = re.search(r'<tr data-model="ollama/qwen2.5-coder:7b">.*?</tr>', usage, re.S)
    assert cloud and local
    assert re.search(r"data-cost>unknown<", cloud.group(0)) and "$0" not in cloud.group(0)
    assert "data-cost>$0.00<" in local.group(0)
    assert "+ unknown for 1 model" in page  # the total says some cost is unknown


def test_latency_points_match_the_buckets_with_a_p50() -> None:
    data = sample_data(NOW)
    parsed = Page(render_dashboard(data))
    groups = [i for i, (tag, a) in enumerate(parsed.tags) if tag == "g" and "data-series" in a
              and "data-label" in a]
    assert [parsed.tags[i][1]["data-label"] for i in groups] == list(data.series)
    bounds = [*groups[1:], next(i for i, (t, a) in enumerate(parsed.tags)
                               if t == "g" and a.get("class") == "legend")]
    for model, first, last in zip(data.series, groups, bounds, strict=True):
        inside = [tag for tag, _ in parsed.tags[first:last]]
        with_p50 = [b for b in data.series[model] if b["p50"] is not None]
        assert inside.count("circle") == len(with_p50), model
        path = next(a["d"] for t, a in parsed.tags[first:last] if t == "path")
        assert len(re.findall(r"[ML]", path)) == len(with_p50)
        # a new stroke (M) starts after every gap: count the runs of consecutive p50s
        runs = sum(1 for i, b in enumerate(data.series[model]) if b["p50"] is not None
                   and (i == 0 or data.series[model][i - 1]["p50"] is None))
        assert path.count("M") == runs, model


def test_success_bars_match_the_statistics() -> None:
    page = render_dashboard(sample_data(NOW))
    rows = Page(section(page, "success")).find("g", **{"class": "bar-row"})
    assert [r["data-label"] for r in rows] == [
        "ollama/qwen2.5-coder:7b", "openai/gpt-4o-mini", "builtin/reference"]
    widths = [float(a["width"]) for a in Page(section(page, "success")).find("rect")]
    assert widths[2] > widths[0] > widths[1] > 0  # 100 % > 95 % > 80 %
    assert "95 % (124 of 131)" in page and "80 % (8 of 10)" in page


def test_charts_are_labelled_and_accessible() -> None:
    page = render_dashboard(sample_data(NOW))
    parsed = Page(page)
    for svg in parsed.find("svg"):
        assert svg["role"] == "img" and svg["aria-label"]
        title_id, desc_id = svg["aria-labelledby"].split()
        assert parsed.find("title", id=title_id) and parsed.find("desc", id=desc_id)
    latency = section(page, "latency")
    for label in ("p50 latency", "local time", "ollama/qwen2.5-coder:7b", "1.5 s", "500 ms"):
        assert label in latency, label


def test_rendering_is_deterministic() -> None:
    data = sample_data(NOW)
    assert render_dashboard(data) == render_dashboard(replace(data))


def test_nice_ticks() -> None:
    assert nice_ticks(0, 1840) == [0, 500, 1000, 1500, 2000]
    assert nice_ticks(0, 3) == [0, 1, 2, 3]
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(0, 131) == [0, 50, 100, 150]


def test_time_axis_uses_clock_for_a_day_and_dates_for_a_week() -> None:
    day = line_chart("c", [Series("m", "#000", [(NOW, 1.0)])], NOW - 86400, NOW,
                     window="24h", title="t", desc="d", y_label="y")
    assert re.search(r">\d\d:00</text>", day)
    week = line_chart("c", [Series("m", "#000", [(NOW, 1.0)])], NOW - 7 * 86400, NOW,
                      window="7d", title="t", desc="d", y_label="y")
    assert re.search(r">(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d+</text>", week)
    ticks, step = time_ticks(NOW - 3600, NOW)
    assert step == 600 and all(t % 600 == 0 for t in ticks)  # 6 ticks: 10-minute steps


def test_bar_without_value_says_so() -> None:
    svg = bar_chart("b", [Bar("a", None, "#000", "none finished"), Bar("b", 50, "#111", "50")],
                    max_value=100, ticks=[0, 100], tick_label=str, title="t", desc="d",
                    x_label="x")
    assert svg.count("<rect") == 1 and "none finished" in svg


def test_models_table_counts_the_same_requests_as_the_header() -> None:
    """A model listed without session figures (the CLI's registry) but with 7 requests in the
    window's telemetry: the table says 7, like the summary card and `dexter stats`."""
    model = {"id": "ollama/good:latest", "provider": "ollama", "name": "good:latest",
             "displayName": "good:latest", "status": "available", "capabilities": []}
    stats = {"requests": 7, "models": [
        {"model": "ollama/good:latest", "provider": "ollama", "requests": 7, "successes": 6,
         "failures": 1, "successRate": 6 / 7, "latencyMs": {"p50": 1234.0, "p95": 2000.0},
         "costUsd": None, "tokens": None, "errors": {}}]}
    page = render_dashboard(DashboardData(NOW, "24h", [model], ["ollama/good:latest"], stats,
                                          {}, []))
    row = re.search(r'<tr data-model="ollama/good:latest">.*?</tr>',
                    section(page, "models"), re.S)
    assert row is not None
    assert "7 requests" in row.group(0) and "86 %" in row.group(0) and "1.2 s" in row.group(0)
    assert "0 requests" not in page
    summary = re.search(r'<div class="muted">Requests</div><div class="big">(\d+)<', page)
    assert summary is not None and summary.group(1) == "7"
