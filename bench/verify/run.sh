#!/usr/bin/env bash
# Verify N leaf certificates (two-level chain: RSA-2048 root -> RSA-2048
# issuing CA -> leaf) in one ucpki process and in one `openssl verify`
# process, on the same files, in the same run; print certificates/second for
# both, and `openssl speed`'s RSA-2048 verify rate: the raw limit when every
# leaf costs one signature check.
#
# usage: bench/verify/run.sh BUILD_DIR [N] [WORKDIR]
#   BUILD_DIR holds the built ucpki and bench/verify/bench_verify_setup.
#   N defaults to 10000; WORKDIR (default a temporary dir) is reused if it
#   already holds N leaves.
set -euo pipefail
build=$(cd "${1:?usage: run.sh BUILD_DIR [N] [WORKDIR]}" && pwd)
n=${2:-10000}
work=${3:-}
ucpki=$build/ucpki
setup=$build/bench/verify/bench_verify_setup
[ -x "$ucpki" ] && [ -x "$setup" ] || { echo "build ucpki and bench_verify_setup first" >&2; exit 2; }
if [ -z "$work" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }

if [ ! -f "$work/der.txt" ] || [ "$(wc -l <"$work/list.txt")" != "$n" ]; then
	rm -rf "$work"/*
	t0=$(now)
	"$setup" "$work" "$n" >/dev/null
	t1=$(now)
	echo "set-up: $n leaves issued by ucpki in one process in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
fi

# Warm the page cache so neither tool pays for the first read.
cat "$work"/leaves/*.pem >/dev/null

t0=$(now)
"$ucpki" verify --quiet --level trusted --trust "$work/root.pem" --chain "$work/sub.pem" \
	--from "$work/list.txt" >"$work/ucpki.out"
t1=$(now)
grep -q "^$n certificates, $n accepted, 0 rejected$" "$work/ucpki.out" ||
	{ tail -3 "$work/ucpki.out"; echo "ucpki did not accept every leaf" >&2; exit 1; }

# --batch: the same list streamed, one verdict line per certificate as it
# is judged (constant memory, nothing held back).
t6=$(now)
"$ucpki" verify --level trusted --trust "$work/root.pem" --chain "$work/sub.pem" \
	--batch "$work/list.txt" >"$work/batch.out"
t7=$(now)
grep -q "^$n certificates, $n accepted, 0 rejected, 0 unreadable$" "$work/batch.out" ||
	{ tail -3 "$work/batch.out"; echo "ucpki --batch did not accept every leaf" >&2; exit 1; }

# --batch with the certificates themselves on the lines (base64 DER): no
# file to open per certificate, the in-process rate.
t8=$(now)
"$ucpki" verify --level trusted --trust "$work/root.pem" --chain "$work/sub.pem" \
	--batch "$work/der.txt" >"$work/batch-der.out"
t9=$(now)
grep -q "^$n certificates, $n accepted, 0 rejected, 0 unreadable$" "$work/batch-der.out" ||
	{ tail -3 "$work/batch-der.out"; echo "ucpki --batch (DER lines) did not accept every leaf" >&2; exit 1; }
t10=$(now)
"$ucpki" verify --level none --batch "$work/der.txt" >/dev/null
t11=$(now)

# The same files loaded and parsed only (level none checks nothing): the
# floor OpenSSL 3.0's certificate decoder sets for any tool.
t4=$(now)
"$ucpki" verify --quiet --level none --from "$work/list.txt" >/dev/null
t5=$(now)

t2=$(now)
(cd "$work/leaves" && openssl verify -CAfile ../root.pem -untrusted ../sub.pem ./*.pem) >"$work/openssl.out"
t3=$(now)
[ "$(grep -c ': OK$' "$work/openssl.out")" = "$n" ] ||
	{ echo "openssl did not accept every leaf" >&2; exit 1; }

raw=$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print int($NF) }')
ours=$(rate "$n" "$t0" "$t1")
theirs=$(rate "$n" "$t2" "$t3")
parse=$(rate "$n" "$t4" "$t5")
batch=$(rate "$n" "$t6" "$t7")
batchder=$(rate "$n" "$t8" "$t9")
decode=$(rate "$n" "$t10" "$t11")
echo "verify $n leaves (RSA-2048 issuing CA, two-level chain), one process each:"
printf '  %-34s %8s certs/s\n' "ucpki verify --from" "$ours" "ucpki verify --batch (files)" "$batch" \
	"ucpki verify --batch (DER lines)" "$batchder" "openssl verify" "$theirs" \
	"ucpki --batch --level none (decode)" "$decode"
printf '  %-34s %8s certs/s\n' "ucpki load+parse only (--level none)" "$parse"
printf '  %-34s %8s verifies/s\n' "openssl speed rsa2048 (raw limit)" "$raw"
awk -v o="$ours" -v t="$theirs" -v r="$raw" -v p="$parse" -v b="$batch" -v d="$batchder" -v dc="$decode" 'BEGIN {
	printf "  ucpki / openssl verify:  %.2fx   (target >= 1)\n", o / t
	printf "  --batch / openssl verify: %.2fx   (target >= 1)\n", b / t
	printf "  raw limit / ucpki:       %.2fx   (target <= 2)\n", r / o
	printf "  raw limit / --batch:     %.2fx   (files)\n", r / b
	printf "  raw limit / --batch DER: %.2fx   (target <= 2)\n", r / d
	printf "  raw limit / decode only: %.2fx   (the floor OpenSSL 3.0 sets: decoding a certificate)\n", r / dc
	printf "  parse-only / ucpki:      %.2fx   (what verifying adds to loading)\n", p / o
}'
