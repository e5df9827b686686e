"""The statistics over telemetry rows, checked against hand-computed samples, and `dexter stats`."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import Any

import pytest

from dexter_ls.cli.stats import add_stats_parser, run_stats
from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.models.usage_report import (
    latency_series,
    model_stats,
    percentile,
    recent_fallbacks,
    window_start,
)
from dexter_ls.store.telemetry import Telemetry

NOW = 1_700_000_000.0
A, B, C = "openai/gpt-4o-mini", "anthropic/claude-haiku", "ollama/qwen2.5-coder:7b"


def rec(model: str = A, *, ts: float = NOW - 60, request_id: str = "r1",
        outcome: str = "success", **fields: Any) -> AttemptRecord:
    base = AttemptRecord(
        ts=ts, request_id=request_id, model=model, provider=model.split("/")[0],
        outcome=outcome, error_class=None, fallback_reason=None, first_token_ms=None,
        latency_ms=100.0, input_tokens=None, output_tokens=None, usage_source="unknown",
        cost_usd=None, template=None, category="type-error",
        answered_by=model if outcome == "success" else None,
    )
    return replace(base, **fields)


def fallback_request(request_id: str, ts: float, failed: list[str], answer: str,
                     reason: str = "timeout") -> list[AttemptRecord]:
    """One request: each of `failed` failed in turn, then `answer` answered."""
    tried = [rec(m, ts=ts, request_id=request_id, outcome="failed", error_class=reason,
                 fallback_reason=reason, answered_by=answer) for m in failed]
    return [*tried, rec(answer, ts=ts, request_id=request_id, answered_by=answer)]


def entry(report: dict[str, Any], model: str) -> dict[str, Any]:
    return next(m for m in report["models"] if m["model"] == model)


# --- percentiles and windows ----------------------------------------------------------------

def test_percentiles_interpolate_linearly_between_closest_ranks() -> None:
    assert percentile([400, 100, 300, 200], 0.5) == 250.0
    assert percentile([100, 200, 300, 400], 0.95) == 385.0
    assert percentile([123.456], 0.95) == 123.5
    assert percentile([], 0.5) is None


def test_latency_percentiles_in_the_report() -> None:
    records = [rec(request_id=f"r{i}", latency_ms=ms) for i, ms in enumerate([100, 200, 300, 400])]
    stats = entry(model_stats(records, "24h", NOW), A)
    assert stats["latencyMs"] == {"p50": 250.0, "p95": 385.0}


def test_windows() -> None:
    assert window_start("1h", NOW) == NOW - 3600
    assert window_start("7d", NOW) == NOW - 604800
    assert window_start("all", NOW) is None
    with pytest.raises(ValueError, match="1h, 24h, 7d, all"):
        window_start("2d", NOW)
    with pytest.raises(ValueError):
        model_stats([], "forever", NOW)


def test_a_window_leaves_out_older_rows() -> None:
    records = [rec(ts=NOW - 30, request_id="new"), rec(ts=NOW - 7200, request_id="old")]
    hour = model_stats(records, "1h", NOW)
    assert hour["requests"] == 1 and entry(hour, A)["requests"] == 1
    assert hour["since"] == "2023-11-14T21:13:20+00:00"
    assert hour["generatedAt"] == "2023-11-14T22:13:20+00:00"
    everything = model_stats(records, "all", NOW)
    assert everything["since"] is None and everything["requests"] == 2


# --- counts, rates, tokens, cost ------------------------------------------------------------

def test_outcomes_and_success_rate() -> None:
    records = [
        rec(request_id="r1"), rec(request_id="r2"),
        rec(request_id="r3", outcome="failed", error_class="timeout"),
        rec(request_id="r4", outcome="incomplete", error_class="stream_cut"),
        rec(request_id="r5", outcome="skipped", error_class="breaker_open"),
    ]
    stats = entry(model_stats(records, "24h", NOW), A)
    assert (stats["requests"], stats["skipped"]) == (4, 1)  # skipped is not a sent request
    assert (stats["successes"], stats["failures"], stats["incomplete"]) == (2, 1, 1)
    assert stats["successRate"] == 0.5
    assert stats["errors"] == {"breaker_open": 1, "stream_cut": 1, "timeout": 1}


def test_a_model_only_ever_skipped_has_no_rate_or_latency() -> None:
    stats = entry(model_stats([rec(outcome="skipped")], "24h", NOW), A)
    assert stats["requests"] == 0 and stats["skipped"] == 1
    assert stats["successRate"] is None
    assert stats["latencyMs"] == {"p50": None, "p95": None}
    assert stats["firstTokenMs"] == {"p50": None}


def test_first_token_median_ignores_attempts_without_one() -> None:
    records = [rec(request_id="r1", first_token_ms=80.0),
               rec(request_id="r2", first_token_ms=120.0),
               rec(request_id="r3", outcome="failed")]
    assert entry(model_stats(records, "24h", NOW), A)["firstTokenMs"] == {"p50": 100.0}


def test_tokens_sum_known_values_and_cost_is_null_only_when_every_cost_is() -> None:
    priced = [rec(request_id="r1", input_tokens=1000, output_tokens=200, cost_usd=0.0015),
              rec(request_id="r2", input_tokens=None, output_tokens=50, cost_usd=None),
              rec(request_id="r3", input_tokens=500, output_tokens=None, cost_usd=0.0005)]
    stats = entry(model_stats(priced, "24h", NOW), A)
    assert stats["tokens"] == {"input": 1500, "output": 250}
    assert stats["costUsd"] == pytest.approx(0.002)
    local = entry(model_stats([rec(C), rec(C, request_id="r2")], "24h", NOW), C)
    assert local["costUsd"] is None  # unknown price, not "free"
    free = entry(model_stats([rec(C, cost_usd=0.0)], "24h", NOW), C)
    assert free["costUsd"] == 0.0


def test_models_sort_by_requests_then_id_and_requests_count_distinct_ids() -> None:
    records = [rec(B, request_id="r1"), rec(A, request_id="r2"), rec(C, request_id="r3"),
               rec(C, request_id="r4")]
    report = model_stats(records, "24h", NOW)
    assert [m["model"] for m in report["models"]] == [C, B, A]
    assert report["requests"] == 4
    assert entry(report, C)["provider"] == "ollama"


# --- fallbacks ------------------------------------------------------------------------------

def test_fallbacks_from_and_to_across_requests() -> None:
    records = [
        *fallback_request("r1", NOW - 50, [A], B),
        *fallback_request("r2", NOW - 40, [A, B], C),
        *fallback_request("r3", NOW - 30, [A], C),
        rec(A, request_id="r4", ts=NOW - 20),  # no fallback: the first model answered
        # nobody answered: the failures are not fallbacks to anything
        rec(A, request_id="r5", ts=NOW - 10, outcome="failed", error_class="timeout"),
        rec(B, request_id="r5", ts=NOW - 10, outcome="failed", error_class="timeout"),
        # skipped by the breaker also counts as moving on
        rec(A, request_id="r6", ts=NOW - 5, outcome="skipped", answered_by=B),
        rec(B, request_id="r6", ts=NOW - 5),
    ]
    report = model_stats(records, "24h", NOW)
    a, b, c = entry(report, A), entry(report, B), entry(report, C)
    assert a["fallbacksFrom"] == {B: 2, C: 2} and a["fallbacksTo"] == {}
    assert b["fallbacksFrom"] == {C: 1} and b["fallbacksTo"] == {A: 2}
    assert c["fallbacksFrom"] == {} and c["fallbacksTo"] == {A: 2, B: 1}
    assert report["requests"] == 6


def test_recent_fallbacks_newest_first_with_reason_and_category() -> None:
    records = [*fallback_request("r1", NOW - 50, [A], B, reason="rate_limit"),
               *fallback_request("r2", NOW - 10, [A, B], C)]
    recent = recent_fallbacks(records)
    assert recent == [
        {"ts": NOW - 10, "from": A, "to": C, "reason": "timeout", "category": "type-error"},
        {"ts": NOW - 10, "from": B, "to": C, "reason": "timeout", "category": "type-error"},
        {"ts": NOW - 50, "from": A, "to": B, "reason": "rate_limit", "category": "type-error"},
    ]
    assert len(recent_fallbacks(records, limit=1)) == 1
    assert recent_fallbacks([rec()]) == []


# --- latency series -------------------------------------------------------------------------

def test_latency_series_buckets_by_time() -> None:
    records = [
        rec(ts=NOW - 3500, request_id="r1", latency_ms=100),  # first quarter hour
        rec(ts=NOW - 3400, request_id="r2", latency_ms=300, outcome="failed"),
        rec(ts=NOW - 100, request_id="r3", latency_ms=50),  # last quarter hour
        rec(ts=NOW, request_id="r4", latency_ms=70),  # `now` falls in the last bucket
        rec(ts=NOW - 2000, request_id="r5", outcome="skipped"),  # not sent: not counted
        rec(ts=NOW - 9999, request_id="r6"),  # before `since`: left out
        rec(B, ts=NOW - 1000, request_id="r7", latency_ms=900),
    ]
    series = latency_series(records, buckets=4, now=NOW, since=NOW - 3600)
    assert sorted(series) == [B, A]
    a = series[A]
    assert [s["start"] for s in a] == [NOW - 3600, NOW - 2700, NOW - 1800, NOW - 900]
    assert a[0] == {"start": NOW - 3600, "p50": 200.0, "requests": 2, "successes": 1}
    assert a[1]["requests"] == a[2]["requests"] == 0 and a[1]["p50"] is None
    assert a[3] == {"start": NOW - 900, "p50": 60.0, "requests": 2, "successes": 2}
    assert [s["requests"] for s in series[B]] == [0, 0, 1, 0]


def test_latency_series_for_all_time_starts_at_the_oldest_row() -> None:
    records = [rec(ts=NOW - 1000, request_id="r1"), rec(ts=NOW - 10, request_id="r2")]
    series = latency_series(records, buckets=10, now=NOW, since=None)
    assert series[A][0]["start"] == NOW - 1000 and series[A][0]["requests"] == 1
    assert series[A][-1]["requests"] == 1
    assert latency_series([], now=NOW, since=None) == {}


# --- the CLI --------------------------------------------------------------------------------

def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dexter")
    add_stats_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["stats", *argv])


def store(records: list[AttemptRecord]) -> None:
    telemetry = Telemetry()
    telemetry.record(records)
    telemetry.close()


def now_records() -> list[AttemptRecord]:
    import time

    now = time.time()
    return [
        *[rec(A, ts=now - 60, request_id=f"a{i}", latency_ms=ms, first_token_ms=ms / 2,
              input_tokens=1000, output_tokens=100, cost_usd=0.001)
          for i, ms in enumerate([100, 200, 300, 400])],
        *fallback_request("f1", now - 30, [A], C),
        rec(C, ts=now - 2 * 86400, request_id="old"),  # outside 24h
    ]


def test_stats_parser_defaults_and_rejects_unknown_windows(
        capsys: pytest.CaptureFixture[str]) -> None:
    args = parse()
    assert (args.window, args.json) == ("24h", False)
    with pytest.raises(SystemExit):
        parse("--window", "2d")
    assert "invalid choice" in capsys.readouterr().err


def test_stats_on_an_empty_database_explains_how_telemetry_is_enabled(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run_stats(parse()) == 0
    out = capsys.readouterr().out
    assert "Nothing has been recorded yet" in out and "dexter.telemetry.enabled" in out


def test_stats_table(capsys: pytest.CaptureFixture[str]) -> None:
    store(now_records())
    assert run_stats(parse()) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "5 requests in the last 24h"
    header, first, second = lines[2].split(), lines[3].split(), lines[4].split()
    assert header[:3] == ["MODEL", "REQ", "OK%"] and "COST" in header
    # A: 5 sent (4 ok + 1 failed); p50/p95 of [100, 100, 200, 300, 400] = 200/380;
    # first tokens [50, 100, 150, 200] -> 125
    assert first == [A, "5", "80.0", "200", "380", "125", "4000/400", "0.0040", "1/0"]
    # C: unknown price shows "-", it took over once from A
    assert second == [C, "1", "100.0", "100", "100", "-", "0/0", "-", "0/1"]


def test_stats_json_follows_the_window(capsys: pytest.CaptureFixture[str]) -> None:
    store(now_records())
    assert run_stats(parse("--json")) == 0
    day = json.loads(capsys.readouterr().out)
    assert day["window"] == "24h" and day["requests"] == 5
    assert entry(day, C)["requests"] == 1
    assert run_stats(parse("--json", "--window", "all")) == 0
    everything = json.loads(capsys.readouterr().out)
    assert everything["since"] is None and entry(everything, C)["requests"] == 2


def test_stats_when_the_window_is_empty_points_to_a_wider_one(
        capsys: pytest.CaptureFixture[str]) -> None:
    store([r for r in now_records() if r.request_id == "old"])
    assert run_stats(parse("--window", "1h")) == 0
    out = capsys.readouterr().out
    assert "Nothing recorded in the last 1h" in out and "--window all" in out
