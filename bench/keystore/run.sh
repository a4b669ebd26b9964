#!/usr/bin/env bash
# Keystore benchmark: a truststore of N CA certificates (default 1000) and a
# keystore with one key entry, in JKS and PKCS#12, built by ucpki and by
# keytool in the same run (keytool: one process per import, as the guide
# does it); then reading the N-entry JKS with each. Prints both times and
# the ratio.
# Usage: bench/keystore/run.sh [BUILD_DIR]   (default ./build; env BENCH_N=N)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
u=$build/ucpki
mk=$build/bench/keystore/bench_mkcas
n=${BENCH_N:-1000}
[ -x "$u" ] && [ -x "$mk" ] || { echo "build first: scripts/build.sh build" >&2; exit 2; }
command -v keytool >/dev/null || { echo "keytool is missing (scripts/deps.sh test)" >&2; exit 2; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
printf 'changeit\n' >pw
"$mk" "$n" "$w"

now() { date +%s.%N; }
# time_of CMD...: seconds taken, the command's output discarded.
time_of() { local s; s=$(now); "$@" >/dev/null 2>"$w/err" || { echo "failed: $*" >&2; tail -3 "$w/err" >&2; exit 1; }; awk -v a="$(now)" -v b="$s" 'BEGIN { printf "%.3f", a - b }'; }
row() { awk -v t="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%-48s %9.3f s %9.3f s %8.1fx\n", t, a, b, b / a }'; }

kt_truststore() { # type file
	for i in $(seq -f '%04g' 1 "$n"); do
		keytool -importcert -noprompt -trustcacerts -alias "ca$i" -file "ca-$i.pem" \
			-keystore "$2" -storetype "$1" -storepass changeit >/dev/null 2>&1 || return 1
	done
}
u_truststore_each() { # file
	for i in $(seq -f '%04g' 1 "$n"); do
		"$u" --quiet keystore import-ca "$1" --alias "ca$i" --file "ca-$i.pem" --storepass-file pw || return 1
	done
}
kt_keystore() { # type file: the guide's way, openssl pkcs12 -export then keytool -importkeystore
	openssl pkcs12 -export -in server.pem -inkey server.key -name tomcat -out kt-tmp.p12 -passout pass:changeit &&
	keytool -importkeystore -noprompt -srckeystore kt-tmp.p12 -srcstoretype PKCS12 -srcstorepass changeit \
		-destkeystore "$2" -deststoretype "$1" -deststorepass changeit -destkeypass changeit
}

echo "keystore benchmark: $n CA certificates, $(nproc) cores, $(keytool -J-version 2>&1 | head -1)"
printf '%-48s %11s %11s %9s\n' "task" "ucpki" "keytool" "keytool/ucpki"
for type in JKS PKCS12; do
	ext=$([ $type = JKS ] && echo jks || echo p12)
	t_u=$(time_of "$u" --quiet keystore import-ca "u-trust.$ext" --alias ca --file all.pem --storepass-file pw)
	t_ue=$(time_of u_truststore_each "ue-trust.$ext")
	t_k=$(time_of kt_truststore $type "k-trust.$ext")
	row "$type truststore, $n CAs (ucpki: one command)" "$t_u" "$t_k"
	row "$type truststore, $n CAs (both: one per import)" "$t_ue" "$t_k"
	t_u=$(time_of "$u" --quiet convert server.pem --key server.key --alias tomcat --to "$ext" --pass-file pw --out "u-key.$ext")
	t_k=$(time_of kt_keystore $type "k-key.$ext")
	row "$type keystore with one key entry" "$t_u" "$t_k"
	# Sanity: both stores hold the same number of entries.
	ue=$("$u" --json keystore list "u-trust.$ext" --storepass-file pw | grep -c '"alias"')
	ke=$(keytool -list -keystore "k-trust.$ext" -storetype $type -storepass changeit 2>/dev/null | grep -c 'trustedCertEntry')
	[ "$ue" = "$n" ] && [ "$ke" = "$n" ] || { echo "entry counts differ: ucpki $ue keytool $ke" >&2; exit 1; }
done
t_u=$(time_of "$u" keystore list u-trust.jks --storepass-file pw)
t_k=$(time_of keytool -list -keystore k-trust.jks -storepass changeit)
row "read the $n-entry JKS (list)" "$t_u" "$t_k"
t_u=$(time_of "$u" keystore list k-trust.jks -v --storepass-file pw)
t_k=$(time_of keytool -list -v -keystore k-trust.jks -storepass changeit)
row "read keytool's $n-entry JKS (list -v)" "$t_u" "$t_k"
