# JKS both ways against Java's keytool: stores written by ucpki are listed
# and converted by keytool; stores written by keytool are read by ucpki.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/lib_formats.sh"
have_keytool || fail "keytool is missing (scripts/deps.sh test installs it)"
make_pki
SP=$(cat pw)

# --- ucpki writes, keytool reads -------------------------------------------
u 0 convert srv.pem --key srvkey.pem --chain chain.pem --alias Tomcat --to jks \
	--pass-file pw --out srv.jks
u 0 keystore import-ca srv.jks --alias RootCA --file root.pem --storepass-file pw
kt -list -v -keystore srv.jks -storepass "$SP" >kl.txt
assert_contains kl.txt "Keystore type: JKS"
assert_contains kl.txt "Your keystore contains 2 entries"
# Aliases are lower-cased, entry types and the chain are what we wrote.
assert_eq "$(grep '^Alias name:' kl.txt | sed 's/^Alias name: //' | sort | tr '\n' ' ')" \
	"rootca tomcat " "aliases keytool sees"
awk '/^Alias name: tomcat/{f=1} f&&/^Entry type:/{print; exit}' kl.txt >t.txt
assert_contains t.txt "PrivateKeyEntry"
awk '/^Alias name: rootca/{f=1} f&&/^Entry type:/{print; exit}' kl.txt >t.txt
assert_contains t.txt "trustedCertEntry"
awk '/^Alias name: tomcat/{f=1} f&&/^Certificate chain length:/{print $4; exit}' kl.txt >t.txt
assert_eq "$(cat t.txt)" "3" "chain length"
# SHA-256 fingerprints: keytool's against openssl's and ucpki's.
kt_fp() { awk -v a="$1" '$0=="Alias name: " a {f=1} f&&/SHA256:/{print $2; exit}' kl.txt; }
assert_eq "$(kt_fp tomcat)" "$(fp256 srv.pem)" "leaf fingerprint"
assert_eq "$(kt_fp rootca)" "$(fp256 root.pem)" "root fingerprint"
u 0 --json keystore list srv.jks --storepass-file pw
assert_contains "$T/out" "\"sha256\": \"$(fp256 srv.pem)\""
ok "keytool lists a ucpki JKS: aliases, entry types, chain, fingerprints"

kt -list -keystore srv.jks -storepass wrong-password >kw.txt && fail "keytool accepted a wrong password"
assert_contains kw.txt "password was incorrect"
ok "keytool rejects a wrong store password on a ucpki JKS"

# keytool -importkeystore to PKCS#12, then openssl recovers a matching key.
kt -importkeystore -srckeystore srv.jks -srcstorepass "$SP" -srcalias tomcat \
	-destkeystore kt.p12 -deststoretype PKCS12 -deststorepass "$SP" -destkeypass "$SP" -noprompt >ki.txt ||
	{ cat ki.txt; fail "keytool -importkeystore failed"; }
openssl pkcs12 -in kt.p12 -passin "file:pw" -nocerts -nodes -out ktkey.pem 2>/dev/null ||
	fail "openssl cannot read keytool's PKCS#12"
assert_eq "$(pub_of_key ktkey.pem)" "$(pub_of_cert srv.pem)" "recovered key matches the certificate"
assert_eq "$(openssl pkey -in ktkey.pem -outform DER | od -An -tx1)" \
	"$(openssl pkey -in srvkey.pem -outform DER | od -An -tx1)" "recovered key equals the original"
ok "keytool -importkeystore + openssl pkcs12 recover the key ucpki sealed in JKS"

# keytool edits the ucpki store; ucpki still reads it.
kt -delete -alias rootca -keystore srv.jks -storepass "$SP" >/dev/null || fail "keytool -delete failed"
u 0 keystore list srv.jks --storepass-file pw
assert_contains "$T/out" "Your keystore contains 1 entry"
assert_not_contains "$T/out" "rootca"
ok "ucpki reads the JKS after keytool edited it"

# --- keytool writes, ucpki reads ------------------------------------------
kt -genkeypair -keystore kt.jks -storetype JKS -storepass "$SP" -keypass "$SP" -alias MyServer \
	-dname "CN=kt.acme.example, O=Acme" -keyalg RSA -keysize 2048 -validity 30 >/dev/null ||
	fail "keytool -genkeypair failed"
