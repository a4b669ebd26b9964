#!/usr/bin/env bash
# ucpki solution plan|issue|status|lint on PEM products: the bundle, the
# manifest, idempotent re-runs, reissue on change, --renew, bad input with
# nothing written, status of tampered files.
. "$UCPKI_SRC/tests/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'

cat >inv.yaml <<'EOF'
solution: acme-hq
version: 11
pki: acme
ca:
  root:    {subject: "C=US, ST=FL, O=Acme, OU=IT, CN=Acme Root CA", key: ec:p256, days: 3650}
  issuing: {subject: "C=US, ST=FL, O=Acme, OU=IT, CN=Acme UC CA", key: ec:p256, days: 1825}
defaults: {subject: "C=US, ST=FL, O=Acme, OU=UC, CN=?", key: rsa:2048, days: 1095}
nodes:
  - {name: osv, product: osv, fqdn: [osv1.acme.example, osv2.acme.example], ip: [10.0.0.11, 10.0.0.12]}
  - {name: rg1, product: rg8700, fqdn: rg1.acme.example, version: 5}
  - {name: xpr, product: [xpr-ipapi, xpr-smtpapi, xpr-webapi], fqdn: xpr.acme.example}
  - {name: browsers, product: browser}
EOF

# --- bad input: one line, exit 2, nothing written (no state, no output) ----
sed 's/product: rg8700/product: rg8799/' inv.yaml >bad.yaml
u 2 solution issue bad.yaml --out deploy
assert_one_line_error
assert_contains "$T/err" "bad.yaml:10: nodes[1].product: unknown product 'rg8799'"
assert_no_file deploy
assert_no_file "$UCPKI_STATE"
ok "bad inventory: one line naming line and key, nothing written"

