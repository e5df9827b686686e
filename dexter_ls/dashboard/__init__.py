"""The model dashboard: one self-contained HTML page (no scripts, no external assets).

`render_dashboard(DashboardData(...))` returns the page; the LSP command `dexter.dashboard` and
`dexter dashboard --output FILE` build the data from the registry, chain and telemetry.
"""

from __future__ import annotations

from dexter_ls.dashboard.data import DashboardData, sample_data
from dexter_ls.dashboard.render import render_dashboard

__all__ = ["DashboardData", "render_dashboard", "sample_data"]
