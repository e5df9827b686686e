"""Which files' source may be attached to a prompt, and reading them safely.

Source is attached only from regular text files inside the project (the current directory
for the CLI, the workspace folders for the server), never from `/proc`, `/sys` or `/dev`,
and never from a file on the built-in deny list of credential files unless the user's own
settings allow it (`dexter.privacy.allowGlobs`). Paths are checked as given and as resolved
(a symlink inside the project pointing at `~/.ssh/id_rsa` is refused). A FIFO, a device or
a folder is skipped, never read: nothing can hang or flood the reader.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dexter_ls.store.files import read_regular_file

if TYPE_CHECKING:
    import pathspec

MAX_SOURCE_BYTES = 2_000_000
SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))
# gitignore patterns: credentials and private keys that must never reach a model.
DENY_PATTERNS = (
    ".env", ".env.*", "*.env", ".envrc", "*.pem", "*.key", "*.p12", "*.pfx", "*.jks",
    "*.keystore", "*.kdbx", "*.kdb", "*.gpg", "*.asc", "*.ovpn",
    "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", "id_xmss*", "*.ppk",
    ".netrc", "_netrc", ".git-credentials", ".pgpass", ".npmrc", ".pypirc", ".htpasswd",
    ".aws/", ".ssh/", ".gnupg/", ".azure/", ".kube/config", ".docker/config.json",
    "gcloud/credentials.db", "application_default_credentials.json", "secrets.y*ml",
    "terraform.tfstate*", "*.tfvars",
)


@lru_cache(maxsize=32)
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    import pathspec  # loaded when a path may match: most never can (see `_may_be_denied`)

    return pathspec.GitIgnoreSpec.from_lines(patterns)


@lru_cache(maxsize=1)
def _deny_parts() -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """Any one component a deny pattern is made of (`.kube/config`: `.kube`, `config`), as
    (exact names, (prefix, suffix) of those with a `*`). The patterns hold no `**`, `?`,
    `!`, `[`, escapes or two `*` in one component, so a path none of whose components is
    one of these cannot match a pattern."""
    parts = {part for pattern in DENY_PATTERNS for part in pattern.strip("/").split("/")}
    wild = tuple((head, tail) for head, _, tail in
                 (part.partition("*") for part in sorted(parts) if "*" in part))
    return frozenset(p for p in parts if "*" not in p), wild


@lru_cache(maxsize=4096)  # asked for the same few open documents on every explanation
def _may_be_denied(relative: str) -> bool:
    """False only when no deny pattern can match `relative` (True: ask pathspec)."""
    exact, wild = _deny_parts()
    for component in relative.split("/"):
        if component in exact or any(
                len(component) >= len(head) + len(tail) and component.startswith(head)
                and component.endswith(tail) for head, tail in wild):
            return True
    return False


def matches(patterns: Sequence[str], relative: str) -> bool:
    """gitignore semantics on a project-relative path (`**/.env` matches the root `.env`)."""
    return bool(patterns) and _spec(tuple(patterns)).match_file(relative)


def denied(relative: str, allow: Sequence[str] = ()) -> bool:
    """On the built-in deny list (for this path or any folder above it), unless allowed."""
    return (_may_be_denied(relative) and matches(DENY_PATTERNS, relative)
            and not matches(allow, relative))


def refusal(path: Path, roots: Sequence[Path], allow: Sequence[str] = ()) -> str | None:
    """Why the source of `path` may not be attached (None: it may). Blocking."""
    given = Path(os.path.abspath(path))
    try:
        target = given.resolve()
    except (OSError, RuntimeError):
        return "its path cannot be resolved"
    if any(p.is_relative_to(root) for p in (given, target) for root in SYSTEM_ROOTS):
        return "a system file (/proc, /sys, /dev)"
    inside = [root for root in _absolute(roots) if given.is_relative_to(root)]
    if not inside:
        return "outside the project"
    relative = given.relative_to(inside[0]).as_posix()
    targets = [relative, *(_relative(target, roots) or [target.as_posix().lstrip("/")])]
    if any(denied(name, allow) for name in targets):
        return "a credentials file (dexter.privacy.allowGlobs in your own settings lifts this)"
    return None


def read_source(path: Path, roots: Sequence[Path], allow: Sequence[str] = ()
                ) -> tuple[list[str] | None, str | None]:
    """(the file's lines, None) or (None, why not). Regular text files only, size-capped."""
    why = refusal(path, roots, allow)
    if why is not None:
        return None, why
    data, problem = read_regular_file(path, MAX_SOURCE_BYTES)
    if data is None:
        return None, "too large" if problem.startswith("larger") else problem
    if b"\0" in data[:8192]:
        return None, "not a text file"
    return data.decode("utf-8", "replace").splitlines(), None


def _absolute(roots: Sequence[Path]) -> list[Path]:
    return [Path(os.path.abspath(root)) for root in roots]


def _relative(target: Path, roots: Sequence[Path]) -> list[str]:
    found = []
    for root in _absolute(roots):
        try:
            real = root.resolve()
        except (OSError, RuntimeError):
            continue
        if target.is_relative_to(real):
            found.append(target.relative_to(real).as_posix())
    return found
