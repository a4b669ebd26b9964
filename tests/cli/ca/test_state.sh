#!/usr/bin/env bash
# The state: generated passphrase, CA keys encrypted at rest (scrypt +
# AES-256 PKCS#8 that openssl can open with the passphrase), CA import from a
# customer's PKCS#12 (modern and legacy), and serial uniqueness under two
# concurrent issuing loops.
. "$UCPKI_SRC/tests/lib.sh"

u 0 init
assert_contains "$T/err" "generated the state passphrase into"
assert_file state/passphrase
assert_eq "$(mode_of state/passphrase)" 600 "passphrase file mode"
assert_eq "$(mode_of state)" 700 "state dir mode"
assert_eq "$(mode_of state/ucpki.db)" 600 "database mode"
u 0 init
assert_contains "$T/out" "already exists"
u 0 pki create acme
u 0 ca create acme/root --subject "C=US, O=Acme, CN=Acme Root" --key ec:p384
ok "init: generated passphrase 0600, private state dir, idempotent"

# The CA key in the database is an encrypted PKCS#8 that only the passphrase opens.
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("state/ucpki.db")
key, cert = db.execute("SELECT key_enc, cert FROM ca WHERE name='root'").fetchone()
open("cakey.der", "wb").write(key)
open("cacert.der", "wb").write(cert)
PY
run 0 openssl asn1parse -inform DER -in cakey.der
assert_contains "$T/out" ":scrypt"
assert_contains "$T/out" ":aes-256-cbc"
run 1 openssl pkey -inform DER -in cakey.der -passin pass:wrong -noout
pass=$(cat state/passphrase)
run 0 openssl pkcs8 -inform DER -in cakey.der -passin "pass:$pass" -out cakey.pem
[ "$(openssl pkey -in cakey.pem -pubout | openssl sha256)" = \
  "$(openssl x509 -inform DER -in cacert.der -noout -pubkey | openssl sha256)" ] || fail "stored key is not the CA's"
python3 - <<'PY' || fail "unencrypted key material in the database"
data = open("state/ucpki.db", "rb").read()
assert b"PRIVATE KEY" not in data
PY
ok "CA key stored as scrypt/AES-256 PKCS#8, opens only with the passphrase"

# Import a customer CA from PKCS#12, modern and legacy (guide 3.12.1.1 step 4).
openssl req -x509 -newkey rsa:2048 -nodes -keyout cust.key -out cust.pem -days 3650 \
	-subj "/C=US/O=Customer/CN=Customer Root" -addext basicConstraints=critical,CA:TRUE \
	-addext keyUsage=keyCertSign,cRLSign 2>/dev/null
printf 'p12secret\n' >p12.pass
openssl pkcs12 -export -inkey cust.key -in cust.pem -name custca -passout file:p12.pass -out modern.p12
openssl pkcs12 -export -legacy -inkey cust.key -in cust.pem -name custca -passout file:p12.pass -out legacy.p12
u 0 pki create dls
u 2 ca import dls/cust --p12 modern.p12 --p12-pass-file wrong.pass
assert_contains "$T/err" "wrong.pass: cannot open"
printf 'nope\n' >wrong.pass
u 2 ca import dls/cust --p12 modern.p12 --p12-pass-file wrong.pass
assert_contains "$T/err" "modern.p12: wrong password or corrupted PKCS#12 file"
head -c 300 modern.p12 >trunc.p12
u 2 ca import dls/cust --p12 trunc.p12 --p12-pass-file p12.pass
assert_contains "$T/err" "trunc.p12"
u 2 ca import dls/cust --p12 cust.pem --p12-pass-file p12.pass
assert_contains "$T/err" "cust.pem: not a PKCS#12 file"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leafonly.pem \
	-subj "/CN=not-a-ca" -addext basicConstraints=CA:FALSE 2>/dev/null
openssl pkcs12 -export -inkey leaf.key -in leafonly.pem -passout file:p12.pass -out leaf.p12
u 2 ca import dls/cust --p12 leaf.p12 --p12-pass-file p12.pass
assert_contains "$T/err" "the certificate is not a CA"
u 0 ca import dls/cust --p12 modern.p12 --p12-pass-file p12.pass
u 0 ca import dls/cust-legacy --p12 legacy.p12 --p12-pass-file p12.pass
u 0 issue --ca dls/cust-legacy --template "C=US, ST=FL, L=Boca Raton, O=Unify, OU=Sales, CN=?" --cn 10.1.2.3 \
	--out-cert phone.pem --out-key phone.key
run 0 openssl verify -CAfile cust.pem phone.pem
openssl x509 -in phone.pem -noout -ext subjectAltName | grep -q 'IP Address:10.1.2.3' || fail "IP CN not in SAN"
openssl x509 -in phone.pem -noout -subject | grep -q 'CN = 10.1.2.3' || fail "template CN"
u 0 ca export dls/cust --out exported.pem
cmp <(openssl x509 -in exported.pem -outform DER) <(openssl x509 -in cust.pem -outform DER) || fail "export differs"
ok "CA import from modern and legacy PKCS#12, template issuance, export"

# Two issuing loops on one state at once: no duplicate serial, no lost row.
u 0 ca create acme/issuing --parent acme/root --subject "C=US, O=Acme, CN=Acme Issuing" --key ec:p256
loop() {
	for i in $(seq 1 25); do
		"$UCPKI" --quiet issue --ca acme/issuing --subject "CN=$1-$i.acme.example" --key ec:p256 \
			--out-cert "$1-$i.pem" --out-key "$1-$i.key" || echo "fail $1-$i" >>loop-errors
	done
}
loop a & loop b & wait
assert_no_file loop-errors
u 0 --json certs --ca acme/issuing
python3 - "$T/out" <<'PY' || fail "concurrent issuance"
import json, sys, glob, subprocess
rows = json.load(open(sys.argv[1]))
serials = [r["serial"] for r in rows]
assert len(rows) == 50, len(rows)
assert len(set(serials)) == 50, "duplicate serial"
files = {subprocess.run(["openssl", "x509", "-in", f, "-noout", "-serial"], capture_output=True,
         text=True).stdout.strip().split("=")[1].lower() for f in glob.glob("[ab]-*.pem")}
assert files == set(serials), "files and rows disagree"
PY
ok "two concurrent issue loops: 50 rows, 50 distinct serials, matching files"
done_testing
