#!/usr/bin/env bash
# Set up docflow and run the example project through its whole lifecycle into demo/.
# Usage: scripts/demo.sh [DIR] [--locale en]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dir=${1:-demo}
shift || true
rm -rf "$dir"
.venv/bin/docflow demo "$dir" "$@"
echo "documents:"; ls "$dir/documents"
