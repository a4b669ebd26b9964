#!/usr/bin/env bash
# bench/issue: leaf issuance through libucpki versus the guide's openssl loop
# (one `openssl req` + one `openssl x509 -req` process per certificate, same
# extensions), in the same run, plus openssl speed's raw signing rate.
#
# Usage: bench/issue/run.sh [BUILD_DIR]   (env: N_EC=2000 N_RSA=200 THREADS=nproc)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
bin="$build/bench/issue/bench_issue"
[ -x "$bin" ] || { echo "build first: scripts/build.sh build" >&2; exit 2; }
N_EC=${N_EC:-2000}
N_RSA=${N_RSA:-200}
THREADS=${THREADS:-$(nproc)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/server.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
C = US
ST = FL
O = Bench
OU = UC
CN = server.bench.example
[v3_req]
keyUsage = keyEncipherment, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer:always
basicConstraints = CA:false
subjectAltName = DNS:host1.bench.example
[v3_ca]
keyUsage = keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer:always
basicConstraints = critical, CA:true
CNF

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# openssl speed's signing rate for the CA key type.
speed_sign() {
	case $1 in
	ec) openssl speed -seconds 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ { print $(NF-1) }' ;;
	rsa) openssl speed -seconds 2 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $(NF-1) }' ;;
	esac
}

openssl_loop() { # kind n
	local kind=$1 n=$2 d="$tmp/ossl-$1" newkey
	mkdir -p "$d"
	if [ "$kind" = ec ]; then newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); else newkey=(-newkey rsa:2048); fi
	openssl req -x509 "${newkey[@]}" -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 3650 \
		-subj "/C=US/O=Bench/CN=Bench CA" -config "$tmp/server.cnf" -extensions v3_ca 2>/dev/null
	local t0 t1 t2
	t0=$(now)
	for i in $(seq 1 "$n"); do
		openssl req -new "${newkey[@]}" -nodes -keyout "$d/k$i.pem" -out "$d/r$i.csr" \
			-config "$tmp/server.cnf" 2>/dev/null
	done
	t1=$(now)
	for i in $(seq 1 "$n"); do
		openssl x509 -req -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -CAserial "$d/ca.srl" \
			-extfile "$tmp/server.cnf" -extensions v3_req -in "$d/r$i.csr" -out "$d/c$i.pem" \
			-days 1825 -sha256 2>/dev/null
	done
	t2=$(now)
	openssl verify -CAfile "$d/ca.pem" "$d/c$n.pem" >/dev/null
	echo "$(secs "$t0" "$t2") $(secs "$t1" "$t2")"
}

printf '%-9s %-34s %10s %12s\n' "keys" "what" "certs/s" "vs openssl"
for kind in ec rsa; do
	if [ "$kind" = ec ]; then spec=ec:p256; n=$N_EC; else spec=rsa:2048; n=$N_RSA; fi
	"$bin" "$tmp/state-$kind" "$spec" "$n" "$THREADS" >"$tmp/lib-$kind"
	lib_issue=$(awk '$1 == "issue_new_keys" { print $2 }' "$tmp/lib-$kind")
	lib_sign=$(awk '$1 == "sign_pubkeys" { print $2 }' "$tmp/lib-$kind")
	lib_csr=$(awk '$1 == "sign_csrs" { print $2 }' "$tmp/lib-$kind")
	lib_keygen=$(awk '$1 == "keygen" { print $2 }' "$tmp/lib-$kind")
	read -r ossl_total ossl_sign < <(openssl_loop "$kind" "$n")
	raw=$(speed_sign "$kind")
	r_issue=$(rate "$n" "$lib_issue"); r_ossl=$(rate "$n" "$ossl_total")
	r_sign=$(rate "$n" "$lib_sign"); r_osign=$(rate "$n" "$ossl_sign"); r_csr=$(rate "$n" "$lib_csr")
	printf '%-9s %-34s %10s %12s\n' "$spec" "ucpki: new key + sign + record" "$r_issue" "$(ratio "$r_issue" "$r_ossl")x"
	printf '%-9s %-34s %10s\n' "" "  (of which keygen on $THREADS threads)" "$(rate "$n" "$lib_keygen")"
	printf '%-9s %-34s %10s\n' "" "openssl req + x509 -req loop" "$r_ossl"
	printf '%-9s %-34s %10s %12s\n' "" "ucpki: sign pre-generated keys" "$r_sign" "$(ratio "$r_sign" "$r_osign")x"
	printf '%-9s %-34s %10s %12s\n' "" "ucpki: sign CSRs (checks each CSR)" "$r_csr" "$(ratio "$r_csr" "$r_osign")x"
	printf '%-9s %-34s %10s\n' "" "openssl x509 -req loop (CSRs)" "$r_osign"
	printf '%-9s %-34s %10s %12s\n' "" "openssl speed: raw signatures/s" "$raw" \
		"$(awk -v a="$r_sign" -v b="$raw" 'BEGIN { printf "%.0f%% of raw", 100 * a / b }')"
done
echo "targets: >= 20x the openssl loop; signing pre-generated keys >= 50% of the raw rate"
