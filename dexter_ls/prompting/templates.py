"""Prompt templates: plain-text files with a small header, loaded from the shipped
`prompts/` folder and the user's `dexter.prompts.directory`.

A file is a header of `key: value` lines, a `---` line, then sections `[system]`,
`[user]` (family templates) or `[focus]` (category templates). Family templates may
use the placeholders {diagnostic}, {traceback}, {code} and {focus}. A broken file is
reported with its path and line and skipped; it never stops the server.

Selection: the family template is `code` for code models, else `small` for models of
at most `max_params_b` billion parameters, else the model's own family, else `base`;
the category template adds its [focus] only when the diagnostic's
category is its own. A user template with the name of a shipped one replaces it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from dexter_ls.core.validate import Invalid, build, rule
from dexter_ls.store.files import read_regular_file

log = logging.getLogger(__name__)
PLACEHOLDERS = frozenset({"diagnostic", "traceback", "code", "focus"})
CODE_FAMILIES = ("qwen2.5-coder", "deepseek-coder", "codellama", "starcoder", "codegemma",
                 "codestral", "qwen3-coder", "devstral")


def _split(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


@dataclass(frozen=True)
class Header:
    name: str = rule(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    version: int = rule(ge=1)
    kind: Literal["family", "category"] = rule()
    families: list[str] = rule(default_factory=list, before=_split)
    categories: list[str] = rule(default_factory=list, before=_split)
    max_params_b: float | None = rule(default=None, gt=0)
    output_tokens: int = rule(default=700, ge=32, le=8192)
    temperature: float = rule(default=0.2, ge=0, le=2)


@dataclass(frozen=True)
class Template:
    header: Header
    sections: dict[str, str]
    path: str

    @property
    def name(self) -> str:
        return self.header.name

    @property
    def signature(self) -> str:
        return f"{self.header.name}@{self.header.version}"


class TemplateError(ValueError):
    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")


def parse_template(text: str, path: str) -> Template:
    lines = text.splitlines()
    try:
        split = next(i for i, line in enumerate(lines) if line.strip() == "---")
    except StopIteration:
        raise TemplateError(path, 1, "no '---' line ends the header") from None
    raw: dict[str, str] = {}
    for number, line in enumerate(lines[:split], start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise TemplateError(path, number, f"expected 'key: value', got {line.strip()!r}")
        raw[key.strip()] = value.strip()
    try:
        header = build(Header, raw)
    except Invalid as exc:
        first = exc.problems[0]
        key = str(first.loc[0]) if first.loc else "?"
        number = next((i for i, line in enumerate(lines[:split], start=1)
                       if line.partition(":")[0].strip() == key), 1)
        raise TemplateError(path, number, f"{key}: {first.message}") from None
    sections: dict[str, str] = {}
    current: str | None = None
    for number, line in enumerate(lines[split + 1:], start=split + 2):
        marker = re.fullmatch(r"\[(system|user|focus)\]\s*", line)
        if marker:
            current = marker.group(1)
            sections[current] = ""
            continue
        if current is None:
            if line.strip():
                raise TemplateError(path, number, "text before the first [section]")
            continue
        for name in re.findall(r"\{(\w+)\}", line):
            if name not in PLACEHOLDERS:
                raise TemplateError(path, number, f"unknown placeholder {{{name}}}; "
                                    f"known: {', '.join(sorted(PLACEHOLDERS))}")
        sections[current] += line + "\n"
    needed = {"system", "user"} if header.kind == "family" else {"focus"}
    missing = needed - sections.keys()
    if missing:
        raise TemplateError(path, len(lines), f"missing section [{sorted(missing)[0]}]")
    return Template(header, {k: v.strip() for k, v in sections.items()}, path)


@dataclass(frozen=True)
class TemplateSet:
    templates: dict[str, Template]
    problems: tuple[str, ...]
    _chosen: dict[tuple[str, object, object], Template | None] = field(
        default_factory=dict, compare=False, repr=False)  # answers so far (a set never changes)

    def family_template(self, family: str | None, params_b: float | None) -> Template:
        """Code models get `code`; small models (<= max_params_b) the short prompt; then the
        model's own family; else `base`."""
        key = ("family", family, params_b)
        if key not in self._chosen:
            self._chosen[key] = self._family_template(family, params_b)
        chosen = self._chosen[key]
        assert chosen is not None
        return chosen

    def _family_template(self, family: str | None, params_b: float | None) -> Template:
        families = [t for t in self.templates.values() if t.header.kind == "family"]
        wanted = (family or "").lower()

        def named(name: str) -> Template | None:
            return next((t for t in families
                         if any(name == f.lower() for f in t.header.families)), None)

        own = named(wanted) if wanted else None
        if wanted == "code" and own:
            return own
        if params_b is not None:
            small = [t for t in families if t.header.max_params_b is not None
                     and params_b <= t.header.max_params_b]
            if small:
                return min(small, key=lambda t: t.header.max_params_b or 0)
        return own or self.templates["base"]

    def category_template(self, category: str) -> Template | None:
        key = ("category", category, None)
        if key not in self._chosen:
            self._chosen[key] = self._category_template(category)
        return self._chosen[key]

    def _category_template(self, category: str) -> Template | None:
        for template in self.templates.values():
            if template.header.kind == "category" and category in template.header.categories:
                return template
        return None


