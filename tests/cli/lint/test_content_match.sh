#!/usr/bin/env bash
# ucpki lint --profile with files named unlike the profile's files: each is
# matched to the profile's file by what it holds (certificate and key, a
# keystore, CA certificates only) and gets that file's rules; a file whose
# content fits none, or several, says so in a notice naming the profile's
# files. Vectors are made with the openssl command.
. "$UCPKI_SRC/tests/lib.sh"

o() { openssl "$@" >/dev/null 2>"$T/openssl.err" || { cat "$T/openssl.err"; fail "openssl $*"; }; }

# lint_json RC ARGS...: run `ucpki --json lint` expecting exit RC.
lint_json() { local want=$1; shift; u "$want" --json lint "$@"; }
# finding RULE [FILE]: the JSON output has a finding of RULE (on FILE).
finding() {
	jq -e --arg r "$1" --arg f "${2:-}" \
		'[.findings[] | select(.rule == $r and ($f == "" or .file == $f))] | length > 0' \
		"$T/out" >/dev/null || { cat "$T/out"; fail "no $1 finding${2:+ on $2}"; }
}
no_finding() {
	jq -e --arg r "$1" '[.findings[] | select(.rule == $r)] | length == 0' "$T/out" >/dev/null ||
		{ cat "$T/out"; fail "unexpected $1 finding"; }
}
# message RULE: the message of the first finding of RULE.
message() { jq -r --arg r "$1" '[.findings[] | select(.rule == $r)][0].message' "$T/out"; }

printf 'basicConstraints=critical,CA:true\nkeyUsage=keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' >ext_ca
printf 'basicConstraints=CA:false\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\nsubjectAltName=DNS:host.acme.example\n' >ext_leaf
o req -new -newkey rsa:2048 -nodes -keyout root.key -out root.csr -subj "/O=Acme/CN=Acme Root"
o x509 -req -in root.csr -signkey root.key -extfile ext_ca -days 3650 -out root.pem
o req -new -newkey rsa:2048 -nodes -keyout iss.key -out iss.csr -subj "/O=Acme/CN=Acme Issuing"
o x509 -req -in iss.csr -CA root.pem -CAkey root.key -set_serial 0x1001 -extfile ext_ca -days 3000 -out iss.pem
o req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/O=Acme/CN=host.acme.example"
o x509 -req -in leaf.csr -CA iss.pem -CAkey iss.key -set_serial 0x2001 -extfile ext_leaf -days 365 -out leaf.pem
o rsa -in leaf.key -traditional -out leaf-pkcs1.key
head -1 leaf.key | grep -qx -- '-----BEGIN PRIVATE KEY-----' || fail "openssl wrote no PKCS#8 key"

# --- a PEM with certificate and key is the profile's cert+key file ----------
cat leaf.pem leaf.key >my-bcom.pem
lint_json 1 my-bcom.pem --profile uc-bcom
finding key-encoding my-bcom.pem
finding file-unknown my-bcom.pem
msg=$(message file-unknown)
case $msg in *"checked as bcom-import.pem"*) ;; *) fail "notice does not name the matched file: $msg" ;; esac
case $msg in *"a certificate and its key"*) ;; *) fail "notice does not say what the file holds: $msg" ;; esac
assert_eq "$(jq -r '[.findings[] | select(.rule == "file-unknown")][0].severity' "$T/out")" notice
u 1 lint my-bcom.pem --profile uc-bcom
assert_contains "$T/out" "my-bcom.pem: error key-encoding: the key is PKCS#8; uc-bcom requires PKCS#1"
ok "a PKCS#8 key in a renamed Bcom bundle is a key-encoding error (exit 1)"

cat leaf.pem leaf-pkcs1.key >my-bcom1.pem
lint_json 0 my-bcom1.pem --profile uc-bcom
no_finding key-encoding
no_finding file-content
finding file-unknown my-bcom1.pem
lint_json 0 my-bcom1.pem --profile uc-bcom --bundle
no_finding file-missing
ok "a renamed PKCS#1 Bcom bundle passes, and counts as the bundle's file"

mkdir -p bcom && cp my-bcom1.pem bcom/bcom-import.pem
lint_json 0 bcom/bcom-import.pem --profile uc-bcom
no_finding file-unknown
ok "a file of the profile's name is matched by name, without a notice"

# the order inside the matched file is still checked
cat leaf-pkcs1.key leaf.pem >my-bcom-rev.pem
lint_json 1 my-bcom-rev.pem --profile uc-bcom
finding file-content my-bcom-rev.pem
ok "the matched file's content order is checked"

# --- a PKCS#12 is the profile's PKCS#12 file ------------------------------
printf 'secret\n' >pw
o pkcs12 -export -in leaf.pem -inkey leaf.key -certfile iss.pem -name other -passout pass:secret -out cmp-bad.p12
o pkcs12 -export -in leaf.pem -inkey leaf.key -certfile iss.pem -name tomcat -passout pass:secret -out cmp-good.p12
lint_json 1 cmp-bad.p12 --profile uc-cmp --password-file pw
finding alias-mismatch cmp-bad.p12
case $(message file-unknown) in *"checked as tomcat-keystore.p12"*) ;; *) fail "p12 not matched: $(message file-unknown)" ;; esac
lint_json 0 cmp-good.p12 --profile uc-cmp --password-file pw
no_finding alias-mismatch
ok "a renamed PKCS#12 gets the profile's keystore rules (alias)"

# a certificate and key in PEM for a product that loads a PKCS#12: its container is wrong
lint_json 1 my-bcom1.pem --profile uc-cmp
finding file-container my-bcom1.pem
ok "the right content in the wrong container is a file-container error"

# --- a PEM of CA certificates is the profile's CA file --------------------
cat iss.pem root.pem >cas.pem
cat root.pem iss.pem >cas-rev.pem
lint_json 0 cas.pem --profile mediatrix
no_finding file-content
case $(message file-unknown) in *"checked as ca.pem"*) ;; *) fail "CA file not matched: $(message file-unknown)" ;; esac
lint_json 1 cas-rev.pem --profile mediatrix
finding file-content cas-rev.pem
lint_json 0 cas.pem --profile osv
case $(message file-unknown) in *"checked as root.pem"*) ;; *) fail "OSV CA file not matched: $(message file-unknown)" ;; esac
ok "a renamed CA file is the profile's CA file, with its content rules"

# --- no match, and an ambiguous match ---------------------------------------
lint_json 0 leaf.pem --profile osv
msg=$(message file-unknown)
case $msg in *"matches none of them"*) ;; *) fail "no-match notice unclear: $msg" ;; esac
case $msg in *"server.pem, client.pem and root.pem"*) ;; *) fail "notice does not list the profile's files: $msg" ;; esac
u 0 lint leaf.pem --profile osv
assert_contains "$T/out" "leaf.pem: notice file-unknown: not a file osv expects (server.pem, client.pem and root.pem)"

o pkcs12 -export -in leaf.pem -inkey leaf.key -certfile iss.pem -name whatever -passout pass:secret -out ms.p12
lint_json 0 ms.p12 --profile media-server --password-file pw
no_finding alias-mismatch
msg=$(message file-unknown)
case $msg in *"fits mediaserver.p12 and ms-tomcat.p12"*) ;; *) fail "ambiguity not reported: $msg" ;; esac
ok "no match and an ambiguous match: a notice naming the file and the profile's files, no file rules"
done_testing
