"""The length cap, for `clean.py`: cleaned text cut at a paragraph, line or word boundary,
an open fence closed, and a note saying how much was cut. Pure functions, no I/O."""

from __future__ import annotations

from dexter_ls.prompting.clean.blocks import Fence, parse


def _note(cut: int) -> str:
    return f"\n\n*(Answer shortened: {cut} character{'' if cut == 1 else 's'} cut.)*"


def _cut(text: str, room: int) -> str:
    """At most `room` characters of text, ending at a paragraph, line or word boundary."""
    if room <= 0:
        return ""
    if len(text) <= room:
        return text.rstrip()
    window = text[:room + 1]
    floor = room // 2
    for sep in ("\n\n", "\n", " "):
        at = window.rfind(sep)
        if at >= floor:
            return text[:at].rstrip()
    return text[:room].rstrip()


def _closing_for(kept: str) -> str:
    blocks = parse(kept.split("\n"))
    last = blocks[-1] if blocks else None
    if isinstance(last, Fence) and last.at_eof:
        return "\n" + last.closing()
    return ""


def shorten(text: str, limit: int, dropped: int) -> str:
    """Text cut to at most `limit` characters, note included; `dropped` characters were
    already cut before cleaning and count in the note."""
    total = len(text) + dropped
    room = limit - len(_note(total))
    while True:
        kept = _cut(text, room)
        out = kept + _closing_for(kept) + _note(total - len(kept))
        if len(out) <= limit or not kept:
            return out.lstrip("\n")
        room -= len(out) - limit
