#!/usr/bin/env bash
# Version rules end to end: a version 5 solution signs everything it ships
# with SHA-1 (its issuing CA too) and warns; validity never reaches 2038
# (R5), for the CAs and the nodes, with a warning; version 7 warns.
. "$UCPKI_SRC/tests/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'

cat >v5.yaml <<'EOF'
solution: old-site
version: 5
ca:
  root:    {subject: "C=US, O=Old, CN=Old Root", key: ec:p256, days: 7300}
  issuing: {subject: "C=US, O=Old, CN=Old UC CA", key: ec:p256, days: 7000}
defaults: {subject: "C=US, O=Old, OU=UC, CN=?", days: 6000}
nodes:
  - {name: osv, product: osv, fqdn: osv.old.example}
  - {name: mx, product: mediatrix, ip: 10.9.0.2}
  - {name: be, product: uc-apache, fqdn: be.old.example, version: 7}
EOF
u 0 solution issue v5.yaml --out deploy
assert_contains "$T/err" "validity clamped to 2037-12-31T23:59:59Z"
assert_contains "$T/err" "osv: versions 4-6 accept only SHA-1 signatures"
assert_contains "$T/err" "uc-apache: version 7 components may fail with SHA-256 signatures"

sigalg() { openssl x509 -noout -text | sed -n 's/^ *Signature Algorithm: //p' | head -1; }
f=deploy/osv/server.pem
. "$UCPKI_SRC/tests/interop/solution/example.sh"
assert_eq "$(pem_block $f 1 | sigalg)" ecdsa-with-SHA1 "version 5 leaf"
assert_eq "$(pem_block $f 3 | sigalg)" ecdsa-with-SHA1 "version 5 issuing CA (R4)"
assert_eq "$(pem_block deploy/be/sen_cert.pem 1 | sigalg)" ecdsa-with-SHA256 "version 7 node"
ok "version 5: SHA-1 leaf and issuing CA, with warnings; version 7 node SHA-256 with a warning"

limit=$(date -u -d 2038-01-19T03:14:07Z +%s)
for i in 1 3 4; do
	end=$(pem_block $f $i | openssl x509 -noout -enddate | cut -d= -f2)
	[ "$(date -u -d "$end" +%s)" -lt "$limit" ] || fail "block $i of server.pem ends $end, past 2038-01-19 (R5)"
done
assert_eq "$(pem_block $f 1 | openssl x509 -noout -enddate | cut -d= -f2)" "Dec 31 23:59:59 2037 GMT"
ok "R5: node, issuing CA and root all end before 2038-01-19 (clamped to 2037-12-31)"

u 0 --json solution lint v5.yaml --out deploy
assert_eq "$(jq .errors "$T/out")" 0
jq -e '[.findings[] | select(.rule == "sig-sha1" and .severity == "warning")] | length > 0' "$T/out" >/dev/null ||
	fail "lint does not warn about SHA-1 on the version 5 nodes"
ok "lint: version 5 bundles are clean but for SHA-1 warnings"
done_testing
