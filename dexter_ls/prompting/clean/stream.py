"""Cleaning model output while it streams: `StreamCleaner` takes the text deltas as they
arrive and gives back deltas that went through the same rules as the final answer
(`clean_output`), so a client that renders chunks never sees a `command:` link or raw HTML.

How it stays safe with a construct split across chunks: text is held back until a point where
nothing that follows can change how it reads: the end of a paragraph (a blank line outside a
code fence) or the end of a fence. In CommonMark no link, image, code span or inline HTML runs
over a blank line, so each released block is cleaned on its own and the blocks are joined by
a blank line. Lines of a paragraph that, so far, holds none of `[ ] < > ` & \\ !` go out
as soon as they are complete (nothing after them can turn them into a link, a tag or code),
joined to the rest of their paragraph by the line break they had; and so do the whole words of
a line still arriving, when it holds none of them either (nor starts a `~~~` fence), so the
first words show while the model is still writing the line.
A paragraph that grows past `hold` characters without ending is released anyway, cleaned on
its own and followed by a blank line, so no later text can complete a construct it started.
`finish()` releases the rest (an open fence is closed by the cleaner).

The stream is a preview; the command's result carries the answer cleaned whole.
"""

from __future__ import annotations

import re

from dexter_ls.prompting.clean.output import clean_output

HOLD_CHARS = 8000  # a block longer than this is released without waiting for its end
STREAM_LIMIT = 60_000  # characters of preview at most; the result has the whole answer
_BLOCK_LIMIT = 200_000  # clean_output's cap for one block (never reached below HOLD_CHARS * 2)
_MARKUP = frozenset("[]<>`&\\!")
_FENCE = re.compile(r" {0,3}(?P<mark>`{3,}|~{3,})(?P<info>[^\n]*)")


class StreamCleaner:
    """Deltas of raw model text in, deltas of cleaned Markdown out."""

    def __init__(self, hold: int = HOLD_CHARS, limit: int = STREAM_LIMIT) -> None:
        self._hold = hold
        self._limit = limit
        self._pending = ""  # raw text not yet released
        self._scanned = 0  # complete lines of _pending already read
        self._cut = 0  # where in _pending the last safe point is
        self._cut_ends_block = False  # the safe point ends a block (else a plain line)
        self._marked = False  # the open paragraph holds markup: no line of it goes early
        self._joiner = ""  # what goes between the last release and the next
        self._fence: str | None = None  # the marker of the open fence, if one is open
        self._sent = 0

    def feed(self, delta: str) -> str:
        """Take a raw delta; return the cleaned text that can be shown now (maybe empty)."""
        self._pending += delta
        self._scan()
        if self._cut:
            block, self._pending = self._pending[:self._cut], self._pending[self._cut:]
            self._scanned -= self._cut
            self._cut = 0
            return self._release(block, "\n\n" if self._cut_ends_block else "\n")
        if len(self._pending) > self._hold:
            return self.finish()
        words = self._word_cut()
        if words:
            block, self._pending = self._pending[:words], self._pending[words:]
            return self._release(block, block[len(block.rstrip()):])
        return ""

    def finish(self) -> str:
        """The rest, cleaned; what follows (if anything) starts a new block."""
        block, self._pending = self._pending, ""
        self._scanned = self._cut = 0
        self._fence = None
        self._marked = False
        return self._release(block, "\n\n")

    def _word_cut(self) -> int:
        """Where the whole words of the line still arriving end, when they may go now (0:
        not yet): nothing pending before the line, no markup in it, not a fence opener, and
        something more than punctuation."""
        if self._scanned or self._fence is not None or self._marked:
            return 0
        tail = self._pending
        if _MARKUP.intersection(tail) or tail.lstrip().startswith("~"):
            return 0
        end = max(tail.rfind(" "), tail.rfind("\t")) + 1
        return end if any(ch.isalnum() for ch in tail[:end]) else 0

    def _scan(self) -> None:
        """Read the complete lines not read yet, noting the last safe point."""
        text = self._pending
        while (end := text.find("\n", self._scanned)) >= 0:
            line = text[self._scanned:end].rstrip("\r")
            self._scanned = end + 1
            fence = _FENCE.fullmatch(line)
            if self._fence is not None:
                if (fence and not fence.group("info").strip()
                        and fence.group("mark")[0] == self._fence[0]
                        and len(fence.group("mark")) >= len(self._fence)):
                    self._fence = None
                    self._cut, self._cut_ends_block = self._scanned, True
            elif fence and not (fence.group("mark")[0] == "`" and "`" in fence.group("info")):
                self._fence = fence.group("mark")
                self._marked = False
            elif not line.strip():
                self._cut, self._cut_ends_block = self._scanned, True
                self._marked = False
            elif self._marked or _MARKUP.intersection(line):
                self._marked = True
            else:
                self._cut, self._cut_ends_block = self._scanned, False

    def _release(self, block: str, ends_with: str) -> str:
        if not block.strip() or self._sent >= self._limit:
            if self._sent and ends_with == "\n\n":
                self._joiner = ends_with  # a blank line after released lines ends their block
            return ""
        # Without its trailing blanks (cleaning drops them anyway, and `ends_with` restores
        # the break): a block with none changes in no pass, so it is cleaned in one, not two.
        cleaned = clean_output(block.rstrip(" \t\r\n"), max_chars=_BLOCK_LIMIT)
        if not cleaned:
            return ""
        out = self._joiner + cleaned
        self._joiner = ends_with
        out = out[:self._limit - self._sent]
        self._sent += len(out)
        return out