MAX_TEMPLATE_BYTES = 256_000
MAX_TEMPLATE_FILES = 200


def _read_template(path: Path) -> tuple[str | None, str]:
    """A user template's text, or why not: regular files only (a folder, a FIFO or a link
    to a device is skipped, never read), at most MAX_TEMPLATE_BYTES."""
    data, why = read_regular_file(path, MAX_TEMPLATE_BYTES)
    if data is None:
        return None, why
    return data.decode("utf-8", "replace"), ""


def load_templates(user_directory: str | None = None) -> TemplateSet:
    """Shipped templates, then the user's (same name: the user's wins). Blocking file reads."""
    templates: dict[str, Template] = {}
    problems: list[str] = []
    shipped = resources.files("dexter_ls") / "prompts"
    sources: list[tuple[str, str]] = [
        (f"prompts/{item.name}", item.read_text("utf-8"))
        for item in sorted(shipped.iterdir(), key=lambda p: p.name) if item.name.endswith(".txt")]
    if user_directory:
        folder = Path(user_directory).expanduser()
        if folder.is_dir():
            for entry in sorted(folder.glob("*.txt"))[:MAX_TEMPLATE_FILES]:
                text, why = _read_template(entry)
                if text is None:
                    problems.append(f"prompt template {entry} skipped: {why}")
                else:
                    sources.append((str(entry), text))
        else:
            problems.append(f"dexter.prompts.directory: {folder} is not a directory")
    for path, text in sources:
        try:
            template = parse_template(text, path)
        except TemplateError as exc:
            problems.append(f"prompt template skipped: {exc}")
            continue
        templates[template.name] = template
    if "base" not in templates:  # the shipped base is broken: a bug, but keep answering
        templates["base"] = parse_template(FALLBACK_BASE, "<built-in base>")
    for problem in problems:
        log.warning("%s", problem)
    return TemplateSet(templates, tuple(problems))


def model_family(family: str | None, name: str) -> str | None:
    """The template family of a model: code models first, then the registry's family."""
    lowered = name.lower()
    if any(code in lowered for code in CODE_FAMILIES):
        return "code"
    known = ("llama", "mistral", "mixtral", "gemma", "phi", "qwen", "gpt", "o1", "o3", "o4",
             "claude")
    for source in (lowered, (family or "").lower()):  # the name is more specific
        for prefix in known:
            if source.startswith(prefix):
                return "mistral" if prefix == "mixtral" else prefix
    return family


def parameters_b(size: str | None) -> float | None:
    """'3.2B' -> 3.2, '135M' -> 0.135, None -> None."""
    if not size:
        return None
    found = re.fullmatch(r"\s*([\d.]+)\s*([BbMm])\s*", size)
    if not found:
        return None
    value = float(found.group(1))
    return value if found.group(2).lower() == "b" else value / 1000


FALLBACK_BASE = """name: base
version: 1
kind: family
families: *
---
[system]
Explain the diagnostic: what it means, the likely cause in this code, and the fix.
{focus}
[user]
{diagnostic}
{traceback}
{code}
"""
