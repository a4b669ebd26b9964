#!/usr/bin/env bash
# Re-runs that follow the state and the inventory: a revoked certificate is
# reissued, --renew-node renews one node, status exits 1 when a node needs
# attention; trust files get the SHA-1 sibling CA of their clients and the
# inventory's trust: anchors; the node table fits its content.
. "$UCPKI_SRC/tests/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'

o() { openssl "$@" >/dev/null 2>"$T/openssl.err" || { cat "$T/openssl.err"; fail "openssl $*"; }; }
serial_of() { jq -r --arg n "$1" '.nodes[] | select(.name == $n) | .serial' deploy/manifest.json; }
subjects() { openssl crl2pkcs7 -nocrl -certfile "$1" | openssl pkcs7 -print_certs -noout | sed -n 's/^subject=//p'; }

cat >inv.yaml <<'EOF'
solution: acme
version: 11
pki: acme
ca:
  root:    {subject: "C=US, O=Acme, OU=IT, CN=Acme Root CA", key: ec:p256}
  issuing: {subject: "C=US, O=Acme, OU=IT, CN=Acme UC CA", key: ec:p256}
defaults: {subject: "C=US, O=Acme, OU=UC, CN=?"}
nodes:
  - {name: osv, product: osv, fqdn: osv.acme.example}
  - {name: mx, product: mediatrix, ip: 10.0.0.5}
EOF
u 0 --quiet solution issue inv.yaml --out deploy
u 0 solution status inv.yaml --out deploy
assert_not_contains "$T/out" "attention"
ok "status of a fresh run: exit 0"

# --- revoked: plan and issue reissue it -----------------------------------------
old=$(serial_of osv)
u 0 --quiet revoke --ca acme/issuing "$old"
u 1 --json solution status inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[0].state' "$T/out")" revoked
assert_eq "$(jq -r '.nodes[0].attention' "$T/out")" revoked
assert_eq "$(jq -r '.nodes[1].attention' "$T/out")" null
u 0 --json solution plan inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[0].action' "$T/out")" reissue
assert_eq "$(jq -r '.nodes[0].reason' "$T/out")" "revoked (serial $old is revoked in the state)"
assert_eq "$(jq -r '.nodes[1].action' "$T/out")" reuse
u 0 solution plan inv.yaml --out deploy
assert_match "$T/out" '^osv +osv +reissue '
assert_contains "$T/out" "why: revoked"
u 0 --json solution issue inv.yaml --out deploy
assert_eq "$(jq .issued "$T/out")" 1
new=$(serial_of osv)
[ "$new" != "$old" ] || fail "the revoked serial was kept"
assert_eq "$(openssl x509 -in deploy/osv/server.pem -noout -serial | cut -d= -f2)" "$new"
u 0 solution status inv.yaml --out deploy
ok "a revoked node: status exit 1, plan says reissue: revoked, issue gives a new serial, status exit 0"

# --- --renew-node ------------------------------------------------------------------
mx=$(serial_of mx)
u 0 --json solution plan inv.yaml --out deploy --renew-node mx
assert_eq "$(jq -r '[.nodes[].action] | join(",")' "$T/out")" "reuse,renew"
u 0 --json solution issue inv.yaml --out deploy --renew-node mx
assert_eq "$(jq .issued "$T/out")" 1
[ "$(serial_of mx)" != "$mx" ] || fail "--renew-node kept the serial"
assert_eq "$(serial_of osv)" "$new"
u 0 --json solution issue inv.yaml --out deploy --renew-node mx --renew-node osv
assert_eq "$(jq .issued "$T/out")" 2
u 2 solution issue inv.yaml --out deploy --renew-node nosuch
assert_one_line_error
assert_contains "$T/err" "the node nosuch asked to be renewed: inv.yaml has no node of that name"
u 0 --json solution issue inv.yaml --out deploy --renew
assert_eq "$(jq .issued "$T/out")" 2
ok "--renew-node renews the named nodes only; --renew still renews all"

