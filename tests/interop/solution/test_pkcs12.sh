#!/usr/bin/env bash
# PKCS#12 files are encrypted the way the product's runtime reads them:
# 3DES/SHA-1 ("legacy") for the guide's Java, Tomcat 6 and Windows Server
# 2016 products, AES-256/PBKDF2 when the inventory says the node's runtime
# is newer. openssl reports the algorithms; keytool must open both.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/interop/solution/example.sh"
issue_example

# p12_algs FILE PASSFILE: "MAC|key bag|certificate bag" algorithms.
p12_algs() {
	openssl pkcs12 -in "$1" -passin "file:$2" -info -noout 2>&1 >/dev/null |
		awk '/^MAC:/ {mac = $2} /Shrouded Keybag:/ {sub(/.*Keybag: /, ""); key = $1} /PKCS7 Encrypted data:/ {sub(/.*data: /, ""); cert = $1}
			END {gsub(/,/, "", mac); gsub(/,/, "", key); gsub(/,/, "", cert); print mac "|" key "|" cert}'
}
while read -r f pw; do
	assert_eq "$(p12_algs "$D/$f" "$D/$pw")" "sha1|pbeWithSHA1And3-KeyTripleDES-CBC|pbeWithSHA1And3-KeyTripleDES-CBC" "$f"
	keytool -list -keystore "$D/$f" -storetype PKCS12 -storepass:file "$D/$pw" >/dev/null 2>&1 || fail "keytool cannot open $f"
done <<'LIST'
uc-be/uc-cmp/tomcat-keystore.p12 uc-be/secrets/uc-cmp-store.pass
uc-fe/.keystore uc-fe/secrets/store.pass
media/mediaserver.p12 media/secrets/transfer.pass
facade/facade-mobile/OSC-Facade-Server-Default-Cert.p12 facade/secrets/facade-mobile-store.pass
oscc-app/mystore.p12 oscc-app/secrets/store.pass
phone-1001/wbm.p12 phone-1001/secrets/store.pass
LIST
ucpki_profile_reason=$("$UCPKI" --json profiles show uc-cmp | jq -r '.profile.pkcs12.encryption')
assert_eq "$ucpki_profile_reason" legacy "profiles show: the encryption"
ok "legacy profiles: 3DES key and certificate bags, SHA-1 MAC; openssl without -legacy and keytool open them"

# a node whose runtime is newer: pkcs12: aes, and the change reissues it
sed -i 's|  - name: uc-be|  - name: uc-be\n    pkcs12: aes|' "$T/solution.yaml"
grep -q 'pkcs12: aes' "$T/solution.yaml" || fail "could not set pkcs12: aes"
u 0 solution plan "$T/solution.yaml" --out "$D"
assert_match "$T/out" "uc-be.*(reissue|issue)"
u 0 solution issue "$T/solution.yaml" --out "$D"
assert_eq "$(p12_algs "$D/uc-be/uc-cmp/tomcat-keystore.p12" "$D/uc-be/secrets/uc-cmp-store.pass")" "sha256|PBES2|PBES2" "pkcs12: aes"
assert_eq "$(p12_algs "$D/uc-fe/.keystore" "$D/uc-fe/secrets/store.pass")" \
	"sha1|pbeWithSHA1And3-KeyTripleDES-CBC|pbeWithSHA1And3-KeyTripleDES-CBC" "other nodes keep theirs"
keytool -list -keystore "$D/uc-be/uc-cmp/tomcat-keystore.p12" -storetype PKCS12 -storepass:file "$D/uc-be/secrets/uc-cmp-store.pass" >/dev/null 2>&1 ||
	fail "keytool cannot open the AES keystore"
ok "pkcs12: aes on a node: PBES2/AES and a SHA-256 MAC there only; the change reissues the node"

sed 's|  - name: uc-be|  - name: uc-be\n    pkcs12: rc4|' "$UCPKI_SRC/examples/solution.yaml" >"$T/bad.yaml"
u 2 solution plan "$T/bad.yaml" --out "$T/none"
assert_one_line_error
assert_contains "$T/err" "bad.yaml:"
assert_contains "$T/err" "pkcs12: 'rc4' is not one of legacy (3DES/SHA-1), aes (AES-256/PBKDF2)"
ok "an unknown pkcs12 value: exit 2 naming the line"
done_testing
