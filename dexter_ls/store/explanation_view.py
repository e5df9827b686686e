"""Explanations written as Markdown files for editors that show them beside the code
(`dexter.explain.show`: the server asks the editor to open the file, without focus)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dexter_ls.store.files import write_atomically
from dexter_ls.store.paths import user_dir

MAX_FILES = 50  # one per diagnostic explained recently; older ones are removed


def view_dir() -> Path:
    return user_dir("cache") / "explanations"


def write_view(name: str, markdown: str) -> Path:
    """Write `markdown` to a file named after `name` (the same diagnostic reuses its file, so
    an editor refreshes the open tab); returns its path. Raises OSError."""
    folder = view_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    path = folder / f"dexter-{digest}.md"
    write_atomically(path, markdown)
    _prune(folder)
    return path


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("dexter-*.md"), key=lambda p: p.stat().st_mtime)
    for old in files[:-MAX_FILES]:
        old.unlink(missing_ok=True)