# --- status: expiring, modified, lint errors -----------------------------------------
u 1 solution status inv.yaml --out deploy --expiring 2000
assert_match "$T/out" '^osv +osv +[0-9A-F]+ +109[0-9] days +[a-z0-9 ]+ +ok \(expires in 109[0-9] days\)$'
assert_contains "$T/out" "2 of 2 nodes need attention"
u 0 solution status inv.yaml --out deploy --expiring 0
u 0 solution status inv.yaml --out deploy --expiring 30
cp deploy/manifest.json manifest.keep
jq '(.nodes[] | select(.name == "mx") | .lint.errors) = 2' manifest.keep >deploy/manifest.json
u 1 --json solution status inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[1].attention' "$T/out")" "2 lint errors"
cp manifest.keep deploy/manifest.json
echo >>deploy/mx/ca.pem
u 1 --json solution status inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[1].state' "$T/out")" modified
u 0 --quiet solution issue inv.yaml --out deploy
u 0 solution status inv.yaml --out deploy
ok "status exit 1 for expiring (--expiring), lint errors and changed files; 0 otherwise"

# --- the SHA-1 sibling CA in the trust files of the nodes its clients talk to -----------
echo "  - {name: rg1, product: rg8700, fqdn: rg1.acme.example, version: 5}" >>inv.yaml
u 0 --json solution plan inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[0].action' "$T/out")" reissue
assert_contains "$T/out" "its extra trust anchors changed"
assert_eq "$(jq -r '.nodes[2].ca' "$T/out")" acme/issuing-sha1
u 0 --quiet solution issue inv.yaml --out deploy
subjects deploy/osv/root.pem >osv-root
assert_contains osv-root "CN = Acme Root CA"
assert_contains osv-root "CN = Acme UC CA SHA-1"
assert_contains osv-root "CN = Acme UC CA"
assert_eq "$(wc -l <osv-root)" 3
sib=$(subjects deploy/rg1/CAcert.pem | grep -c "SHA-1")
assert_eq "$sib" 1 "the sibling in the RG8700's own CA file"
openssl verify -CAfile deploy/osv/root.pem -untrusted deploy/rg1/server.pem deploy/rg1/server.pem >/dev/null 2>&1 ||
	openssl verify -CAfile deploy/osv/root.pem -untrusted <(sed -n '/BEGIN CERT/,$p' deploy/rg1/server.pem) \
		<(openssl x509 -in deploy/rg1/client.pem) >/dev/null ||
	fail "OSV's root.pem does not verify the version 5 RG8700"
assert_not_contains <(subjects deploy/mx/ca.pem) "SHA-1"
assert_not_contains <(subjects deploy/osv/server.pem) "SHA-1"
u 0 --json solution lint inv.yaml --out deploy
assert_eq "$(jq .errors "$T/out")" 0
u 0 --json solution plan inv.yaml --out deploy
assert_eq "$(jq -r '[.nodes[].action] | unique | join(",")' "$T/out")" reuse
ok "a version 5 RG8700 puts the SHA-1 sibling CA into OSV's root.pem (and nowhere else)"

