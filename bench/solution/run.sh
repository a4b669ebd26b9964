#!/usr/bin/env bash
# bench/solution: one site with N phones (phone-wbm, EC P-256, PKCS#12 with
# the chain, as the DLS imports them) plus the example solution's servers,
# issued end to end by `ucpki solution issue` - and the same phone
# certificates made by an openssl command script (genpkey, req, x509 -req,
# rand, pkcs12 -export per phone: what an administrator scripts from the
# guide), in the same run. The openssl side runs a sample of SAMPLE phones
# and is extrapolated to N (it would take several minutes); the output says
# so. Memory: peak RSS of a run with N/10 and with N nodes.
#
# Usage: bench/solution/run.sh [BUILD_DIR]   (env: N=10000 SAMPLE=200 THREADS=all CPUs)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
u="$build/ucpki"
[ -x "$u" ] || { echo "build first: scripts/build.sh build" >&2; exit 2; }
N=${N:-10000}
SAMPLE=${SAMPLE:-200}
THREADS=${THREADS:-$(nproc)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export UCPKI_PASSPHRASE=bench-passphrase

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# inventory: the example's servers, then N phones of one site
inventory() { # N FILE
	{
		sed '/^nodes:/q' "$top/examples/solution.yaml"
		sed -n '/^nodes:/,$p' "$top/examples/solution.yaml" | tail -n +2
		awk -v n="$1" 'BEGIN {
			for (i = 1; i <= n; i++)
				printf "  - {name: phone-%05d, product: phone-wbm, fqdn: phone-%05d.site1.acme.example, ip: 10.%d.%d.%d, key: ec:p256, location: site1}\n",
					i, i, 20 + int(i / 65025), int(i / 255) % 255, i % 255 + 1
		}'
	} >"$2"
}

peak_rss() { # command...: runs it, prints "seconds max_rss_kb"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$tmp/time.out" "$@" >"$tmp/run.out" 2>"$tmp/run.err" ||
			{ cat "$tmp/run.err" >&2; exit 1; }
		cat "$tmp/time.out"
	else
		local t0; t0=$(now)
		"$@" >"$tmp/run.out" 2>"$tmp/run.err" || { cat "$tmp/run.err" >&2; exit 1; }
		echo "$(secs "$t0" "$(now)") n/a"
	fi
}

servers=$(sed -n '/^nodes:/,$p' "$top/examples/solution.yaml" | grep -c '^  - ' || true)
echo "bench/solution: 1 site, $N phones (phone-wbm, EC P-256, PKCS#12) + $servers example servers; $THREADS threads"

# --- memory: N/10 and N nodes --------------------------------------------------
small=$((N / 10))
inventory "$small" "$tmp/small.yaml"
read -r s_small rss_small < <(peak_rss "$u" --state "$tmp/state-small" --json solution issue "$tmp/small.yaml" \
	--out "$tmp/deploy-small" --threads "$THREADS")

# the inventory alone (plan only parses it and checks every node)
read -r _ inv_small < <(peak_rss "$u" --state "$tmp/state-small" solution plan "$tmp/small.yaml" --out "$tmp/deploy-small")

# --- ucpki, end to end -------------------------------------------------------------
inventory "$N" "$tmp/inv.yaml"
read -r _ inv_full < <(peak_rss "$u" --state "$tmp/state-none" solution plan "$tmp/inv.yaml" --out "$tmp/deploy-none")
read -r s_full rss_full < <(peak_rss "$u" --state "$tmp/state" --json solution issue "$tmp/inv.yaml" \
	--out "$tmp/deploy" --threads "$THREADS")
cp "$tmp/run.out" "$tmp/issue.json"
issued=$(jq .issued "$tmp/issue.json")
files=$(jq .files "$tmp/issue.json")
lint_err=$(jq .lint_errors "$tmp/issue.json")
[ "$lint_err" = 0 ] || { echo "lint errors in the bench output: $lint_err" >&2; exit 1; }
# a phone bundle, checked by openssl with its password
p=$tmp/deploy/phone-00001
openssl pkcs12 -in "$p/wbm.p12" -passin "file:$p/secrets/store.pass" -nokeys -clcerts 2>/dev/null |
	openssl x509 -noout -subject | grep -q phone-00001.site1.acme.example || { echo "bad phone bundle" >&2; exit 1; }
t() { jq -r ".timing.$1" "$tmp/issue.json"; }
read -r s_again _ < <(peak_rss "$u" --state "$tmp/state" --json solution issue "$tmp/inv.yaml" \
	--out "$tmp/deploy" --threads "$THREADS")

