#!/usr/bin/env bash
# Output targets of every command that writes files (convert, ca export, keystore export,
# issue, sign, crl, probe --save-chain/--save-ca): '-' is standard output; a
# device, directory or FIFO is refused and left as it was; an existing file
# is replaced only with --force; a private key never goes to a terminal.
# Each refusal: exit 2, one exact line, nothing created, no temporary file.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/lib_formats.sh"
make_pki
u 0 --quiet issue --ca acme/sub --subject "CN=csr.acme.example" --key-spec ec:p256 \
	--out-cert csrsrc.pem --out-key csr.key
openssl req -new -key csr.key -subj "/CN=csr.acme.example" -out req.csr 2>/dev/null || fail "openssl req"
u 0 --quiet convert srv.pem --format p12 --key srvkey.pem --new-password-file pw --alias srv --out ks.p12
mkdir adir
mkfifo afifo
ln -s /dev/null devlink
echo keep >exists.pem
serials() { u 0 --json certs; python3 -c 'import json,sys; print(sorted(c["serial"] for c in json.load(open(sys.argv[1]))))' "$T/out"; }
before=$(serials)
listing() { ls -A | grep -v '^\(out\|err\)$'; }
files=$(listing)

# target | the problem | arguments with @ for the target; the message is
# "ucpki: CMD OPT TARGET: problem"
while IFS='|' read -r target problem cmdopt args; do
	[ -z "$target" ] && continue
	# shellcheck disable=SC2086 # the arguments are words
	u 2 ${args//@/$target}
	assert_eq "$(cat "$T/err")" "ucpki: $cmdopt $target: $problem" "ucpki ${args//@/$target}"
	assert_one_line_error
	assert_eq "$(listing)" "$files" "files after ucpki ${args//@/$target}"
	test -c /dev/null || fail "/dev/null is no longer a character device"
	assert_eq "$(cat exists.pem)" "keep" "exists.pem after ucpki ${args//@/$target}"
done <<'EOF'
/dev/null|/dev/null is not a regular file|convert --out|convert srv.pem --format pem --out @
/dev/null|/dev/null is not a regular file|convert --out|convert srv.pem --format der --out @
/dev/null|/dev/null is not a regular file|convert --out|convert srv.pem --format p12 --key srvkey.pem --new-password-file pw --out @
adir|adir is not a regular file|convert --out|convert srv.pem --format pem --out @
afifo|afifo is not a regular file|convert --out|convert srv.pem --format pem --out @
devlink|devlink is not a regular file|convert --out|convert srv.pem --format pem --out @
exists.pem|exists.pem already exists (--force replaces it)|convert --out|convert srv.pem --format pem --out @
exists.pem|exists.pem already exists (--force replaces it)|convert --out|convert srv.pem --format jks --key srvkey.pem --new-password-file pw --out @
-|--json prints its document there: name a file instead|convert --out|--json convert srv.pem --format pem --out @
/dev/null|/dev/null is not a regular file|ca export --out|ca export acme/root --out @
afifo|afifo is not a regular file|ca export --out|ca export acme/root --out @
exists.pem|exists.pem already exists (--force replaces it)|ca export --out|ca export acme/root --out @
/dev/null|/dev/null is not a regular file|crl --out|crl --ca acme/sub --out @
adir|adir is not a regular file|crl --out|crl --ca acme/sub --out @
exists.pem|exists.pem already exists (--force replaces it)|crl --out|crl --ca acme/sub --out @
/dev/null|/dev/null is not a regular file|issue --out-cert|issue --ca acme/sub --subject CN=n.example --out-cert @ --out-key n.key
/dev/null|/dev/null is not a regular file|issue --out-key|issue --ca acme/sub --subject CN=n.example --out-cert n.pem --out-key @
adir|adir is not a regular file|issue --out-chain|issue --ca acme/sub --subject CN=n.example --out-cert n.pem --out-key n.key --out-chain @
exists.pem|exists.pem already exists (--force replaces it)|issue --out-key|issue --ca acme/sub --subject CN=n.example --out-cert n.pem --out-key @
-|--json prints its document there: name a file instead|issue --out-cert|--json issue --ca acme/sub --subject CN=n.example --out-cert @ --out-key n.key
/dev/null|/dev/null is not a regular file|sign --out-cert|sign --ca acme/sub --csr req.csr --out-cert @
exists.pem|exists.pem already exists (--force replaces it)|sign --out-cert|sign --ca acme/sub --csr req.csr --out-cert @
/dev/null|/dev/null is not a regular file|probe --save-chain|probe 127.0.0.1:1 --save-chain @
afifo|afifo is not a regular file|probe --save-ca|probe 127.0.0.1:1 --save-ca @
exists.pem|exists.pem already exists (--force replaces it)|probe --save-chain|probe 127.0.0.1:1 --save-chain @
/dev/null|/dev/null is not a regular file|keystore export --out|keystore export ks.p12 --alias srv --password-file pw --out @
exists.pem|exists.pem already exists (--force replaces it)|keystore export --out|keystore export ks.p12 --alias srv --password-file pw --out @
EOF
assert_eq "$(serials)" "$before" "no certificate issued by a refused issue or sign"
ok "devices, directories, FIFOs, symlinks to devices and existing files are refused and left alone"

# Two outputs of one command on standard output.
u 2 issue --ca acme/sub --subject CN=n.example --out-cert - --out-key - </dev/null
assert_eq "$(cat "$T/err")" "ucpki: issue --out-key -: standard output is already the target of another option"
assert_eq "$(serials)" "$before" "nothing recorded when the outputs clash"
ok "one standard output per command"

# '-' is standard output: no file named '-' appears.
u 0 convert srv.pem --format pem --out -
cmp -s "$T/out" srv.pem || fail "convert --out - is not the certificate"
u 0 ca export acme/root --out -
cmp -s "$T/out" root.pem || fail "ca export --out - is not the CA certificate"
u 0 crl --ca acme/sub --out - --der
openssl crl -inform DER -in "$T/out" -noout 2>/dev/null || fail "crl --out - --der is not a DER CRL"
u 0 issue --ca acme/sub --subject CN=o.example --key-spec ec:p256 --out-cert - --out-key o.key
assert_eq "$(pem_blocks "$T/out")" "CERTIFICATE" "issue --out-cert -: the certificate alone on stdout"
assert_eq "$(pub_of_cert "$T/out")" "$(pub_of_key o.key)" "the certificate on stdout belongs to o.key"
assert_eq "$(mode_of o.key)" 600 "key mode"
u 0 issue --ca acme/sub --subject CN=p.example --key-spec ec:p256 --out-cert p.pem --out-key -
assert_eq "$(pem_blocks "$T/out")" "PRIVATE KEY" "issue --out-key - to a pipe"
assert_eq "$(pub_of_cert p.pem)" "$(pub_of_key "$T/out")" "the key on stdout belongs to p.pem"
u 0 convert srv.pem --format p12 --key srvkey.pem --new-password-file pw --out -
openssl pkcs12 -in "$T/out" -passin file:pw -nokeys -noout 2>/dev/null || fail "convert --format p12 --out - is not a PKCS#12"
assert_no_file ./-
ok "'-' writes to standard output, and the key to a pipe"

# A private key is never written to a terminal (run under a pseudo-terminal).
tty_run() { script -qec "$*" /dev/null >"$T/tty" 2>&1; }
tty_run "'$UCPKI' issue --ca acme/sub --subject CN=q.example --key-spec ec:p256 --out-cert q.pem --out-key -"
assert_contains "$T/tty" "ucpki: issue --out-key -: standard output is a terminal: a private key is not written there (redirect it or name a file)"
assert_not_contains "$T/tty" "PRIVATE KEY"
assert_no_file q.pem
tty_run "'$UCPKI' convert srvkey.pem --format pkcs8"
assert_contains "$T/tty" "ucpki: convert --out -: standard output is a terminal: a private key is not written there"
assert_not_contains "$T/tty" "PRIVATE KEY"
tty_run "'$UCPKI' convert srv.pem --format pem"
assert_contains "$T/tty" "BEGIN CERTIFICATE"
ok "a private key is refused on a terminal; a certificate is shown"

# --force replaces an existing regular file (atomically, mode 0600 for a key).
u 0 convert srv.pem --format pem --out exists.pem --force
cmp -s exists.pem srv.pem || fail "convert --force did not replace exists.pem"
echo keep >exists.pem
u 0 ca export acme/root --out exists.pem --force
cmp -s exists.pem root.pem || fail "ca export --force"
u 0 crl --ca acme/sub --out exists.pem --force
openssl crl -in exists.pem -noout 2>/dev/null || fail "crl --force"
echo keep >exists.pem
chmod 644 exists.pem
u 0 issue --ca acme/sub --subject CN=r.example --out-cert r.pem --out-key exists.pem --force
assert_eq "$(mode_of exists.pem)" 600 "a key replacing a file gets mode 0600"
assert_eq "$(pub_of_cert r.pem)" "$(pub_of_key exists.pem)" "issue --force wrote the new key"
u 0 sign --ca acme/sub --csr req.csr --out-cert r.pem --force
openssl x509 -in r.pem -noout -subject | grep -q csr.acme.example || fail "sign --force"
ls -A | grep -q 'tmp' && fail "temporary files left behind: $(ls -A)"
test -c /dev/null || fail "/dev/null is no longer a character device"
ok "--force replaces existing files; no temporary file is left"

# --force does not make a device writable.
u 2 convert srv.pem --format pem --out /dev/null --force
assert_eq "$(cat "$T/err")" "ucpki: convert --out /dev/null: /dev/null is not a regular file"
test -c /dev/null || fail "/dev/null is no longer a character device"
u 0 convert --help
assert_contains "$T/out" "--force"
ok "--force never replaces a device; it is in --help"
done_testing
