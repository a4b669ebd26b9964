#!/usr/bin/env bash
# The example solution's Contact Center, opened as its components open it:
# Tomcat's PKCS#12 (alias tomcat), the e-mail relay's JKS, DER CA for the
# JRE cacerts, Openfire PEM, web collaboration without clientAuth, R12 for
# network communication, media service, Facebook and Twitter connectors.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/interop/solution/example.sh"
issue_example
u 0 ca export acme/root --out "$T/acme-root.pem"
root_fp=$(openssl x509 -in "$T/acme-root.pem" -noout -fingerprint -sha256)

# --- application server: mystore.p12 alias tomcat; root for cacerts alias root --
s=$D/oscc-app/secrets/store.pass
keytool_entries "$D/oscc-app/mystore.p12" "$s" PKCS12 | grep -qx "tomcat,PrivateKeyEntry" || fail "alias tomcat"
openssl pkcs12 -in "$D/oscc-app/mystore.p12" -passin "file:$s" -nokeys -info 2>&1 | grep -q 'friendlyName: tomcat' ||
	fail "openssl sees no friendlyName tomcat"
# the guide's JKS variant: keytool -importkeystore without an alias
keytool -importkeystore -srckeystore "$D/oscc-app/mystore.p12" -srcstoretype PKCS12 -srcstorepass:file "$s" \
	-destkeystore "$T/keystore.jks" -deststoretype JKS -deststorepass:file "$s" -noprompt >/dev/null 2>&1 ||
	fail "keytool cannot import mystore.p12 into JKS"
keytool_entries "$T/keystore.jks" "$s" | grep -qx "tomcat,PrivateKeyEntry" || fail "JKS import lost the alias"
assert_eq "$(openssl x509 -in "$D/oscc-app/root.pem" -noout -fingerprint -sha256)" "$root_fp"
assert_contains "$D/oscc-app/INSTALL.md" "-alias root"
ok "oscc-app: PKCS#12 alias tomcat, imports into JKS as the guide does; root for cacerts"

# --- clients and e-mail relay: DER CA; relay JKS --------------------------------
assert_eq "$(openssl x509 -inform DER -in "$D/oscc-relay/ca.cer" -noout -fingerprint -sha256)" "$root_fp"
keytool -importcert -noprompt -alias acme-root -file "$D/oscc-relay/ca.cer" -keystore "$T/cacerts" \
	-storetype JKS -storepass changeit >/dev/null 2>&1 || fail "keytool cannot import ca.cer"
keytool -list -v -keystore "$D/oscc-relay/emailrelay.jks" -storepass:file "$D/oscc-relay/secrets/store.pass" >"$T/relay.txt" 2>&1 ||
	{ cat "$T/relay.txt"; fail "keytool -list -v cannot read emailrelay.jks"; }
assert_contains "$T/relay.txt" "Keystore type: JKS"
assert_contains "$T/relay.txt" "Alias name: emailrelay"
assert_contains "$T/relay.txt" "Entry type: PrivateKeyEntry"
assert_contains "$T/relay.txt" "Certificate chain length: 2"
assert_contains "$T/relay.txt" "Owner: CN=mailrelay.acme.example"
keytool -list -keystore "$D/oscc-relay/emailrelay.jks" -storepass wrong >/dev/null 2>&1 &&
	fail "emailrelay.jks opens with a wrong password"
ok "oscc-clients: DER CA for keytool, relay JKS read by keytool -list -v"

# --- Openfire (chat): certificate+chain, key; CN is the host name -------------------
assert_pem_order "$D/oscc-chat/openfire-cert.pem" "CERTIFICATE,CERTIFICATE"
assert_pem_order "$D/oscc-chat/openfire-key.pem" "RSA PRIVATE KEY"
assert_match <(subject_of "$D/oscc-chat/openfire-cert.pem" 1) "CN=ccchat.acme.example"
self_signed "$D/oscc-chat/openfire-cert.pem" 1 && fail "a self-signed certificate is rejected by OSCC Openfire"
ok "oscc-openfire: CA-issued certificate with chain, unencrypted key"

# --- web collaboration: no clientAuth; CN = main server host name ---------------------
s=$D/oscc-web/secrets/store.pass
openssl pkcs12 -in "$D/oscc-web/webinteraction.p12" -passin "file:$s" -nokeys -clcerts 2>/dev/null |
	openssl x509 -out "$T/web.pem"
assert_eq "$(ekus_of "$T/web.pem")" "TLSWebServerAuthentication"
openssl x509 -in "$T/web.pem" -noout -subject | grep -q 'CN = cc-main.acme.example' || fail "CN is not the main server's host name"
grep -q 8443 "$D/oscc-web/INSTALL.md" || fail "port 8443 missing from the steps"
ok "oscc-webcollab: serverAuth only, CN the main server host name"

# --- network communication: R12 --------------------------------------------------------
org() { openssl x509 -in "$1" -noout -subject -nameopt RFC2253,sep_multiline | sed -n 's/^ *O=//p'; }
pem_block "$D/oscc-main/oscc_cert.pem" 1 >"$T/cc.pem"
[ "$(org "$T/cc.pem")" != "$(org "$D/oscc-main/cacert.cer")" ] || fail "R12: same organization as the root"
assert_eq "$(org "$T/cc.pem")" "Acme Contact Center"
assert_pem_order "$D/oscc-main/oscc_privkey.pem" "RSA PRIVATE KEY"
ok "oscc-network: oscc_cert.pem / oscc_privkey.pem, organization differs from the root (R12)"

# --- media service: certificate, key, CA; both roles ---------------------------------
pem_block "$D/oscc-media/media-cert.pem" 1 >"$T/media.pem"
assert_eq "$(ekus_of "$T/media.pem")" "TLSWebServerAuthentication,TLSWebClientAuthentication"
assert_verifies "$D/oscc-media/media-cert.pem" "$D/oscc-media/ca.pem" sslclient
ok "oscc-media: TLS server and client certificate, CA file"

# --- Facebook and Twitter connectors -----------------------------------------------------
for f in webhook/ca.crt webhook/server.crt webhook/key.crt admin/ca.pem admin/server.pem admin/key.pem; do
	assert_file "$D/oscc-facebook/$f"
done
assert_pem_order "$D/oscc-facebook/webhook/key.crt" "RSA PRIVATE KEY"
cmp -s "$D/oscc-facebook/webhook/server.crt" "$D/oscc-facebook/admin/server.pem" || fail "webhook and admin certificates differ"
keytool_entries "$D/oscc-twitter/twitter-connector.p12" "$D/oscc-twitter/secrets/store.pass" PKCS12 |
	grep -qx "twitter-connector,PrivateKeyEntry" || fail "twitter keystore"
assert_contains "$D/oscc-twitter/INSTALL.md" "server.ssl.key-store-password"
ok "oscc-facebook: webhook and admin file sets; oscc-twitter: PKCS#12 for server.ssl.key-store"
done_testing
