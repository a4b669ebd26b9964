# PKCS#12 both ways against openssl and keytool, modern and legacy profiles.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/lib_formats.sh"
have_keytool || fail "keytool is missing (scripts/deps.sh test installs it)"
make_pki
SP=$(cat pw)

# --- modern profile: openssl and keytool read it ---------------------------
u 0 convert srv.pem --key srvkey.pem --chain sub.pem --chain root.pem --alias tomcat \
	--caname "Acme Issuing,Acme Root" --to p12 --pass-file pw --out modern.p12
assert_eq "$(mode_of modern.p12)" "600" "keystore with a key is 0600"
openssl pkcs12 -in modern.p12 -passin file:pw -info -noout >info.txt 2>&1 || { cat info.txt; fail "openssl pkcs12 -info"; }
assert_contains info.txt "MAC: sha256"
assert_contains info.txt "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"
assert_contains info.txt "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC"
assert_contains info.txt "PRF hmacWithSHA256"
openssl pkcs12 -in modern.p12 -passin file:pw -nodes -out all.pem 2>/dev/null || fail "openssl pkcs12 export"
assert_match all.pem "friendlyName: tomcat"
assert_match all.pem "friendlyName: Acme Issuing"
assert_match all.pem "friendlyName: Acme Root"
assert_match all.pem "localKeyID: "
openssl pkcs12 -in modern.p12 -passin file:pw -nocerts -nodes -out mkey.pem 2>/dev/null
assert_eq "$(pub_of_key mkey.pem)" "$(pub_of_cert srv.pem)" "openssl's key matches the certificate"
openssl pkcs12 -in modern.p12 -passin file:pw -clcerts -nokeys -out mcert.pem 2>/dev/null
assert_eq "$(fp256 mcert.pem)" "$(fp256 srv.pem)" "client certificate"
openssl pkcs12 -in modern.p12 -passin pass:wrong -noout 2>/dev/null && fail "openssl accepted a wrong password"
ok "openssl reads a modern ucpki PKCS#12: AES-256/PBKDF2/SHA-256 MAC, names, key, chain"

kt -list -v -storetype pkcs12 -keystore modern.p12 -storepass "$SP" >kl.txt
assert_contains kl.txt "Alias name: tomcat"
assert_contains kl.txt "Entry type: PrivateKeyEntry"
assert_contains kl.txt "Certificate chain length: 3"
assert_eq "$(awk '/^Alias name: tomcat/{f=1} f&&/SHA256:/{print $2; exit}' kl.txt)" "$(fp256 srv.pem)" "keytool fingerprint"
ok "keytool -list -storetype pkcs12 reads a modern ucpki PKCS#12"

# --- legacy profile ----------------------------------------------------------
u 0 convert srv.pem --key srvkey.pem --chain chain.pem --alias tomcat --to p12 --legacy \
	--pass-file pw --out legacy.p12
openssl pkcs12 -in legacy.p12 -passin file:pw -info -noout -legacy >linfo.txt 2>&1 || { cat linfo.txt; fail "openssl -legacy"; }
assert_contains linfo.txt "MAC: sha1"
assert_contains linfo.txt "pbeWithSHA1And40BitRC2-CBC"
assert_contains linfo.txt "pbeWithSHA1And3-KeyTripleDES-CBC"
openssl pkcs12 -in legacy.p12 -passin file:pw -nocerts -nodes -legacy -out lkey.pem 2>/dev/null
assert_eq "$(pub_of_key lkey.pem)" "$(pub_of_cert srv.pem)" "legacy key matches"
openssl pkcs12 -in legacy.p12 -passin file:pw -nocerts -nodes -out /dev/null 2>/dev/null &&
	fail "openssl 3 read RC2 without -legacy: the file is not really legacy"
kt -list -storetype pkcs12 -keystore legacy.p12 -storepass "$SP" >kl.txt
assert_match kl.txt "^tomcat, .*PrivateKeyEntry"
ok "legacy PKCS#12 (3DES/RC2-40/SHA-1 MAC) read by openssl -legacy and keytool"

