#!/usr/bin/env bash
# Installs what the benchmark's peer figures and the gateway test need, beside .venv:
#  - LiteLLM's proxy (`litellm[proxy]`) into its own venv, .ci-cache/litellm-venv, so its many
#    pinned dependencies never clash with Dexter's (tests/e2e/test_gateway.py runs its
#    `litellm` executable; DEXTER_LITELLM_BIN points at it);
#  - the `bench-peer` extra (litellm) into .venv, for `python -m bench --peer`.
# Idempotent, non-interactive; run from the repository root after .venv exists (and after
# .ci/real-model.sh, which brings llama.cpp's server and the model the gateway fronts).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.ci-cache/litellm-venv
if [ ! -x "$venv/bin/litellm" ]; then
  mkdir -p .ci-cache
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "litellm[proxy]"
fi
"$venv/bin/litellm" --version >/dev/null 2>&1 || "$venv/bin/python" -c "import litellm"

.venv/bin/pip install --quiet -e '.[test,bench-peer]'
