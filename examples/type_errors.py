"""Type errors for mypy or pyright: `mypy examples/type_errors.py | dexter explain`."""

from __future__ import annotations


def average(values: list[int]) -> float:
    return sum(values) / len(values)


def describe(user: dict[str, str] | None) -> str:
    return user["name"].title()  # user may be None


total: int = average([1, 2, 3])  # float assigned to int
print(describe(None), total + "1")  # int + str
