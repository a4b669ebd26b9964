#!/usr/bin/env bash
# Run every libFuzzer target for a while. Usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
secs=${2:-20}
shopt -s nullglob
found=0
for f in "$dir"/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	found=1
	name=$(basename "$f")
	corpus="$top/fuzz/corpus/${name#fuzz_}"
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/ 2>/dev/null || true
	echo "fuzzing $name for ${secs}s"
	"$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 "$work" \
		>"$work.log" 2>&1 || { tail -40 "$work.log"; rm -rf "$work" "$work.log"; exit 1; }
	rm -rf "$work" "$work.log"
done
[ $found = 1 ] || { echo "no fuzz targets built" >&2; exit 1; }
