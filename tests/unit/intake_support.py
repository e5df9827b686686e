"""Shared by the intake tests: the expected shape of a recognised error."""

from __future__ import annotations

from typing import NamedTuple

from dexter_ls.core.subject import Subject


class Want(NamedTuple):
    path: str | None
    line: int  # 0-based
    col: int  # 0-based
    source: str | None
    code: str | None
    message: str
    language: str | None
    severity: int | None = 1


def want(subject: Subject) -> Want:
    diag = subject.diagnostic
    start = diag.range.start
    return Want(subject.path, start.line, start.character, diag.source, diag.code, diag.message,
                subject.language, diag.severity)
