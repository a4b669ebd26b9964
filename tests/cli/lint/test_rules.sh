#!/usr/bin/env bash
# ucpki lint: a vector that makes each rule fire and one that keeps it
# silent. Vectors are made here with the openssl command (so dates are
# always relative to today) and checked through --json findings.
# Solution-wide rules (solution-same-ca, cn-mismatch) are exercised by
# tests/cli/solution/test_lint.sh.
. "$UCPKI_SRC/tests/lib.sh"

o() { openssl "$@" >/dev/null 2>"$T/openssl.err" || { cat "$T/openssl.err"; fail "openssl $*"; }; }

# fires RULE SEVERITY [lint args...]: the rule reports with that severity;
# an error makes lint exit 1.
fires() {
	local rule=$1 sev=$2 rc; shift 2
	"$UCPKI" --json lint "$@" >"$T/out" 2>"$T/err"; rc=$?
	jq -e --arg r "$rule" --arg s "$sev" \
		'[.findings[] | select(.rule == $r and .severity == $s)] | length > 0' "$T/out" >/dev/null ||
		{ cat "$T/out" "$T/err"; fail "$rule ($sev) did not fire on: $*"; }
	if [ "$sev" = error ]; then [ $rc = 1 ] || fail "lint exited $rc with an error finding"; fi
	[ $rc -le 1 ] || { cat "$T/err"; fail "lint failed ($rc) on: $*"; }
	echo "$rule" >>"$T/fired"
	ok "$rule fires on: $*"
}
# silent RULE [lint args...]: the rule does not report.
silent() {
	local rule=$1 rc; shift
	"$UCPKI" --json lint "$@" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -le 1 ] || { cat "$T/err"; fail "lint failed ($rc) on: $*"; }
	jq -e --arg r "$rule" '[.findings[] | select(.rule == $r)] | length == 0' "$T/out" >/dev/null ||
		{ cat "$T/out"; fail "$rule fired on the negative vector: $*"; }
	echo "$rule" >>"$T/silenced"
	ok "$rule silent on: $*"
}

# --- a small hierarchy: root -> issuing -> leaves -------------------------
cat >"$T/ext_ca" <<'E'
basicConstraints=critical,CA:true
keyUsage=keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
E
cat >"$T/ext_leaf" <<'E'
basicConstraints=CA:false
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
subjectAltName=DNS:host.acme.example
E
o req -new -newkey rsa:2048 -nodes -keyout root.key -out root.csr -subj "/O=Acme/CN=Acme Root"
o x509 -req -in root.csr -signkey root.key -extfile "$T/ext_ca" -days 3650 -out root.pem
o req -new -newkey rsa:2048 -nodes -keyout iss.key -out iss.csr -subj "/O=Acme/CN=Acme Issuing"
o x509 -req -in iss.csr -CA root.pem -CAkey root.key -set_serial 0x1001 -extfile "$T/ext_ca" -days 3000 -out iss.pem

# leaf NAME [EXTFILE [x509 args...]]: key NAME.key (pkcs8), cert NAME.pem
# signed by the issuing CA. KEY=rsa:1024 / KEY=ec / KEY=ed25519, SUBJ, SERIAL, CA, DAYS override.
leaf() {
	local name=$1 ext=${2:-$T/ext_leaf}; shift; [ $# -gt 0 ] && shift
	case ${KEY:-rsa:2048} in
	ec) o req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" \
		-out "$name.csr" -subj "${SUBJ:-/O=Acme/CN=host.acme.example}" ;;
	ed25519) o req -new -newkey ed25519 -nodes -keyout "$name.key" \
		-out "$name.csr" -subj "${SUBJ:-/O=Acme/CN=host.acme.example}" ;;
	*) o req -new -newkey "${KEY:-rsa:2048}" -nodes -keyout "$name.key" -out "$name.csr" \
		-subj "${SUBJ:-/O=Acme/CN=host.acme.example}" ;;
	esac
	o x509 -req -in "$name.csr" -CA "${CA:-iss}.pem" -CAkey "${CA:-iss}.key" -set_serial "${SERIAL:-0x$RANDOM$RANDOM}" \
		-extfile "$ext" -days "${DAYS:-365}" -out "$name.pem" "$@"
}

leaf good
cat good.pem iss.pem >good-chain.pem

