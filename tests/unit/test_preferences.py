"""Which model and chain apply to a document, where each came from, and how choices persist."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from dexter_ls.explain.preferences import FolderSettings, Preferences
from dexter_ls.store.preferences import (
    WorkspaceChoice,
    load_choices,
    preferences_path,
    update_choice,
)

ALPHA = "file:///work/alpha"
BETA = "file:///work/beta"
DOC = f"{ALPHA}/src/app.py"


def prefs(**kwargs: object) -> Preferences:
    p = Preferences(folders=[ALPHA, BETA])
    for key, value in kwargs.items():
        setattr(p, key, value)
    return p


# (layers present, expected model, its source): each row adds one layer above the last.
MODEL_TABLE = [
    ({}, None, None, "default"),
    ({}, "u/user", None, "user settings"),
    ({"folder_settings": {ALPHA: FolderSettings("w/folder", ())}}, "u/user", None,
     "workspace settings"),
    ({"folder_settings": {ALPHA: FolderSettings("w/folder", ())},
      "choices": {ALPHA: WorkspaceChoice("c/choice")}}, "u/user", None, "workspace choice"),
    ({"folder_settings": {ALPHA: FolderSettings("w/folder", ())},
      "choices": {ALPHA: WorkspaceChoice("c/choice")}, "session_model": "s/session"},
     "u/user", None, "session"),
    ({"folder_settings": {ALPHA: FolderSettings("w/folder", ())},
      "choices": {ALPHA: WorkspaceChoice("c/choice")}, "session_model": "s/session"},
     "u/user", "r/request", "request"),
]


@pytest.mark.parametrize("layers, user_model, override, source", MODEL_TABLE)
def test_model_precedence(layers: dict[str, object], user_model: str | None,
                          override: str | None, source: str) -> None:
    effective = prefs(**layers).resolve(DOC, user_model, [], override)
    assert effective.model_source == source
    expected = {"default": None, "user settings": "u/user", "workspace settings": "w/folder",
                "workspace choice": "c/choice", "session": "s/session",
                "request": "r/request"}[source]
    assert effective.model == expected
    assert effective.folder == ALPHA


CHAIN_TABLE = [
    ({}, [], (), "default"),
    ({}, ["u/1"], ("u/1",), "user settings"),
    ({"folder_settings": {ALPHA: FolderSettings(None, ("w/1", "w/2"))}}, ["u/1"],
     ("w/1", "w/2"), "workspace settings"),
    ({"folder_settings": {ALPHA: FolderSettings(None, ("w/1",))},
      "choices": {ALPHA: WorkspaceChoice(None, ("c/1",))}}, ["u/1"], ("c/1",),
     "workspace choice"),
    ({"choices": {ALPHA: WorkspaceChoice(None, ("c/1",))}, "session_chain": ()}, ["u/1"], (),
     "session"),  # an explicitly empty session chain wins too
]


@pytest.mark.parametrize("layers, user_chain, chain, source", CHAIN_TABLE)
def test_chain_precedence(layers: dict[str, object], user_chain: list[str],
                          chain: tuple[str, ...], source: str) -> None:
    effective = prefs(**layers).resolve(DOC, None, user_chain)
    assert (effective.fallback_chain, effective.fallback_chain_source) == (chain, source)


def test_a_folder_setting_equal_to_the_user_setting_is_reported_as_user_settings() -> None:
    # Editors answer a folder-scoped pull with user settings merged in.
    p = prefs(folder_settings={ALPHA: FolderSettings("u/same", ("u/1",))})
    effective = p.resolve(DOC, "u/same", ["u/1"])
    assert effective.model_source == "user settings"
    assert effective.fallback_chain_source == "user settings"


def test_choices_apply_only_inside_their_folder() -> None:
    p = prefs(choices={ALPHA: WorkspaceChoice("c/alpha")},
              folder_settings={BETA: FolderSettings("w/beta", ())})
    assert p.resolve(f"{BETA}/x.py", "u/user", []).model == "w/beta"
    assert p.resolve("file:///elsewhere/x.py", "u/user", []).model == "u/user"
    assert p.resolve("file:///work/alphabet/x.py", None, []).folder is None  # not a prefix match


def test_nested_folders_pick_the_innermost() -> None:
    inner = f"{ALPHA}/packages/core"
    p = Preferences(folders=[ALPHA, inner],
                    choices={ALPHA: WorkspaceChoice("c/outer"), inner: WorkspaceChoice("c/in")})
    assert p.resolve(f"{inner}/mod.py", None, []).model == "c/in"
    assert p.resolve(f"{ALPHA}/top.py", None, []).model == "c/outer"


def test_choices_persist_in_the_state_dir_and_keep_other_folders(dexter_home: Path) -> None:
    update_choice(ALPHA, lambda old: WorkspaceChoice("ollama/a", old.fallback_chain))
    update_choice(BETA, lambda old: WorkspaceChoice(None, ("openai/b",)))
    update_choice(ALPHA, lambda old: WorkspaceChoice(old.model, ("x/1", "x/2")))
    assert preferences_path().is_relative_to(dexter_home / "state")
    assert load_choices() == {ALPHA: WorkspaceChoice("ollama/a", ("x/1", "x/2")),
                              BETA: WorkspaceChoice(None, ("openai/b",))}
    update_choice(BETA, lambda old: WorkspaceChoice())  # clearing removes the entry
    assert set(load_choices()) == {ALPHA}
    assert not list(preferences_path().parent.glob(".preferences-*"))  # no temp files left


def test_a_corrupt_preferences_file_is_set_aside(caplog: pytest.LogCaptureFixture) -> None:
    path = preferences_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"workspaces": {"file:///a": {"model": 3}}}')
    with caplog.at_level(logging.WARNING):
        assert load_choices() == {}
    assert "not a string" in caplog.text
    aside = list(path.parent.glob("preferences.corrupt-*.json"))
    assert len(aside) == 1 and json.loads(aside[0].read_text())["workspaces"]
    assert not path.exists()
    update_choice(ALPHA, lambda old: WorkspaceChoice("a/b"))  # and writing works again
    assert load_choices()[ALPHA].model == "a/b"
