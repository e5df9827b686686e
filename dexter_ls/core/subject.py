"""What is being explained: a diagnostic and the context around it, free of LSP types."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

SEVERITY_NAMES = {1: "error", 2: "warning", 3: "information", 4: "hint"}


@dataclass(frozen=True, slots=True)  # many are held: no __dict__ each
class Position:
    line: int  # 0-based, as in LSP
    character: int  # 0-based


@dataclass(frozen=True, slots=True)
class Range:
    start: Position
    end: Position

    def contains(self, pos: Position) -> bool:
        start = (self.start.line, self.start.character)
        end = (self.end.line, self.end.character)
        return start <= (pos.line, pos.character) <= end


@dataclass(frozen=True, slots=True)
class RelatedInfo:
    uri: str
    range: Range
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    message: str
    range: Range
    severity: int | None = None
    code: str | None = None
    source: str | None = None
    code_href: str | None = None
    related: tuple[RelatedInfo, ...] = ()

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES.get(self.severity or 0, "diagnostic")

    def fingerprint(self) -> str:
        """Stable identity of a diagnostic: same tool, code, message and place."""
        parts = (
            self.source or "",
            self.code or "",
            self.message,
            f"{self.range.start.line}:{self.range.start.character}",
            f"{self.range.end.line}:{self.range.end.character}",
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Frame:
    """One frame of a traceback (most recent call last)."""

    path: str
    line: int  # 1-based, as printed
    function: str | None = None
    text: str | None = None


_KEY_BLOCK_LOOKBACK = 2000  # lines; a 16 kbit PGP key block is under 400


def key_block_open(lines: Sequence[str], first: int) -> bool:
    """Whether line `first` lies inside a private-key block begun above it."""
    for index in range(first - 1, max(-1, first - 1 - _KEY_BLOCK_LOOKBACK), -1):
        text = lines[index]
        if "-----END" in text:
            return False
        if "-----BEGIN" in text and "PRIVATE KEY" in text:
            return True
    return False


@dataclass(frozen=True)
class Snippet:
    """Source lines around the diagnostic."""

    first_line: int  # 0-based number of lines[0]
    lines: tuple[str, ...]
    # lines[0] is inside a private-key block whose `-----BEGIN` line lies above the window
    key_block_open: bool = False

    @classmethod
    def around(cls, lines: Sequence[str], line: int, context: int) -> Snippet | None:
        """`context` lines either side of 0-based `line`; None when the file has no such line."""
        first = max(0, line - context)
        window = tuple(text.rstrip("\r\n") for text in lines[first : line + context + 1])
        return cls(first, window, key_block_open(lines, first)) if window else None

    def numbered(self, mark_line: int | None = None) -> str:
        width = len(str(self.first_line + len(self.lines)))
        out = []
        for offset, text in enumerate(self.lines):
            number = self.first_line + offset
            marker = ">" if number == mark_line else " "
            out.append(f"{marker}{number + 1:>{width}} | {text}")
        return "\n".join(out)


@dataclass(frozen=True)
class Subject:
    """One diagnostic to explain, with what we know about where it is."""

    diagnostic: Diagnostic
    uri: str | None = None
    path: str | None = None  # for display: relative to the workspace when possible
    language: str | None = None
    snippet: Snippet | None = None
    frames: tuple[Frame, ...] = field(default=())
    enclosing: str | None = None  # the def/class/fn line around the error, when found

    def location(self) -> str:
        where = self.path or self.uri or "<input>"
        start = self.diagnostic.range.start
        return f"{where}:{start.line + 1}:{start.character + 1}"

    def cache_key(self) -> str:
        snippet = "\n".join(self.snippet.lines) if self.snippet else ""
        digest = hashlib.sha256(snippet.encode()).hexdigest()[:16]
        return f"{self.uri or self.path or ''}|{self.diagnostic.fingerprint()}|{digest}"