kt -importcert -noprompt -trustcacerts -alias acmeroot -file root.pem -keystore kt.jks \
	-storepass "$SP" >/dev/null || fail "keytool -importcert failed"
kt -list -v -keystore kt.jks -storepass "$SP" >kl2.txt
u 0 --json keystore list kt.jks --storepass-file pw
assert_contains "$T/out" '"type": "JKS"'
assert_contains "$T/out" '"alias": "myserver"'
assert_contains "$T/out" '"alias": "acmeroot"'
assert_contains "$T/out" '"type": "trustedCertEntry"'
assert_contains "$T/out" '"type": "PrivateKeyEntry"'
assert_contains "$T/out" '"verified": true'
kfp=$(awk '$0=="Alias name: myserver"{f=1} f&&/SHA256:/{print $2; exit}' kl2.txt)
[ -n "$kfp" ] || fail "no fingerprint in keytool's listing"
assert_contains "$T/out" "\"sha256\": \"$kfp\""
ok "ucpki lists a keytool JKS (key entry and trusted certificate)"

u 0 keystore export kt.jks --alias MyServer --order key --storepass-file pw --out ktjkey.pem
u 0 keystore export kt.jks --alias myserver --storepass-file pw --out ktjcert.pem
assert_eq "$(mode_of ktjkey.pem)" "600" "exported key mode"
u 0 match ktjcert.pem ktjkey.pem
assert_contains "$T/out" "match: the key belongs to the certificate"
assert_eq "$(fp256 ktjcert.pem)" "$kfp" "exported certificate fingerprint"
u 0 convert kt.jks --in-pass-file pw --alias myserver --to pem --order key --out ktjkey2.pem
assert_eq "$(pub_of_key ktjkey2.pem)" "$(pub_of_cert ktjcert.pem)" "convert extracts the same key"
ok "ucpki extracts the private key of a keytool JKS and it matches the certificate"

# A key password different from the store password (keytool -keypass).
kt -genkeypair -keystore kp.jks -storetype JKS -storepass "$SP" -keypass "$(cat pw2)" -alias k2 \
	-dname "CN=kp.acme.example" -keyalg EC -groupname secp256r1 -validity 30 >/dev/null
u 0 keystore list kp.jks --storepass-file pw
assert_contains "$T/out" "k2, "
u 2 keystore export kp.jks --alias k2 --order key --storepass-file pw --out kpkey.pem
assert_one_line_error
assert_contains "$T/err" "wrong password or corrupted keystore"
assert_no_file kpkey.pem
u 0 keystore export kp.jks --alias k2 --order cert,key --storepass-file pw --keypass-file pw2 --out kpkey.pem --force
assert_eq "$(pem_blocks kpkey.pem | tr '\n' ' ')" "CERTIFICATE PRIVATE KEY " "export blocks"
ok "JKS key passwords: wrong one refused, right one opens the EC key"

# JCEKS (read-only): keys sealed with PBEWithMD5AndTripleDES.
kt -genkeypair -keystore kt.jceks -storetype JCEKS -storepass "$SP" -keypass "$SP" -alias jce \
	-dname "CN=jce.acme.example" -keyalg RSA -keysize 2048 -validity 30 >/dev/null
u 0 show kt.jceks --pass-file pw
assert_contains "$T/out" "kt.jceks: JCEKS, 2 objects"
assert_contains "$T/out" "Matches:      certificate [2]"
u 2 keystore delete kt.jceks --alias jce --storepass-file pw
assert_contains "$T/err" "read-only"
ok "ucpki opens a keytool JCEKS key"

# Wrong password and damage on a keytool-written store.
u 2 keystore list kt.jks --storepass-file pw2
assert_one_line_error
assert_contains "$T/err" "kt.jks: wrong password or corrupted keystore"
cp kt.jks bad.jks
flip_byte bad.jks 200
u 2 keystore list bad.jks --storepass-file pw
assert_one_line_error
assert_contains "$T/err" "wrong password or corrupted keystore"
ok "wrong password and a flipped byte: 'wrong password or corrupted keystore'"
done_testing
