"""clean_output as a whole: the length cap and its note, speed on hostile input, idempotence
(every sample of the other test_clean_* tables, and fuzzed input), and the footer line."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dexter_ls.prompting.clean.output import MAX_CHARS, clean_output, footer
from tests.unit.test_clean_chatter_fences import (
    BODY,
    CHATTER_KEPT,
    CHATTER_TRIMMED,
    CLEAN,
    FENCES,
    WHITESPACE,
    WRAPPED,
)
from tests.unit.test_clean_links_html import (
    ADVERSARIAL,
    HTML,
    HTML_KEPT,
    HTTP_LINKS_KEPT,
    LINKS,
)

# --- length ---------------------------------------------------------------------------------

PARAGRAPH = "The borrow checker rejects this because `v` is moved into the closure. " * 3


def test_a_long_answer_is_cut_at_a_paragraph_with_a_note() -> None:
    text = "\n\n".join(f"{n}. {PARAGRAPH.strip()}" for n in range(1, 21))
    out = clean_output(text, 1000)
    assert len(out) <= 1000
    kept, note = out.rsplit("\n\n", 1)
    assert text.startswith(kept + "\n\n")  # whole paragraphs only
    assert len(kept) > 500  # not far before the limit
    assert note == f"*(Answer shortened: {len(text) - len(kept)} characters cut.)*"


def test_a_cut_inside_a_fence_closes_it_before_the_note() -> None:
    code = "\n".join(f"let x{n} = vec![{n}; 4];" for n in range(400))
    text = f"Intro.\n\n```rust\n{code}\n```\n\nAfter the code."
    out = clean_output(text, 800)
    assert len(out) <= 800
    assert out.startswith("Intro.\n\n```rust\nlet x0 = vec![0; 4];\n")
    body, note = out.rsplit("\n\n", 1)
    assert body.endswith(";\n```")
    assert note.startswith("*(Answer shortened: ") and note.endswith(" characters cut.)*")
    assert clean_output(out, 800) == out


def test_without_paragraphs_the_cut_is_at_a_line() -> None:
    text = "\n".join(f"line {n} of the traceback" for n in range(500))
    out = clean_output(text, 300)
    kept = out.rsplit("\n\n", 1)[0]
    assert len(out) <= 300 and text.startswith(kept + "\n")


def test_one_endless_word_is_cut_hard() -> None:
    out = clean_output("x" * 10_000, 200)
    assert len(out) <= 200
    assert out.startswith("xxx") and out.endswith(" characters cut.)*")


def test_far_too_long_input_counts_every_cut_character() -> None:
    text = "word " * 100_000
    out = clean_output(text, 500)
    kept, note = out.rsplit("\n\n", 1)
    assert note == f"*(Answer shortened: {len(text.strip()) - len(kept)} characters cut.)*"


def test_an_answer_of_exactly_the_limit_is_whole() -> None:
    text = "a" * 150
    assert clean_output(text, 150) == text
    assert clean_output("a" * 151, 150).endswith(" characters cut.)*")


def test_the_default_limit() -> None:
    assert MAX_CHARS == 6000
    assert len(clean_output("word " * 5000)) <= MAX_CHARS


def test_a_limit_too_small_for_the_note_is_refused() -> None:
    with pytest.raises(ValueError):
        clean_output("text", 20)


def test_hostile_input_is_cleaned_quickly() -> None:
    hostile = [
        "[](" * 10_000,
        "<a" + " b" * 20_000 + "!",
        "<!--" * 10_000,
        "`a" * 20_000,
        "`" * 20_000,
        ("`" * 5 + " ") * 5_000,
        "<script>" * 5_000,
        "\n".join(["<div>"] + ["`x`"] * 5_000),
    ]
    start = time.perf_counter()
    for text in hostile:
        out = clean_output(text)
        assert len(out) <= MAX_CHARS
    assert time.perf_counter() - start < 20


def test_html_rebuilt_deeper_than_any_answer_is_shown_as_code() -> None:
    raw = "<" * 60 + "script>" * 60 + "alert(1)"
    out = clean_output(raw)
    assert out == "~~~\n" + raw + "\n~~~"
    assert clean_output(out) == out


# --- idempotence ----------------------------------------------------------------------------

ALL_SAMPLES = sorted(
    {raw for raw, _ in CHATTER_TRIMMED + WRAPPED + FENCES + LINKS + HTML + ADVERSARIAL}
    | {raw for raw, _ in WHITESPACE}
    | set(CHATTER_KEPT + HTTP_LINKS_KEPT + HTML_KEPT + CLEAN)
)


@pytest.mark.parametrize("raw", ALL_SAMPLES)
def test_cleaning_twice_changes_nothing_more(raw: str) -> None:
    once = clean_output(raw)
    assert clean_output(once) == once
    small = clean_output(raw * 3, 120)
    assert len(small) <= 120
    assert clean_output(small, 120) == small


FRAGMENTS = [
    "Sure! ", "Here's the explanation:\n", "text ", "`", "``", "```", "```python\n", "~~~\n",
    "````", "\n", "\n\n", " ", "    ", "\t", "- ", "1. ", "2. ", "> ", "# ", "|", "|---|\n",
    "\\", "[", "]", "(", ")", "![", "](", "<", ">", '"', "=", "command:x", "https://ok.example",
    "javascript:alert(1)", "<script>", "</script>", "<img src=x onerror=y>", '<a href="x">',
    "</a>", "<div>", "<b>", "</b>", "<!--", "-->", "<T>", "[r]: ", "[r]", "\x1b[1m", "\r\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_any_input_is_cleaned_for_good(raw: str) -> None:
    once = clean_output(raw)
    assert clean_output(once) == once
    capped = clean_output(raw * 4, 150)
    assert len(capped) <= 150
    assert clean_output(capped, 150) == capped


# --- footer ---------------------------------------------------------------------------------

FOOTERS = [
    ("ollama/qwen2.5-coder:7b", [], "\n\n---\n*Explained by `ollama/qwen2.5-coder:7b`.*"),
    (
        "builtin/reference",
        [("openai/gpt-4o-mini", "auth"), ("ollama/llama3", "connection")],
        "\n\n---\n*Explained by `builtin/reference` after `openai/gpt-4o-mini` (auth), "
        "`ollama/llama3` (connection).*",
    ),
    (
        "anthropic/claude-3-5-haiku",
        [("openai/gpt-4o", "rate-limited")],
        "\n\n---\n*Explained by `anthropic/claude-3-5-haiku` after `openai/gpt-4o` "
        "(rate-limited).*",
    ),
    ("odd`name", [], "\n\n---\n*Explained by ``odd`name``.*"),
    ("m", [("x", "")], "\n\n---\n*Explained by `m` after `x`.*"),
    ("m", [("x", "HTTP 500 *boom*\n<b>")], "\n\n---\n*Explained by `m` after `x` (HTTP 500 "
     "\\*boom\\* \\<b\\>).*"),
]


@pytest.mark.parametrize(("model", "fallbacks", "expected"), FOOTERS)
def test_footer(model: str, fallbacks: list[tuple[str, str]], expected: str) -> None:
    assert footer(model, fallbacks) == expected


def test_footer_survives_cleaning() -> None:
    line = footer("builtin/reference", [("openai/gpt-4o-mini", "auth")])
    assert clean_output(BODY + line) == BODY + line


def test_footer_names_the_time_and_each_fallback_once_with_its_tries() -> None:
    line = footer("builtin/reference",
                  [("ollama/x", "connection"), ("ollama/x", "connection"),
                   ("ollama/x", "timeout"), ("openai/y", "auth")], 1234.0)
    assert line == ("\n\n---\n*Explained by `builtin/reference` in 1.2 s after `ollama/x` "
                    "(connection, timeout; 3 tries), `openai/y` (auth).*")
    assert footer("m", [], 66.4) == "\n\n---\n*Explained by `m` in 66 ms.*"
    assert footer("m", [], 3.0, cached=True) == "\n\n---\n*Explained by `m` (remembered, 3 ms).*"
