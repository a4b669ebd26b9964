# ucpki convert: the guide's section 5 conversions, bundles, round trips and
# bad input, checked with openssl.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/lib_formats.sh"
make_pki
der_hex() { openssl x509 -in "$1" ${2:+-inform $2} -outform DER | od -An -tx1; }
key_hex() { openssl pkey -in "$1" ${2:+-passin file:$2} -outform DER | od -An -tx1; }

# PEM <-> DER keeps the certificate's bytes.
u 0 convert srv.pem --to der --out srv.der
openssl x509 -inform DER -in srv.der -noout 2>/dev/null || fail "openssl cannot read the DER"
u 0 convert srv.der --to pem --out srv2.pem
cmp -s srv.pem srv2.pem || fail "PEM -> DER -> PEM changed the certificate"
assert_eq "$(pem_blocks srv2.pem)" "CERTIFICATE" "DER -> PEM block"
ok "PEM <-> DER preserves the certificate bytes"

# PKCS#8 -> PKCS#1 -> PKCS#8 (guide: openssl rsa -in server.key -out server_new.key).
u 0 convert srvkey.pem --to pkcs1 --out srv1.key
assert_eq "$(head -1 srv1.key)" "-----BEGIN RSA PRIVATE KEY-----" "PKCS#1 header"
assert_eq "$(mode_of srv1.key)" "600" "key mode"
openssl rsa -in srv1.key -check -noout >/dev/null 2>&1 || fail "openssl rsa -check"
u 0 convert srv1.key --to pkcs8 --out srv8.key
assert_eq "$(head -1 srv8.key)" "-----BEGIN PRIVATE KEY-----" "PKCS#8 header"
assert_eq "$(key_hex srv8.key)" "$(key_hex srvkey.pem)" "key after PKCS#8 -> 1 -> 8"
u 0 convert srv1.key --to der --out srv1.der
openssl rsa -inform DER -in srv1.der -check -noout >/dev/null 2>&1 || fail "PKCS#1 DER"
ok "PKCS#8 <-> PKCS#1 (PEM and DER) keeps the key"

# A non-RSA key cannot become PKCS#1.
u 2 convert eckey.pem --to pkcs1 --out ec1.key
assert_one_line_error
assert_contains "$T/err" "not RSA"
assert_no_file ec1.key
ok "EC key to PKCS#1: refused, exit 2, no output"

# Encrypt (AES-256 default, DES3 on request) and decrypt.
u 0 convert srvkey.pem --to pem --pass-file pw --out enc.key
assert_eq "$(head -1 enc.key)" "-----BEGIN ENCRYPTED PRIVATE KEY-----" "encrypted PKCS#8"
openssl pkey -in enc.key -passin file:pw -noout 2>/dev/null || fail "openssl pkey -passin refused it"
openssl pkey -in enc.key -passin pass:nope -noout 2>/dev/null && fail "openssl opened it with a wrong password"
openssl pkey -in enc.key -passin pass: -noout </dev/null 2>/dev/null && fail "openssl opened it without password"
openssl asn1parse -in enc.key >asn.txt 2>&1
assert_contains asn.txt "aes-256-cbc"
u 0 convert srv1.key --to pkcs1 --encrypt des3 --pass-file pw --out des.key
assert_contains des.key "Proc-Type: 4,ENCRYPTED"
assert_contains des.key "DEK-Info: DES-EDE3-CBC"
assert_eq "$(key_hex des.key pw)" "$(key_hex srvkey.pem)" "openssl decrypts the DES3 key"
u 0 convert des.key --in-pass-file pw --to pem --out plain.key
assert_eq "$(head -1 plain.key)" "-----BEGIN RSA PRIVATE KEY-----" "decrypted stays PKCS#1"
assert_eq "$(key_hex plain.key)" "$(key_hex srvkey.pem)" "decrypted key"
u 2 convert des.key --in-pass-file pw2 --to pem --out plain2.key
assert_one_line_error
assert_contains "$T/err" "wrong password"
assert_no_file plain2.key
u 2 convert des.key --to pem --out plain2.key
assert_contains "$T/err" "encrypted"
ok "encrypt (aes256, des3), openssl -passin accepts, decrypt, wrong password refused"

# The guide's 5.1 bundle: cert, key (PKCS#1), intermediates, root; LF, no blank lines.
u 0 convert srv.pem --key srvkey.pem --chain chain.pem --to pkcs1 --order cert,key,chain,root --out server.pem
assert_eq "$(pem_blocks server.pem | tr '\n' ' ')" \
	"CERTIFICATE RSA PRIVATE KEY CERTIFICATE CERTIFICATE " "bundle blocks"