# dated NAME START END: a leaf with exact dates (openssl ca).
mkdir -p ca && : >ca/index.txt && echo 1000 >ca/serial
cat >ca.cnf <<E
[ca]
default_ca = d
[d]
database = $T/ca/index.txt
new_certs_dir = $T/ca
serial = $T/ca/serial
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
E
dated() {
	o req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/O=Acme/CN=host.acme.example"
	o ca -batch -config ca.cnf -cert iss.pem -keyfile iss.key -in "$1.csr" -out "$1.pem" \
		-startdate "$2" -enddate "$3" -extfile "$T/ext_leaf" -notext
}

# --- RFC 5280 basics -------------------------------------------------------
SERIAL=0x0102030405060708090a0b0c0d0e0f101112131415 leaf bigserial
fires cert-serial error bigserial.pem
SERIAL=-5 leaf negserial
fires cert-serial error negserial.pem
silent cert-serial good.pem

dated reversed 20300101000000Z 20250101000000Z
fires cert-validity-order error reversed.pem
silent cert-validity-order good.pem

dated expired 20200101000000Z 20210101000000Z
fires cert-expired error expired.pem
silent cert-expired good.pem

dated future 20400101000000Z 20410101000000Z
fires cert-not-yet-valid warning future.pem
silent cert-not-yet-valid good.pem

DAYS=10 leaf soon
fires cert-expiring warning soon.pem
silent cert-expiring soon.pem --expiring 5
silent cert-expiring good.pem

o req -new -newkey rsa:2048 -nodes -keyout v1.key -out v1.csr -subj "/O=Acme/CN=host.acme.example"
o x509 -req -in v1.csr -CA iss.pem -CAkey iss.key -set_serial 7 -days 365 -out v1.pem
fires cert-v1 warning v1.pem
silent cert-v1 good.pem

printf 'basicConstraints=CA:true\nkeyUsage=keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' >"$T/ext_ca_nc"
CA=root leaf softca "$T/ext_ca_nc"
fires ca-bc-critical warning softca.pem
silent ca-bc-critical iss.pem

printf 'basicConstraints=critical,CA:true\nkeyUsage=cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' >"$T/ext_ca_nocs"
CA=root leaf nocertsign "$T/ext_ca_nocs"
fires ca-keycertsign error nocertsign.pem
silent ca-keycertsign iss.pem

sed 's/^keyUsage=.*/keyUsage=digitalSignature,keyEncipherment,keyCertSign/' "$T/ext_leaf" >"$T/ext_kcs"
leaf leafkcs "$T/ext_kcs"
fires leaf-keycertsign error leafkcs.pem
silent leaf-keycertsign good.pem

sed "s/^subjectKeyIdentifier=.*/subjectKeyIdentifier=none/" "$T/ext_leaf" >"$T/ext_noski"
leaf noski "$T/ext_noski"
fires ski-missing warning noski.pem
silent ski-missing good.pem

sed "s/^authorityKeyIdentifier=.*/authorityKeyIdentifier=none/" "$T/ext_leaf" >"$T/ext_noaki"
leaf noaki "$T/ext_noaki"
fires aki-missing warning noaki.pem
silent aki-missing good.pem

grep -v subjectAltName "$T/ext_leaf" >"$T/ext_nosan"
leaf nosan "$T/ext_nosan"
fires san-missing warning nosan.pem
fires san-missing error nosan.pem --profile mediatrix
silent san-missing good.pem

sed 's/^keyUsage=.*/keyUsage=nonRepudiation/' "$T/ext_leaf" >"$T/ext_kumis"
leaf kumis "$T/ext_kumis"
fires ku-eku-mismatch warning kumis.pem
silent ku-eku-mismatch good.pem

cp "$T/ext_leaf" "$T/ext_critunk" && echo '1.3.6.1.4.1.99999.1=critical,ASN1:NULL' >>"$T/ext_critunk"
leaf critunk "$T/ext_critunk"
fires critical-unknown warning critunk.pem
silent critical-unknown good.pem

# --- keys and signatures ---------------------------------------------------
KEY=rsa:1024 leaf rsa1024
fires rsa-weak warning rsa1024.pem
fires rsa-weak warning rsa1024.pem --profile dls-pki
silent rsa-weak good.pem
KEY=rsa:512 leaf rsa512
fires rsa-too-small error rsa512.pem
fires rsa-too-small error rsa1024.pem --profile osv
silent rsa-too-small rsa1024.pem
silent rsa-too-small rsa1024.pem --profile dls-pki

leaf md5 "$T/ext_leaf" -md5
fires sig-weak-hash error md5.pem
silent sig-weak-hash good.pem