# Without OpenSSL's legacy provider, both directions say exactly that.
OPENSSL_MODULES=/nonexistent u 2 convert legacy.p12 --in-pass-file pw --to pem --out l.pem
assert_one_line_error
assert_contains "$T/err" "legacy provider"
assert_no_file l.pem
OPENSSL_MODULES=/nonexistent u 2 convert srv.pem --key srvkey.pem --to p12 --legacy --pass-file pw --out l2.p12
assert_contains "$T/err" "legacy provider"
assert_no_file l2.p12
ok "a missing legacy provider is named in the error"

# --- trusted certificate entries ---------------------------------------------
u 0 keystore import-ca trust.p12 --alias acmeroot --file root.pem --storepass-file pw
u 0 keystore import-ca trust.p12 --alias acmesub --file sub.pem --storepass-file pw
assert_eq "$(mode_of trust.p12)" "644" "truststore mode"
kt -list -storetype pkcs12 -keystore trust.p12 -storepass "$SP" >kl.txt
assert_contains kl.txt "Your keystore contains 2 entries"
assert_match kl.txt "^acmeroot, .*trustedCertEntry"
assert_match kl.txt "^acmesub, .*trustedCertEntry"
ok "keytool lists ucpki PKCS#12 CA entries as trustedCertEntry"

# --- openssl writes, ucpki reads ---------------------------------------------
openssl pkcs12 -export -in srv.pem -inkey srvkey.pem -out os.p12 -name tomcat -CAfile chain.pem \
	-caname myca -chain -passout file:pw 2>/dev/null || fail "openssl pkcs12 -export"
u 0 --json keystore list os.p12 --storepass-file pw
assert_contains "$T/out" '"type": "PKCS12"'
assert_contains "$T/out" '"alias": "tomcat"'
assert_eq "$(grep -c '"alias"' "$T/out")" "1" "one entry (the CAs are its chain)"
u 0 convert os.p12 --in-pass-file pw --to pem --order key --out oskey.pem
assert_eq "$(pub_of_key oskey.pem)" "$(pub_of_cert srv.pem)" "key from openssl's PKCS#12"
openssl pkcs12 -export -legacy -in srv.pem -inkey srvkey.pem -out osl.p12 -name old \
	-passout file:pw 2>/dev/null || fail "openssl pkcs12 -export -legacy"
u 0 keystore list osl.p12 --storepass-file pw
assert_match "$T/out" "^old, .*PrivateKeyEntry"
u 0 convert osl.p12 --in-pass-file pw --to pkcs1 --order key --out osl.key
assert_eq "$(pem_blocks osl.key)" "RSA PRIVATE KEY" "PKCS#1 key"
ok "ucpki reads openssl's PKCS#12, modern and legacy"

# --- keytool writes, ucpki reads -----------------------------------------------
kt -genkeypair -keystore kt.p12 -storetype PKCS12 -storepass "$SP" -alias ktsrv \
	-dname "CN=kt.acme.example" -keyalg RSA -keysize 2048 -validity 30 >/dev/null
kt -importcert -noprompt -alias ktroot -file root.pem -keystore kt.p12 -storetype PKCS12 \
	-storepass "$SP" >/dev/null
u 0 --json keystore list kt.p12 --storepass-file pw
assert_contains "$T/out" '"alias": "ktsrv"'
assert_contains "$T/out" '"alias": "ktroot"'
assert_contains "$T/out" '"type": "trustedCertEntry"'
u 0 keystore export kt.p12 --alias ktsrv --order cert,key --storepass-file pw --out ktb.pem
u 0 match ktb.pem ktb.pem
assert_contains "$T/out" "match: the key belongs"
ok "ucpki reads keytool's PKCS#12 (key entry and trusted certificate)"

# --- damage and passwords --------------------------------------------------------
u 2 keystore list modern.p12 --storepass-file pw2
assert_one_line_error
assert_contains "$T/err" "wrong password"
head -c 700 modern.p12 >trunc.p12
u 2 convert trunc.p12 --in-pass-file pw --to pem --out t.pem
assert_one_line_error
assert_no_file t.pem
cp modern.p12 flip.p12
flip_byte flip.p12
u 2 convert flip.p12 --in-pass-file pw --to pem --out t.pem
assert_one_line_error
assert_no_file t.pem
ok "wrong password, truncated and bit-flipped PKCS#12: one-line error, exit 2, no output"
done_testing
