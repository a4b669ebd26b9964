#!/usr/bin/env bash
# The example solution's UC side, opened with the peers the products use:
# openssl pkcs12 and keytool with the declared alias and password, JKS by
# keytool -list -v, the media server's keytool import steps run for real,
# UC Apache's encrypted key, Openfire's conference SAN, the Facade.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/interop/solution/example.sh"
issue_example
uc=$D/uc-be

# p12_check FILE PASSFILE ALIAS: openssl and keytool open it with the
# password; the key entry has the alias and the chain; the key matches.
p12_check() {
	local f=$1 pw=$2 alias=$3
	openssl pkcs12 -in "$f" -passin "file:$pw" -nokeys -info >"$T/p12.txt" 2>&1 ||
		{ cat "$T/p12.txt"; fail "openssl pkcs12 cannot open $f"; }
	grep -q "friendlyName: $alias" "$T/p12.txt" || { cat "$T/p12.txt"; fail "$f: no friendlyName $alias"; }
	openssl pkcs12 -in "$f" -passin "file:$pw" -nodes -nocerts 2>/dev/null | openssl pkey -noout ||
		fail "$f: no readable key"
	openssl pkcs12 -in "$f" -passin "file:$pw" -nodes -nocerts 2>/dev/null |
		openssl pkey -pubout >"$T/k.pub" 2>/dev/null
	openssl pkcs12 -in "$f" -passin "file:$pw" -nokeys -clcerts 2>/dev/null |
		openssl x509 -pubkey -noout >"$T/c.pub"
	cmp -s "$T/k.pub" "$T/c.pub" || fail "$f: key does not match its certificate"
	openssl pkcs12 -in "$f" -passin pass:wrong-password -nokeys >/dev/null 2>&1 &&
		fail "$f opens with a wrong password"
	keytool_entries "$f" "$pw" PKCS12 >"$T/kt.txt"
	grep -qx "$alias,PrivateKeyEntry" "$T/kt.txt" || { cat "$T/kt.txt"; fail "keytool: no PrivateKeyEntry $alias in $f"; }
	keytool -list -v -keystore "$f" -storepass:file "$pw" -storetype PKCS12 2>/dev/null |
		grep -q '^Certificate chain length: 2' || fail "$f: keytool sees no chain (cert + issuing CA)"
}

# --- Assistant: osvkeystore.p12 + osvtrustore.jks, password importkey -------
assert_eq "$(cat "$uc/secrets/uc-assistant-store.pass")" importkey "password: default keeps the guide's importkey"
p12_check "$uc/uc-assistant/osvkeystore.p12" "$uc/secrets/uc-assistant-store.pass" assistant
keytool_entries "$uc/uc-assistant/osvtrustore.jks" "$uc/secrets/uc-assistant-store.pass" JKS >"$T/ts.txt"
assert_eq "$(grep -c trustedCertEntry "$T/ts.txt")" 2 "truststore holds root and issuing CA"
assert_contains "$T/ts.txt" "acme root ca,trustedCertEntry"
keytool -list -keystore "$uc/uc-assistant/osvtrustore.jks" -storepass wrong >/dev/null 2>&1 &&
	fail "the JKS truststore opens with a wrong password"
ok "uc-assistant: PKCS#12 (alias assistant) and JKS truststore open with importkey"

# --- Bcom: certificate then PKCS#1 key in one file ---------------------------
assert_pem_order "$uc/uc-bcom/bcom-import.pem" "CERTIFICATE,RSA PRIVATE KEY"
ok "uc-bcom: certificate then PKCS#1 key"

# --- CMP and SPML: same content, aliases, connectors ---------------------------
p12_check "$uc/uc-cmp/tomcat-keystore.p12" "$uc/secrets/uc-cmp-store.pass" tomcat
p12_check "$uc/uc-spml/spmlresponder-keystore.p12" "$uc/secrets/uc-spml-store.pass" tomcat
# one host, several keystores: each its own generated password (none has a default)
[ "$(cat "$uc/secrets/uc-cmp-store.pass")" != "$(cat "$uc/secrets/uc-spml-store.pass")" ] ||
	fail "CMP and SPML keystores share a password"
[ "$(cat "$uc/secrets/uc-cmp-store.pass")" != "$(cat "$uc/secrets/uc-ucma-store.pass")" ] ||
	fail "CMP and UCMA keystores share a password"
assert_eq "$(wc -c <"$uc/secrets/uc-cmp-store.pass")" 25 "a generated password"
assert_contains "$uc/INSTALL.md" 'name="CMP_https"'
assert_contains "$uc/INSTALL.md" 'spmlresponder_https_connector'
# one host, one restart of symphonia after all replacements (R8)
assert_eq "$(grep -c '`/etc/init.d/symphoniad restart`' "$uc/INSTALL.md")" 1 "symphoniad restarts"
first_step=$(grep -m1 -n '^[0-9]*\. ' "$uc/INSTALL.md" | cut -d: -f1)
sed -n "${first_step}p" "$uc/INSTALL.md" | grep -q 'Back up' || fail "INSTALL.md does not start with a backup"
ok "uc-cmp, uc-spml: PKCS#12 alias tomcat; one symphonia restart for the host"

# --- UCMA: certificate for import, PKCS#12 for the proxy ----------------------
openssl x509 -in "$uc/uc-ucma/ucma.crt" -noout -subject | grep -q ucbe.acme.example || fail "ucma.crt"
p12_check "$uc/uc-ucma/ucma-proxy.p12" "$uc/secrets/uc-ucma-store.pass" ucma
ok "uc-ucma: certificate and the proxy's PKCS#12"