leaf sha1 "$T/ext_leaf" -sha1
fires sig-sha1 warning sha1.pem
fires sig-sha1 warning sha1.pem --version 5
silent sig-sha1 good.pem
fires sig-sha1-unneeded error sha1.pem --version 8
silent sig-sha1-unneeded sha1.pem --version 6
fires sig-sha2-unsupported error good.pem --version 5
silent sig-sha2-unsupported good.pem --version 7
silent sig-sha2-unsupported sha1.pem --version 5

dated y2040 20240101000000Z 20400101000000Z
fires r5-2038 warning y2040.pem
fires r5-2038 error y2040.pem --profile osv
silent r5-2038 good.pem

printf 'basicConstraints=CA:false\nkeyUsage=digitalSignature,keyEncipherment\nsubjectAltName=DNS:host.acme.example\n' >"$T/ext_ss"
o req -new -newkey rsa:2048 -nodes -keyout selfsigned.key -out selfsigned.csr -subj "/O=Acme/CN=host.acme.example"
o x509 -req -in selfsigned.csr -signkey selfsigned.key -extfile "$T/ext_ss" -days 365 -out selfsigned.pem
fires self-signed-leaf error selfsigned.pem
silent self-signed-leaf good.pem

SUBJ="/O=Generated by Unify Software and Solutions GmbH & Co. KG./CN=localhost" leaf vendor
fires vendor-default error vendor.pem
silent vendor-default good.pem
# the R7 exception: the UC back-end's internal default keystore is kept
openssl pkcs12 -export -in vendor.pem -inkey vendor.key -passout pass:changeit -name vendor \
	-out container-keystore_5da1e680-f1e0-11d9-bbed-0002a5d5c51b-localhost.p12 2>/dev/null
printf 'changeit\n' >"$T/ck.pass"
fires vendor-default-internal notice container-keystore_5da1e680-f1e0-11d9-bbed-0002a5d5c51b-localhost.p12 --password-file "$T/ck.pass"
silent vendor-default container-keystore_5da1e680-f1e0-11d9-bbed-0002a5d5c51b-localhost.p12 --password-file "$T/ck.pass"
silent vendor-default-internal vendor.pem

leaf other
fires key-mismatch error good.pem other.key
cat good.pem other.key >mismatch.pem
fires key-mismatch error mismatch.pem
silent key-mismatch good.pem good.key

# --- chains ----------------------------------------------------------------
cat iss.pem good.pem >reversed-chain.pem
fires chain-order error reversed-chain.pem
silent chain-order good-chain.pem

o req -new -newkey rsa:2048 -nodes -keyout iss2.key -out iss2.csr -subj "/O=Acme/CN=Acme Sub Issuing"
o x509 -req -in iss2.csr -CA iss.pem -CAkey iss.key -set_serial 0x1002 -extfile "$T/ext_ca" -days 2000 -out iss2.pem
CA=iss2 leaf deep
cat deep.pem iss.pem >gap.pem
fires chain-incomplete error gap.pem
fires chain-incomplete error gap.pem iss2.pem
cat deep.pem iss2.pem iss.pem >deep-chain.pem
silent chain-incomplete deep-chain.pem
silent chain-incomplete good-chain.pem

# a leaf whose signature bytes are damaged: the issuer matches by name and
# key id, the signature does not verify
o x509 -in good.pem -outform DER -out good.der
python3 - "$T/good.der" "$T/badsig.der" <<'P'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[-5] ^= 0xff
open(sys.argv[2], 'wb').write(d)
P
o x509 -inform DER -in badsig.der -out badsig.pem
cat badsig.pem iss.pem >badsig-chain.pem
fires chain-bad-signature error badsig-chain.pem
silent chain-bad-signature good-chain.pem

o req -new -newkey rsa:2048 -nodes -keyout stranger.key -out stranger.csr -subj "/O=Other/CN=Other Root"
o x509 -req -in stranger.csr -signkey stranger.key -extfile "$T/ext_ca" -days 3650 -out stranger.pem
cat good.pem iss.pem stranger.pem >stranger-chain.pem
fires chain-unrelated warning stranger-chain.pem
silent chain-unrelated good-chain.pem

cat good.pem good.key iss.pem root.pem >with-root.pem
cat good.pem good.key iss.pem >without-root.pem
fires root-included warning with-root.pem
silent root-included without-root.pem
# a product that wants the root (OSV server.pem) takes it without complaint
openssl rsa -in good.key -traditional -out good-pkcs1.key 2>/dev/null
mkdir -p osv && cat good.pem good-pkcs1.key iss.pem root.pem >osv/server.pem
silent root-included osv/server.pem --profile osv
mkdir -p mx && cat good.pem good-pkcs1.key iss.pem root.pem >mx/host.pem
fires root-included error mx/host.pem --profile mediatrix

