"""Code actions, dexter.explain and hover against the real server over stdio."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.e2e.helpers import (
    PY_TEXT,
    PY_URI,
    RS_TEXT,
    RS_URI,
    as_json,
    code_actions,
    explain,
    open_document,
    pylance_diagnostic,
    rng,
    rustc_diagnostic,
)


async def test_initialize_advertises_actions_hover_and_commands(client: LanguageClient) -> None:
    init: lsp.InitializeResult = client.init_result  # type: ignore[attr-defined]
    assert init.server_info is not None and init.server_info.name == "dexter-ls"
    result = init.capabilities
    assert result.execute_command_provider is not None
    commands = result.execute_command_provider.commands
    assert {"dexter.explain", "dexter.listModels"} <= set(commands)
    assert result.hover_provider
    assert result.code_action_provider


@pytest.mark.parametrize(
    "uri, text, language, make",
    [(PY_URI, PY_TEXT, "python", pylance_diagnostic), (RS_URI, RS_TEXT, "rust", rustc_diagnostic)],
)
async def test_one_explain_action_per_foreign_diagnostic(
    client: LanguageClient, uri: str, text: str, language: str, make
) -> None:  # type: ignore[no-untyped-def]
    open_document(client, uri, text, language)
    other = lsp.Diagnostic(range=rng(0, 0, 6), message="unused import", source="other-tool")
    diagnostics = [make(), other]
    actions = await code_actions(client, uri, diagnostics)
    assert len(actions) == 2
    for action, diag in zip(actions, diagnostics, strict=True):
        assert action.title.startswith("Dexter: explain ")
        assert action.kind == lsp.CodeActionKind.QuickFix
        assert action.is_preferred is False
        assert action.command is not None and action.command.command == "dexter.explain"
        (argument,) = action.command.arguments or []
        assert argument["uri"] == uri
        assert argument["diagnostic"] == as_json(client, diag)


async def test_code_actions_respect_only_filter(client: LanguageClient) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(PY_URI),
            range=rng(3, 10, 24),
            context=lsp.CodeActionContext(
                diagnostics=[pylance_diagnostic()], only=[lsp.CodeActionKind.SourceOrganizeImports]
            ),
        )
    )
    assert not result


async def test_explain_answers_from_the_reference_and_then_from_memory(
    client: LanguageClient,
) -> None:
    open_document(client, RS_URI, RS_TEXT, "rust")
    (action,) = await code_actions(client, RS_URI, [rustc_diagnostic()])
    assert action.command is not None
    first = await explain(client, *(action.command.arguments or []))
    assert first["model"] == "builtin/reference"
    assert first["requestedModel"] == "builtin/reference"
    assert first["cached"] is False
    assert "moved" in first["markdown"].lower()
    assert "doc.rust-lang.org" in first["markdown"]
    assert [a["model"] for a in first["attempts"]] == ["builtin/reference"]
    assert first["attempts"][0]["outcome"] == "success"
    assert set(first["usage"]) == {"inputTokens", "outputTokens", "source"}
    second = await explain(client, *(action.command.arguments or []))
    assert second["cached"] is True
    assert second["body"] == first["body"]
    assert "(remembered" in second["markdown"].splitlines()[-1]


async def test_explain_of_an_unmatched_diagnostic_restates_it(client: LanguageClient) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    diag = lsp.Diagnostic(range=rng(3, 4, 9), message="frobnication level too high",
                          source="acme-lint", code="ACME42")
    result = await explain(client, {"uri": PY_URI, "diagnostic": as_json(client, diag)})
    markdown = result["markdown"]
    assert "No offline explanation" in markdown
    assert "frobnication level too high" in markdown and "acme-lint" in markdown
    assert "app.py:4:5" in markdown
    assert "print(undefined_name)" in markdown  # the surrounding code


async def test_hover_shows_reference_then_the_explanation(client: LanguageClient) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    diag = as_json(client, pylance_diagnostic())
    client.protocol.notify("dexter/didChangeDiagnostics", {"uri": PY_URI, "diagnostics": [diag]})
    params = lsp.HoverParams(lsp.TextDocumentIdentifier(PY_URI), lsp.Position(3, 12))
    before = await client.text_document_hover_async(params)
    assert before is not None and isinstance(before.contents, lsp.MarkupContent)
    assert "offline reference" in before.contents.value
    assert "not defined" in before.contents.value
    assert before.range == rng(3, 10, 24)

    nowhere = lsp.HoverParams(lsp.TextDocumentIdentifier(PY_URI), lsp.Position(0, 2))
    assert await client.text_document_hover_async(nowhere) is None

    await explain(client, {"uri": PY_URI, "diagnostic": diag})
    after = await client.text_document_hover_async(params)
    assert after is not None and isinstance(after.contents, lsp.MarkupContent)
    assert "explained by `builtin/reference`" in after.contents.value


async def test_pushed_diagnostics_are_replaced_and_dropped_on_close(
    client: LanguageClient,
) -> None:
    open_document(client, PY_URI, PY_TEXT, "python")
    diag = as_json(client, pylance_diagnostic())
    params = lsp.HoverParams(lsp.TextDocumentIdentifier(PY_URI), lsp.Position(3, 12))
    client.protocol.notify("dexter/didChangeDiagnostics", {"uri": PY_URI, "diagnostics": [diag]})
    assert await client.text_document_hover_async(params) is not None
    client.protocol.notify("dexter/didChangeDiagnostics", {"uri": PY_URI, "diagnostics": []})
    assert await client.text_document_hover_async(params) is None
    client.protocol.notify("dexter/didChangeDiagnostics", {"uri": PY_URI, "diagnostics": [diag]})
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        lsp.TextDocumentIdentifier(PY_URI)))
    open_document(client, PY_URI, PY_TEXT, "python")
    assert await client.text_document_hover_async(params) is None
