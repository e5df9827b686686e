"""The CLI's output edge: everything `dexter` prints goes through `printable`, so text from
outside (model ids and error messages from model servers, explanations, file names) cannot
drive the terminal: no ANSI / OSC escape sequences (`\\x1b]52;` clipboard writes, screen
clears, hyperlinks), no other control characters, no bidirectional overrides that reorder
what the reader sees. Line breaks and tabs stay.

Filtering is per character, so an escape sequence split across two writes loses its ESC and
prints as plain text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# C0 controls but tab and line feed, DEL, C1 controls (8-bit CSI/OSC), bidi embeddings,
# overrides and isolates, and the line / paragraph separators some terminals honour.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069\u2028\u2029]")
# A whole escape sequence, so that its parameters do not show as litter when it is intact.
_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]{0,4096}(?:\x07|\x1b\\)"
                       r"|[PX^_][^\x1b\n]{0,4096}\x1b\\|[@-Z\\-_])")


def printable(text: str) -> str:
    """`text` without anything that a terminal would act on rather than show."""
    if text.isprintable():
        return text
    return _UNSAFE.sub("", _SEQUENCE.sub("", text.replace("\r\n", "\n")))


class SafeStream:
    """A text stream that filters what is written through `printable`."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(printable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """Filter sys.stdout and sys.stderr for the duration."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