# --- PEM text (R6) ---------------------------------------------------------
sed 's/$/\r/' good-chain.pem >crlf.pem
fires pem-crlf error crlf.pem
silent pem-crlf good-chain.pem
{ cat good.pem; echo; cat iss.pem; } >blank.pem
fires pem-blank-lines error blank.pem
silent pem-blank-lines good-chain.pem
{ echo "Bag Attributes: here"; cat good.pem; } >junk.pem
fires pem-junk notice junk.pem
silent pem-junk good.pem

# --- product profiles --------------------------------------------------------
fires version-unsupported error good.pem --profile uc-apache --version 8
silent version-unsupported good.pem --profile uc-apache --version 7

sed 's/^extendedKeyUsage=.*/extendedKeyUsage=serverAuth/' "$T/ext_leaf" >"$T/ext_srv"
leaf srvonly "$T/ext_srv"
fires eku-missing error srvonly.pem --profile mediatrix
silent eku-missing good.pem --profile mediatrix
fires eku-forbidden error good.pem --profile oscc-webcollab
silent eku-forbidden srvonly.pem --profile oscc-webcollab

cp "$T/ext_leaf" "$T/ext_ns" && echo 'nsCertType=server,client' >>"$T/ext_ns"
leaf netscape "$T/ext_ns"
fires ext-forbidden error netscape.pem --profile osv
silent ext-forbidden good.pem --profile osv

sed 's/^keyUsage=/keyUsage=critical,/' "$T/ext_leaf" >"$T/ext_kucrit"
leaf kucrit "$T/ext_kucrit"
fires critical-ext error kucrit.pem --profile branch-sbc
silent critical-ext good.pem iss.pem --profile branch-sbc
silent critical-ext kucrit.pem --profile osv
# V8 Branch/SBC: anywhere in the chain it is presented
printf 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' >"$T/ext_ca_kucrit"
o x509 -req -in iss.csr -CA root.pem -CAkey root.key -set_serial 0x1003 -extfile "$T/ext_ca_kucrit" -days 3000 -out iss-kucrit.pem
cat good.pem iss-kucrit.pem >kucrit-chain.pem
fires critical-ext error kucrit-chain.pem --profile branch-sbc

KEY=ec leaf ecleaf
fires key-type error ecleaf.pem --profile osv
silent key-type ecleaf.pem --profile phone-wbm
silent key-type good.pem --profile osv

cat good.pem good.key iss.pem root.pem >osv-pkcs8.pem
mkdir -p k8 && cp osv-pkcs8.pem k8/server.pem
fires key-encoding error k8/server.pem --profile osv
silent key-encoding osv/server.pem --profile osv

mkdir -p xpr && cp good.pem xpr/server.crt
openssl rsa -in good.key -aes256 -passout pass:secret -traditional -out xpr/server.key 2>/dev/null
printf 'secret\n' >pw
fires key-encrypted error xpr/server.crt xpr/server.key --profile xpr-ipapi --password-file pw
cp good-pkcs1.key xpr/server.key
silent key-encrypted xpr/server.crt xpr/server.key --profile xpr-ipapi

mkdir -p apache && cp good-pkcs1.key apache/sen_key.pem
fires key-unencrypted error apache/sen_key.pem good.pem --profile uc-apache
openssl rsa -in good.key -aes256 -passout pass:secret -traditional -out apache/sen_key.pem 2>/dev/null
silent key-unencrypted apache/sen_key.pem good.pem --profile uc-apache --password-file pw

mkdir -p noroot && cat good.pem good-pkcs1.key iss.pem >noroot/server.pem
fires root-missing error noroot/server.pem --profile osv
silent root-missing osv/server.pem --profile osv

mkdir -p rg && cat good-pkcs1.key good.pem iss.pem >rg/server.pem && cp rg/server.pem rg/client.pem
mkdir -p rgbad && cat good.pem good-pkcs1.key iss.pem >rgbad/server.pem
fires file-content error rgbad/server.pem --profile rg8700
silent file-content rg/server.pem --profile rg8700
cp rgbad/server.pem rgbad/client.pem && cp rg/server.pem rgbad/server.pem
fires file-copy error rgbad/server.pem rgbad/client.pem --profile rg8700
silent file-copy rg/server.pem rg/client.pem --profile rg8700

mkdir -p der && openssl x509 -in good.pem -outform DER -out der/server.pem
fires file-container error der/server.pem --profile osv
silent file-container osv/server.pem --profile osv

