"""Diagnostics known per document: pushed by the client or seen in code-action requests.

Both kinds are bounded, per document and in total, so a client that pushes a whole
workspace's findings cannot grow the server without limit: past the per-document bound the
most severe diagnostics are kept; past the total the documents pushed (or seen) longest ago
are dropped first. Every drop is logged once, with what was dropped.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from itertools import islice

from dexter_ls.core.subject import Diagnostic, Position, Range

log = logging.getLogger(__name__)

# Same tool, code, message and place (Diagnostic.fingerprint without hashing: a hot path).
Identity = tuple[str | None, str | None, str, int, int, int, int]

MAX_SEEN_PER_DOCUMENT = 500
MAX_SEEN_TOTAL = 10_000
MAX_PUSHED_PER_DOCUMENT = 2_000
MAX_PUSHED_TOTAL = 20_000


class DiagnosticStore:
    def __init__(self, *, pushed_per_document: int = MAX_PUSHED_PER_DOCUMENT,
                 pushed_total: int = MAX_PUSHED_TOTAL,
                 seen_per_document: int = MAX_SEEN_PER_DOCUMENT,
                 seen_total: int = MAX_SEEN_TOTAL) -> None:
        # Documents in the order they were last pushed (seen): the oldest go first.
        self._pushed: OrderedDict[str, list[Diagnostic]] = OrderedDict()
        self._seen: OrderedDict[str, dict[Identity, Diagnostic]] = OrderedDict()
        self._pushed_count = 0
        self._seen_count = 0
        self.pushed_per_document = pushed_per_document
        self.pushed_total = pushed_total
        self.seen_per_document = seen_per_document
        self.seen_total = seen_total

    def replace(self, uri: str, diagnostics: list[Diagnostic]) -> None:
        """`dexter/didChangeDiagnostics`: each push replaces the previous set; empty clears."""
        self._pushed_count -= len(self._pushed.pop(uri, ()))
        if not diagnostics:
            return
        kept = list(diagnostics)
        if len(kept) > self.pushed_per_document:
            kept.sort(key=lambda d: d.severity or 5)  # stable: errors first, then order given
            del kept[self.pushed_per_document:]
            log.warning("%s: kept the %d most severe of %d pushed diagnostics (the bound per "
                        "document)", uri, len(kept), len(diagnostics))
        self._pushed[uri] = kept
        self._pushed_count += len(kept)
        self._pushed_count = self._evict(self._pushed, self._pushed_count, self.pushed_total,
                                         "pushed")

    def saw(self, uri: str, diagnostics: list[Diagnostic]) -> None:
        """Remember diagnostics a code-action request carried (other tools' included)."""
        seen = self._seen.pop(uri, None) or {}
        before = len(seen)
        for diag in diagnostics:
            key = identity(diag)
            seen.pop(key, None)  # re-inserted: the newest go last
            seen[key] = diag
        if len(seen) > self.seen_per_document:  # one pass, keeping the newest
            seen = dict(islice(seen.items(), len(seen) - self.seen_per_document, None))
        self._seen[uri] = seen
        self._seen_count += len(seen) - before
        self._seen_count = self._evict(self._seen, self._seen_count, self.seen_total, "seen")

    def forget_seen(self, uri: str) -> None:
        """The text changed: ranges seen earlier may be stale; pushed ones the client refreshes."""
        self._seen_count -= len(self._seen.pop(uri, ()))

    def drop(self, uri: str) -> None:
        self._pushed_count -= len(self._pushed.pop(uri, ()))
        self.forget_seen(uri)

    def pushed(self, uri: str) -> list[Diagnostic]:
        return list(self._pushed.get(uri, ()))

    def counts(self) -> tuple[int, int]:
        """(pushed, seen) diagnostics held, over every document."""
        return self._pushed_count, self._seen_count

    def overlapping(self, uri: str, wanted: Range) -> list[Diagnostic]:
        """Every known diagnostic (pushed first, then seen) whose range meets `wanted`
        (touching counts: a cursor at either end of a range is on it), without duplicates."""
        found: dict[Identity, Diagnostic] = {}
        low = (wanted.start.line, wanted.start.character)
        high = (wanted.end.line, wanted.end.character)
        for diag in [*self._pushed.get(uri, ()), *self._seen.get(uri, {}).values()]:
            start = (diag.range.start.line, diag.range.start.character)
            end = (diag.range.end.line, diag.range.end.character)
            if start <= high and low <= end:
                found.setdefault(identity(diag), diag)
        return list(found.values())

    def at(self, uri: str, position: Position) -> list[Diagnostic]:
        """Every known diagnostic whose range contains `position`, without duplicates."""
        found: dict[Identity, Diagnostic] = {}
        for diag in [*self._pushed.get(uri, ()), *self._seen.get(uri, {}).values()]:
            if diag.range.contains(position):
                found.setdefault(identity(diag), diag)
        return list(found.values())

    @staticmethod
    def _evict(documents: OrderedDict[str, list[Diagnostic]] | OrderedDict[
            str, dict[Identity, Diagnostic]], count: int, bound: int, kind: str) -> int:
        """Drop the oldest documents (never the newest) until `count` ≤ `bound`."""
        dropped: list[str] = []
        forgotten = 0
        while count > bound and len(documents) > 1:
            uri = next(iter(documents))
            removed = len(documents.pop(uri))
            count -= removed
            forgotten += removed
            dropped.append(uri)
        if dropped:
            more = f" and {len(dropped) - 3} more" if len(dropped) > 3 else ""
            log.warning("over %d %s diagnostics in total: forgot %d of the oldest documents "
                        "(%d diagnostics): %s%s", bound, kind, len(dropped), forgotten,
                        ", ".join(dropped[:3]), more)
        return count


def identity(diag: Diagnostic) -> Identity:
    start, end = diag.range.start, diag.range.end
    return (diag.source, diag.code, diag.message, start.line, start.character, end.line,
            end.character)
