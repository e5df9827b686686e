"""Building a Subject from what the server knows about a document."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp

from dexter_ls.core.languages import language_for_path
from dexter_ls.core.subject import Diagnostic, Position, Range, Snippet, Subject
from dexter_ls.explain.enclosing import find_enclosing
from dexter_ls.features.base import DexterServer
from dexter_ls.store.source_files import denied, read_source

log = logging.getLogger(__name__)


class UnknownDocument(LookupError):
    pass


def open_subject(ls: DexterServer, uri: str, diag: Diagnostic) -> Subject | None:
    """A Subject for an open document, from memory only (hover and code-action paths).
    A credentials file (`.env`, `*.pem`, `.ssh/`...) lends no source even when open."""
    doc = ls.workspace.text_documents.get(uri)
    if doc is None:
        return None
    path = file_path(uri)
    allow = ls.settings.privacy.allow_globs
    lines = [] if path is not None and _credentials(ls, path, allow) else list(doc.lines)
    return make_subject(ls, uri, diag, lines, doc.language_id)


def memory_subject(ls: DexterServer, uri: str, diag: Diagnostic) -> Subject:
    """Like open_subject, but without source lines when the document is not open."""
    return open_subject(ls, uri, diag) or make_subject(ls, uri, diag, [], None)


async def any_subject(ls: DexterServer, uri: str, diag: Diagnostic) -> Subject:
    """A Subject for an open document, or a file on disk; raises UnknownDocument."""
    subject = open_subject(ls, uri, diag)
    if subject is not None:
        return subject
    path = file_path(uri)
    if path is None or not await asyncio.to_thread(path.exists):
        raise UnknownDocument(f"unknown document '{uri}': it is not open and not a readable file")
    lines, why = await asyncio.to_thread(read_source, path, project_roots(ls),
                                         ls.settings.privacy.allow_globs)
    if lines is None:  # explained without its source: said in the log, not an error
        log.info("source of %s not attached: %s", uri, why)
        return make_subject(ls, uri, diag, [], None)
    return make_subject(ls, uri, diag, lines, None)


def project_roots(ls: DexterServer) -> list[Path]:
    """The workspace folders (or the root the client gave): the only places source is read."""
    roots = [r for r in (file_path(f.uri) for f in ls.workspace.folders.values()) if r]
    if not roots and ls.workspace.root_path:
        roots.append(Path(ls.workspace.root_path))
    return roots


def _credentials(ls: DexterServer, path: Path, allow: Sequence[str]) -> bool:
    display = Path(_relative(ls, path)).as_posix().lstrip("/")
    return denied(display, allow) or denied(path.name, allow)


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


@lru_cache(maxsize=1024)  # the same open documents, on every explanation and code action
def file_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def _relative(ls: DexterServer, path: Path) -> str:
    workspace = ls.workspace
    return _relative_to(path, tuple(f.uri for f in workspace.folders.values()),
                        workspace.root_path)


@lru_cache(maxsize=1024)
def _relative_to(path: Path, folders: tuple[str, ...], root_path: str | None) -> str:
    for folder in folders:
        root = file_path(folder)
        if root is not None and path.is_relative_to(root):
            return str(path.relative_to(root))
    if root_path and path.is_relative_to(root_path):
        return str(path.relative_to(root_path))
    return str(path)
