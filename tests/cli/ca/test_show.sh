#!/usr/bin/env bash
# show and match: the fields openssl users look for, fingerprints and the
# guide's modulus MD5 (section 3.5.1) agree with openssl's own output.
. "$UCPKI_SRC/tests/lib.sh"
new_state
u 0 pki create acme
u 0 ca create acme/root --subject "C=US, O=Acme, CN=Acme Root"
u 0 issue --ca acme/root --subject "C=US, O=Acme, CN=web.acme.example" --san IP:fd00::1 \
	--eku serverAuth --critical ku --out-cert web.pem --out-key web.key --key-format pkcs1
u 0 issue --ca acme/root --subject "C=US, O=Acme, CN=other.acme.example" --key ec:p256 \
	--out-cert other.pem --out-key other.key

u 0 show web.pem
openssl_md5=$(openssl x509 -modulus -noout -in web.pem | openssl md5 | awk '{print $NF}')
assert_contains "$T/out" "Modulus MD5:  $openssl_md5"
sha256=$(openssl x509 -in web.pem -noout -fingerprint -sha256 | cut -d= -f2)
sha1=$(openssl x509 -in web.pem -noout -fingerprint -sha1 | cut -d= -f2)
assert_contains "$T/out" "SHA-256:      $sha256"
assert_contains "$T/out" "SHA-1:        $sha1"
assert_contains "$T/out" "X509v3 Key Usage (critical):"
assert_contains "$T/out" "X509v3 Extended Key Usage:"
assert_contains "$T/out" "SAN:          DNS:web.acme.example, IP Address:FD00:0:0:0:0:0:0:1"
assert_contains "$T/out" "Subject:      C=US, O=Acme, CN=web.acme.example"
ok "show: fingerprints, modulus MD5 and extensions agree with openssl"

u 0 --json show web.pem
python3 - "$T/out" "$sha256" "$openssl_md5" <<'PY' || fail "show --json"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["objects"][0]
assert d["format"] == "PEM" and c["type"] == "certificate"
assert c["sha256"] == sys.argv[2] and c["modulus_md5"] == sys.argv[3]
exts = {x["name"]: x for x in c["extensions"]}
assert exts["keyUsage"]["critical"] is True and exts["basicConstraints"]["critical"] is False
assert exts["extendedKeyUsage"]["value"] == "TLS Web Server Authentication"
PY
ok "show --json"

head -1 web.key | grep -qx -- '-----BEGIN RSA PRIVATE KEY-----' || fail "--key-format pkcs1"
u 0 show web.key
assert_contains "$T/out" "Key:          rsa:2048, PKCS#1"
assert_contains "$T/out" "Modulus MD5:  $openssl_md5"
cat web.pem web.key >bundle.pem
u 0 show bundle.pem
assert_contains "$T/out" "Matches:      certificate [1]"
openssl x509 -in web.pem -outform DER -out web.der
u 0 show web.der
assert_contains "$T/out" "web.der: DER, 1 object"
u 0 crl --ca acme/root --out root.crl
u 0 show root.crl
assert_contains "$T/out" "CRL number:   1"
ok "show: PKCS#1 keys, bundles, DER and CRLs"

u 0 match web.pem web.key
assert_contains "$T/out" "match: the key belongs to the certificate"
u 1 match web.pem other.key
assert_contains "$T/out" "NO MATCH"
u 0 --json match other.pem other.key
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["match"] is True and d["cert_modulus_md5"] is None' "$T/out" ||
	fail "match --json"
u 2 match web.pem web.pem
assert_contains "$T/err" "web.pem: no private key in this file"
printf 'garbage' >junk.pem
u 2 show junk.pem
assert_contains "$T/err" "junk.pem: not a certificate, key, CSR, CRL, PKCS#7, PKCS#12 or keystore"
head -c 400 web.pem >cut.pem
u 2 show cut.pem
assert_contains "$T/err" "cut.pem:"
assert_one_line_error
ok "match verdicts and exit codes; show rejects junk and truncated files"

printf 'keypass\n' >kp
u 0 issue --ca acme/root --subject "CN=enc.acme.example" --key-pass-file kp --out-cert enc.pem --out-key enc.key
head -1 enc.key | grep -qx -- '-----BEGIN ENCRYPTED PRIVATE KEY-----' || fail "encrypted key header"
run 0 openssl pkey -in enc.key -passin file:kp -noout
run 1 openssl pkey -in enc.key -passin pass:wrong -noout
u 2 show enc.key
assert_contains "$T/err" "enc.key: the private key is encrypted: give its password file"
printf 'wrong\n' >bad
u 2 show enc.key --pass-file bad
assert_contains "$T/err" "enc.key: wrong password for the encrypted private key"
u 0 match enc.pem enc.key --key-pass-file kp
ok "encrypted keys: openssl opens them with the password only; ucpki explains"
done_testing
