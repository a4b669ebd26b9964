#!/usr/bin/env bash
# ucpki profiles list|show and --profiles DIR.
. "$UCPKI_SRC/tests/lib.sh"

u 0 --json profiles list
n=$(jq '.profiles | length' "$T/out")
assert_eq "$n" 39 "shipped profile count"
jq -r '.profiles[].id' "$T/out" >"$T/ids"
for id in osv uc-assistant rg8700 mediatrix openfire branch-sbc xpr-smtpapi xpr-webapi browser; do
	grep -qx "$id" "$T/ids" || fail "profile $id missing from the list"
done
ok "profiles list shows every product"

u 0 profiles show rg8700
assert_contains "$T/out" "server.pem                     pem     key, cert, chain"
assert_contains "$T/out" "client.pem                     pem     copy of server.pem"
u 0 --json profiles show osv
assert_eq "$(jq -r '.profile.certificate.forbidden_extensions[0]' "$T/out")" nsCertType
assert_eq "$(jq -r '.profile.files[0].key_encoding' "$T/out")" pkcs1
assert_eq "$(jq -r '.profile.version_rules[0].hash' "$T/out")" sha1
ok "profiles show prints files, encodings and version rules"

u 2 profiles show no-such-thing
assert_one_line_error
assert_contains "$T/err" "unknown product 'no-such-thing'"
ok "unknown profile id: one line, exit 2"

# A user profile directory: new product and a broken one.
mkdir "$T/mine"
cat >"$T/mine/acme-gw.yaml" <<'Y'
id: acme-gw
name: Acme gateway
guide: "-"
certificate: {identity: host, eku: [serverAuth]}
files: [{name: gw.pem, content: [cert, key, chain]}]
install: {steps: [{ui: "upload {dir}/gw.pem"}]}
Y
u 0 --profiles "$T/mine" profiles show acme-gw
assert_contains "$T/out" "acme-gw: Acme gateway"
u 0 profiles list --profiles "$T/mine"
assert_contains "$T/out" "acme-gw"
ok "--profiles DIR adds a product without recompiling"

printf 'id: bad\nname: B\nguide: x\nfiles:\n  - name: a.p12\n    container: pkcs12\n    content: [root]\ninstall: {steps: [{ui: u}]}\n' >"$T/mine/bad.yaml"
u 2 --profiles "$T/mine" profiles list
assert_one_line_error
assert_contains "$T/err" "bad.yaml:5: files[0]: a keystore needs a password"
ok "schema error names file, line and key"

# A second YAML document in a profile is refused, not silently dropped.
rm "$T/mine/bad.yaml"
printf 'id: two\nname: Two\nguide: "-"\ncertificate: {identity: host}\nfiles: [{name: a.pem, content: [cert, key]}]\n---\ninstall: {steps: [{ui: u}]}\n' >"$T/mine/two.yaml"
u 2 --profiles "$T/mine" profiles list
assert_one_line_error
assert_eq "$(cat "$T/err")" "ucpki: $T/mine/two.yaml:6: a second YAML document: one document per file"
ok "a second YAML document in a profile: exit 2, file and line"
done_testing
