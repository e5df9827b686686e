"""Prompt templates: loading, validation, selection, rendering, and the token budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.subject import (
    Diagnostic,
    Frame,
    Position,
    Range,
    RelatedInfo,
    Snippet,
    Subject,
)
from dexter_ls.explain.category.classify import CATEGORIES
from dexter_ls.explain.enclosing import find_enclosing
from dexter_ls.prompting.build import PromptPolicy, build_prompt
from dexter_ls.prompting.templates import (
    TemplateError,
    load_templates,
    model_family,
    parameters_b,
    parse_template,
)

SHIPPED = load_templates(None)


def model(name: str, family: str | None = None, size: str | None = None,
          window: int | None = None) -> ModelInfo:
    return ModelInfo(f"p/{name}", "p", name, name, family=family, parameter_size=size,
                     context_window=window)


def subject(**extra: object) -> Subject:
    diag = Diagnostic("Incompatible types in assignment (expression has type \"str\", variable "
                      "has type \"int\")", Range(Position(40, 4), Position(40, 9)), severity=1,
                      code="assignment", source="mypy", **extra)  # type: ignore[arg-type]
    lines = tuple(f"line_{i} = {i}" for i in range(20, 61))
    return Subject(diag, path="pkg/app.py", language="python", snippet=Snippet(20, lines))


def test_every_shipped_template_loads() -> None:
    assert SHIPPED.problems == ()
    kinds = {t.header.kind for t in SHIPPED.templates.values()}
    assert kinds == {"family", "category"}
    for category in CATEGORIES:
        if category != "other":
            assert SHIPPED.category_template(category) is not None, category
    assert SHIPPED.category_template("other") is None


@pytest.mark.parametrize("name, family, size, expected", [
    ("qwen2.5-coder:7b", "qwen2", "7.6B", "code"),
    ("qwen2.5-coder:1.5b", "qwen2", "1.5B", "code"),  # code beats small
    ("llama3.2:1b", "llama", "1.2B", "small"),  # small beats the family
    ("llama3.1:8b", "llama", "8.0B", "llama"),
    ("mistral:7b", "llama", "7.2B", "mistral"),
    ("gemma2:9b", "gemma2", "9.2B", "gemma"),
    ("phi3:14b", "phi3", "14B", "phi"),
    ("qwen2.5:14b", "qwen2", "14.8B", "qwen"),
    ("gpt-4o-mini", "gpt", None, "gpt"),
    ("claude-3-5-haiku-latest", "claude", None, "claude"),
    ("smollm2-135m", None, "135M", "small"),
    ("mystery-model", None, None, "base"),
])
def test_family_template_selection(name: str, family: str | None, size: str | None,
                                   expected: str) -> None:
    chosen = SHIPPED.family_template(model_family(family, name), parameters_b(size))
    assert chosen.name == expected


def test_category_focus_only_for_a_recognised_category() -> None:
    prompt = build_prompt(subject(), model("llama3.1:8b", "llama", "8B"), SHIPPED,
                          PromptPolicy("type", remote=False))
    assert prompt.signature == "llama@1+category-type@1"
    assert "type error" in prompt.request.messages[0].content
    general = build_prompt(subject(), model("llama3.1:8b", "llama", "8B"), SHIPPED,
                           PromptPolicy("other", remote=False))
    assert general.signature == "llama@1"
    assert "type error" not in general.request.messages[0].content
    assert "{focus}" not in general.request.messages[0].content


def test_rendering_with_every_context_element() -> None:
    rich = Subject(
        Diagnostic("boom", Range(Position(2, 0), Position(2, 4)), severity=2, code="X1",
                   source="tool", code_href="https://docs.example/X1",
                   related=(RelatedInfo("file:///a.py", Range(Position(9, 0), Position(9, 1)),
                                        "defined here"),)),
        path="a.py", language="python", snippet=Snippet(0, ("a = 1", "b = 2", "boom()")),
        frames=(Frame("a.py", 3, "main", "boom()"),))
    user = build_prompt(rich, model("x"), SHIPPED, PromptPolicy("other", remote=False)) \
        .request.messages[1].content
    for piece in ("Warning from tool (code X1) at a.py:3:1", "boom", "Language: python",
                  "Documentation: https://docs.example/X1", "Related (file:///a.py line 10): "
                  "defined here", 'File "a.py", line 3, in main', ">3 | boom()", "```python"):
        assert piece in user, piece


def test_rendering_without_optional_elements_leaves_no_placeholders() -> None:
    bare = Subject(Diagnostic("boom", Range(Position(0, 0), Position(0, 1))))
    request = build_prompt(bare, model("x"), SHIPPED, PromptPolicy("other", remote=False)).request
    text = "\n".join(m.content for m in request.messages)
    assert "boom" in text and "{" not in text and "Traceback" not in text and "```" not in text


def test_the_budget_cuts_far_lines_first_and_keeps_the_error_line() -> None:
    small = model("tiny", window=950)  # base: 700 output tokens leave little for context
    prompt = build_prompt(subject(), small, SHIPPED, PromptPolicy("other", remote=False))
    user = prompt.request.messages[1].content
    assert prompt.cut_lines > 0
    assert ">41 | line_40 = 40" in user and "Incompatible types" in user
    assert "line_20 = 20" not in user and "line_60 = 60" not in user  # the far ends went first
    kept = [n for n in range(20, 61) if f"line_{n} = {n}" in user]
    assert kept == list(range(min(kept), max(kept) + 1))  # a contiguous window around 40
    assert prompt.estimated_tokens <= 950


def test_a_generous_window_keeps_everything() -> None:
    prompt = build_prompt(subject(), model("big", window=128_000), SHIPPED,
                          PromptPolicy("other", remote=False))
    assert prompt.cut_lines == 0 and "line_20 = 20" in prompt.request.messages[1].content


@pytest.mark.parametrize("text, line, words", [
    ("name: x\nversion: 1\nkind: family\n", 1, "no '---'"),
    ("name: x\nversion: zero\nkind: family\n---\n[system]\na\n[user]\nb\n", 2, "version"),
    ("name: x\nversion: 1\nkind: family\nflavour: mint\n---\n", 4, "flavour"),
    ("name: x\nversion: 1\nkind: family\n---\n[system]\n{secret}\n[user]\nb\n", 6, "secret"),
    ("name: x\nversion: 1\nkind: family\n---\n[system]\nonly system\n", 6, "[user]"),
    ("name: x\nversion: 1\nkind: family\nno colon here\n---\n", 4, "key: value"),
])
def test_broken_templates_are_reported_with_file_and_line(text: str, line: int,
                                                          words: str) -> None:
    with pytest.raises(TemplateError) as error:
        parse_template(text, "mine.txt")
    assert str(error.value).startswith(f"mine.txt:{line}:")
    assert words in str(error.value)


def test_user_templates_override_and_broken_ones_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text(
        "name: base\nversion: 7\nkind: family\nfamilies: *\n---\n[system]\nMINE\n{focus}\n"
        "[user]\n{diagnostic}\n")
    (tmp_path / "broken.txt").write_text("name: broken\n")
    loaded = load_templates(str(tmp_path))
    assert loaded.templates["base"].header.version == 7
    assert "broken" not in loaded.templates
    assert any("broken.txt:1" in p for p in loaded.problems)
    prompt = build_prompt(subject(), model("mystery"), loaded, PromptPolicy("other", False))
    assert prompt.request.messages[0].content.startswith("MINE")
    assert prompt.signature == "base@7"


def test_a_missing_prompt_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    loaded = load_templates(str(tmp_path / "nope"))
    assert "base" in loaded.templates
    assert any("not a directory" in p for p in loaded.problems)


def test_remote_prompts_are_redacted_across_lines_and_local_ones_are_not() -> None:
    key = ["-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA1c7r0Zq8mXjv5Nf3",
           "q9Xk2Lb4w8TtY6uPz0aB1cD2eF3gH4iJ", "-----END RSA PRIVATE KEY-----"]
    lines = ('TOKEN = "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"', *key, "crash()")
    leaky = Subject(Diagnostic("boom", Range(Position(5, 0), Position(5, 5))), path="k.py",
                    snippet=Snippet(0, lines))
    remote = build_prompt(leaky, model("x"), SHIPPED, PromptPolicy("other", remote=True))
    user = remote.request.messages[1].content
    assert "ghp_aB3d" not in user and "MIIEow" not in user and "q9Xk2" not in user
    assert user.count("[REDACTED:private-key]") == 4  # line numbers stay aligned
    assert ">6 | crash()" in user
    assert remote.redactions == 2
    local = build_prompt(leaky, model("x"), SHIPPED, PromptPolicy("other", remote=False))
    assert "MIIEow" in local.request.messages[1].content and local.redactions == 0


@pytest.mark.parametrize("source, line, expected", [
    (["class Cart:", "    def total(self):", "        x = 1", "        return y"], 3,
     "def total(self):"),
    (["fn main() {", "    let v = vec![1];", "    println!(\"{}\", w);", "}"], 2, "fn main() {"),
    (["func handler(w http.ResponseWriter) {", "\tfmt.Println(x)", "}"], 1,
     "func handler(w http.ResponseWriter) {"),
    (["export async function load() {", "  return fetch(url)", "}"], 1,
     "export async function load() {"),
    (["import os", "print(x)"], 1, None),  # top level: nothing encloses it
])
def test_the_enclosing_function_is_found_cheaply(source: list[str], line: int,
                                                 expected: str | None) -> None:
    assert find_enclosing(source, line) == expected


def test_the_enclosing_function_is_part_of_the_prompt() -> None:
    inside = Subject(Diagnostic("boom", Range(Position(1, 4), Position(1, 5))), path="a.py",
                     enclosing="def total(items):")
    user = build_prompt(inside, model("x"), SHIPPED, PromptPolicy("other", remote=False)) \
        .request.messages[1].content
    assert "Inside: def total(items):" in user
