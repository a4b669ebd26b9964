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
u 0 --quiet solution issue inv2.yaml --out deploy2
u 1 --json solution lint inv2.yaml --out deploy2
finding solution-same-ca ""
assert_contains "$T/out" "node asc is issued by"
ok "solution-same-ca: OSV and ASC under different CAs (R3)"

# cn-mismatch: the product needs the CN to be the host name
sed 's/hostname: oscc1.acme.example/hostname: chat.acme.example/' inv.yaml >inv3.yaml
u 1 --json solution lint inv3.yaml --out deploy
finding cn-mismatch chat
ok "cn-mismatch: OSCC Openfire's CN is not the host name"

# R12: the contact center server's organization equals the root's
sed 's/subject: "C=US, O=Acme Contact Center, OU=CC, CN=?"/subject: "C=US, O=Acme, OU=CC, CN=?"/' inv.yaml >inv4.yaml
u 1 --quiet solution issue inv4.yaml --out deploy4   # written, and exit 1: lint found an error
u 1 --json solution lint inv4.yaml --out deploy4
finding org-distinct cc
ok "org-distinct: R12 across the bundle (root CA file and server certificate)"

u 2 solution lint inv.yaml --out nowhere
assert_one_line_error
assert_contains "$T/err" "no manifest.json"
ok "lint of a directory without a manifest: one line, exit 2"
done_testing
