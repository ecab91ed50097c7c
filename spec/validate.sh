#!/usr/bin/env bash
# Validates rainmaker-node.asyncapi.yaml with the official AsyncAPI parser
# (@asyncapi/parser, pinned in package-lock.json). Installs Node.js and npm with apt-get
# when npm is missing. Exits non-zero on any error or warning the parser reports.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found; installing Node.js and npm with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y nodejs npm
fi

# The parser pulls in a usage-analytics package; keep it quiet and offline.
export SCARF_ANALYTICS=false
export DO_NOT_TRACK=1

npm ci --no-audit --no-fund --ignore-scripts
node validate.mjs "$@"