# --- trust: extra anchors into the trust files of products taking external CAs ------------
o req -x509 -newkey rsa:2048 -nodes -keyout mail.key -out mail-ca.pem -days 900 -subj "/O=Mail/CN=Mail Server CA"
o req -x509 -newkey rsa:2048 -nodes -keyout ldap.key -out ldap-ca.pem -days 900 -subj "/O=Dir/CN=LDAP CA"
sed -i 's/^defaults:/trust: [mail-ca.pem, ldap-ca.pem]\ndefaults:/' inv.yaml
echo "  - {name: uca, product: uc-assistant, fqdn: uca.acme.example, password: default}" >>inv.yaml
u 0 --quiet solution issue inv.yaml --out deploy
subjects deploy/osv/root.pem >osv-root
assert_contains osv-root "CN = Mail Server CA"
assert_contains osv-root "CN = LDAP CA"
assert_contains osv-root "CN = Acme UC CA SHA-1"
assert_not_contains <(subjects deploy/mx/ca.pem) "Mail Server CA"
assert_not_contains <(subjects deploy/osv/server.pem) "Mail Server CA"
keytool -list -v -keystore deploy/uca/osvtrustore.jks -storepass importkey >kt 2>&1 || { cat kt; fail "keytool"; }
assert_contains kt "Owner: CN=Mail Server CA, O=Mail"
assert_contains kt "Owner: CN=LDAP CA, O=Dir"
assert_contains kt "Owner: CN=Acme Root CA"
u 0 --json solution lint inv.yaml --out deploy
assert_eq "$(jq .errors "$T/out")" 0
ok "trust: files go into OSV root.pem and the UC Assistant JKS truststore (keytool), not elsewhere"

printf 'not a certificate\n' >junk.pem
sed 's/trust: \[mail-ca.pem, ldap-ca.pem\]/trust: [mail-ca.pem, junk.pem]/' inv.yaml >bad-trust.yaml
u 2 solution plan bad-trust.yaml --out deploy
assert_one_line_error
assert_contains "$T/err" "bad-trust.yaml:7: trust:"
assert_contains "$T/err" "junk.pem"
sed 's/trust: \[mail-ca.pem, ldap-ca.pem\]/trust: [mail-ca.pem, nowhere.pem]/' inv.yaml >bad-trust2.yaml
u 2 solution issue bad-trust2.yaml --out deploy2
assert_one_line_error
assert_contains "$T/err" "bad-trust2.yaml:7: trust:"
assert_contains "$T/err" "nowhere.pem"
assert_no_file deploy2
ok "a trust: file that is missing or holds no certificate: exit 2 naming the inventory line"

# --- the node table --------------------------------------------------------------------------
cat >wide.yaml <<'EOF'
solution: wide
pki: wide
ca:
  root: {subject: "C=US, O=Acme, CN=Wide Root", key: ec:p256}
nodes:
  - {name: uc-be, product: [uc-assistant, uc-bcom, uc-cmp, uc-spml, uc-webclient], fqdn: ucbe.acme.example}
  - {name: osv, product: osv, fqdn: osv.acme.example}
EOF
export UCPKI_STATE=$T/state-wide
u 0 solution issue wide.yaml --out wdeploy
u 0 solution status wide.yaml --out wdeploy
head -3 "$T/out" >table
# every row has its STATE column where the header has it
col=$(head -1 table | awk '{print index($0, "STATE")}')
while read -r line; do
	assert_eq "$(printf '%s' "$line" | cut -c"$col"-)" ok "STATE column of: $line"
done < <(sed -n '2,3p' table)
assert_contains table "uc-assistant,uc-bcom,uc-cmp,uc-spml,u... "
ok "node table: columns sized by content, long product lists cut with ..."

{ sed -n '1,4p' wide.yaml; echo "nodes:"; for i in $(seq 1 103); do echo "  - {name: b$i, product: browser}"; done
  echo "  - {name: osv, product: osv, fqdn: osv.acme.example}"; } >many.yaml
export UCPKI_STATE=$T/state-many
u 0 solution issue many.yaml --out mdeploy
assert_contains "$T/out" "... and 84 more nodes ('ucpki solution status' lists every node)"
assert_contains "$T/out" "all 104 nodes: 103 ca only, 1 ok"
assert_eq "$(grep -c '^b[0-9]* ' "$T/out")" 20
u 0 solution status many.yaml --out mdeploy
assert_eq "$(grep -c '^b[0-9]* ' "$T/out")" 103
ok "above 100 nodes issue shows 20 rows, says how many more and counts them by state; status shows all"
done_testing
