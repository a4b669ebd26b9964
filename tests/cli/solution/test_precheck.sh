#!/usr/bin/env bash
# Pre-issuance checks: an inventory breaking a rule the plan decides (R12,
# R3, forbidden EKUs, SHA-1 by version, 2038, critical extensions a product
# must accept) is refused by plan and issue with exit 2, one line per
# violation naming the inventory line, the lint rule and the fix, before any
# key, CA, state row or output directory exists.
. "$UCPKI_SRC/tests/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'

o() { openssl "$@" >/dev/null 2>"$T/openssl.err" || { cat "$T/openssl.err"; fail "openssl $*"; }; }
state_sum() { [ -e "$UCPKI_STATE/ucpki.db" ] && sha256sum "$UCPKI_STATE/ucpki.db" || echo none; }
# refused VECTOR EXPECTED-LINES...: plan and issue exit 2 with exactly these
# violation lines (then the count), nothing written
refused() {
	local v=$1 n=$(($# - 1)) before
	shift
	before=$(state_sum)
	for cmd in plan issue; do
		u 2 solution "$cmd" "$v" --out deploy
		for want in "$@"; do assert_contains "$T/err" "ucpki: $want"; done
		assert_eq "$(grep -c ': node ' "$T/err")" "$n" "violation lines of $cmd $v"
		assert_contains "$T/err" "$n pre-issuance check"
		assert_contains "$T/err" "nothing was issued or written"
		assert_no_file deploy
		assert_eq "$(state_sum)" "$before" "the state changed"
	done
}

# --- the vectors: one rule each, no state before, none after -----------------
for v in "$UCPKI_SRC"/tests/vectors/solution/precheck/*.yaml; do
	cp "$v" .
	want=$(head -1 "$v" | sed 's/^# expect: //')
	refused "$(basename "$v")" "$want"
	assert_no_file "$UCPKI_STATE"
done
ok "R12, R3 and forbidden-EKU vectors: exit 2, the exact lines, no state, no output"

# key-type: a product that takes EC keys only, on a node with OSV (RSA)
mkdir myprofiles
sed -e 's/^id: rg8700/id: gw-ec/' -e 's/^  keys: .*/  keys: [ec:p256]/' \
	"$UCPKI_SRC/profiles/rg8700.yaml" >myprofiles/gw-ec.yaml
sed -n '2,9p' r12.yaml >keys.yaml
echo "  - {name: combo, product: [osv, gw-ec], fqdn: combo.acme.example}" >>keys.yaml
for cmd in plan issue; do
	u 2 --profiles myprofiles solution "$cmd" keys.yaml --out deploy
	assert_contains "$T/err" "ucpki: keys.yaml:9: node combo: key-type: gw-ec does not accept the node's rsa:2048 key (it takes ec:p256): give the node a \`key:\` every one of its products takes, or give the product a node of its own"
	assert_no_file deploy
	assert_no_file "$UCPKI_STATE"
done
ok "key-type: a node whose products take no common key is refused"

# --- with a state: nothing is added to it ---------------------------------------
sed -n '2,9p' r12.yaml >good.yaml
echo "  - {name: osv, product: osv, fqdn: osv.acme.example}" >>good.yaml
u 0 --quiet solution issue good.yaml --out deploy
mv deploy deploy.good
u 0 --json certs
certs=$(jq 'length' "$T/out")
u 0 ca list
cas=$(cat "$T/out")
refused r12.yaml "r12.yaml:11: node oscc-main: org-distinct (R12): oscc-network: the certificate's organization 'Acme' is the root CA's (it must differ): give the node its own \`subject:\` with a different O="
u 0 --json certs
assert_eq "$(jq 'length' "$T/out")" "$certs" "certificates in the state"
u 0 ca list
assert_eq "$(cat "$T/out")" "$cas" "the CAs of the state"
rm -rf "$UCPKI_STATE" deploy.good
ok "an existing state is left as it was: no certificate row, no CA"

# --- customer CAs ----------------------------------------------------------------
printf 'p12-secret\n' >ca.pass
# CA PREFIX DAYS KU-CRITICAL: root and sub-CA, the sub-CA with its chain in PREFIX.p12
mkca() {
	local crit=${3:+critical,}
	printf 'basicConstraints=critical,CA:true\nkeyUsage=%skeyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' "$crit" >"$1.ext"
	o req -new -newkey rsa:2048 -nodes -keyout "$1-root.key" -out "$1-root.csr" -subj "/O=Customer/CN=$1 Root"
	o x509 -req -in "$1-root.csr" -signkey "$1-root.key" -extfile "$1.ext" -days "$2" -sha256 -out "$1-root.pem"
	o req -new -newkey rsa:2048 -nodes -keyout "$1-sub.key" -out "$1-sub.csr" -subj "/O=Customer/CN=$1 UC CA"
	o x509 -req -in "$1-sub.csr" -CA "$1-root.pem" -CAkey "$1-root.key" -set_serial 7 -extfile "$1.ext" -days "$2" -sha256 -out "$1-sub.pem"
	o pkcs12 -export -in "$1-sub.pem" -inkey "$1-sub.key" -certfile "$1-root.pem" -passout file:ca.pass -out "$1.p12"
}
inv() { # P12 then node lines
	printf 'solution: customer\nversion: 11\npki: cust\nca:\n  import: {p12: %s, password-file: ca.pass}\n' "$1"
	printf 'defaults: {subject: "C=US, O=Customer UC, OU=UC, CN=?"}\nnodes:\n'
	shift
	for n in "$@"; do echo "  - $n"; done
}

# keyUsage critical in the customer's CAs: Branch/SBC refuses it (guide
# 3.1.2), and so does the OSV node, whose clients include branch-sbc
mkca crit 3000 yes
openssl x509 -in crit-sub.pem -noout -ext keyUsage | grep -q critical || fail "test CA without critical keyUsage"
inv crit.p12 "{name: sbc, product: branch-sbc, fqdn: sbc.customer.example}" \
	"{name: osv, product: osv, fqdn: osv.customer.example}" \
	"{name: mx, product: mediatrix, ip: 10.5.0.2}" >crit.yaml
refused crit.yaml \
	"crit.yaml:8: node sbc: critical-ext (guide 3.1.2): its CA CN=crit UC CA marks keyUsage critical; branch-sbc accepts only basicConstraints critical in every certificate it is presented" \
	"crit.yaml:8: node sbc: critical-ext (guide 3.1.2): its CA CN=crit Root marks keyUsage critical" \
	"crit.yaml:9: node osv: critical-ext (guide 3.1.2): its CA CN=crit UC CA marks keyUsage critical; branch-sbc (it connects to this node) accepts only basicConstraints critical" \
	"crit.yaml:9: node osv: critical-ext (guide 3.1.2): its CA CN=crit Root marks keyUsage critical"
assert_not_contains "$T/err" "node mx:"
assert_no_file "$UCPKI_STATE"
ok "critical keyUsage in an imported CA: refused for the Branch node and the OSV node"

# the same CA without critical keyUsage passes, and 'solution lint' applies
# the Branch rule to the OSV chain too when such a chain turns up in OUT
mkca plain 3000
inv plain.p12 "{name: sbc, product: branch-sbc, fqdn: sbc.customer.example}" \
	"{name: osv, product: osv, fqdn: osv.customer.example}" >plain.yaml
u 0 --quiet solution issue plain.yaml --out deploy
u 0 --json solution lint plain.yaml --out deploy
assert_eq "$(jq '[.findings[] | select(.rule == "critical-ext")] | length' "$T/out")" 0
# put a chain with critical keyUsage into the OSV bundle by hand
o req -new -newkey rsa:2048 -nodes -keyout osv.key -out osv.csr -subj "/O=Customer UC/CN=osv.customer.example"
printf 'keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:osv.customer.example\n' >leaf.ext
o x509 -req -in osv.csr -CA crit-sub.pem -CAkey crit-sub.key -set_serial 99 -extfile leaf.ext -days 300 -out osv.pem
openssl rsa -in osv.key -traditional -out osv.rsa 2>/dev/null
cat osv.pem osv.rsa crit-sub.pem crit-root.pem >deploy/osv/server.pem
cp deploy/osv/server.pem deploy/osv/client.pem
cat crit-root.pem crit-sub.pem >deploy/osv/root.pem
u 1 --json solution lint plain.yaml --out deploy
jq -e '[.findings[] | select(.node == "osv" and .rule == "critical-ext" and (.message | test("branch-sbc connects to osv")))] | length == 2' "$T/out" >/dev/null ||
	{ cat "$T/out"; fail "lint did not apply branch-sbc's rule to the OSV chain"; }
rm -rf "$UCPKI_STATE" deploy
ok "solution lint applies branch-sbc's whole-chain rule to the OSV node's chain"

# a SHA-256 customer CA valid into 2040 and a version 5 RG8700: R4 and R5
mkca long 5200
inv long.p12 "{name: rg1, product: rg8700, fqdn: rg1.customer.example, version: 5}" >long.yaml
refused long.yaml \
	"long.yaml:8: node rg1: r5-2038 (R5): rg8700: its CA CN=long UC CA is valid until 20" \
	"long.yaml:8: node rg1: r5-2038 (R5): rg8700: its CA CN=long Root is valid until 20" \
	"long.yaml:8: node rg1: sig-sha2-unsupported (R4): version 5 accepts only SHA-1, but its CA CN=long UC CA is signed with SHA256: issue it from a SHA-1 CA"
assert_contains "$T/err" "past 2038-01-19 (32-bit clocks): issue it from a CA that expires before 2038"
assert_no_file "$UCPKI_STATE"
ok "SHA-1 version and a CA valid past 2038: R4 and R5 refused before issuance"
done_testing
