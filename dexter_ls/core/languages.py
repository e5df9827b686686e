"""Language ids (as LSP names them) from file names."""

from __future__ import annotations

from pathlib import PurePath

_BY_SUFFIX = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "typescriptreact",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascriptreact",
    ".rs": "rust", ".go": "go",
    ".c": "c", ".h": "c",
    ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp", ".hxx": "cpp",
}


def language_for_path(path: str | None) -> str | None:
    if not path:
        return None
    return _BY_SUFFIX.get(PurePath(path).suffix.lower())
