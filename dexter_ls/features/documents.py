"""Building a Subject from what the server knows about a document."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp

from dexter_ls.core.languages import language_for_path
from dexter_ls.core.subject import Diagnostic, Position, Range, Snippet, Subject
from dexter_ls.explain.enclosing import find_enclosing
from dexter_ls.features.base import DexterServer


class UnknownDocument(LookupError):
    pass


def open_subject(ls: DexterServer, uri: str, diag: Diagnostic) -> Subject | None:
    """A Subject for an open document, from memory only (hover and code-action paths)."""
    doc = ls.workspace.text_documents.get(uri)
    if doc is None:
        return None
    return make_subject(ls, uri, diag, list(doc.lines), doc.language_id)


def memory_subject(ls: DexterServer, uri: str, diag: Diagnostic) -> Subject:
    """Like open_subject, but without source lines when the document is not open."""
    return open_subject(ls, uri, diag) or make_subject(ls, uri, diag, [], None)


async def any_subject(ls: DexterServer, uri: str, diag: Diagnostic) -> Subject:
    """A Subject for an open document, or a file on disk; raises UnknownDocument."""
    subject = open_subject(ls, uri, diag)
    if subject is not None:
        return subject
    path = file_path(uri)
    if path is None or not await asyncio.to_thread(path.is_file):
        raise UnknownDocument(f"unknown document '{uri}': it is not open and not a readable file")
    try:
        text = await asyncio.to_thread(path.read_text, "utf-8", "replace")
    except OSError as exc:
        raise UnknownDocument(f"cannot read '{uri}': {exc.strerror}") from None
    return make_subject(ls, uri, diag, text.splitlines(keepends=True), None)


def make_subject(
    ls: DexterServer, uri: str, diag: Diagnostic, lines: list[str], language: str | None
) -> Subject:
    diag = in_characters(ls, diag, lines)
    snippet = Snippet.around(lines, diag.range.start.line, ls.settings.explain.context_lines)
    path = file_path(uri)
    display = _relative(ls, path) if path else uri
    return Subject(
        diagnostic=diag,
        uri=uri,
        path=display,
        language=language or language_for_path(display),
        snippet=snippet,
        enclosing=find_enclosing(lines, diag.range.start.line),
    )


def in_characters(ls: DexterServer, diag: Diagnostic, lines: list[str]) -> Diagnostic:
    """`diag` with columns counted in characters, as people count them (and as the prompt and
    the answer show them), whatever position encoding the client negotiated (UTF-16 code
    units by default, UTF-8 bytes for some). Lines not in `lines` are left as they are."""
    if not lines:
        return diag
    codec = ls.workspace.position_codec

    def convert(p: Position) -> Position:
        if p.line >= len(lines) or lines[p.line].isascii():  # every encoding agrees there
            return p
        moved = codec.position_from_client_units(lines, lsp.Position(p.line, p.character))
        return Position(moved.line, moved.character)

    start, end = convert(diag.range.start), convert(diag.range.end)
    if (start, end) == (diag.range.start, diag.range.end):
        return diag
    return replace(diag, range=Range(start, end))


def file_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def _relative(ls: DexterServer, path: Path) -> str:
    for folder in [*ls.workspace.folders.values()]:
        root = file_path(folder.uri)
        if root is not None and path.is_relative_to(root):
            return str(path.relative_to(root))
    root_path = ls.workspace.root_path
    if root_path and path.is_relative_to(root_path):
        return str(path.relative_to(root_path))
    return str(path)