# --- the openssl script on a sample -------------------------------------------------
o=$tmp/ossl
mkdir -p "$o"
t_ca=$(now)
cat >"$o/ca.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical, CA:true
keyUsage = keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
openssl req -x509 -newkey rsa:4096 -nodes -keyout "$o/root.key" -out "$o/root.pem" -days 3650 \
	-subj "/C=US/ST=FL/O=Acme/OU=IT/CN=Acme Root CA" -config "$o/ca.cnf" -extensions v3_ca 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout "$o/ca.key" -out "$o/ca.csr" \
	-subj "/C=US/ST=FL/O=Acme/OU=IT/CN=Acme UC CA" 2>/dev/null
openssl x509 -req -in "$o/ca.csr" -CA "$o/root.pem" -CAkey "$o/root.key" -set_serial 1 -days 1825 \
	-extfile "$o/ca.cnf" -extensions v3_ca -out "$o/ca.pem" 2>/dev/null
t0=$(now)
s_ca=$(secs "$t_ca" "$t0")
for i in $(seq 1 "$SAMPLE"); do
	d="$o/phone-$i"; mkdir -p "$d/secrets"
	name=phone-$(printf %05d "$i").site1.acme.example
	printf 'basicConstraints=CA:false\nkeyUsage=digitalSignature,keyEncipherment,nonRepudiation\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always,issuer:always\nsubjectAltName=DNS:%s,IP:10.20.0.%d\n' \
		"$name" $((i % 250 + 1)) >"$d/ext.cnf"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/key.pem" 2>/dev/null
	openssl req -new -key "$d/key.pem" -subj "/C=US/ST=FL/L=Boca Raton/O=Acme/OU=UC/CN=$name" -out "$d/req.csr" 2>/dev/null
	openssl x509 -req -in "$d/req.csr" -CA "$o/ca.pem" -CAkey "$o/ca.key" -CAcreateserial -CAserial "$o/ca.srl" \
		-days 1095 -sha256 -extfile "$d/ext.cnf" -out "$d/cert.pem" 2>/dev/null
	openssl rand -base64 18 >"$d/secrets/store.pass"
	openssl pkcs12 -export -in "$d/cert.pem" -inkey "$d/key.pem" -certfile "$o/ca.pem" -name wbm \
		-passout "file:$d/secrets/store.pass" -out "$d/wbm.p12" 2>/dev/null
done
s_sample=$(secs "$t0" "$(now)")
s_ossl=$(awk -v c="$s_ca" -v s="$s_sample" -v n="$N" -v k="$SAMPLE" 'BEGIN { printf "%.1f", c + s * n / k }')

ratio=$(awk -v a="$s_ossl" -v b="$s_full" 'BEGIN { printf "%.1f", a / b }')
printf '\n%-46s %10s\n' "what" "seconds"
printf '%-46s %10s\n' "ucpki solution issue, $issued nodes, $files files" "$s_full"
printf '%-46s %10s\n' "  again, nothing changed (every bundle reused)" "$s_again"
printf '%-46s %10s\n' "openssl script: root + issuing CA (measured)" "$s_ca"
printf '%-46s %10s\n' "openssl script: $SAMPLE phones (measured)" "$s_sample"
printf '%-46s %10s\n' "openssl script: CAs + $N phones (extrapolated)" "$s_ossl"
printf '%-46s %10s\n' "ratio (openssl / ucpki)" "${ratio}x"
echo "(ucpki's time also covers the $servers example servers, which the openssl script does not make)"
printf '\nwhere the time goes in ucpki (thread-seconds on %s threads; wall %ss):\n' "$(t threads)" "$(t total)"
printf '  key generation %6.2f   signing %6.2f   packaging incl. PKCS#12 key derivation %6.2f\n' "$(t keygen)" "$(t sign)" "$(t package)"
printf '  lint %6.2f   recording in the state %6.2f s   writing files %6.2f s   setup (CAs) %6.2f s\n' "$(t lint)" "$(t record)" "$(t write)" "$(t setup)"
printf '\npeak memory of issue: %s kB for %s nodes, %s kB for %s nodes\n' "$rss_small" "$((small + servers))" "$rss_full" "$((N + servers))"
printf 'peak memory of the parsed inventory alone (plan): %s kB and %s kB\n' "$inv_small" "$inv_full"
awk -v a="$rss_small" -v b="$rss_full" -v c="$inv_small" -v d="$inv_full" 'BEGIN {
	if (a != "n/a") printf "growth: issue %+d kB, inventory %+d kB: issue grows by %d kB beyond the inventory\n", b - a, d - c, (b - a) - (d - c) }'
awk -v r="$ratio" -v s="$s_full" -v n="$N" 'BEGIN {
	printf "targets: >= 30x the openssl script: %s; %d phones in < 20 s: %s\n",
		(r >= 30 ? "met" : "NOT met"), n, (s < 20 ? "met" : "NOT met") }'
