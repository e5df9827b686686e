#!/bin/sh
# Issue 13 (trust): gitignore matching for privacy globs and the credential-file deny list.
# Idempotent; run from the repo root after .venv exists.
set -eu
.venv/bin/pip install -q 'pathspec>=0.12'
