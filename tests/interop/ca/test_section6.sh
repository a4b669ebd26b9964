#!/usr/bin/env bash
# The guide's section 6 PKI built with ucpki, judged by openssl and GnuTLS:
# chain verification, exact extension sets of CA and server certificates,
# CSR signing, CRL contents and CRL-based rejection.
. "$UCPKI_SRC/tests/lib.sh"
new_state
u 0 pki create acme
u 0 ca create acme/root --subject "C=US, ST=FL, O=Acme, OU=IT, CN=Acme Root CA"
u 0 ca create acme/issuing --parent acme/root --pathlen 0 --subject "/C=US/ST=FL/O=Acme/OU=IT/CN=Acme Issuing CA"
u 0 ca export acme/root --out root.pem
u 0 ca export acme/issuing --out issuing.pem
u 0 issue --ca acme/issuing --subject "C=US, ST=FL, O=Acme, OU=UC, CN=server1.acme.example" \
	--san DNS:www.foo.com,DNS:www.bar.org,URI:https://www.foo.com,IP:192.168.1.168,IP:fd00:10:45:237::16 \
	--out-cert leaf.pem --out-key leaf.key --out-chain chain.pem

# 1. openssl verify -CAfile root -untrusted issuing leaf
run 0 openssl verify -CAfile root.pem -untrusted issuing.pem leaf.pem
assert_eq "$(cat "$T/out")" "leaf.pem: OK" "openssl verify"
cmp -s chain.pem issuing.pem || fail "--out-chain should hold the issuing CA only (R1)"
ok "openssl verify accepts root -> issuing -> leaf"

# 2. Extension sets, parsed from openssl x509 -text (name + criticality).
ext_set() {
	openssl x509 -in "$1" -noout -text |
		sed -n '/X509v3 extensions:/,/Signature Algorithm:/p' |
		grep -E '^ {12}[A-Za-z]' | sed -E 's/^ +//; s/ +$//'
}
ext_set root.pem >root.ext
printf '%s\n' "X509v3 Key Usage:" "X509v3 Subject Key Identifier:" \
	"X509v3 Authority Key Identifier:" "X509v3 Basic Constraints: critical" >want.ext
diff -u want.ext root.ext || fail "root CA extensions differ from section 6 ca.cnf"
ext_set leaf.pem >leaf.ext
printf '%s\n' "X509v3 Key Usage:" "X509v3 Subject Key Identifier:" \
	"X509v3 Authority Key Identifier:" "X509v3 Basic Constraints:" \
	"X509v3 Subject Alternative Name:" >want.ext
diff -u want.ext leaf.ext || fail "server extensions differ from section 6 server.cnf"
openssl x509 -in root.pem -noout -text >root.txt
openssl x509 -in leaf.pem -noout -text >leaf.txt
openssl x509 -in issuing.pem -noout -text >issuing.txt
grep -A1 'X509v3 Key Usage' root.txt | tail -1 | grep -qx ' *Certificate Sign, CRL Sign' || fail "CA key usage"
grep -A1 'X509v3 Key Usage' leaf.txt | tail -1 | grep -qx ' *Digital Signature, Non Repudiation, Key Encipherment' ||
	fail "server key usage"
grep -A1 'Basic Constraints' leaf.txt | tail -1 | grep -qx ' *CA:FALSE' || fail "server CA:FALSE"
grep -A1 'Basic Constraints' root.txt | tail -1 | grep -qx ' *CA:TRUE' || fail "root CA:TRUE"
grep -A1 'Basic Constraints' issuing.txt | tail -1 | grep -qx ' *CA:TRUE, pathlen:0' || fail "issuing pathlen:0"
# AKI keyid:always,issuer:always -> keyid, issuer DirName and serial
grep -A3 'Authority Key Identifier' leaf.txt | grep -q 'DirName:/C=US/ST=FL/O=Acme/OU=IT/CN=Acme Root CA' ||
	fail "AKI lacks the issuer's issuer name"
