"""clean_output on what comes before and around the answer: leading chatter, a wrapping
```markdown fence, fences left open, blank lines and control characters, and clean answers.

Each table holds realistic model output for one rule; test_clean_length_footer also checks every
sample for idempotence. Decisions the tables pin down:
- chatter goes only as whole sentences at the very start, followed by a new line or a new
  sentence: "Sure enough, the variable...", "Certainly, the loop..." and "Here's the fix:" stay;
- inside code (fences) nothing changes; a fence left open is closed at its opener's indent.
"""

from __future__ import annotations

import pytest

from dexter_ls.prompting.clean.output import clean_output

BODY = (
    "The name `reqeusts` is not defined: the import on line 1 has a typo.\n\n"
    "```python\nimport requests\n```"
)

# --- leading chatter ------------------------------------------------------------------------

CHATTER_TRIMMED = [
    ("Sure! " + BODY, BODY),
    ("Sure!\n\n" + BODY, BODY),
    ("Certainly.\n\n" + BODY, BODY),
    ("Of course! Here's an explanation:\n\n" + BODY, BODY),
    ("Of course! Here’s an explanation:\n\n" + BODY, BODY),  # typographic apostrophe
    ("Great question. " + BODY, BODY),
    ("Great question! " + BODY, BODY),
    ("Here is the explanation:\n\n" + BODY, BODY),
    ("Sure, here's a quick breakdown of the error:\n\n" + BODY, BODY),
    ("Absolutely — here's what's going on:\n" + BODY, BODY),
    ("Hello! I'd be happy to help you with this error.\n\n" + BODY, BODY),
    ("Okay.\n" + BODY, BODY),
    ("Let me explain what this error means.\n\n" + BODY, BODY),
    ("  \n\nSure thing!\n\n" + BODY, BODY),  # leading blank lines first
    (
        "As an AI language model, I cannot run your code, but I can explain the error.\n\n"
        + BODY,
        BODY,
    ),
    ("As an AI, I don't have access to your files. " + BODY, BODY),
    (  # only the opening clause goes when the sentence itself is content
        "As an AI language model, the error here is that `x` may be `None`.",
        "The error here is that `x` may be `None`.",
    ),
]

CHATTER_KEPT = [
    "Sure enough, the variable `count` is reassigned before it is read.",
    "Certainly, the loop never runs when `items` is empty, so `total` stays unbound.",
    "Of course, this only fails on Python 3.8, where `list[int]` is not subscriptable.",
    "Sure, the error means the borrow outlives the value.",  # goes on in lower case: content
    "Sure! the variable is unused.",  # no new sentence after the interjection
    "Here's the fix:\n\n```python\nimport requests\n```",  # a lead-in that says something
    "Here is what the compiler sees: `int` where `str` was expected.",
    "Great care is needed here: `x` may be `None`.",
    "OK is the status the handler returns, not a boolean.",
    "Hint: the trait `Display` is not implemented for `Point`.",
    "Let me know if the import still fails after the rename.",
    "Sure!",  # nothing but chatter: kept rather than showing nothing
    "As an AI language model, I cannot run code, but the error is a missing import",
    "**Explanation**\n\nSure! That part of the message is misleading.",  # not at the start
]


@pytest.mark.parametrize(("raw", "expected"), CHATTER_TRIMMED)
def test_leading_chatter_is_trimmed(raw: str, expected: str) -> None:
    assert clean_output(raw) == expected


@pytest.mark.parametrize("raw", CHATTER_KEPT)
def test_first_lines_that_are_content_stay(raw: str) -> None:
    assert clean_output(raw) == raw


# --- a wrapping ```markdown fence -----------------------------------------------------------

WRAPPED = [
    ("```markdown\n" + BODY + "\n```", BODY),
    ("```md\n**Cause**: a typo.\n```", "**Cause**: a typo."),
    ("~~~markdown\n**Cause**: a typo.\n~~~", "**Cause**: a typo."),
    ("Sure! Here's the explanation:\n\n```markdown\n" + BODY + "\n```\n", BODY),
    ("````markdown\n" + BODY + "\n````", BODY),
    (  # a markdown example among other content is no wrapper
        "A README section:\n\n```markdown\n# Title\n```\n\nDone.",
        "A README section:\n\n```markdown\n# Title\n```\n\nDone.",
    ),
    (  # first and last fences pair with others: no wrapper
        "```markdown\n# Example\n```\n\nThen run:\n\n```bash\nmake\n```",
        "```markdown\n# Example\n```\n\nThen run:\n\n```bash\nmake\n```",
    ),
    ("```python\nx = 1\n```", "```python\nx = 1\n```"),  # code is not a wrapper
]


