#!/usr/bin/env bash
# The main job: build ucpki, then issue every device certificate of the
# example solution (examples/solution.yaml, one node per product profile) on
# the embedded SQLite state, packaged the way each product loads it, linted,
# with a summary table.
#
# Usage: scripts/run-main.sh [INVENTORY] [OUTPUT_DIR]
#   INVENTORY   default examples/solution.yaml
#   OUTPUT_DIR  default ./deploy (one directory per node, INSTALL.md, manifest.json)
#   the state is $UCPKI_STATE, default ./ucpki-state (created on first use; a
#   re-run reuses it and reissues only what changed)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
inventory=${1:-$top/examples/solution.yaml}
out=${2:-$PWD/deploy}
export UCPKI_STATE=${UCPKI_STATE:-$PWD/ucpki-state}

"$top/scripts/deps.sh" build
"$top/scripts/build.sh" "$top/build" -DUCPKI_TESTS=OFF
u="$top/build/ucpki"

[ -e "$UCPKI_STATE/ucpki.db" ] || "$u" init
"$u" solution issue "$inventory" --out "$out"
echo
"$u" ca list
echo
echo "Next: read $out/<node>/INSTALL.md; check with 'ucpki solution lint $inventory --out $out'"
echo "and 'ucpki solution status $inventory --out $out'."
