"""Python tracebacks, chained ones included, and SyntaxError reports (with or without a header)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dexter_ls.core.subject import Frame, Position, Subject
from dexter_ls.intake.common import ERROR, Step, make_subject

_HEADER = re.compile(r"^\s*Traceback \(most recent call last\):\s*$")
_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>.+?))?\s*$')
_MARKER = re.compile(r"^\s*[\^~]+\s*$")
_EXCEPTION = re.compile(
    r"^(?P<qual>(?:[A-Za-z_]\w*\.)*(?P<name>[A-Za-z_]\w*))(?::(?: (?P<msg>.*))?)?$")
_CHAINED = (
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
)
# Frames in these files are the standard library's or a dependency's, not the user's code.
_LIBRARY = re.compile(
    r"[\\/]lib(?:64)?[\\/]python3|\\Lib\\|site-packages|dist-packages|<frozen |<string>")
_MAX_MESSAGE_LINES = 50
_SYNTAX_ERRORS = {"SyntaxError", "IndentationError", "TabError"}


@dataclass
class _Trace:
    frames: list[Frame] = field(default_factory=list)
    caret: tuple[int, int] | None = None  # (column, width) under the last frame's source line
    exception: re.Match[str] | None = None
    next: int = 0


def parse_traceback(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    if _HEADER.match(lines[i]):
        trace = _read(lines, i + 1)
    elif _FRAME.match(lines[i]):  # a SyntaxError in the main script prints no header
        trace = _read(lines, i)
    else:
        return None
    while trace.exception is not None:
        header = _chained_header(lines, trace.next)
        if header is None:
            break
        following = _read(lines, header + 1)
        if following.exception is None:  # cut short: keep the exception we have
            trace.next = following.next
            break
        trace = following
    if trace.exception is None:
        return [], trace.next
    return [_subject(trace)], trace.next


def _read(lines: Sequence[str], j: int) -> _Trace:
    trace = _Trace()
    while j < len(lines):
        found = _FRAME.match(lines[j])
        if found:
            text, trace.caret, j = _frame_body(lines, j + 1)
            trace.frames.append(Frame(found["path"], int(found["line"]), found["func"], text))
        elif lines[j].startswith("  ") and lines[j].strip():  # "[Previous line repeated ...]"
            j += 1
        else:
            break
    if j < len(lines):
        trace.exception = _EXCEPTION.match(lines[j].rstrip())
    trace.next = j + 1 if trace.exception else j
    return trace


def _frame_body(lines: Sequence[str], j: int) -> tuple[str | None, tuple[int, int] | None, int]:
    """The source line printed under a frame, the first marker line under it, and where next."""
    text: str | None = None
    caret: tuple[int, int] | None = None
    indent = 0
    while j < len(lines) and lines[j].startswith("    ") and not _FRAME.match(lines[j]):
        raw = lines[j].rstrip()
        if _MARKER.match(raw):
            if text is not None and caret is None:
                marks = raw.strip()
                caret = (max(0, len(raw) - len(raw.lstrip()) - indent), len(marks))
        elif text is None:
            text = raw.strip()
            indent = len(raw) - len(raw.lstrip())
        j += 1
    return text, caret, j


def _chained_header(lines: Sequence[str], j: int) -> int | None:
    """The index of the next traceback's header when lines[j:] say the exception was chained."""
    limit = min(len(lines), j + _MAX_MESSAGE_LINES)
    while j < limit and lines[j].strip():  # the rest of a multi-line exception message
        j += 1
    j = _skip_blank(lines, j)
    if j >= len(lines) or lines[j].strip() not in _CHAINED:
        return None
    j = _skip_blank(lines, j + 1)
    return j if j < len(lines) and _HEADER.match(lines[j]) else None


def _skip_blank(lines: Sequence[str], j: int) -> int:
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j


def _chosen(frames: Sequence[Frame]) -> int | None:
    """The last frame in the user's own code, else the last frame."""
    for index in range(len(frames) - 1, -1, -1):
        if not _LIBRARY.search(frames[index].path):
            return index
    return len(frames) - 1 if frames else None


def _subject(trace: _Trace) -> Subject:
    found = trace.exception
    assert found is not None
    name = found["name"]
    index = _chosen(trace.frames)
    frame = trace.frames[index] if index is not None else None
    col: int | None = None
    end: Position | None = None
    if frame and index == len(trace.frames) - 1 and trace.caret and name in _SYNTAX_ERRORS:
        # Python prints the offending line without its indentation: the column is relative
        # to the stripped line, which is exact for top-level code.
        col = trace.caret[0] + 1
        end = Position(frame.line - 1, trace.caret[0] + trace.caret[1])
    return make_subject(
        frame.path if frame else None, frame.line if frame else None, col,
        found["msg"] or found.group(0).strip(), source="python", code=name, severity=ERROR,
        end=end, frames=trace.frames,
    )
