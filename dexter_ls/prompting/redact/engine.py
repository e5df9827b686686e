"""Secret redaction for context that leaves this machine.

`redact(text)` replaces API keys, tokens, private keys, passwords in URLs and connection
strings, and string literals assigned to secret-named keys with `[REDACTED:<kind>]`, keeping
the code around them readable (`password = "[REDACTED:password]"`,
`postgres://admin:[REDACTED:password]@db:5432/app`).

How it works: every rule (`rules.py`) scans the original text and proposes spans (start,
end, kind). Spans are then chosen here by rule priority (private-key blocks, then recognisable
token formats, then URL / header / connection-string passwords, then secret-named assignments),
dropping any span that overlaps one already chosen or touches an existing placeholder. Passes
repeat until one finds nothing (a span dropped for overlapping a longer match may stand alone
once that match is replaced), so redacting twice changes nothing more.

Every pattern is linear: character classes are disjoint from what follows them, repeats are
bounded or anchored at the start of a run, so a long or hostile input cannot make a regex
backtrack badly.

Values that are references, not secrets, are kept (`names.py` decides which key names name
a secret and which values to keep): identifiers, calls, attribute chains, `os.environ[...]`,
`process.env.X`, `$VAR` / `${VAR}` / `{{ template }}`, f-string and template-literal
interpolations, type annotations, `None` / `null` / booleans, empty strings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from dexter_ls.prompting.redact.loose import RULES as LOOSE_RULES
from dexter_ls.prompting.redact.names import secret_kind as secret_kind  # re-exported
from dexter_ls.prompting.redact.rules import RULES as FIRM_RULES
from dexter_ls.prompting.redact.rules import Hit

RULES = FIRM_RULES + LOOSE_RULES

__all__ = ["Redacted", "redact"]


@dataclass(frozen=True)
class Redacted:
    text: str
    count: int  # how many secrets were replaced
    kinds: tuple[str, ...]  # the kind of each, in order of appearance


_PLACEHOLDER = re.compile(r"\[REDACTED:[a-z0-9-]{1,40}\]")


def placeholder(label: str) -> str:
    return f"[REDACTED:{label}]"


# --- choosing and replacing --------------------------------------------------------------

_MAX_PASSES = 8


class _Spans:
    """Disjoint half-open intervals, kept sorted."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i > 0 and self.ends[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _choose(text: str) -> list[Hit]:
    """The hits to replace in one pass, disjoint and in order of position."""
    hits = [hit for rule in RULES for hit in rule(text) if hit.end > hit.start]
    if not hits:
        return []
    placeholders = _Spans()  # already redacted: neither the value nor its key may touch them
    for m in _PLACEHOLDER.finditer(text):
        placeholders.add(m.start(), m.end())
    taken = _Spans()
    chosen: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.priority, h.start, -h.end)):
        if placeholders.overlaps(min(hit.start, hit.key) if hit.key >= 0 else hit.start, hit.end):
            continue
        if not taken.overlaps(hit.start, hit.end):
            taken.add(hit.start, hit.end)
            chosen.append(hit)
    chosen.sort(key=lambda h: h.start)
    return chosen


def _replace(
    text: str, hits: list[Hit], made: list[tuple[int, str]],
) -> tuple[str, list[tuple[int, str]]]:
    """Apply `hits`; `made` (start, kind) of earlier placeholders, moved to the new text."""
    parts: list[str] = []
    placed: list[tuple[int, str]] = []
    pos = 0
    shift = 0
    earlier = iter(made)
    pending = next(earlier, None)
    for hit in hits:
        while pending is not None and pending[0] < hit.start:
            placed.append((pending[0] + shift, pending[1]))
            pending = next(earlier, None)
        new = placeholder(hit.label)
        parts += (text[pos:hit.start], new)
        placed.append((hit.start + shift, hit.kind))
        shift += len(new) - (hit.end - hit.start)
        pos = hit.end
    while pending is not None:
        placed.append((pending[0] + shift, pending[1]))
        pending = next(earlier, None)
    parts.append(text[pos:])
    return "".join(parts), placed


def redact(text: str) -> Redacted:
    """Replace the secrets in `text` with `[REDACTED:<kind>]` placeholders.

    Runs until nothing more is found (a value dropped for overlapping a longer match can
    stand alone once that match is replaced), so `redact(redact(t).text)` finds nothing."""
    made: list[tuple[int, str]] = []
    for _ in range(_MAX_PASSES):
        hits = _choose(text)
        if not hits:
            break
        text, made = _replace(text, hits, made)
    return Redacted(text, len(made), tuple(kind for _, kind in made))
