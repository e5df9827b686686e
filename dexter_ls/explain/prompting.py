"""The prompting and classification functions the Explainer uses, imported on first call.

Their modules compile many regular expressions and read template files; the language server
must answer `initialize` before paying for that (lifecycle warms them in a thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dexter_ls.core.model_info import ModelInfo
    from dexter_ls.core.subject import Subject
    from dexter_ls.prompting.build import Prompt
    from dexter_ls.prompting.templates import TemplateSet

MODULES = ("dexter_ls.explain.category.classify", "dexter_ls.prompting.build",
           "dexter_ls.prompting.clean.output", "dexter_ls.prompting.templates",
           "dexter_ls.settings")


def classify(subject: Subject) -> str:
    from dexter_ls.explain.category.classify import classify as real

    return real(subject)


def build_prompt(subject: Subject, info: ModelInfo, templates: TemplateSet, category: str, *,
                 remote: bool, exclude_globs: Sequence[str]) -> Prompt:
    from dexter_ls.prompting.build import PromptPolicy
    from dexter_ls.prompting.build import build_prompt as real

    return real(subject, info, templates,
                PromptPolicy(category, remote=remote, exclude_globs=tuple(exclude_globs)))


def clean_output(text: str) -> str:
    from dexter_ls.prompting.clean.output import clean_output as real

    return real(text)


def load_templates(directory: str | None) -> TemplateSet:
    from dexter_ls.prompting.templates import load_templates as real

    return real(directory)


def model_family(family: str | None, name: str) -> str | None:
    from dexter_ls.prompting.templates import model_family as real

    return real(family, name)


def parameters_b(size: str | None) -> float | None:
    from dexter_ls.prompting.templates import parameters_b as real

    return real(size)


def warm() -> None:
    """Import everything above now (the server does this in a thread after `initialized`)."""
    import importlib

    for name in MODULES:
        importlib.import_module(name)


__all__ = ["build_prompt", "classify", "clean_output", "load_templates",
           "model_family", "parameters_b", "warm"]
