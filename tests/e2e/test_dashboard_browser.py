"""The dashboard in a real browser: headless system Chromium through playwright loads the page from
file://, makes no other request, logs no error or CSP violation, and draws the charts.

Needs playwright (the `test` extra) and a system `chromium` (playwright downloads no browser here).
.ci/run installs chromium and sets DEXTER_REQUIRE_BROWSER=1, so in CI this never skips.
"""

from __future__ import annotations

import os
import shutil
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dexter_ls.dashboard import DashboardData, render_dashboard, sample_data

REQUIRED = os.environ.get("DEXTER_REQUIRE_BROWSER") == "1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"DEXTER_REQUIRE_BROWSER=1 but {reason}. Install it with: apt-get install -y "
                    "chromium fonts-dejavu-core, and pip install -e '.[test]' (for playwright).",
                    pytrace=False)
    pytest.skip(reason)


def _chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        _unavailable("no system chromium (looked on PATH and at /usr/bin/chromium)")
    return path


def _real_home_traces() -> dict[str, float | None]:
    """What Chromium would leave in the real home: its profile and dconf's cache."""
    home = Path.home()
    traces: dict[str, float | None] = {}
    for path in (home / ".config" / "chromium", home / ".cache" / "dconf"):
        traces[str(path)] = path.stat().st_mtime if path.exists() else None
    return traces


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    executable = _chromium()
    home = tmp_path_factory.mktemp("chromium-home")  # its profile, dconf and caches go here
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local")}
    before = _real_home_traces()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS, env=env)
        yield launched
        launched.close()
    assert _real_home_traces() == before, "Chromium wrote into the real home"


class Visit:
    """A page opened from file://, with every request, console message and page error recorded."""

    def __init__(self, browser: Any, path: Path, scheme: str = "light") -> None:
        self.context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.failed: list[tuple[str, str]] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed",
                     lambda request: self.failed.append((request.url, request.failure or "")))
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.as_uri()
        self.page.goto(self.url, wait_until="load")

    def problems(self) -> list[str]:
        noisy = [f"{kind}: {text}" for kind, text in self.console
                 if kind in ("error", "warning") or "Content Security Policy" in text]
        return noisy + self.errors

    def close(self) -> None:
        self.context.close()


def write(tmp_path: Path, data: DashboardData) -> Path:
    path = tmp_path / "dashboard.html"
    path.write_text(render_dashboard(data), encoding="utf-8")
    return path


def box(locator: Any) -> dict[str, float]:
    bounds = locator.bounding_box()
    assert bounds, "not rendered"
    return dict(bounds)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", "not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dashboard_renders_offline_in_chromium(browser: Any, tmp_path: Path, scheme: str) -> None:
    data = sample_data(time.time())
    visit = Visit(browser, write(tmp_path, data), scheme)
    page = visit.page
    try:
        assert visit.requests == [visit.url], "the page requested something besides itself"
        assert visit.problems() == []
        assert page.locator("script").count() == 0
        assert page.title() == "Dexter model dashboard"

        for key in ("models", "chain", "latency", "success", "usage", "fallbacks"):
            assert page.locator(f"section#{key}").is_visible(), key
        assert page.locator("#models-table tbody tr").count() == len(data.models)
        assert page.locator("#chain-list li").count() == len(data.chain)
        assert page.locator("#fallbacks-table tbody tr").count() == len(data.fallbacks)

        lines = page.locator("#latency-chart svg g.series path.line")
        assert lines.count() == len(data.series)
        for i in range(lines.count()):
            assert box(lines.nth(i))["width"] > 0, f"latency line {i} not drawn"
        assert box(lines.first)["width"] > 600  # the busy local model spans the day
        dots = page.locator("#latency-chart svg g.series circle")
        assert dots.count() == sum(1 for b in data.series.values() for p in b if p["p50"])
        assert box(dots.first)["width"] > 0 and box(dots.last)["width"] > 0
        chart = box(page.locator("#latency-chart svg"))
        assert chart["width"] > 900 and chart["height"] > 250, chart  # readable at 1280 px
        legend = page.locator("#latency-chart svg g.legend").text_content() or ""
        assert all(model in legend for model in data.series)

        bars = page.locator("#success-chart svg rect.bar")
        assert bars.count() == len(data.stats["models"])
        widths = [box(bars.nth(i))["width"] for i in range(bars.count())]
        assert all(w > 0 for w in widths) and widths[2] > widths[0] > widths[1]
        assert page.locator("#usage-chart svg rect.bar").count() == len(data.stats["models"])
        assert "unknown" in page.locator("#usage-table").inner_text()

        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        width, height = png_size(shot)
        assert width == VIEWPORT["width"] and height > VIEWPORT["height"]
        assert shot.stat().st_size > 50_000, "screenshot suspiciously small (blank page?)"
        if scheme == "light" and os.environ.get("DEXTER_DASHBOARD_SCREENSHOT"):
            shutil.copy(shot, os.environ["DEXTER_DASHBOARD_SCREENSHOT"])
    finally:
        visit.close()


def test_empty_dashboard_shows_messages_not_axes(browser: Any, tmp_path: Path) -> None:
    visit = Visit(browser, write(tmp_path, DashboardData(time.time(), "1h")))
    try:
        assert visit.requests == [visit.url] and visit.problems() == []
        assert visit.page.locator("svg").count() == 0
        for key in ("latency-chart", "success-chart", "usage-chart"):
            message = visit.page.locator(f"#{key} .empty")
            assert message.is_visible() and "Nothing recorded yet" in message.inner_text(), key
    finally:
        visit.close()


def test_the_policy_is_enforced(browser: Any, tmp_path: Path) -> None:
    """The listeners above are not blind: an injected external image and script are refused and
    reported as CSP violations (Chromium announces the image request, then blocks it)."""
    visit = Visit(browser, write(tmp_path, sample_data(time.time())))
    try:
        visit.page.evaluate("""() => {
            const img = document.createElement('img');
            img.src = 'http://127.0.0.1:9/tracker.png';
            document.body.append(img);
            const script = document.createElement('script');
            script.textContent = 'document.title = "pwned"';
            document.body.append(script);
        }""")
        visit.page.wait_for_timeout(300)
        assert visit.page.title() == "Dexter model dashboard"  # the script did not run
        assert visit.requests == [visit.url, "http://127.0.0.1:9/tracker.png"]
        assert visit.failed == [("http://127.0.0.1:9/tracker.png", "csp")], visit.failed
        violations = [t for _, t in visit.console if "Content Security Policy" in t]
        assert len(violations) >= 2, visit.console
    finally:
        visit.close()
