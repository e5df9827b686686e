"""A regular expression compiled on first use.

The classifier holds a few hundred patterns and one diagnostic needs only a handful (often
none: a known code answers alone), so each is compiled the first time it is searched. A
one-shot `dexter explain` then does not pay for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class LazyPattern:
    __slots__ = ("_compiled", "_flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:  # two threads may both compile it; either result is fine
            self._compiled = re.compile(self.source, self._flags)
        return self._compiled

    def search(self, string: str, /) -> re.Match[str] | None:
        return self.compiled.search(string)

    def finditer(self, string: str, /) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string)

    def __repr__(self) -> str:
        return f"LazyPattern({self.source!r})"


def lazy(source: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(source, flags)
