#!/usr/bin/env bash
# The example solution's voice side, read with openssl as the products read
# it: OpenScape Voice, RG8700 (version 5), Mediatrix, OpenScape 4000,
# Branch/SBC, ASC, Xpressions.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/interop/solution/example.sh"
issue_example

# --- OpenScape Voice: server.pem = cert, PKCS#1 key, chain, root (5.1) -----
f=$D/osv/server.pem
assert_pem_order "$f" "CERTIFICATE,RSA PRIVATE KEY,CERTIFICATE,CERTIFICATE"
assert_match <(subject_of "$f" 1) "CN=osv1.acme.example"
assert_match <(subject_of "$f" 3) "CN=Acme UC CA"
assert_match <(subject_of "$f" 4) "CN=Acme Root CA"
self_signed "$f" 4 || fail "the last block of server.pem is not the root"
cmp -s "$f" "$D/osv/client.pem" || fail "client.pem differs from server.pem"
# the key is the certificate's
k=$(pem_block "$f" 2 | openssl rsa -noout -modulus 2>/dev/null | openssl md5)
c=$(pem_block "$f" 1 | openssl x509 -noout -modulus | openssl md5)
assert_eq "$k" "$c" "OSV key matches certificate (modulus MD5)"
cert_text "$f" 1 >"$T/osv.txt"
assert_not_contains "$T/osv.txt" "Netscape Cert Type"
assert_contains "$T/osv.txt" "DNS:osv1.acme.example, DNS:osv2.acme.example, DNS:osv-sip.acme.example, IP Address:10.0.0.11, IP Address:10.0.0.12, IP Address:FD00:10:45:237:0:0:0:16"
assert_contains "$T/osv.txt" "TLS Web Server Authentication, TLS Web Client Authentication"
grep -q $'\r' "$f" && fail "CR in server.pem (R6)"
grep -q '^$' "$f" && fail "blank line in server.pem (R6)"
pem_block "$f" 1 >"$T/osv-leaf.pem"
assert_verifies "$T/osv-leaf.pem" "$D/osv/root.pem" sslserver
ok "osv: cert, PKCS#1 key, chain, root; no NetscapeCertType; every node's name; client.pem = server.pem"

# --- RG8700, version 5: key THEN certificate; SHA-1 through the chain ------
f=$D/rg1/server.pem
assert_pem_order "$f" "RSA PRIVATE KEY,CERTIFICATE,CERTIFICATE"
cmp -s "$f" "$D/rg1/client.pem" || fail "rg8700 client.pem is not a copy of server.pem"
pem_block "$f" 2 >"$T/rg.pem"
assert_eq "$(ekus_of "$T/rg.pem")" "TLSWebServerAuthentication,TLSWebClientAuthentication"
openssl x509 -in "$T/rg.pem" -noout -text | grep -q 'Signature Algorithm: sha1WithRSAEncryption' ||
	fail "the version 5 node is not SHA-1 signed"
cert_text "$f" 3 | grep -q 'Signature Algorithm: sha1WithRSAEncryption' ||
	fail "the version 5 node's issuing CA is not SHA-1 signed (R4)"
assert_contains "$T/issue.err" "node rg1: rg8700: versions 4-6 accept only SHA-1 signatures"
openssl verify -CAfile "$D/rg1/CAcert.pem" -untrusted "$f" "$T/rg.pem" >/dev/null 2>&1 ||
	fail "rg8700 chain does not verify"
ok "rg8700: key then certificate, client.pem = server.pem, both EKUs, SHA-1 chain and a warning"

# --- Mediatrix: cert, key, chain; both EKUs (3.1.3) ------------------------
f=$D/mediatrix1/host.pem
assert_pem_order "$f" "CERTIFICATE,RSA PRIVATE KEY,CERTIFICATE"
pem_block "$f" 1 >"$T/mx.pem"
assert_eq "$(ekus_of "$T/mx.pem")" "TLSWebServerAuthentication,TLSWebClientAuthentication"
assert_match <(subject_of "$f" 1) "CN=10.0.3.21"
assert_eq "$(sans_of "$T/mx.pem")" "IPAddress:10.0.3.21"
assert_verifies "$f" "$D/mediatrix1/ca.pem" sslclient
ok "mediatrix: cert, key, chain; serverAuth and clientAuth; IP in CN and SAN"

