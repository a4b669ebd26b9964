#!/usr/bin/env bash
# The example solution's clients, phones and services, opened with the
# peers those products use: mobile and browser CA files (PEM, DER, PKCS#7),
# the .osmc client PKCS#12, Trace Manager, Web Collaboration, the DLS (web,
# internal CA, secure mode) and phones (WBM, SPE).
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/interop/solution/example.sh"
issue_example
u 0 ca export acme/root --out "$T/acme-root.pem"
root_fp=$(openssl x509 -in "$T/acme-root.pem" -noout -fingerprint -sha256)

p12_open() { # FILE PASSFILE ALIAS -> leaf certificate in $T/leaf.pem
	openssl pkcs12 -in "$1" -passin "file:$2" -nokeys -info >"$T/p12.txt" 2>&1 ||
		{ cat "$T/p12.txt"; fail "openssl pkcs12 cannot open $1"; }
	grep -q "friendlyName: $3" "$T/p12.txt" || fail "$1: no friendlyName $3"
	keytool_entries "$1" "$2" PKCS12 | grep -qx "$3,PrivateKeyEntry" || fail "keytool: $1 has no key entry $3"
	openssl pkcs12 -in "$1" -passin "file:$2" -nokeys -clcerts 2>/dev/null | openssl x509 -out "$T/leaf.pem"
}

# --- mobile (iOS/Android): .crt CA; Windows Phone: .cer .p7b .pem -------------
assert_eq "$(openssl x509 -in "$D/mobile-ca/root-ca.crt" -noout -fingerprint -sha256)" "$root_fp"
assert_eq "$(openssl x509 -inform DER -in "$D/mobile-wp8/root-ca.cer" -noout -fingerprint -sha256)" "$root_fp"
openssl pkcs7 -in "$D/mobile-wp8/ca-chain.p7b" -inform DER -print_certs 2>/dev/null >"$T/p7.txt" ||
	openssl pkcs7 -in "$D/mobile-wp8/ca-chain.p7b" -print_certs >"$T/p7.txt" || fail "p7b unreadable"
assert_eq "$(grep -c '^subject=' "$T/p7.txt")" 2 "root and issuing CA in the PKCS#7"
assert_pem_order "$D/mobile-wp8/ca-chain.pem" "CERTIFICATE,CERTIFICATE"
ok "mobile-ca, mobile-wp8: the CA as .crt, .cer (DER), .p7b and .pem"

# --- OpenScape Mobile client certificate: .osmc, clientAuth, separate password --
p12_open "$D/alice-osmo/client.osmc" "$D/alice-osmo/secrets/store.pass" osmo
assert_eq "$(ekus_of "$T/leaf.pem")" "TLSWebClientAuthentication"
openssl x509 -in "$T/leaf.pem" -noout -subject | grep -q 'CN = alice' || fail "the client certificate's CN is not the user"
openssl x509 -in "$T/leaf.pem" -noout -ext subjectAltName | grep -q 'email:alice@acme.example' || fail "no e-mail SAN"
assert_eq "$(openssl pkcs12 -in "$D/alice-osmo/client.osmc" -passin "file:$D/alice-osmo/secrets/store.pass" -nokeys -cacerts 2>/dev/null | grep -c 'BEGIN CERTIFICATE')" 2
ok "mobile-client: .osmc PKCS#12 with key, certificate (clientAuth, CN=user) and both CAs"

# --- browsers: the root as PEM and DER ----------------------------------------
assert_eq "$(openssl x509 -in "$D/browsers/root-ca.crt" -noout -fingerprint -sha256)" "$root_fp"
assert_eq "$(openssl x509 -inform DER -in "$D/browsers/root-ca.cer" -noout -fingerprint -sha256)" "$root_fp"
ok "browser: root CA as .crt and .cer"