@pytest.mark.parametrize(("raw", "expected"), WRAPPED)
def test_a_whole_answer_wrapped_in_a_markdown_fence_is_unwrapped(raw: str, expected: str) -> None:
    assert clean_output(raw) == expected


# --- fences ---------------------------------------------------------------------------------

FENCES = [
    (
        "Change the import:\n\n```python\nimport requests\n\nrequests.get(url)",
        "Change the import:\n\n```python\nimport requests\n\nrequests.get(url)\n```",
    ),
    ("Run:\n\n~~~\nnpm install\n\n\n", "Run:\n\n~~~\nnpm install\n~~~"),
    ("```\nplain", "```\nplain\n```"),
    ("Use:\n\n~~~~ts\nconst x: number = 1;", "Use:\n\n~~~~ts\nconst x: number = 1;\n~~~~"),
    (  # a quadruple fence holding triple ones: the inner ones neither close nor count
        "Fix:\n\n````\n```js\nx\n```\n",
        "Fix:\n\n````\n```js\nx\n```\n````",
    ),
    ("A README:\n\n````markdown\n```python\nx\n```\n````", None),  # balanced: unchanged
    ("```js\na\n~~~\nb", "```js\na\n~~~\nb\n```"),  # ~~~ does not close ```
    (  # inside a list item: closed at the item's indent
        "1. Install it:\n   ```bash\n   pip install requests",
        "1. Install it:\n   ```bash\n   pip install requests\n   ```",
    ),
    (
        "1. Install:\n   ```bash\n   pip install requests\n   ```\n2. Import:\n   ```python\n"
        "   import requests\n   ```",
        None,
    ),
    ("- Step one\n  - nested\n    ```js\n    const a = <App onClick={f} />;\n    ```", None),
    ("1. ```bash\n   pip install x\n```\n2. done", "1. ```bash\n   pip install x\n   ```\n2. done"),
    (" ```python\nx = 1\n```\nafter", " ```python\nx = 1\n ```\nafter"),
    ("Type ``` to start a block.", None),  # not a fence: a lone run in a sentence
    ("```python\ndef a():\n    pass\n\n\ndef b():\n    pass\n```", None),  # code keeps its blanks
]


@pytest.mark.parametrize(("raw", "expected"), FENCES)
def test_fences_are_closed(raw: str, expected: str | None) -> None:
    assert clean_output(raw) == (raw if expected is None else expected)


# --- whitespace and control characters -------------------------------------------------------

WHITESPACE = [
    ("The cause.\n\n\n\nThe fix.", "The cause.\n\nThe fix."),
    ("The cause.\n\n\nThe fix.", "The cause.\n\nThe fix."),
    ("The cause.   \nThe fix.\t\n", "The cause.\nThe fix."),
    ("\n\n\nThe cause.\n\n\n", "The cause."),
    ("Line one\r\nLine two\rLine three", "Line one\nLine two\nLine three"),
    ("\x1b[31mred\x1b[0m and \u202eevil\u202c text\x00", "red and evil text"),
    ("```python\nx = 1   \n\n\n\ny = 2\n```", "```python\nx = 1\n\n\n\ny = 2\n```"),
    ("- a\n\n\n\n- b", "- a\n\n- b"),
]


@pytest.mark.parametrize(("raw", "expected"), WHITESPACE)
def test_blank_lines_and_trailing_spaces(raw: str, expected: str) -> None:
    assert clean_output(raw) == expected


CLEAN = [
    BODY,
    "",
    "**What it means**\n\nThe borrow of `v` happens after `v` was moved into the closure on "
    "line 4.\n\n**How to fix it**\n\n- Clone it first: `let w = v.clone();`\n- Or borrow it: "
    "`&v`\n\n```rust\nlet w = v.clone();\nthread::spawn(move || println!(\"{:?}\", w));\n```\n\n"
    "See [E0382](https://doc.rust-lang.org/error_codes/E0382.html).",
    "| Option | Effect |\n|---|---|\n| `strict` | all checks |\n| `basic` | fewer |",
    "> **Note**: `mypy` reads `pyproject.toml`.\n\n1. One\n2. Two\n\n---\n\n# Heading",
    "The ` character and ``double`` backticks.",
    "Use `a || b` here.",
]


@pytest.mark.parametrize("raw", CLEAN)
def test_a_clean_answer_is_unchanged(raw: str) -> None:
    assert clean_output(raw) == raw