grep -q $'\r' server.pem && fail "CR in the bundle"
grep -qx '' server.pem && fail "blank line in the bundle"
openssl x509 -in server.pem -noout -fingerprint -sha256 | grep -q "$(fp256 srv.pem)" || fail "first block"
certs=$(openssl crl2pkcs7 -nocrl -certfile server.pem | openssl pkcs7 -print_certs -noout | sed -n 's/^subject=.*CN *= *//p' | tr '\n' '|')
assert_eq "$certs" "srv.acme.example|Acme Issuing CA|Acme Root CA|" "certificate order"
u 0 convert srv.pem --key srvkey.pem --to pkcs1 --order key,cert --out rg.pem
assert_eq "$(pem_blocks rg.pem | tr '\n' ' ')" "RSA PRIVATE KEY CERTIFICATE " "RG8700 order"
u 2 convert srv.pem --key srvkey.pem --to pem --order cert,key,root --out noroot.pem
assert_contains "$T/err" "root"
assert_no_file noroot.pem
ok "bundles: cert,key,chain,root and key,cert; LF only, no blank lines"

# A key that does not belong to the certificate.
u 2 convert srv.pem --key eckey.pem --to pem --order cert,key --out mis.pem
assert_one_line_error
assert_contains "$T/err" "does not match"
assert_no_file mis.pem
u 2 convert srv.pem --key eckey.pem --to p12 --pass-file pw --out mis.p12
assert_contains "$T/err" "does not match"
assert_no_file mis.p12
ok "mismatched key and certificate: refused, exit 2, no output"

# P7B out and in.
u 0 convert chain.pem --to p7b --out chain.p7b
openssl pkcs7 -inform DER -in chain.p7b -print_certs -noout >p7.txt 2>&1 || fail "openssl pkcs7"
assert_eq "$(sed -n 's/^subject=.*CN *= *//p' p7.txt | tr '\n' '|')" "Acme Issuing CA|Acme Root CA|" "P7B order"
u 0 convert chain.p7b --to pem --out chain2.pem
cmp -s chain.pem chain2.pem || fail "P7B round trip changed the certificates"
u 0 convert chain.pem --to p7b --pem --out chainp.p7b
assert_eq "$(pem_blocks chainp.p7b)" "PKCS7" "PEM P7B"
ok "P7B (DER and PEM) out and in, order and bytes kept"

# PKCS#12 -> PEM parts (guide: -clcerts -nokeys, -nocerts -nodes, -cacerts).
u 0 convert srv.pem --key srvkey.pem --chain chain.pem --alias tomcat --to p12 --pass-file pw --out ks.p12
u 0 convert ks.p12 --in-pass-file pw --to pem --order cert --out c.pem
cmp -s c.pem srv.pem || fail "client certificate from PKCS#12"
u 0 convert ks.p12 --in-pass-file pw --to pem --order key --out k.pem
assert_eq "$(key_hex k.pem)" "$(key_hex srvkey.pem)" "key from PKCS#12"
u 0 convert ks.p12 --in-pass-file pw --to pem --order ca --out ca.pem
cmp -s ca.pem chain.pem || fail "CA certificates from PKCS#12"
ok "PKCS#12 to cert only / key only / CAs only"

# Round trip PEM -> PKCS#12 -> JKS -> legacy PKCS#12 -> PEM keeps everything.
u 0 convert ks.p12 --in-pass-file pw --to jks --pass-file pw2 --out ks.jks
u 0 convert ks.jks --in-pass-file pw2 --to p12 --legacy --pass-file pw --out ks2.p12
u 0 convert ks2.p12 --in-pass-file pw --to pem --order cert,key,chain,root --out back.pem
u 0 convert srv.pem --key srvkey.pem --chain chain.pem --to pem --order cert,key,chain,root --out want.pem
cmp -s back.pem want.pem || fail "round trip through PKCS#12, JKS, legacy PKCS#12 changed the bundle"
u 0 --json show ks2.p12 --pass-file pw
assert_contains "$T/out" '"alias": "tomcat"'
ok "round trip PEM -> P12 -> JKS -> legacy P12 -> PEM preserves certificates, key and alias"

# Bad input: one line, exit 2, nothing written, input untouched.
head -c 400 srv.pem >trunc.pem
u 2 convert trunc.pem --to der --out t.der
assert_one_line_error
assert_no_file t.der
head -c 300 srv.der >trunc.der
u 2 convert trunc.der --to pem --out t.pem
assert_one_line_error
assert_no_file t.pem
cp ks.jks flip.jks
flip_byte flip.jks
cp flip.jks flip.orig
u 2 convert flip.jks --in-pass-file pw2 --to pem --out t.pem
assert_contains "$T/err" "wrong password or corrupted keystore"
assert_no_file t.pem
cmp -s flip.jks flip.orig || fail "input changed"
head -c 100 ks.jks >trunc.jks
u 2 convert trunc.jks --in-pass-file pw2 --to pem --out t.pem
assert_one_line_error
u 2 convert ks.jks --in-pass-file pw --to pem --out t.pem
assert_contains "$T/err" "wrong password or corrupted keystore"
u 2 convert ks.jks --in-pass-file pw2 --alias nosuch --to pem --out t.pem
assert_contains "$T/err" "alias 'nosuch' does not exist"
assert_no_file t.pem
u 2 convert srv.pem --to p12 --out x.p12
assert_contains "$T/err" "needs the output password"
u 2 convert srv.pem --to nonsense --out x
assert_contains "$T/err" "unknown --format"
u 2 convert chain.pem --to der --out x.der
assert_contains "$T/err" "DER holds one object"
assert_no_file x.der
ok "bad input and usage: one-line error, exit 2, no output, input untouched"
done_testing
