"""Every format in the corpus: the positive is redacted, the near miss is left alone; and the
lines of a private key whose BEGIN line lies above the context window never reach a prompt."""

from __future__ import annotations

import pytest

from dexter_ls.core.subject import Diagnostic, Position, Range, Snippet, Subject
from dexter_ls.prompting.redact.engine import redact
from tests.unit.redact_corpus import CASES, PEM_LINES, Case


def test_corpus_covers_the_issue_formats() -> None:
    ids = {case.id for case in CASES}
    assert len(CASES) >= 45
    assert {"stripe-sk-live", "stripe-rk-live", "sendgrid", "gitlab-pat", "huggingface", "npm",
            "pypi", "azure-account-key", "dotenv-db-pass", "dotenv-pgpassword", "ini-password",
            "aws-secret-positional", "env-dump-my-secret"} <= ids


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_positive_is_redacted(case: Case) -> None:
    result = redact(case.positive)
    assert case.secret not in result.text, result.text
    assert result.count >= 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_negative_is_untouched(case: Case) -> None:
    result = redact(case.negative)
    assert result.text == case.negative
    assert result.count == 0


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_redacting_twice_changes_nothing(case: Case) -> None:
    once = redact(case.positive).text
    assert redact(once).text == once


# --- private keys across the window edge --------------------------------------------------


def _prompt_user_text(lines: list[str], error_line: int, context: int) -> str:
    from dexter_ls.core.model_info import ModelInfo
    from dexter_ls.prompting.build import PromptPolicy, build_prompt
    from dexter_ls.prompting.templates import load_templates

    snippet = Snippet.around(lines, error_line, context)
    diag = Diagnostic("invalid syntax", Range(Position(error_line, 0), Position(error_line, 1)))
    subject = Subject(diag, path="deploy/settings.py", language="python", snippet=snippet)
    info = ModelInfo("p/x", "p", "x", "x", context_window=32000)
    prompt = build_prompt(subject, info, load_templates(None), PromptPolicy("other", remote=True))
    return prompt.request.messages[-1].content


def _file_with_key(key_lines: list[str], before: int, after: int) -> list[str]:
    return ([f"x{i} = {i}" for i in range(before)] + ['KEY = """-----BEGIN PRIVATE KEY-----']
            + key_lines + ['-----END PRIVATE KEY-----"""']
            + [f"y{i} = {i}" for i in range(after)])


@pytest.mark.parametrize("context", [0, 1, 2, 3, 5])
def test_key_lines_below_the_window_edge_are_redacted(context: int) -> None:
    key = [*PEM_LINES, "q2vVc3RRrEdRkfK9JItpZ=="]  # the last line of a body is short
    lines = _file_with_key(key, before=20, after=10)
    begin = 20
    for error_line in range(begin + 1, begin + len(key) + 3):
        user = _prompt_user_text(lines, error_line, context)
        leaked = [line for line in key if line in user]
        assert not leaked, (error_line, context, user)


def test_lines_after_the_key_are_still_sent() -> None:
    lines = _file_with_key(PEM_LINES, before=5, after=10)
    user = _prompt_user_text(lines, 5 + len(PEM_LINES) + 4, 2)
    assert "y1 = 1" in user and "y3 = 3" in user


def test_key_body_lines_without_any_marker_in_sight_are_redacted() -> None:
    # The window sits inside the key and the file is unknown (text piped to `dexter explain`).
    snippet = Snippet(40, tuple(PEM_LINES[1:4]))
    assert not snippet.key_block_open
    from dexter_ls.prompting.build import _Parts

    diag = Diagnostic("bad", Range(Position(41, 0), Position(41, 1)))
    parts = _Parts.of(Subject(diag, snippet=snippet), excluded=False)
    parts.redact()
    assert all(text == "[REDACTED:private-key]" for _, text in parts.lines)
