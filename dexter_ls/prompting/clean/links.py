"""Link syntax for the inline scanner in `inline.py`: autolinks, bare URLs, inline
link destinations and reference definitions, and whether a target is http(s).

Pure functions, no I/O. Targets are read as CommonMark reads them, plus what lenient renderers
might still take for one.
"""

from __future__ import annotations

import re
import string

PUNCT = frozenset(string.punctuation)
AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
EMAIL = re.compile(
    r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
BARE_URL = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<]*")
LOOSE_TARGET = re.compile(r"\(\s*<?\s*(?P<target>[^\s)>]*)")
DEFINED_TARGET = re.compile(r"<?(?P<target>[^\s<>]*)")
_HTTP = re.compile(r"https?://\S", re.IGNORECASE)


def is_http(target: str) -> bool:
    return bool(_HTTP.match(target.strip().strip("<>")))


def skip_blank(text: str, k: int) -> int:
    """Past spaces and tabs and at most one line break (inside a paragraph)."""
    n = len(text)
    while k < n and text[k] in " \t":
        k += 1
    if k < n and text[k] == "\n":
        k += 1
        while k < n and text[k] in " \t":
            k += 1
    return k


def link_tail(text: str, k: int) -> tuple[str, int] | None:
    """The destination of an inline link whose `(` is at k, and the index past its `)`."""
    n = len(text)
    k = skip_blank(text, k + 1)
    if k < n and text[k] == "<":
        e = k + 1
        while e < n and text[e] not in "<>\n":
            e += 2 if text[e] == "\\" else 1
        if e >= n or text[e] != ">":
            return None
        dest, k = text[k:e + 1], e + 1
    else:
        depth, e = 0, k
        while e < n:
            ch = text[e]
            if ch == "\\" and e + 1 < n and text[e + 1] in PUNCT:
                e += 2
                continue
            if ch <= " " or ch == "\x7f":
                break
            if ch == "(":
                depth += 1
                if depth > 32:  # renderers give up there too; keeps this linear
                    return None
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            e += 1
        if depth:
            return None
        dest, k = text[k:e], e
    after = skip_blank(text, k)
    if after > k and after < n and text[after] in "\"'(":
        close = ")" if text[after] == "(" else text[after]
        e = after + 1
        while e < n and text[e] != close:
            if text[e] == "(" and close == ")":
                return None
            e += 2 if text[e] == "\\" else 1
        if e >= n:
            return None
        after = skip_blank(text, e + 1)
    if after < n and text[after] == ")":
        return dest, after + 1
    return None
