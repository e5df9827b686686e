"""Which model and chain apply to a document, and where each came from.

Precedence, highest first: the request's own override → a session choice
(`dexter.selectModel [id, "session"]`, `dexter.setFallbackChain [ids]`) → a workspace
choice (the same commands with scope "workspace", kept in the user state dir) → the
workspace folder's settings → the user's settings → the defaults (no model; an empty
chain, so `builtin/reference` answers). Editors merge user and workspace settings
themselves; a folder's value counts as "workspace settings" when it differs from the
window-wide value, which counts as "user settings".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dexter_ls.store.preferences import WorkspaceChoice


@dataclass(frozen=True)
class FolderSettings:
    model: str | None
    fallback_chain: tuple[str, ...]


@dataclass(frozen=True)
class Effective:
    model: str | None
    model_source: str
    fallback_chain: tuple[str, ...]
    fallback_chain_source: str
    folder: str | None

    def to_json(self) -> dict[str, object]:
        return {"model": self.model, "modelSource": self.model_source,
                "fallbackChain": list(self.fallback_chain),
                "fallbackChainSource": self.fallback_chain_source,
                "workspaceFolder": self.folder}


@dataclass
class Preferences:
    session_model: str | None = None
    session_chain: tuple[str, ...] | None = None
    choices: dict[str, WorkspaceChoice] = field(default_factory=dict)  # folder uri -> choice
    folder_settings: dict[str, FolderSettings] = field(default_factory=dict)
    folders: list[str] = field(default_factory=list)  # workspace folder uris

    def folder_of(self, uri: str | None) -> str | None:
        """The innermost workspace folder holding `uri` (None outside every folder)."""
        if not uri:
            return None
        holding = [f for f in self.folders if uri == f or uri.startswith(f.rstrip("/") + "/")]
        return max(holding, key=len) if holding else None

    def resolve(self, uri: str | None, user_model: str | None, user_chain: list[str],
                override: str | None = None) -> Effective:
        folder = self.folder_of(uri)
        choice = self.choices.get(folder, WorkspaceChoice()) if folder else WorkspaceChoice()
        in_folder = self.folder_settings.get(folder) if folder else None
        folder_model = in_folder.model if in_folder else user_model
        folder_chain = in_folder.fallback_chain if in_folder else tuple(user_chain)
        model_layers: list[tuple[str, str | None]] = [
            ("request", override),
            ("session", self.session_model),
            ("workspace choice", choice.model),
            ("workspace settings", folder_model if folder_model != user_model else None),
            ("user settings", user_model),
        ]
        chain_layers: list[tuple[str, tuple[str, ...] | None]] = [
            ("session", self.session_chain),
            ("workspace choice", choice.fallback_chain),
            ("workspace settings", folder_chain if folder_chain != tuple(user_chain) else None),
            ("user settings", tuple(user_chain) if user_chain else None),
        ]
        model, model_source = next(((v, s) for s, v in model_layers if v), (None, "default"))
        chain, chain_source = next(((v, s) for s, v in chain_layers if v is not None),
                                   ((), "default"))
        return Effective(model, model_source, chain, chain_source, folder)