# --- WebClient (large): one .keystore naming every front-end -------------------
fe=$D/uc-fe
p12_check "$fe/.keystore" "$fe/secrets/store.pass" webclient
openssl pkcs12 -in "$fe/.keystore" -passin "file:$fe/secrets/store.pass" -nokeys -clcerts 2>/dev/null |
	openssl x509 -noout -ext subjectAltName >"$T/fe.txt"
assert_contains "$T/fe.txt" "DNS:fe1.acme.example, DNS:fe2.acme.example, DNS:webclient.acme.example"
assert_eq "$(wc -c <"$fe/secrets/store.pass")" 25 "generated password + newline"
assert_eq "$(mode_of "$fe/secrets/store.pass")" 600
assert_eq "$(mode_of "$fe/secrets")" 700
ok "uc-webclient: .keystore with every front-end FQDN; generated password 0600"

# --- Apache (version 7): encrypted key, openssl pkey opens it with the secret ---
ap=$D/uc-apache
assert_pem_order "$ap/sen_key.pem" "RSA PRIVATE KEY"
grep -q 'Proc-Type: 4,ENCRYPTED' "$ap/sen_key.pem" || fail "sen_key.pem is not encrypted"
openssl pkey -in "$ap/sen_key.pem" -passin "file:$ap/secrets/key.pass" -noout || fail "openssl pkey cannot open the key"
openssl pkey -in "$ap/sen_key.pem" -passin pass:wrong -noout 2>/dev/null && fail "the key opens with a wrong password"
openssl x509 -in "$ap/sen_cert.pem" -noout -ext subjectAltName | grep -q 'DNS:ucbe-v7.acme.example' ||
	fail "the back-end's hostname -f is not in the SAN"
assert_contains "$ap/INSTALL.md" 'cat "$B"/sen_cacert.pem >> /etc/apache2/ssl.crt/sen_cacert.pem'
assert_pem_order "$ap/sen_cacert.pem" "CERTIFICATE,CERTIFICATE"
self_signed "$ap/sen_cacert.pem" 2 || fail "sen_cacert.pem: the issuing CA comes first, then the root"
ok "uc-apache: encrypted PKCS#1 key opened by openssl pkey with the secret; hostname in SAN; CA appended"

# --- Media server: transfer PKCS#12 files with their own password ------------
# (the keytool steps are run against stores as shipped in tests/interop/install)
ms=$D/media
p12_check "$ms/mediaserver.p12" "$ms/secrets/transfer.pass" mediaserver
p12_check "$ms/ms-tomcat.p12" "$ms/secrets/transfer.pass" ms-tomcat
assert_eq "$(cat "$ms/secrets/store-ms-tls.pass")" password "the SIP keystore's own password (guide 3.4.2)"
assert_eq "$(cat "$ms/secrets/store-ms-tomcat.pass")" password "the Tomcat keystore's own password"
assert_contains "$ms/INSTALL.md" '-destkeystore /opt/siemens/mediaserver/application_host/providers/tomcat/tomcat-home/conf/keystore.jks'
ok "media-server: transfer PKCS#12 files; steps use the stores' own password"

# --- Openfire: domain + conference.domain; CN host name; CAs for the truststore --
of=$D/openfire
assert_pem_order "$of/openfire-cert.pem" "CERTIFICATE,CERTIFICATE,CERTIFICATE"
pem_block "$of/openfire-cert.pem" 1 >"$T/of.pem"
assert_eq "$(sans_of "$T/of.pem")" "DNS:openfire1.acme.example,DNS:conference.openfire1.acme.example"
assert_match <(subject_of "$of/openfire-cert.pem" 1) "CN=openfire1.acme.example"
self_signed "$of/openfire-cert.pem" 3 || fail "Openfire's certificate field must end with the root"
assert_pem_order "$of/openfire-key.pem" "RSA PRIVATE KEY"
keytool_entries "$of/openfire-cas.jks" "$of/secrets/transfer.pass" JKS >"$T/of.txt"
assert_eq "$(grep -c trustedCertEntry "$T/of.txt")" 2 "every CA of the chain for the truststore"
assert_eq "$(cat "$of/secrets/store-openfire-trust.pass")" changeit
# merge them into a truststore as the step does
keytool -importkeystore -srckeystore "$of/openfire-cas.jks" -srcstorepass:file "$of/secrets/transfer.pass" \
	-destkeystore "$T/truststore" -deststoretype JKS -deststorepass changeit -noprompt >/dev/null 2>&1 ||
	fail "keytool could not merge openfire-cas.jks"
assert_eq "$(keytool -list -keystore "$T/truststore" -storepass changeit 2>/dev/null | grep -c trustedCertEntry)" 2
ok "openfire: conference.<domain> SAN, CN host name, cert+chain+root, CAs merged into a JKS truststore"

# --- Facade: qe13.eq31 only with password: default; HAProxy PEM on request -----
fa=$D/facade
p12_check "$fa/facade-mobile/OSC-Facade-Server-Default-Cert.p12" "$fa/secrets/facade-mobile-store.pass" tomcat
assert_pem_order "$fa/facade-mobile/facade-haproxy.pem" "CERTIFICATE,CERTIFICATE,PRIVATE KEY"
assert_eq "$(mode_of "$fa/facade-mobile/facade-haproxy.pem")" 600
assert_contains "$fa/INSTALL.md" "ucpki probe ucbe.acme.example:4709 --save-ca"
assert_contains "$fa/INSTALL.md" "-alias uccacert"
assert_eq "$(cat "$fa/secrets/store-jre-cacerts.pass")" changeit "the JRE cacerts password"
ok "facade: PKCS#12 alias tomcat, HAProxy PEM, the back-end's internal CA fetched and compared (R10)"
done_testing
