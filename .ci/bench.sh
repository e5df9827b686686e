#!/usr/bin/env bash
# Installs LiteLLM's proxy (`litellm[proxy]`) into a venv of its own, .ci-cache/litellm-venv,
# so its many pinned dependencies never meet Dexter's. tests/e2e/test_gateway.py starts its
# `litellm` executable in front of llama.cpp's server (run .ci/real-model.sh first), and
# `python -m bench --only gateway` in front of a fake. (The benchmark's peer figures need the
# `bench-peer` extra in .venv instead: pip install -e '.[bench-peer]'; CI does not run them.)
# Idempotent, non-interactive; run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.ci-cache/litellm-venv
export LITELLM_LOCAL_MODEL_COST_MAP=True  # no download of the price list (no internet in CI)
if ! { [ -x "$venv/bin/litellm" ] && "$venv/bin/pip" show --quiet fastapi >/dev/null 2>&1; }; then
  mkdir -p .ci-cache
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "litellm[proxy]"
fi
"$venv/bin/pip" show --quiet litellm >/dev/null  # importing it takes seconds: tests do that
