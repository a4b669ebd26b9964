#!/usr/bin/env bash
# Key usage by key type: an EC or Ed25519 end entity signs and cannot
# encipher (RFC 5480 3, RFC 8410 5), so ucpki issue, ucpki sign and
# solution issue give it digitalSignature only; RSA keeps the guide's
# server.cnf usage. Checked with openssl x509 -text.
. "$UCPKI_SRC/tests/lib.sh"
new_state
u 0 pki create acme
u 0 ca create acme/root --subject "C=US, O=Acme, CN=Acme Root"

# ku_of CERT: the Key Usage value as openssl prints it.
ku_of() {
	openssl x509 -in "$1" -noout -text >"$T/x509.txt" 2>&1 || { cat "$T/x509.txt"; fail "openssl x509 $1"; }
	grep -A1 'X509v3 Key Usage' "$T/x509.txt" | tail -1 | sed 's/^ *//'
}
# sign_only CERT ALGORITHM: the key is ALGORITHM and keyUsage is digitalSignature alone.
sign_only() {
	local ku; ku=$(ku_of "$1")
	grep -q "Public Key Algorithm: $2" "$T/x509.txt" || { cat "$T/x509.txt"; fail "$1: not a $2 key"; }
	assert_eq "$ku" "Digital Signature" "$1 key usage"
	assert_not_contains "$T/x509.txt" "Key Encipherment"
}

for k in ec:p256 ed25519; do
	n=${k%%:*}
	u 0 issue --ca acme/root --subject "CN=$n.acme.example" --key "$k" --eku serverAuth \
		--out-cert "$n.pem" --out-key "$n.key"
	u 0 issue --ca acme/root --subject "CN=$n-client.acme.example" --key "$k" --profile client \
		--out-cert "$n-client.pem" --out-key "$n-client.key"
done
sign_only ec.pem id-ecPublicKey
sign_only ed25519.pem ED25519
sign_only ec-client.pem id-ecPublicKey
sign_only ed25519-client.pem ED25519
u 0 issue --ca acme/root --subject "CN=rsa.acme.example" --out-cert rsa.pem --out-key rsa.key
assert_eq "$(ku_of rsa.pem)" "Digital Signature, Non Repudiation, Key Encipherment" "RSA key usage (server.cnf)"
ok "issue: EC and Ed25519 leaves get digitalSignature only, RSA keeps server.cnf's usage"

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout csr-ec.key \
	-out csr-ec.csr -subj "/CN=csr-ec.acme.example" 2>/dev/null || fail "openssl req ec"
openssl req -new -newkey ed25519 -nodes -keyout csr-ed.key -out csr-ed.csr \
	-subj "/CN=csr-ed.acme.example" 2>/dev/null || fail "openssl req ed25519"
u 0 sign --ca acme/root --csr csr-ec.csr --eku serverAuth,clientAuth --out-cert csr-ec.pem
u 0 sign --ca acme/root --csr csr-ed.csr --out-cert csr-ed.pem
sign_only csr-ec.pem id-ecPublicKey
sign_only csr-ed.pem ED25519
ok "sign: EC and Ed25519 CSRs get digitalSignature only"

# an explicit keyEncipherment for an EC key is refused: nothing issued
rows=$("$UCPKI" --json certs | jq 'length')
[ "$rows" -ge 7 ] || fail "ucpki certs lists $rows certificates, expected 7 or more"
u 2 issue --ca acme/root --subject "CN=bad.acme.example" --key ec:p256 \
	--ku digitalSignature,keyEncipherment --out-cert bad.pem --out-key bad.key
assert_one_line_error
assert_contains "$T/err" "keyEncipherment is not for an EC key (RFC 5480 3)"
assert_no_file bad.pem
assert_no_file bad.key
u 2 sign --ca acme/root --csr csr-ed.csr --ku keyEncipherment --out-cert bad.pem
assert_contains "$T/err" "keyEncipherment is not for an Ed25519 key (RFC 8410 5)"
assert_no_file bad.pem
assert_eq "$("$UCPKI" --json certs | jq 'length')" "$rows" "rows after refusals"
u 0 issue --ca acme/root --subject "CN=ka.acme.example" --key ec:p256 --ku digitalSignature,keyAgreement \
	--out-cert ka.pem --out-key ka.key
assert_eq "$(ku_of ka.pem)" "Digital Signature, Key Agreement" "explicit EC key usage"
ok "an explicit keyEncipherment for an EC/Ed25519 key: exit 2, nothing issued; other explicit usages kept"

cat >inv.yaml <<'EOF'
solution: acme
ca:
  root:    {subject: "C=US, O=Acme, CN=Acme Solution Root", key: ec:p256, name: solroot}
defaults: {subject: "C=US, O=Acme, OU=UC, CN=?"}
nodes:
  - {name: phone1, product: phone-wbm, fqdn: phone1.acme.example, key: ec:p256}
  - {name: phone2, product: phone-wbm, fqdn: phone2.acme.example, key: rsa:2048}
EOF
u 0 --quiet solution issue inv.yaml --out deploy
for n in phone1 phone2; do
	openssl pkcs12 -in "deploy/$n/wbm.p12" -passin "file:deploy/$n/secrets/store.pass" -nokeys \
		-clcerts -out "$n.pem" 2>"$T/p12.err" || { cat "$T/p12.err"; fail "openssl pkcs12 $n"; }
done
sign_only phone1.pem id-ecPublicKey
assert_eq "$(ku_of phone2.pem)" "Digital Signature, Non Repudiation, Key Encipherment" "RSA phone key usage"
ok "solution issue: the EC phone certificate has digitalSignature only"

# and lint agrees with all of them
u 0 --json lint ec.pem ed25519.pem ec-client.pem csr-ec.pem csr-ed.pem phone1.pem
jq -e '[.findings[] | select(.rule == "ku-ec-encipherment")] | length == 0' "$T/out" >/dev/null ||
	{ cat "$T/out"; fail "ku-ec-encipherment fired on ucpki's own certificates"; }
ok "lint finds no keyEncipherment on ucpki's EC and Ed25519 certificates"
done_testing
