"""Load: explanations with 100 in flight through faulty fakes (300 of them by default;
DEXTER_LOAD_TOTAL=1000 for the full run): none lost or duplicated, every one answered (by a
fake or the fallback), `maxConcurrency` respected at each fake. The 10-minute soak with
memory figures is `python bench/soak.py` (see its docstring)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.fakes import openai_fake
from tests.robust.load import MAX_CONCURRENCY, run_load

openai_fake.ERRORS.setdefault("429-bare", (429, openai_fake.ERRORS["429"][1], {}))
TOTAL = int(os.environ.get("DEXTER_LOAD_TOTAL", "300"))
IN_FLIGHT = int(os.environ.get("DEXTER_LOAD_IN_FLIGHT", "100"))


def test_many_explanations_in_flight_through_faulty_fakes(tmp_path: Path) -> None:
    report = run_load(tmp_path, total=TOTAL, in_flight=IN_FLIGHT)
    assert report.sent == TOTAL
    assert not report.lost, report.lost[:5]
    assert report.duplicates == 0
    assert report.answered == TOTAL
    assert not report.errors, report.errors  # the reference answers whatever the fakes do
    assert report.fake_requests >= TOTAL // 10, report  # the fakes did take part
    assert report.models["flaky0"] + report.models["flaky1"] > 0, report.models
    for name, seen in report.max_in_flight.items():
        assert 1 <= seen <= MAX_CONCURRENCY, (name, seen)
