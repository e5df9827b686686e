#!/usr/bin/env python3
"""Generate `contributes.configuration` and the untrusted-workspace restrictions in
client/package.json from the server's settings model (dexter_ls/settings.py).

Types, defaults, enums and bounds come from the settings dataclasses; descriptions and scopes
are written here, and a setting the model has but this file does not describe is an error.
Run with the repository's venv:  .venv/bin/python client/scripts/gen-config.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dexter_ls.core.validate import json_schema, to_data
from dexter_ls.settings import Settings

PACKAGE = Path(__file__).resolve().parent.parent / "package.json"

# Settings whose value decides where code, prompts or keys go, or what runs: an untrusted
# workspace cannot set them (VS Code then reads only the user's value).
RESTRICTED = [
    "dexter.providers", "dexter.model", "dexter.fallbackChain", "dexter.categoryModels",
    "dexter.routing", "dexter.prompts.directory", "dexter.privacy.remote",
    "dexter.privacy.excludeGlobs", "dexter.privacy.allowGlobs", "dexter.server.command",
]

SCOPES: dict[str, str] = {
    "dexter.providers": "machine",  # endpoints and the env vars that hold keys
    "dexter.prompts.directory": "machine-overridable",
    "dexter.model": "resource",
    "dexter.fallbackChain": "resource",
    "dexter.categoryModels": "resource",
}
DEFAULT_SCOPE = "window"

DESCRIPTIONS: dict[str, str] = {
    "dexter.model": "The model to ask first, as provider/model (e.g. ollama/qwen2.5-coder:7b). "
    "Empty: the first model of the fallback chain.",
    "dexter.fallbackChain": "Models to try, in order, when the chosen one fails or is cooling "
    "down. builtin/reference (offline) always ends the chain.",
    "dexter.providers": "Model providers by name: type (ollama, openai, anthropic), baseUrl, "
    "apiKeyEnv, timeouts and rate limits. Keys are never set here: use Dexter: Set API Key.",
    "dexter.routing": "How the chain is walked: in order, fastest first, or balancing latency "
    "and quality.",
    "dexter.categoryModels": "A model per diagnostic category, e.g. "
    "{\"type\": \"openai/gpt-4o\"}.",
    "dexter.privacy.remote": "deny: never send code to a model off this machine.",
    "dexter.privacy.excludeGlobs": "Files whose content is never sent to any model.",
    "dexter.privacy.allowGlobs": "Credential-looking files (.env, *.pem, ...) whose content "
    "may be sent after all. Honoured only from the user's own settings file.",
    "dexter.prompts.directory": "A folder of prompt templates overriding the built-in ones.",
    "dexter.explain.timeoutSeconds": "Give up on one explanation after this many seconds.",
    "dexter.explain.contextLines": "Lines of code around the diagnostic sent with it.",
    "dexter.explain.prefetch": "Explain diagnostics before they are asked for: off, errors "
    "only, or all.",
    "dexter.explain.maxAttempts": "At most this many models are tried for one explanation.",
    "dexter.explain.prefetchPerMinute": "At most this many prefetched explanations a minute.",
    "dexter.explain.prefetchDebounceMs": "Wait this long after diagnostics change before "
    "prefetching.",
    "dexter.explain.show": "How the server itself shows an answer besides this extension's "
    "panel: auto (nothing more in VS Code), a Markdown document, a message, or none.",
    "dexter.cache.enabled": "Keep answers on disk and reuse them for the same diagnostic.",
    "dexter.cache.maxEntries": "At most this many cached answers.",
    "dexter.cache.ttlDays": "Cached answers expire after this many days.",
    "dexter.telemetry.enabled": "Record every attempt locally (SQLite in the user state "
    "folder) for the dashboard and statistics. Never sent anywhere.",
    "dexter.telemetry.retentionDays": "Local records older than this are deleted.",
    "dexter.telemetry.maxRows": "At most this many local records are kept.",
}

# Settings only the extension reads (kept out of what the server is sent).
CLIENT_ONLY: dict[str, dict[str, Any]] = {
    "dexter.server.command": {
        "type": "array", "items": {"type": "string"}, "default": [], "scope": "machine",
        "description": "The command that starts the Dexter language server, e.g. "
        "[\"/path/to/dexter-ls\"]. Empty: dexter-ls on PATH, then the selected Python "
        "interpreter with -m dexter_ls.",
    },
    "dexter.trace.server": {
        "type": "string", "enum": ["off", "messages", "verbose"], "default": "off",
        "scope": "window",
        "description": "Log the LSP messages between VS Code and the server (Dexter: Show Logs).",
    },
}

NESTED_SECTIONS = ("privacy", "prompts", "explain", "cache", "telemetry")


def leaves() -> dict[str, dict[str, Any]]:
    top = json_schema(Settings, camel=True)["properties"]
    defaults = to_data(Settings(), camel=True)
    out: dict[str, dict[str, Any]] = {}
    for name, node in top.items():
        if name in NESTED_SECTIONS:
            for sub, sub_node in node["properties"].items():
                out[f"dexter.{name}.{sub}"] = {**sub_node, "default": defaults[name][sub]}
        else:
            out[f"dexter.{name}"] = {**node, "default": defaults[name]}
    return out


def configuration() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key, spec in leaves().items():
        if key not in DESCRIPTIONS:
            raise SystemExit(f"gen-config: {key} has no description: add it to DESCRIPTIONS")
        properties[key] = {**spec, "description": DESCRIPTIONS[key],
                           "scope": SCOPES.get(key, DEFAULT_SCOPE)}
    stale = set(DESCRIPTIONS) - set(properties)
    if stale:
        raise SystemExit(f"gen-config: described but not in the settings model: {sorted(stale)}")
    properties.update(CLIENT_ONLY)
    return {"title": "Dexter LS", "properties": properties}


def updated(package: dict[str, Any]) -> dict[str, Any]:
    package = json.loads(json.dumps(package))
    package["contributes"]["configuration"] = configuration()
    package["capabilities"]["untrustedWorkspaces"]["restrictedConfigurations"] = RESTRICTED
    return package


def main(argv: list[str]) -> int:
    current = json.loads(PACKAGE.read_text(encoding="utf-8"))
    wanted = updated(current)
    if "--check" in argv:
        if wanted != current:
            print("client/package.json is out of date with dexter_ls/settings.py: run "
                  ".venv/bin/python client/scripts/gen-config.py", file=sys.stderr)
            return 1
        return 0
    PACKAGE.write_text(json.dumps(wanted, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
