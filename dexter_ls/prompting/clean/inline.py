"""Prose cleaned inline, one paragraph at a time, for `clean.py`: links, images, raw HTML,
code spans and backticks, read the way CommonMark reads inlines where safety depends on it.

No I/O; the rules are in the docstring of `dexter_ls.prompting.clean.output`.
"""

from __future__ import annotations

import bisect
import re
import string

from dexter_ls.prompting.clean.blocks import CONTAINER, TABLE_RULE, Prose
from dexter_ls.prompting.clean.html import (
    CLOSE_TAG,
    DROP_TAGS,
    DROP_WHOLE,
    OPEN_TAG,
    OTHER_HTML,
    SAFE_TAGS,
)
from dexter_ls.prompting.clean.links import (
    AUTOLINK,
    BARE_URL,
    DEFINED_TARGET,
    EMAIL,
    LOOSE_TARGET,
    PUNCT,
    is_http,
    link_tail,
    skip_blank,
)

_PLAIN = re.compile(r"[^\\`<!\[\]]+")
TICKS = re.compile(r"`+")
_LINE_START = re.compile(CONTAINER)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_FENCE_LIKE = re.compile(rf"^(?P<lead>{CONTAINER})(?P<fence>`{{3}}|~{{3}})")


class _Scanner:
    """One paragraph, left to right, read the way CommonMark reads inlines where safety depends
    on it: code spans, raw HTML and autolinks by leftmost start, links by the nearest `[`.

    Backticks end up in a code span kept verbatim (opener and closer on one line, as
    CommonMark pairs them), or escaped (`\\``) when something later could close them, so that
    no renderer can pair them another way and turn text this scanner cleaned into code, or
    code it kept into text."""

    def __init__(self, text: str, raw: list[bool]) -> None:
        self.text = text
        self.lower = text.translate(_ASCII_LOWER)  # same length as text, unlike str.lower()
        self.raw = raw
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        table = any(TABLE_RULE.fullmatch(line) for line in text.split("\n"))
        self.pipes = [m.start() for m in re.finditer(r"\|", text)] if table else []
        self.runs: dict[int, list[int]] = {}  # backtick runs by length: where each starts
        for run in TICKS.finditer(text):
            self.runs.setdefault(run.end() - run.start(), []).append(run.start())
        self.no_code_until = 0  # a kept link's target: its backticks are not code
        # Bare URLs, which GFM renderers may make links of: marked takes backticks and
        # backslashes in them for part of the URL, not for code or escapes.
        self.urls = [(m.start(), m.end()) for m in BARE_URL.finditer(text)]
        self.last: dict[tuple[int, str], int] = {}
        self.out: list[str] = []  # pieces, never empty
        self.openers: list[tuple[int, int, bool]] = []  # index in out, index in text, image?

    def line_of(self, i: int) -> int:
        return bisect.bisect_right(self.starts, i) - 1

    def in_url(self, i: int) -> bool:
        at = bisect.bisect_right(self.urls, (i, len(self.text))) - 1
        return at >= 0 and self.urls[at][0] <= i < self.urls[at][1]

    def line_end(self, number: int) -> int:
        nxt = number + 1
        return self.starts[nxt] - 1 if nxt < len(self.starts) else len(self.text)

    def run(self) -> str:
        text, out, n = self.text, self.out, len(self.text)
        i = 0
        while i < n:
            plain = _PLAIN.match(text, i)
            if plain:
                out.append(plain.group(0))
                i = plain.end()
                continue
            ch = text[i]
            number = self.line_of(i)
            if ch == "\\":
                # In raw HTML or a bare URL, a backslash may escape nothing: `\<script>` is
                # still a tag there.
                nxt = text[i + 1:i + 2]
                literal = nxt == "<" and (self.raw[number] or self.in_url(i))
                step = 2 if nxt in PUNCT and not literal else 1
                out.append(text[i:i + step])
                i += step
            elif ch == "`":
                i = self.backticks(i, number)
            elif ch == "<":
                piece, i = self.angle(i, number)
                if piece:
                    out.append(piece)
                elif text.startswith(" ", i) and (out[-1][-1] if out else "\n") in " \n":
                    i += 1  # "a <script></script> b" -> "a b", not "a  b"
            elif ch == "!" and text.startswith("[", i + 1):
                self.openers.append((len(out), i, True))
                out.append("![")
                i += 2
            elif ch == "[":
                self.openers.append((len(out), i, False))
                out.append("[")
                i += 1
            elif ch == "]":
                i = self.close_bracket(i)
            else:
                out.append(ch)
                i += 1
        return "".join(out)

    def backticks(self, i: int, number: int) -> int:
        """A code span is kept verbatim only where it is certainly one: opener and closer on
        one line, outside raw HTML and a kept link's target, and without `|` in a table. Its
        closer is the next run of equal length anywhere in the paragraph, as in CommonMark."""
        text = self.text
        stop = i
        while stop < len(text) and text[stop] == "`":
            stop += 1
        same_length = self.runs.get(stop - i, [])
        at = bisect.bisect_left(same_length, stop)
        if at == len(same_length):  # nothing later can close it: plain backticks anywhere
            self.out.append(text[i:stop])
            return stop
        closer = same_length[at]
        pipe = bisect.bisect_left(self.pipes, stop)
        has_pipe = pipe < len(self.pipes) and self.pipes[pipe] < closer
        # marked reads backticks right after a tilde as text (GFM strikethrough runs).
        if self.raw[number] or i < self.no_code_until or has_pipe or self.in_url(i) \
                or text[i - 1:i] == "~" or self.line_of(closer) != number:
            self.out.append("\\`" * (stop - i))  # no renderer may pair it with anything
            return stop
        end = closer + stop - i
        self.out.append(text[i:end])
        return end

    def find(self, needle: str, begin: int, end: int) -> int:
        """Where needle (lower case) occurs in text[begin:end] ignoring ASCII case, or -1.

        Knowing where it last occurs on the line keeps many unclosed `<!--` linear."""
        key = (end, needle)
        if key not in self.last:
            self.last[key] = self.lower.rfind(needle, self.starts[self.line_of(begin)], end)
        if self.last[key] < begin:
            return -1
        return self.lower.find(needle, begin, end)

    def angle(self, i: int, number: int) -> tuple[str, int]:
        """What a `<` at i and what follows it become, and where scanning goes on."""
        text, eol = self.text, self.line_end(number)
        for pattern in (AUTOLINK, EMAIL):
            match = pattern.match(text, i, eol)
            if match:
                if pattern is AUTOLINK and is_http(match.group("url")):
                    # In raw HTML it is no link but an odd tag: show it as text there.
                    return ("&lt;", i + 1) if self.raw[number] else (match.group(0), match.end())
                return "", match.end()
        for opener, closer in OTHER_HTML:
            if text.startswith(opener, i) and (opener != "<!" or text[i + 2:i + 3].isalpha()):
                end = self.find(closer, i + len(opener), eol)
                if end >= 0:
                    return "", end + len(closer)
                break
        closing = CLOSE_TAG.match(text, i, eol)
        opening = None if closing else OPEN_TAG.match(text, i, eol)
        tag = closing or opening
        if tag is None:
            # Not a whole tag on this line, but a browser may still read one (`<img/src=x`,
            # or a tag that goes on over the next line): whatever could start one is text.
            nxt = text[i + 1:i + 2]
            starts_tag = nxt in ("/", "!", "?") or (nxt.isascii() and nxt.isalpha())
            return ("&lt;" if starts_tag else "<"), i + 1
        name = tag.group("name").lower()
        if name in SAFE_TAGS:
            if opening is not None and opening.group("attrs").strip():
                return f"<{tag.group('name')}>", tag.end()
            return tag.group(0), tag.end()
        if name not in DROP_TAGS:
            return "&lt;", i + 1  # not HTML we know: show it as text (Vec<String>)
        if opening is not None and name in DROP_WHOLE:  # <script>...</script> goes whole
            at = self.find(f"</{name}", tag.end(), eol)
            end_tag = CLOSE_TAG.match(text, at, eol) if at >= 0 else None
            if end_tag and end_tag.group("name").lower() == name:
                return "", end_tag.end()
        return "", tag.end()

    def keep_text(self, at: int) -> None:
        """Replace the opener at out[at] and what follows it by the link's text alone."""
        inner = "".join(self.out[at + 1:])
        del self.out[at:]
        if inner:
            self.out.append(inner)

    def close_bracket(self, i: int) -> int:
        text, out = self.text, self.out
        opener = self.openers.pop() if self.openers else None
        if text.startswith("(", i + 1):
            tail = link_tail(text, i + 1)
            if tail is not None:
                dest, end = tail
            else:  # not a link here, but maybe for a lenient renderer
                loose = LOOSE_TARGET.match(text, i + 1)
                dest, end = (loose.group("target") if loose else ""), i + 1
            if opener is not None and (opener[2] or not is_http(dest)):
                self.keep_text(opener[0])  # the text stays, the target goes
                return end
            if opener is None:
                out.append("\\]")  # a `[` this scanner did not see must not make a link
                return i + 1
            self.no_code_until = max(self.no_code_until, end)
            out.append("]")
            return i + 1
        if opener is None:
            out.append("]")
            return i + 1
        at, start, image = opener
        if text.startswith(":", i + 1) and self.at_line_start(start):
            target = DEFINED_TARGET.match(text, skip_blank(text, i + 2))
            if target is None or not is_http(target.group("target")):
                out[at] = "\\" + out[at]  # `[ref]: command:x` defines no link
        elif image:
            out[at] = "\\!["  # `![alt][ref]` must not load: keep it a plain `[alt][ref]`
        out.append("]")
        return i + 1

    def at_line_start(self, i: int) -> bool:
        """Whether only blanks and list or quote markers come before i on its line."""
        return _LINE_START.fullmatch(self.text, self.starts[self.line_of(i)], i) is not None


def _clean_paragraph(lines: list[str], raw: list[bool]) -> list[str]:
    # A line that looks like a fence but is none here must be none for any renderer either,
    # or it would pair with the fences after it differently: `\```` opens nothing.
    lines = [_FENCE_LIKE.sub(r"\g<lead>\\\g<fence>", line, count=1) for line in lines]
    return _Scanner("\n".join(lines), raw).run().split("\n")


def clean_prose(block: Prose) -> list[str]:
    """The block's paragraphs cleaned, trailing blanks stripped, blank-line runs made one."""
    cleaned: list[str] = []
    paragraph: list[str] = []
    raw: list[bool] = []
    for line, in_raw in zip(block.lines, block.raw, strict=True):
        if line.strip():
            paragraph.append(line)
            raw.append(in_raw)
            continue
        if paragraph:
            cleaned.extend(_clean_paragraph(paragraph, raw))
            paragraph, raw = [], []
        cleaned.append("")
    if paragraph:
        cleaned.extend(_clean_paragraph(paragraph, raw))
    out: list[str] = []
    for line in cleaned:
        line = line.rstrip()
        if line or not out or out[-1]:
            out.append(line)
    return out