fires file-unknown notice good.pem --profile osv
silent file-unknown osv/server.pem --profile osv

fires file-missing error osv/server.pem --profile osv --bundle
cp osv/server.pem osv/client.pem && cat root.pem iss.pem >osv/root.pem
silent file-missing osv/server.pem osv/client.pem osv/root.pem --profile osv --bundle

mkdir -p cmp cmpbad
openssl pkcs12 -export -in good.pem -inkey good.key -certfile iss.pem -name tomcat -passout pass:secret -out cmp/tomcat-keystore.p12 2>/dev/null
openssl pkcs12 -export -in good.pem -inkey good.key -certfile iss.pem -name other -passout pass:secret -out cmpbad/tomcat-keystore.p12 2>/dev/null
fires alias-mismatch error cmpbad/tomcat-keystore.p12 --profile uc-cmp --password-file pw
silent alias-mismatch cmp/tomcat-keystore.p12 --profile uc-cmp --password-file pw

printf 'basicConstraints=CA:false\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\nsubjectAltName=DNS:im.acme.example,DNS:conference.im.acme.example\n' >"$T/ext_of"
leaf openfire "$T/ext_of"
fires san-required error good.pem --profile openfire
silent san-required openfire.pem --profile openfire

printf 'basicConstraints=CA:false\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\nsubjectAltName=IP:10.0.0.5\n' >"$T/ext_ip"
SUBJ="/O=Acme/CN=cmp" leaf ipname "$T/ext_ip"
SUBJ="/O=Acme/CN=10.0.0.5" leaf ipcn "$T/ext_ip"
fires cn-ip warning ipname.pem --profile uc-cmp
silent cn-ip ipcn.pem --profile uc-cmp

SUBJ="/O=Acme Contact Center/CN=oscc.acme.example" leaf occ
mkdir -p oscc && cp root.pem oscc/cacert.cer
fires org-distinct error good.pem oscc/cacert.cer --profile oscc-network
silent org-distinct occ.pem oscc/cacert.cer --profile oscc-network

# EC and Ed25519 keys sign, they cannot encipher (RFC 5480 3, RFC 8410 5)
fires ku-ec-encipherment error ecleaf.pem
KEY=ed25519 leaf edleaf
fires ku-ec-encipherment error edleaf.pem
sed 's/^keyUsage=.*/keyUsage=digitalSignature/' "$T/ext_leaf" >"$T/ext_ds"
KEY=ec leaf ecds "$T/ext_ds"
KEY=ed25519 leaf edds "$T/ext_ds"
silent ku-ec-encipherment ecds.pem
silent ku-ec-encipherment edds.pem
silent ku-ec-encipherment good.pem
openssl x509 -in edleaf.pem -noout -text | grep -q 'ED25519' || fail "edleaf.pem has no Ed25519 key"

# --- every rule of the table (but the solution-wide ones) had both vectors
"$UCPKI" --json lint --rules >"$T/rules.json" || fail "lint --rules"
for r in $(jq -r '.rules[] | select(.scope != "solution") | .id' "$T/rules.json"); do
	grep -qx "$r" "$T/fired" || fail "rule $r has no positive vector"
	grep -qx "$r" "$T/silenced" || fail "rule $r has no negative vector"
done
ok "every rule has a positive and a negative vector"
for r in $(jq -r '.rules[].id' "$T/rules.json"); do
	grep -qF "| \`$r\` |" "$UCPKI_SRC/docs/lint.md" || fail "docs/lint.md does not list rule $r"
done
ok "docs/lint.md lists every rule"
# bad input: unreadable file, wrong password, unknown profile
u 2 lint no-such-file.pem
assert_one_line_error
assert_contains "$T/err" "no-such-file.pem"
u 2 lint cmp/tomcat-keystore.p12
assert_one_line_error
u 2 lint good.pem --profile nope
assert_contains "$T/err" "unknown product 'nope'"
head -c 300 good.pem >trunc.pem
u 2 lint trunc.pem
assert_one_line_error
ok "bad input: one line, exit 2"

# Profiles that list no key types (CA certificates only) restrict none
for p in browser facade-uc mobile-ca; do
	"$UCPKI" lint good.pem --profile "$p" >"$T/out" 2>"$T/err"
	st=$?
	[ "$st" -le 1 ] || { cat "$T/err"; fail "lint --profile $p exited $st"; }
	assert_not_contains "$T/out" "key-type"
done
ok "profiles without key types: no key-type finding, no crash"
done_testing
