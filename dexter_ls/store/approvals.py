"""The user's answers to "Send the key from $VAR to https://host?", kept in the user state dir.

One JSON file, written atomically; never in a workspace. An entry pairs a key source
(`env:VAR`, `file:NAME`, `editor:NAME`, or `local:` for "this host is on this machine")
with an origin (`scheme://host:port`) and says `always` or `never`. A damaged file is set
aside with a warning and counts as no answers at all (so nothing is allowed by it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, cast

from dexter_ls.store.files import read_json, write_atomically
from dexter_ls.store.paths import user_dir

Decision = Literal["always", "never"]
Approvals = dict[tuple[str, str], Decision]


def approvals_path() -> Path:
    return user_dir("state") / "approvals.json"


def load_approvals() -> Approvals:
    return read_json(approvals_path(), _parse, {})


def _parse(data: object) -> Approvals:
    if not isinstance(data, dict) or not isinstance(data.get("approvals"), list):
        raise ValueError("expected {\"approvals\": [...]}")
    out: Approvals = {}
    for entry in data["approvals"]:
        if not isinstance(entry, dict):
            raise ValueError("each approval must be an object")
        source, origin, decision = entry.get("source"), entry.get("origin"), entry.get("decision")
        if not (isinstance(source, str) and isinstance(origin, str)
                and decision in ("always", "never")):
            raise ValueError("each approval needs source, origin and decision")
        out[(source, origin)] = cast(Decision, decision)
    return out


def remember(source: str, origin: str, decision: Decision) -> Path:
    """Record one answer (replacing an earlier one for the same pair). Raises OSError."""
    approvals = load_approvals()
    approvals[(source, origin)] = decision
    return _save(approvals)


def forget(source: str, origin: str) -> bool:
    approvals = load_approvals()
    if approvals.pop((source, origin), None) is None:
        return False
    _save(approvals)
    return True


def _save(approvals: Approvals) -> Path:
    path = approvals_path()
    entries = [{"source": s, "origin": o, "decision": d}
               for (s, o), d in sorted(approvals.items())]
    write_atomically(path, json.dumps({"approvals": entries}, indent=2), mode=0o600,
                     private_dir=True)
    return path
