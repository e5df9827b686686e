"""The quick check before the credentials deny list (store/source_files.py) never lets a
denied path through: it answers "cannot match" only when pathspec agrees."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dexter_ls.store.source_files import DENY_PATTERNS, _may_be_denied, denied, matches

PIECES = [".env", ".env.local", "prod.env", ".envrc", "server.pem", "tls.key", "id_rsa",
          "id_ed25519.pub", ".netrc", ".aws", ".ssh", ".kube", "config", ".docker",
          "config.json", "gcloud", "credentials.db", "secrets.yaml", "secrets.yml",
          "terraform.tfstate.backup", "prod.tfvars", "app.py", "src", "env", "keys",
          "README.md", "pem", "docker", "x.asc", "a b", "ID_RSA", ".ENV"]


def test_the_patterns_keep_the_shape_the_quick_check_relies_on() -> None:
    for pattern in DENY_PATTERNS:
        assert not any(mark in pattern for mark in ("**", "!", "[", "\\", "?")), pattern
        assert all(part.count("*") <= 1 for part in pattern.split("/")), pattern


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4))
def test_a_path_the_quick_check_passes_matches_no_deny_pattern(parts: list[str]) -> None:
    path = "/".join(parts)
    if not _may_be_denied(path):
        assert not matches(DENY_PATTERNS, path)


def test_denied_paths_are_still_denied_and_others_pass() -> None:
    for path in (".env", "app/.env.prod", "deploy/.ssh/id_rsa", ".kube/config",
                 "infra/prod.tfvars", "home/.aws/credentials", "certs/server.pem"):
        assert denied(path), path
    for path in ("app.py", "src/config.py", "docs/env.md", "kube/config.yaml"):
        assert not denied(path), path
    assert not denied(".env", allow=[".env"])
