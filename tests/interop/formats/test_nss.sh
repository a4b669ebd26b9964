#!/usr/bin/env bash
# NSS as a peer: a ucpki PKCS#12 imports into an NSS database with pk12util,
# certutil lists it under its alias and validates it as an SSL server against
# the ucpki root; a PKCS#12 exported by NSS is read back by ucpki.
. "$UCPKI_SRC/tests/lib.sh"
command -v certutil >/dev/null && command -v pk12util >/dev/null || fail "NSS tools missing (libnss3-tools)"
new_state
u 0 pki create acme
u 0 ca create acme/root --subject "C=US, O=Acme, CN=Acme Root" --key ec:p256
u 0 ca create acme/issuing --parent acme/root --subject "C=US, O=Acme, CN=Acme Issuing" --key ec:p256
u 0 ca export acme/root --out root.pem
u 0 issue --ca acme/issuing --subject "C=US, O=Acme, CN=web.acme.example" --eku serverAuth \
	--out-cert web.pem --out-key web.key --out-chain chain.pem
printf 'p12 secret\n' >p12.pass
printf 'nss db secret\n' >db.pass
u 0 convert web.pem --key web.key --chain chain.pem --to p12 --alias webserver --pass-file p12.pass --out web.p12

mkdir nssdb
run 0 certutil -N -d sql:nssdb -f db.pass
run 0 pk12util -i web.p12 -d sql:nssdb -w p12.pass -k db.pass
run 0 certutil -A -d sql:nssdb -f db.pass -n acme-root -t "C,," -a -i root.pem
run 0 certutil -L -d sql:nssdb
assert_match "$T/out" "^webserver +u,u,u"
assert_match "$T/out" "^acme-root +C,,"
run 0 certutil -V -d sql:nssdb -n webserver -u V
assert_contains "$T/out" "certificate is valid"
run 0 certutil -K -d sql:nssdb -f db.pass
assert_contains "$T/out" "webserver"
ok "pk12util imports the ucpki PKCS#12; certutil lists alias and trust, validates it as SSL server"

run 0 pk12util -o nss.p12 -n webserver -d sql:nssdb -w p12.pass -k db.pass
printf 'p12 secret\n' >in.pass
u 0 --json keystore list nss.p12 --storepass-file in.pass
python3 - "$T/out" <<'PY' || fail "ucpki reads the NSS PKCS#12"
import json, sys
d = json.load(open(sys.argv[1]))
entries = d["entries"]
keys = [e for e in entries if e["type"] == "PrivateKeyEntry"]
assert len(keys) == 1, entries
PY
u 0 convert nss.p12 --in-pass-file in.pass --to pem --order cert,key --out back.pem
u 0 match back.pem web.key
[ "$(openssl x509 -in back.pem -noout -fingerprint -sha256)" = "$(openssl x509 -in web.pem -noout -fingerprint -sha256)" ] ||
	fail "certificate changed on the NSS round trip"
ok "NSS-exported PKCS#12 read by ucpki: same certificate, matching key"
done_testing
