"""`dexter prompts list|show|render`: the templates, and exactly what a model would be sent."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from dexter_ls.assemble import close_providers
from dexter_ls.cli.setup import SetupError, load_settings, make_registry
from dexter_ls.core.validate import without_defaults
from dexter_ls.explain.category.classify import classify
from dexter_ls.intake.parse import parse_output
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.prompting.templates import TemplateSet, load_templates
from dexter_ls.settings import Settings


def run_prompts(args: argparse.Namespace) -> int:
    try:
        settings = load_settings({}, {})
    except SetupError as exc:
        print(f"dexter prompts: {exc}", file=sys.stderr)
        return 2
    templates = load_templates(settings.prompts.directory)
    for problem in templates.problems:
        print(f"dexter prompts: {problem}", file=sys.stderr)
    if args.action == "list":
        for template in sorted(templates.templates.values(),
                               key=lambda t: (t.header.kind, t.name)):
            head = template.header
            scope = ", ".join(head.families if head.kind == "family" else head.categories)
            size = f" <= {head.max_params_b}B" if head.max_params_b else ""
            print(f"{template.name:22s} v{head.version}  {head.kind:8s} {scope}{size}  "
                  f"({template.path})")
        return 0
    if args.action == "show":
        chosen = templates.templates.get(args.name)
        if chosen is None:
            print(f"dexter prompts: no template named {args.name!r}; see 'dexter prompts list'",
                  file=sys.stderr)
            return 2
        print(json.dumps(without_defaults(chosen.header)))
        for name, body in chosen.sections.items():
            print(f"[{name}]\n{body}")
        return 0
    return _render(args, settings, templates)


def _render(args: argparse.Namespace, settings: Settings, templates: TemplateSet) -> int:
    """The request `dexter explain` would send for the first error on stdin: the same
    subject (paths made relative, the source lines around the error) and the same prompt
    builder (templates, redaction), through the Explainer."""
    from dexter_ls.cli.explain import localise
    from dexter_ls.explain.service import Explainer

    text = sys.stdin.read() if sys.stdin is not None else ""
    try:
        subjects = parse_output(text)
    except ValueError as exc:
        print(f"dexter prompts render: {exc}", file=sys.stderr)
        return 2
    if not subjects:
        print("dexter prompts render: no diagnostic in the input (give LSP JSON or tool "
              "output on stdin)", file=sys.stderr)
        return 2
    registry = make_registry(settings)
    model = registry.canonical(args.model)
    asyncio.run(_discover(registry, model))  # as `dexter explain` does before it asks
    info = registry.describe(model)
    subject = localise(subjects[0], settings.explain.context_lines)
    category = args.category or classify(subject)
    explainer = Explainer(registry, lambda: settings)
    prompt = explainer.prompt(subject, info, category)
    print(f"# model {info.id} ({'local' if info.local else 'remote'}), category {category}, "
          f"templates {prompt.signature}, ~{prompt.estimated_tokens} tokens, "
          f"{prompt.redactions} redactions, {prompt.cut_lines} lines cut")
    for message in prompt.request.messages:
        print(f"\n## {message.role}\n{message.content}")
    return 0


async def _discover(registry: ModelRegistry, model: str) -> None:
    try:
        await registry.discover_for([model])
    finally:
        await close_providers(registry.providers())
