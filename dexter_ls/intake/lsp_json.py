"""LSP diagnostics as JSON: validation with precise messages, and Subjects for the CLI.

Accepted by `subjects_from_json`: one Diagnostic, a list of them, publishDiagnostics params
`{"uri", "diagnostics": [...]}`, `{"uri", "diagnostic": {...}}`, or a list of those.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeGuard
from urllib.parse import unquote, urlsplit

from dexter_ls.core.subject import Diagnostic, Position, Range, RelatedInfo, Subject
from dexter_ls.intake.common import language_for


def diagnostic_from_json(obj: object, where: str = "diagnostic") -> Diagnostic:
    """Validate an LSP Diagnostic; the ValueError names the bad field (`where` is its prefix)."""
    data = _object(obj, where)
    message = _required(data, "message", where)
    if not isinstance(message, str) or not message.strip():
        raise ValueError(f"{where}.message must be a non-empty string, got {_show(message)}")
    return Diagnostic(
        message=message,
        range=range_from_json(_required(data, "range", where), f"{where}.range"),
        severity=_severity(data.get("severity"), f"{where}.severity"),
        code=_code(data.get("code"), f"{where}.code"),
        source=_optional_str(data.get("source"), f"{where}.source"),
        code_href=_href(data.get("codeDescription"), f"{where}.codeDescription"),
        related=_related(data.get("relatedInformation"), f"{where}.relatedInformation"),
    )


def range_from_json(obj: object, where: str) -> Range:
    quick = _plain_range(obj)  # the common, valid case without building error paths
    if quick is not None:
        return quick
    data = _object(obj, where)
    start = _position(_required(data, "start", where), f"{where}.start")
    end = _position(_required(data, "end", where), f"{where}.end")
    if (end.line, end.character) < (start.line, start.character):
        raise ValueError(f"{where}.end must not come before {where}.start")
    return Range(start, end)


def subjects_from_json(value: object) -> list[Subject]:
    if isinstance(value, list):
        found: list[Subject] = []
        for index, item in enumerate(value):
            if _is_params(item):
                found.extend(_from_params(item, f"[{index}]."))
            else:
                found.append(_subject(diagnostic_from_json(item, f"diagnostics[{index}]"), None))
        return found
    if _is_params(value):
        return _from_params(value, "")
    return [_subject(diagnostic_from_json(value), None)]


def uri_to_path(uri: str) -> str | None:
    """A local path for a file:// URI (or a bare path); None for other schemes."""
    parts = urlsplit(uri)
    if len(parts.scheme) <= 1:  # no scheme, or a Windows drive letter
        return uri or None
    if parts.scheme.lower() != "file":
        return None
    path = unquote(parts.path)
    if re.match(r"^/[A-Za-z]:", path):
        path = path[1:]
    if parts.netloc and parts.netloc.lower() != "localhost":
        path = f"//{parts.netloc}{path}"
    return path or None


def _is_params(value: object) -> TypeGuard[Mapping[str, object]]:
    if not isinstance(value, Mapping):
        return False
    return "diagnostics" in value or "diagnostic" in value or (
        "uri" in value and "message" not in value)


def _from_params(data: Mapping[str, object], prefix: str) -> list[Subject]:
    uri = data.get("uri")
    if not isinstance(uri, str) or not uri:
        raise ValueError(f"{prefix}uri must be a non-empty string, got {_show(uri)}")
    if "diagnostics" in data:
        items = data["diagnostics"]
        if not isinstance(items, list):
            raise ValueError(f"{prefix}diagnostics must be a list, got {_show(items)}")
        return [_subject(diagnostic_from_json(item, f"{prefix}diagnostics[{index}]"), uri)
                for index, item in enumerate(items)]
    if "diagnostic" in data:
        return [_subject(diagnostic_from_json(data["diagnostic"], f"{prefix}diagnostic"), uri)]
    raise ValueError(f"{prefix}diagnostics is missing (expected {{uri, diagnostics: [...]}})")


def _subject(diagnostic: Diagnostic, uri: str | None) -> Subject:
    path = uri_to_path(uri) if uri else None
    return Subject(diagnostic=diagnostic, uri=uri, path=path,
                   language=language_for(path, (diagnostic.source or "").lower() or None))


def _plain_range(obj: object) -> Range | None:
    """A well-formed range of plain JSON, or None to validate it field by field."""
    if type(obj) is not dict:
        return None
    start, end = obj.get("start"), obj.get("end")
    if type(start) is not dict or type(end) is not dict:
        return None
    a, b, c, d = start.get("line"), start.get("character"), end.get("line"), end.get("character")
    if not (type(a) is int and type(b) is int and type(c) is int and type(d) is int
            and a >= 0 and b >= 0 and (c, d) >= (a, b)):
        return None
    return Range(Position(a, b), Position(c, d))


def _object(obj: object, where: str) -> Mapping[str, object]:
    if type(obj) is dict:
        return obj
    if not isinstance(obj, Mapping):
        raise ValueError(f"{where} must be an object, got {_show(obj)}")
    return obj


def _required(data: Mapping[str, object], key: str, where: str) -> object:
    if key not in data:
        raise ValueError(f"{where}.{key} is missing")
    return data[key]


def _position(obj: object, where: str) -> Position:
    data = _object(obj, where)
    line = _uint(_required(data, "line", where), f"{where}.line")
    character = _uint(_required(data, "character", where), f"{where}.character")
    return Position(line, character)


def _uint(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{where} must be a non-negative integer, got {_show(value)}")
    return value


def _severity(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise ValueError(f"{where} must be 1, 2, 3 or 4, got {_show(value)}")
    return value


def _code(value: object, where: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"{where} must be a string or an integer, got {_show(value)}")
    return str(value)


def _optional_str(value: object, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    raise ValueError(f"{where} must be a string, got {_show(value)}")


def _href(value: object, where: str) -> str | None:
    if value is None:
        return None
    href = _required(_object(value, where), "href", where)
    if not isinstance(href, str):
        raise ValueError(f"{where}.href must be a string, got {_show(href)}")
    return href or None


def _related(value: object, where: str) -> tuple[RelatedInfo, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list, got {_show(value)}")
    return tuple(_related_item(item, f"{where}[{index}]") for index, item in enumerate(value))


def _related_item(obj: object, where: str) -> RelatedInfo:
    data = _object(obj, where)
    location = _object(_required(data, "location", where), f"{where}.location")
    uri = _required(location, "uri", f"{where}.location")
    if not isinstance(uri, str) or not uri:
        raise ValueError(f"{where}.location.uri must be a non-empty string, got {_show(uri)}")
    rng = range_from_json(_required(location, "range", f"{where}.location"),
                          f"{where}.location.range")
    message = _required(data, "message", where)
    if not isinstance(message, str):
        raise ValueError(f"{where}.message must be a string, got {_show(message)}")
    return RelatedInfo(uri=uri, range=rng, message=message)


def _show(value: object) -> str:
    """A JSON value as a user would recognise it in an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 40 else f"{text[:36]}...'"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__
