"""Model output split into blocks for `clean.py`: fenced code and the prose between, and a
fence written out again with its closing line.

Pure functions, no I/O. A fence is seen only where CommonMark, markdown-it and marked all see
one (the rules are in the docstring of `dexter_ls.prompting.clean.output`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What marked also takes for a closing fence: the fence, then any backticks and tildes.
_LOOSE_CLOSE = re.compile(r"[ \t]*(?P<fence>`{3,}|~{3,})[`~]*[ \t]*")
_FENCE = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)")
_ITEM = re.compile(
    r"(?P<lead>[ \t]*)(?P<marker>[-+*]|(?P<num>\d{1,9})[.)])(?:(?P<gap>[ \t]+)(?P<rest>\S.*)"
    r"|[ \t]*)"
)
_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*")
# List and quote markers that may come before a line's content.
CONTAINER = r"(?:[ \t>]|(?:[-+*]|\d{1,9}[.)])(?=[ \t]))*"
_HTML_LINE = re.compile(CONTAINER + r"<[A-Za-z/!?]")
# A table's delimiter row (`| --- | :-: |`).
TABLE_RULE = re.compile(r"[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")


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


@dataclass
class Prose:
    lines: list[str]
    raw: list[bool]  # inside raw HTML: no Markdown is read there


@dataclass
class Fence:
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
) -> tuple[Fence, int]:
    """The fence opened on lines[i], and the index of the line after it."""
    char, length = fence
    body: list[str] = []
    j = i + 1
    while j < len(lines):
        line = lines[j]
        end = _LOOSE_CLOSE.fullmatch(line)
        if end and end.group("fence")[0] == char and len(end.group("fence")) >= length \
                and _indent(line) < indent + 4:
            return Fence(lines[i], body, line, indent, char * length, False), j + 1
        if dedent and line.strip() and _indent(line) < indent:
            # Its list item is over, for CommonMark or for a renderer that reads the list
            # differently: either way the fence is closed before this line.
            return Fence(lines[i], body, None, indent, char * length, False), j
        body.append(line)
        j += 1
    return Fence(lines[i], body, None, indent, char * length, True), j


def parse(lines: list[str]) -> list[Prose | Fence]:
    """Fences and the prose between them, read as CommonMark and markdown-it would, but
    seeing a fence only where they surely do (see the docstring of `clean.py`)."""
    blocks: list[Prose | Fence] = []
    prose = Prose([], [])
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
            and TABLE_RULE.fullmatch(lines[i + 1]) is not None
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
                prose = Prose([], [])
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


def clean_fence(block: Fence) -> list[str]:
    """The fence's lines as shown: trailing blanks stripped, closed at the opener's indent."""
    body = [line.rstrip() for line in block.body]
    if block.closer is None:  # closed by the end of the text or of its list item
        body = trim_blank_edges(body, leading=False)
    # The closing line is written out in full at the opener's indent, so that every renderer
    # agrees on where the code stops, whatever list item it reads the fence in.
    return [block.opener.rstrip(), *body, block.closing()]


def trim_blank_edges(lines: list[str], leading: bool = True) -> list[str]:
    """Lines without the blank ones at the end, and at the start unless `leading` is false."""
    start, end = 0, len(lines)
    while leading and start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]
