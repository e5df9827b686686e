"""The function or class around a line, found cheaply by indentation and keywords."""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_SCAN = 300
_HEADER = re.compile(
    r"^\s*(?:(?:pub(?:\(\w+\))?|export|default|async|static|public|private|protected|"
    r"unsafe|extern|inline|virtual|override)\s+)*"
    r"(?:def|class|fn|func|function|impl|trait|struct|enum|interface|module)\b")


def find_enclosing(lines: Sequence[str], line: int) -> str | None:
    """The nearest header line above `line` (0-based) that is less indented than it."""
    if not 0 <= line < len(lines):
        return None
    target = lines[line]
    indent = len(target) - len(target.lstrip())
    if indent == 0:
        return None  # nothing can be less indented than top-level code
    for number in range(line - 1, max(-1, line - MAX_SCAN), -1):
        text = lines[number].rstrip("\r\n")
        if not text.strip():
            continue
        level = len(text) - len(text.lstrip())
        if level < indent and _HEADER.match(text):
            return text.strip()[:200]
        if level == 0 and indent > 0 and not _HEADER.match(text) and not text.lstrip().startswith(
                ("@", "#", "//", "*", "/*", "}")):
            return None  # reached top-level code that is not a header
    return None