# --- OpenScape 4000: CAs; certificate and key in ONE file -------------------
assert_pem_order "$D/hipath/spe.pem" "CERTIFICATE,RSA PRIVATE KEY,CERTIFICATE"
assert_pem_order "$D/hipath/spe-ca.pem" "CERTIFICATE,CERTIFICATE"
assert_verifies "$D/hipath/spe.pem" "$D/hipath/spe-ca.pem"
ok "hipath4000: SPE certificate and key in one file, CA file"

# --- Branch/SBC V8: no critical extension but basicConstraints, anywhere ----
for f in "$D/branch/https-cert.pem" "$D/branch/ca.pem"; do
	n=$(pem_order "$f" | wc -l)
	for i in $(seq "$n"); do
		cert_text "$f" "$i" | grep -B0 'critical' | grep -v 'Basic Constraints: critical' &&
			fail "$f block $i has a critical extension other than basicConstraints"
	done
done
cert_text "$D/branch/ca.pem" 1 | grep -q 'X509v3 Basic Constraints: critical' ||
	fail "the CA certificates should keep basicConstraints critical"
cert_text "$D/branch/ca.pem" 1 | grep -q 'X509v3 Key Usage: critical' &&
	fail "a CA keyUsage is critical"
assert_pem_order "$D/branch/https-key.pem" "RSA PRIVATE KEY"
openssl pkey -in "$D/branch/https-key.pem" -noout 2>/dev/null || fail "branch key unreadable"
assert_contains "$D/branch/INSTALL.md" "<httpsCertProfile>HTTPS-acme</httpsCertProfile>"
ok "branch-sbc: only basicConstraints critical across the chain; profile name in the steps"

# --- ASC: OSV's CA file, its own cert and key, same CA as OSV (R3) -----------
assert_eq "$(issuer_of "$D/asc/asc-cert.pem" 1)" "$(issuer_of "$D/osv/server.pem" 1)"
assert_verifies "$D/asc/asc-cert.pem" "$D/asc/root.pem"
assert_pem_order "$D/asc/asc-key.pem" "RSA PRIVATE KEY"
ok "asc: same issuing CA as OpenScape Voice"

# --- Xpressions: three services, one certificate, unencrypted keys ----------
for s in xpr-ipapi xpr-smtpapi xpr-webapi; do
	assert_pem_order "$D/xpr/$s/server.key" "RSA PRIVATE KEY"
	pem_block "$D/xpr/$s/server.crt" 1 | openssl x509 -noout -fingerprint -sha256 >>"$T/xpr.fp"
done
assert_eq "$(sort -u "$T/xpr.fp" | wc -l)" 1 "one certificate for the three Xpressions services"
ca=$D/xpr/xpr-ipapi/root.crt
assert_pem_order "$ca" "CERTIFICATE,CERTIFICATE"
pem_block "$D/xpr/xpr-ipapi/server.crt" 1 >"$T/xpr.pem"
assert_eq "$(ekus_of "$T/xpr.pem")" "TLSWebServerAuthentication,TLSWebClientAuthentication"
assert_verifies "$D/xpr/xpr-ipapi/server.crt" "$ca" sslclient
assert_contains "$D/xpr/INSTALL.md" 'C:\Siemens\xpr\res\certs\server.key'
ok "xpressions: one certificate for IPApI/SMTPApI/WebApI, MTLS EKUs, CA file"

# --- the whole solution lints clean ------------------------------------------
u 0 --json solution lint "$T/solution.yaml" --out "$D"
assert_eq "$(jq .errors "$T/out")" 0
ok "solution lint: no error across the example"
done_testing
