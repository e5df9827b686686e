"""Between lsprotocol types and the core's LSP-free types."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from dexter_ls.core.subject import Diagnostic, Position, Range, RelatedInfo


def position(p: lsp.Position) -> Position:
    return Position(p.line, p.character)


def range_(r: lsp.Range) -> Range:
    return Range(position(r.start), position(r.end))


def to_lsp_range(r: Range) -> lsp.Range:
    return lsp.Range(
        start=lsp.Position(r.start.line, r.start.character),
        end=lsp.Position(r.end.line, r.end.character),
    )


def diagnostic(d: lsp.Diagnostic) -> Diagnostic:
    related = tuple(
        RelatedInfo(r.location.uri, range_(r.location.range), r.message)
        for r in d.related_information or ()
    )
    return Diagnostic(
        message=d.message,
        range=range_(d.range),
        severity=int(d.severity) if d.severity is not None else None,
        code=None if d.code is None else str(d.code),
        source=d.source,
        code_href=d.code_description.href if d.code_description else None,
        related=related,
    )


def to_lsp_diagnostic(d: Diagnostic) -> lsp.Diagnostic:
    """The inverse of `diagnostic` (for diagnostics the server knows from a push)."""
    return lsp.Diagnostic(
        range=to_lsp_range(d.range),
        message=d.message,
        severity=lsp.DiagnosticSeverity(d.severity) if d.severity in (1, 2, 3, 4) else None,
        code=d.code,
        source=d.source,
        code_description=lsp.CodeDescription(d.code_href) if d.code_href else None,
        related_information=[
            lsp.DiagnosticRelatedInformation(lsp.Location(r.uri, to_lsp_range(r.range)),
                                             r.message)
            for r in d.related] or None,
    )


def plain(value: Any) -> Any:
    """pygls hands custom notifications' params over as namedtuples: back to dicts and lists."""
    if hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
