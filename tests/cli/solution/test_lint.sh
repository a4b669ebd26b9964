#!/usr/bin/env bash
# ucpki solution lint: the solution-wide rules, each with a vector that
# fires and one that stays silent (solution-same-ca R3, cn-mismatch, and
# org-distinct R12 across a node's bundle).
. "$UCPKI_SRC/tests/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'

finding() { # RULE NODE: the finding is in $T/out
	jq -e --arg r "$1" --arg n "$2" '[.findings[] | select(.rule == $r and (.node == $n or $n == ""))] | length > 0' \
		"$T/out" >/dev/null || { cat "$T/out"; fail "$1 did not fire for '$2'"; }
}
no_finding() {
	jq -e --arg r "$1" '[.findings[] | select(.rule == $r)] | length == 0' "$T/out" >/dev/null ||
		{ cat "$T/out"; fail "$1 fired"; }
}

cat >inv.yaml <<'EOF'
solution: acme
ca:
  root:    {subject: "C=US, O=Acme, OU=IT, CN=Acme Root CA", key: ec:p256}
  issuing: {subject: "C=US, O=Acme, OU=IT, CN=Acme UC CA", key: ec:p256}
defaults: {subject: "C=US, O=Acme, OU=UC, CN=?"}
nodes:
  - {name: osv, product: osv, fqdn: osv.acme.example}
  - {name: asc, product: asc, fqdn: asc.acme.example}
  - {name: chat, product: oscc-openfire, fqdn: [oscc1.acme.example, chat.acme.example], hostname: oscc1.acme.example}
  - {name: cc, product: oscc-network, fqdn: cc.acme.example, subject: "C=US, O=Acme Contact Center, OU=CC, CN=?", options: {oscc-dir: "D:\\OSCC"}}
EOF
u 0 --quiet solution issue inv.yaml --out deploy
u 0 --json solution lint inv.yaml --out deploy
no_finding solution-same-ca
no_finding cn-mismatch
no_finding org-distinct
assert_eq "$(jq .errors "$T/out")" 0
ok "one CA for OSV and ASC, CN and organization as required: clean"

# R3: the ASC certificate from another CA hierarchy
u 0 --quiet pki create other
u 0 --quiet ca create other/root --subject "C=US, O=Other, CN=Other Root" --key ec:p256
sed 's/{name: asc, product: asc, fqdn: asc.acme.example}/{name: asc, product: asc, fqdn: asc.acme.example, ca: other\/root}/' inv.yaml >inv2.yaml
# issue refuses it before anything is made; lint still catches such a
# bundle when it was assembled by other means (here: from two runs)
u 2 solution issue inv2.yaml --out deploy2
assert_contains "$T/err" "inv2.yaml:8: node asc: solution-same-ca (R3): issued by other/root, but node osv by acme/issuing"
assert_no_file deploy2
grep -v 'name: asc' inv2.yaml >inv2-osv.yaml
{ sed '/^nodes:/q' inv2.yaml; grep 'name: asc' inv2.yaml; } >inv2-asc.yaml
u 0 --quiet solution issue inv2-osv.yaml --out deploy2
u 0 --quiet solution issue inv2-asc.yaml --out deploy2b
cp -r deploy2b/asc deploy2/
u 1 --json solution lint inv2.yaml --out deploy2
finding solution-same-ca ""
assert_contains "$T/out" "node asc is issued by"
ok "solution-same-ca: OSV and ASC under different CAs (R3): refused by issue, found by lint"

# cn-mismatch: the product needs the CN to be the host name
sed 's/hostname: oscc1.acme.example/hostname: chat.acme.example/' inv.yaml >inv3.yaml
u 1 --json solution lint inv3.yaml --out deploy
finding cn-mismatch chat
ok "cn-mismatch: OSCC Openfire's CN is not the host name"

# R12: the contact center server's organization equals the root's
sed 's/subject: "C=US, O=Acme Contact Center, OU=CC, CN=?"/subject: "C=US, O=Acme, OU=CC, CN=?"/' inv.yaml >inv4.yaml
u 2 solution issue inv4.yaml --out deploy4
assert_contains "$T/err" "inv4.yaml:10: node cc: org-distinct (R12): oscc-network: the certificate's organization 'Acme' is the root CA's (it must differ): give the node its own \`subject:\` with a different O="
assert_no_file deploy4
# a certificate made by hand with the root's O, put in place of the issued one
u 0 --quiet solution issue inv.yaml --out deploy4
u 0 --quiet issue --ca acme/issuing --subject "C=US, O=Acme, OU=CC, CN=cc.acme.example" \
	--san DNS:cc.acme.example --key rsa:2048 --out-cert cc.pem --out-key cc.key --out-chain cc-chain.pem
cat cc.pem cc-chain.pem >deploy4/cc/oscc_cert.pem
openssl rsa -in cc.key -traditional -out deploy4/cc/oscc_privkey.pem 2>/dev/null
u 1 --json solution lint inv4.yaml --out deploy4
finding org-distinct cc
ok "org-distinct: R12 refused by issue, found by lint across the bundle (root CA file and server certificate)"

u 2 solution lint inv.yaml --out nowhere
assert_one_line_error
assert_contains "$T/err" "no manifest.json"
ok "lint of a directory without a manifest: one line, exit 2"
done_testing