# --- Trace Manager: server.crt (+chain), PKCS#1 key -------------------------------
assert_pem_order "$D/tracemgr/server.crt" "CERTIFICATE,CERTIFICATE"
assert_pem_order "$D/tracemgr/server.key" "RSA PRIVATE KEY"
assert_verifies "$D/tracemgr/server.crt" "$D/browsers/root-ca.crt" sslserver
ok "trace-manager: server.crt with chain verifies for TLS server use; server.key"

# --- Web Collaboration: CA PEM, server PKCS#12; settings.ini line ---------------
p12_open "$D/webcollab/webcollab.p12" "$D/webcollab/secrets/store.pass" webcollab
assert_contains "$D/webcollab/INSTALL.md" "WebclientURLBase=https://join.acme.example:443/joinclient.aspx?inv=%1"
p12_open "$D/webcollab-web/webcollab.p12" "$D/webcollab-web/secrets/store.pass" webcollab
openssl x509 -in "$T/leaf.pem" -noout -subject | grep -q join.acme.example || fail "web client certificate"
ok "webcollab: PKCS#12 for the server and for the IIS web client; settings.ini line"

# --- DLS: web/API PKCS#12, secure-mode credential, internal CA ---------------------
p12_open "$D/dls/dls-web/dls-web.p12" "$D/dls/secrets/dls-web-store.pass" dls
p12_open "$D/dls/phone-secure-mode/dls-secure-mode.p12" "$D/dls/secrets/phone-secure-mode-store.pass" dls-secure-mode
assert_eq "$(ekus_of "$T/leaf.pem")" "TLSWebServerAuthentication,TLSWebClientAuthentication"
assert_contains "$D/dls/INSTALL.md" "PIN Mode Individual PIN"
p12_open "$D/dls-wbm/dls-ca.p12" "$D/dls-wbm/secrets/store.pass" dls-ca
openssl x509 -in "$T/leaf.pem" -noout -text >"$T/dlsca.txt"
assert_contains "$T/dlsca.txt" "CA:TRUE, pathlen:0"
assert_contains "$T/dlsca.txt" "Certificate Sign, CRL Sign"
openssl verify -CAfile "$D/dls-wbm/trust-anchor.pem" "$T/leaf.pem" >/dev/null || fail "DLS CA does not chain to the root"
assert_contains "$D/dls-wbm/INSTALL.md" "internal.default.validity.days = 1095"
assert_contains "$D/dls-wbm/INSTALL.md" "internal.x509name.template = C=US, ST=FL, L=Boca Raton, O=Acme, OU=UC, CN=?"
ok "dls: web/API and secure-mode PKCS#12; internal CA (pathlen 0) under the root with plug-in settings"

# --- phones: WBM PKCS#12 (EC P-256), SPE CA + PKCS#12 --------------------------------
p12_open "$D/phone-1001/wbm.p12" "$D/phone-1001/secrets/store.pass" wbm
openssl x509 -in "$T/leaf.pem" -noout -text | grep -q 'ASN1 OID: prime256v1' || fail "the WBM key is not P-256"
openssl x509 -in "$T/leaf.pem" -noout -ext subjectAltName | grep -q 'IP Address:10.10.0.11' || fail "phone IP"
assert_eq "$(jq -r '.nodes[] | select(.name == "phone-1001") | .location' "$D/manifest.json")" HQ
p12_open "$D/phone-1002/spe.p12" "$D/phone-1002/secrets/store.pass" spe
assert_pem_order "$D/phone-1002/spe-ca.pem" "CERTIFICATE,CERTIFICATE"
openssl verify -CAfile "$D/phone-1002/spe-ca.pem" "$D/osv/client.pem" >/dev/null 2>&1 ||
	fail "a phone with spe-ca.pem cannot verify OpenScape Voice"
assert_contains "$D/phone-1002/INSTALL.md" "SIP Server Authentication Policy = full"
ok "phones: WBM PKCS#12 with EC key and location; SPE CA that verifies OSV; SPE PKCS#12"
done_testing
