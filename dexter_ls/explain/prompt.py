"""A request for a subject and model with the shipped templates and no privacy policy:
for callers outside the Explainer (benchmarks, adapter tests)."""

from __future__ import annotations

from functools import cache

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ChatRequest
from dexter_ls.core.subject import Subject
from dexter_ls.explain.category.classify import classify
from dexter_ls.prompting.build import PromptPolicy, build_prompt
from dexter_ls.prompting.templates import TemplateSet, load_templates


@cache
def shipped_templates() -> TemplateSet:
    return load_templates(None)


def build_request(subject: Subject, model: ModelInfo) -> ChatRequest:
    policy = PromptPolicy(classify(subject), remote=False)
    return build_prompt(subject, model, shipped_templates(), policy).request