# every bad-input vector: exit 2, one line with the file and line, nothing written
for v in "$UCPKI_SRC"/tests/vectors/solution/bad/*.yaml; do
	want=$(head -1 "$v" | sed 's/^# expect: //')
	u 2 solution issue "$v" --out deploy
	assert_one_line_error
	assert_contains "$T/err" "$want"
	assert_no_file deploy
	assert_no_file "$UCPKI_STATE"
	u 2 solution plan "$v" --out deploy
	assert_contains "$T/err" "$want"
done
ok "every bad-input vector: exit 2, one line naming the inventory line and key, nothing written"

sed 's/{name: osv, product: osv,/{name: osv, product: osv, ca: nope\/issuing,/' inv.yaml >badca.yaml
u 2 solution issue badca.yaml --out deploy
assert_one_line_error
assert_contains "$T/err" "badca.yaml:9: nodes[0].ca: unknown PKI 'nope'"
assert_no_file deploy
assert_no_file "$UCPKI_STATE"
ok "a node naming an unknown CA: one line, nothing issued, no state created"

mkdir deploy
UCPKI_STATE=$T/deploy/state u 2 solution issue inv.yaml --out deploy
assert_one_line_error
assert_contains "$T/err" "which issue replaces as a whole: keep the state in another directory"
rm -rf deploy
ok "a state inside the output directory is refused"

mkdir foreign && echo hello >foreign/notes.txt
u 2 solution issue inv.yaml --out foreign
assert_contains "$T/err" "foreign exists and is not a ucpki output directory"
assert_eq "$(ls foreign)" notes.txt
ok "a foreign output directory is refused"

# --- plan changes nothing ----------------------------------------------------
u 0 --json solution plan inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[0].action' "$T/out")" issue
assert_eq "$(jq -r '.nodes[1].hash' "$T/out")" sha1
assert_eq "$(jq -r '[.nodes[0].sans[] | .type + ":" + .value] | join(",")' "$T/out")" "DNS:osv1.acme.example,DNS:osv2.acme.example,IP:10.0.0.11,IP:10.0.0.12"
assert_eq "$(jq -r '.nodes[3].action' "$T/out")" ca-only
assert_no_file deploy
ok "plan shows actions, SANs, hashes and writes nothing"

# --- issue ------------------------------------------------------------------
u 0 solution issue inv.yaml --out deploy
assert_contains "$T/out" "acme-hq: 4 nodes - 3 issued, 0 reused, 1 CA certificates only"
for f in osv/server.pem osv/client.pem osv/root.pem osv/INSTALL.md rg1/CAcert.pem rg1/server.pem \
	rg1/client.pem xpr/xpr-ipapi/server.crt xpr/xpr-smtpapi/cacerts.crt xpr/xpr-webapi/server.key \
	browsers/root-ca.crt browsers/root-ca.cer manifest.json; do
	assert_file "deploy/$f"
done
# exactly the product's files, nothing else
assert_eq "$(cd deploy/osv && ls -A | sort | tr '\n' ' ')" "INSTALL.md client.pem root.pem server.pem "
assert_eq "$(mode_of deploy/osv/server.pem)" 600
assert_eq "$(mode_of deploy/osv/root.pem)" 644
assert_no_file "$(ls -d .deploy.tmp-* 2>/dev/null)"
ok "issue writes exactly the products' files, keys 0600"

# the manifest lists every file with its SHA-256
n=$(jq '[.nodes[].files[]] | length' deploy/manifest.json)
assert_eq "$n" "$(find deploy -type f ! -name manifest.json | wc -l)" "files in manifest"
jq -r '.nodes[].files[] | "\(.sha256)  deploy/\(.path)"' deploy/manifest.json >sums
sha256sum -c --quiet sums || fail "manifest checksums do not match the files"
osv_serial=$(jq -r '.nodes[] | select(.name == "osv") | .serial' deploy/manifest.json)
got=$(openssl x509 -in deploy/osv/server.pem -noout -serial | cut -d= -f2)
assert_eq "$got" "$osv_serial" "OSV serial in manifest"
na=$(jq -r '.nodes[] | select(.name == "osv") | .not_after' deploy/manifest.json)
assert_eq "$(date -u -d "$(openssl x509 -in deploy/osv/server.pem -noout -enddate | cut -d= -f2)" +%FT%TZ)" "$na"
ok "manifest: every file, SHA-256, serial, notAfter"

# INSTALL.md: real paths, backups first, restart once per host
grep -n '^[0-9]*\. ' deploy/osv/INSTALL.md >steps
head -3 steps | grep -q 'Back up' || fail "backups are not first"
assert_contains deploy/osv/INSTALL.md "cp -p /usr/local/ssl/certs/server.pem /usr/local/ssl/certs/server.pem.bak"
assert_contains deploy/xpr/INSTALL.md 'C:\Siemens\xpr\res\certs\server.crt'
ok "INSTALL.md has the real paths and backups first"

# --- re-run: unchanged nodes are reused ---------------------------------------
sum1=$(sha256sum deploy/osv/server.pem)
u 0 --json solution issue inv.yaml --out deploy
assert_eq "$(jq .issued "$T/out")" 0
assert_eq "$(jq .reused "$T/out")" 3
assert_eq "$(sha256sum deploy/osv/server.pem)" "$sum1"
ok "re-run reuses every unchanged bundle"

# a changed SAN reissues that node only
sed -i 's/fqdn: rg1.acme.example/fqdn: [rg1.acme.example, rg1b.acme.example]/' inv.yaml
u 0 --json solution plan inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[1].action' "$T/out")" reissue
assert_eq "$(jq -r '.nodes[0].action' "$T/out")" reuse
u 0 --json solution issue inv.yaml --out deploy
assert_eq "$(jq .issued "$T/out")" 1
assert_eq "$(sha256sum deploy/osv/server.pem)" "$sum1"
openssl x509 -in deploy/rg1/client.pem -noout -ext subjectAltName | grep -q rg1b.acme.example ||
	fail "rg1 was not reissued with its new name"
ok "a changed node is reissued, the others kept"

# --renew reissues everything; --renew-within only what expires soon
u 0 --json solution issue inv.yaml --out deploy --renew-within 30
assert_eq "$(jq .issued "$T/out")" 0
u 0 --json solution issue inv.yaml --out deploy --renew
assert_eq "$(jq .issued "$T/out")" 3
[ "$(jq -r '.nodes[] | select(.name == "osv") | .serial' deploy/manifest.json)" != "$osv_serial" ] ||
	fail "--renew kept the old serial"
u 0 --json solution issue inv.yaml --out deploy --renew-within 2000
assert_eq "$(jq .issued "$T/out")" 3
ok "--renew and --renew-within reissue"

# --- status -------------------------------------------------------------------
u 0 --json solution status inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[0].state' "$T/out")" ok
assert_eq "$(jq -r '.nodes[3].state' "$T/out")" "ca only"
echo >>deploy/osv/root.pem
rm deploy/rg1/client.pem
u 1 --json solution status inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[0].state' "$T/out")" modified
assert_eq "$(jq -r '.nodes[1].state' "$T/out")" missing
assert_eq "$(jq -r '.attention' "$T/out")" 2
u 1 solution status inv.yaml --out deploy
assert_match "$T/out" '^osv +osv +[0-9A-F]+ +109[0-9] days +(clean|[0-9] warn) +modified'
assert_contains "$T/out" "2 of 4 nodes need attention"
ok "status: serial, expiry, lint state, tampered files (exit 1)"

# the tampered bundles are rebuilt by the next issue
u 0 --json solution issue inv.yaml --out deploy
assert_eq "$(jq .issued "$T/out")" 2
u 0 --json solution status inv.yaml --out deploy
assert_eq "$(jq -r '[.nodes[].state] | unique | join(",")' "$T/out")" "ca only,ok"
ok "issue rebuilds missing or changed bundles"

# another state, CAs of the same names but new keys: nothing may be reused
UCPKI_STATE=$T/other-state u 0 --json solution plan inv.yaml --out deploy
assert_eq "$(jq -r '[.nodes[].action] | unique | join(",")' "$T/out")" "ca-only,reissue"
UCPKI_STATE=$T/other-state u 0 --json solution issue inv.yaml --out deploy
assert_eq "$(jq .reused "$T/out")" 0
UCPKI_STATE=$T/other-state u 0 --json solution plan inv.yaml --out deploy
assert_eq "$(jq -r '[.nodes[].action] | unique | join(",")' "$T/out")" "ca-only,reuse"
u 0 --json solution plan inv.yaml --out deploy
assert_eq "$(jq -r '.nodes[0].action' "$T/out")" reissue
assert_contains "$T/out" "is not the CA that issued the bundle"
u 0 --json solution issue inv.yaml --out deploy
assert_eq "$(jq .reused "$T/out")" 0
ok "bundles from another CA of the same name are reissued"

# --- lint of the written bundles --------------------------------------------
u 0 solution lint inv.yaml --out deploy
assert_contains "$T/out" "0 errors"
cp deploy/rg1/server.pem keep.pem
openssl pkey -in deploy/rg1/server.pem -out deploy/rg1/server.pem.k8 2>/dev/null
{ cat deploy/rg1/server.pem.k8; sed -n '/BEGIN CERT/,$p' keep.pem; } >deploy/rg1/server.pem
rm deploy/rg1/server.pem.k8
u 1 --json solution lint inv.yaml --out deploy
jq -e '[.findings[] | select(.node == "rg1" and .rule == "file-copy")] | length == 1' "$T/out" >/dev/null ||
	fail "lint missed client.pem != server.pem"
ok "solution lint finds a broken copy (RG8700 client.pem)"
done_testing
