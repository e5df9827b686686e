"""Diagnostics known per document: pushed by the client or seen in code-action requests."""

from __future__ import annotations

from dexter_ls.core.subject import Diagnostic, Position, Range

MAX_SEEN_PER_DOCUMENT = 500


class DiagnosticStore:
    def __init__(self) -> None:
        self._pushed: dict[str, list[Diagnostic]] = {}
        self._seen: dict[str, dict[str, Diagnostic]] = {}

    def replace(self, uri: str, diagnostics: list[Diagnostic]) -> None:
        """`dexter/didChangeDiagnostics`: each push replaces the previous set."""
        self._pushed[uri] = list(diagnostics)

    def saw(self, uri: str, diagnostics: list[Diagnostic]) -> None:
        """Remember diagnostics a code-action request carried (other tools' included)."""
        seen = self._seen.setdefault(uri, {})
        for diag in diagnostics:
            seen.pop(diag.fingerprint(), None)
            seen[diag.fingerprint()] = diag
        while len(seen) > MAX_SEEN_PER_DOCUMENT:
            del seen[next(iter(seen))]

    def forget_seen(self, uri: str) -> None:
        """The text changed: ranges seen earlier may be stale; pushed ones the client refreshes."""
        self._seen.pop(uri, None)

    def drop(self, uri: str) -> None:
        self._pushed.pop(uri, None)
        self._seen.pop(uri, None)

    def pushed(self, uri: str) -> list[Diagnostic]:
        return list(self._pushed.get(uri, ()))

    def overlapping(self, uri: str, wanted: Range) -> list[Diagnostic]:
        """Every known diagnostic (pushed first, then seen) whose range meets `wanted`
        (touching counts: a cursor at either end of a range is on it), without duplicates."""
        found: dict[str, Diagnostic] = {}
        low = (wanted.start.line, wanted.start.character)
        high = (wanted.end.line, wanted.end.character)
        for diag in [*self._pushed.get(uri, ()), *self._seen.get(uri, {}).values()]:
            start = (diag.range.start.line, diag.range.start.character)
            end = (diag.range.end.line, diag.range.end.character)
            if start <= high and low <= end:
                found.setdefault(diag.fingerprint(), diag)
        return list(found.values())

    def at(self, uri: str, position: Position) -> list[Diagnostic]:
        """Every known diagnostic whose range contains `position`, without duplicates."""
        found: dict[str, Diagnostic] = {}
        for diag in [*self._pushed.get(uri, ()), *self._seen.get(uri, {}).values()]:
            if diag.range.contains(position):
                found.setdefault(diag.fingerprint(), diag)
        return list(found.values())
