"""The benchmark's arithmetic: per-round ratios and differences, spread, verdicts."""

from __future__ import annotations

from bench.stats import Figure, interleaved, table


def test_a_ratio_figure_judges_the_median_of_per_round_ratios() -> None:
    figure = Figure("x", "ms", "ratio", 1.2, dexter=[1.0, 3.0, 1.1], floor=[1.0, 1.0, 1.0])
    assert figure.compared == [1.0, 3.0, 1.1]
    assert figure.middle == 1.1 and figure.verdict == "ok"
    figure.dexter = [1.3, 1.3, 1.0]
    assert figure.verdict == "FAIL"
    assert figure.to_json()["spread"] == [1.0, 1.3]


def test_an_over_figure_judges_differences_and_a_failed_condition_fails() -> None:
    figure = Figure("x", "ms", "over", 1.0, dexter=[5.0, 5.5, 9.0], floor=[4.8, 4.0, 4.0])
    assert [round(v, 2) for v in figure.compared] == [0.2, 1.5, 5.0]
    assert figure.verdict == "FAIL"
    info = Figure("y", "ms", "value", None, dexter=[2.0], passed=True)
    assert info.verdict == "ok"
    info.passed = False
    assert info.verdict == "FAIL"


def test_rounds_alternate_who_goes_first_and_never_fall_below_seven() -> None:
    calls: list[str] = []

    def side(name: str) -> float:
        calls.append(name)
        return 1.0

    figure = interleaved(3, lambda: side("d"), lambda: side("f"),
                         Figure("z", "ms", "ratio", None))
    assert len(figure.dexter) == len(figure.floor) == 7
    assert calls[:4] == ["d", "f", "f", "d"]
    assert "z" in table([figure]) and "verdict" in table([figure])