grep -A3 'Authority Key Identifier' leaf.txt | grep -q '^ *serial:' || fail "AKI lacks the issuer serial"
grep -q 'Signature Algorithm: sha256WithRSAEncryption' leaf.txt || fail "sha256 by default"
grep -q 'Public-Key: (2048 bit)' leaf.txt || fail "rsa:2048 by default"
grep -A1 'Subject Alternative Name' leaf.txt | tail -1 >san.txt
assert_contains san.txt "DNS:server1.acme.example, DNS:www.foo.com, DNS:www.bar.org, URI:https://www.foo.com, IP Address:192.168.1.168, IP Address:FD00:10:45:237:0:0:0:16"
# validity: 1825 days for the server, 3650 for the CA
nb=$(date -d "$(openssl x509 -in leaf.pem -noout -startdate | cut -d= -f2)" +%s)
na=$(date -d "$(openssl x509 -in leaf.pem -noout -enddate | cut -d= -f2)" +%s)
assert_eq $(((na - nb) / 86400)) 1825 "server validity days"
nb=$(date -d "$(openssl x509 -in root.pem -noout -startdate | cut -d= -f2)" +%s)
na=$(date -d "$(openssl x509 -in root.pem -noout -enddate | cut -d= -f2)" +%s)
assert_eq $(((na - nb) / 86400)) 3650 "CA validity days"
# serial: positive, at least 64 random bits (we use 16 octets)
serial=$(openssl x509 -in leaf.pem -noout -serial | cut -d= -f2)
[ ${#serial} -eq 32 ] || fail "serial $serial is not 16 octets"
case $serial in [0-7]*) ;; *) fail "serial $serial is not positive" ;; esac
ok "extension sets, usages, AKI, validity and serial match section 6"

# 3. GnuTLS agrees on the chain.
cat leaf.pem issuing.pem root.pem >bundle.pem
run 0 certtool --verify-chain --infile bundle.pem
assert_contains "$T/out" "Chain verification output: Verified."
ok "certtool --verify-chain agrees"

# 4. A CSR made by openssl req is signed and verifies; its subject is kept.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout csr.key \
	-subj "/C=US/O=Acme/CN=csr-host.acme.example" -out req.pem 2>/dev/null || fail "openssl req"
u 0 sign --ca acme/issuing --csr req.pem --out-cert csr-cert.pem --eku serverAuth,clientAuth
run 0 openssl verify -CAfile root.pem -untrusted issuing.pem csr-cert.pem
openssl x509 -in csr-cert.pem -noout -subject | grep -q 'CN = csr-host.acme.example' || fail "CSR subject"
openssl x509 -in csr-cert.pem -noout -ext extendedKeyUsage | grep -q 'TLS Web Server Authentication, TLS Web Client Authentication' ||
	fail "EKU from --eku"
[ "$(openssl x509 -in csr-cert.pem -noout -pubkey | openssl sha256)" = "$(openssl pkey -in csr.key -pubout | openssl sha256)" ] ||
	fail "certificate does not carry the CSR's key"
ok "openssl req CSR signed, verifies, keeps subject and key"

# 5. Revocation: the CRL lists the serial with its reason, and openssl rejects the leaf.
leaf_serial=$(openssl x509 -in leaf.pem -noout -serial | cut -d= -f2)
u 0 revoke --ca acme/issuing "$leaf_serial" --reason keyCompromise
u 0 crl --ca acme/issuing --out crl.pem
run 0 openssl crl -in crl.pem -noout -text
assert_contains "$T/out" "Version 2"
assert_contains "$T/out" "Serial Number: $leaf_serial"
assert_contains "$T/out" "Key Compromise"
assert_contains "$T/out" "X509v3 CRL Number:"
assert_contains "$T/out" "X509v3 Authority Key Identifier:"
assert_match "$T/out" "Next Update: "
u 0 crl --ca acme/issuing --format der --out crl.der
run 0 openssl crl -inform DER -in crl.der -noout -crlnumber
assert_eq "$(cat "$T/out")" "crlNumber=0x02" "the CRL number increases"
cat root.pem issuing.pem >cas.pem
u 0 crl --ca acme/root --out rootcrl.pem
cat crl.pem rootcrl.pem >crls.pem
run 2 openssl verify -crl_check_all -CAfile cas.pem -CRLfile crls.pem leaf.pem
cat "$T/out" "$T/err" >verdict.txt
assert_contains verdict.txt "certificate revoked"
run 0 openssl verify -crl_check_all -CAfile cas.pem -CRLfile crls.pem csr-cert.pem
ok "CRL v2 with number, AKI and reason; openssl -crl_check rejects the revoked leaf only"

# 6. certs lists both, with the revoked state and --expiring filter.
u 0 --json certs --ca acme/issuing
python3 - "$T/out" "$leaf_serial" <<'PY' || fail "certs --json"
import json, sys
rows = json.load(open(sys.argv[1]))
by = {r["serial"]: r for r in rows}
assert len(rows) == 2, rows
assert by[sys.argv[2].lower()]["status"] == "revoked" and by[sys.argv[2].lower()]["reason"] == "keyCompromise"
PY
u 0 --json certs --expiring 30
assert_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out")" 0 "nothing expires in 30 days"
u 1 --json certs --expiring 4000 # (exit 1: some do)
assert_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out")" 3 "valid certs expiring within 4000 days"
ok "certs lists issued certificates with status and --expiring"
done_testing
