#!/usr/bin/env bash
# Bad input to the CA commands: one short error line, exit 2, and nothing
# half-written (no stray files, no extra database rows).
. "$UCPKI_SRC/tests/lib.sh"

u 2 pki list
assert_contains "$T/err" "no ucpki state here"
assert_one_line_error

new_state
u 0 pki create acme
u 2 pki create acme
assert_contains "$T/err" "PKI 'acme' already exists"
u 2 pki create "bad name"
assert_contains "$T/err" "PKI name 'bad name' must be"
ok "state and PKI names"

u 2 ca create nope/root --subject "CN=x"
assert_contains "$T/err" "unknown PKI 'nope'"
u 2 ca create acme/root --subject "C=USA, CN=x"
assert_contains "$T/err" "two-letter code"
u 2 ca create acme/root --subject "C=US, Foo=bar, CN=x"
assert_contains "$T/err" "unknown DN attribute 'Foo'"
u 2 ca create acme/root --subject "C=US, CN=x" --key rsa:1000
assert_contains "$T/err" "bad key spec 'rsa:1000'"
u 2 ca create acme/root --subject "C=US, CN=x" --hash md5
assert_contains "$T/err" "unknown hash 'md5'"
u 2 ca create acmeroot --subject "C=US, CN=x"
assert_contains "$T/err" "must be named PKI/CA"
assert_one_line_error
u 0 --json ca list
assert_eq "$(cat "$T/out")" "[]" "no CA row after failed creates"
ok "ca create rejects unknown PKI, malformed DN, bad key spec and hash"

u 0 ca create acme/root --subject "C=US, O=Acme, CN=Root" --key ec:p256
u 0 ca create acme/issuing --parent acme/root --pathlen 0 --subject "C=US, O=Acme, CN=Issuing" --key ec:p256
u 2 ca create acme/sub --parent acme/issuing --subject "C=US, O=Acme, CN=Sub"
assert_contains "$T/err" "has pathlen 0: it allows no further CA level"
u 0 ca create acme/mid --parent acme/root --pathlen 1 --subject "C=US, O=Acme, CN=Mid" --key ec:p256
u 2 ca create acme/low --parent acme/mid --pathlen 1 --subject "C=US, O=Acme, CN=Low"
assert_contains "$T/err" "a path length of 1 is more than the parent chain allows (0)"
u 0 ca create acme/low --parent acme/mid --subject "C=US, O=Acme, CN=Low" --key ec:p256
u 0 --json ca list
python3 - "$T/out" <<'PY' || fail "ca list"
import json, sys
cas = {c["ca"]: c for c in json.load(open(sys.argv[1]))}
assert set(cas) == {"acme/root", "acme/issuing", "acme/mid", "acme/low"}, cas
assert cas["acme/low"]["pathlen"] == 0 and cas["acme/low"]["depth"] == 2, cas["acme/low"]
assert cas["acme/low"]["parent"] == "mid"
PY
u 2 ca create acme/root --subject "C=US, CN=again"
assert_contains "$T/err" "CA acme/root already exists"
ok "pathlen limits from every ancestor; depth-3 hierarchy"

# Issue errors leave no files and no rows.
u 2 issue --ca acme/nope --subject "CN=a.example" --out-cert a.pem --out-key a.key
assert_contains "$T/err" "unknown CA 'acme/nope'"
u 2 issue --ca acme/issuing --subject "CN=a.example" --san DNS:bad..name --out-cert a.pem --out-key a.key
assert_contains "$T/err" "not a valid DNS name"
u 2 issue --ca acme/issuing --template "C=US, CN=?" --out-cert a.pem --out-key a.key
assert_contains "$T/err" "needs a CN value"
u 2 issue --ca acme/issuing --subject "CN=a.example" --out-cert a.pem
assert_contains "$T/err" "--out-key FILE is required"
assert_no_file a.pem
assert_no_file a.key
u 0 issue --ca acme/issuing --subject "CN=a.example" --out-cert a.pem --out-key a.key
echo keep >b.pem
u 2 issue --ca acme/issuing --subject "CN=b.example" --out-cert b.pem --out-key b.key
assert_eq "$(cat "$T/err")" "ucpki: issue --out-cert b.pem: b.pem already exists (--force replaces it)"
assert_eq "$(cat b.pem)" "keep" "existing output untouched"
assert_no_file b.key
u 0 --json certs --ca acme/issuing
assert_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out")" 1 "only the good issuance is recorded"
ls -A | grep -q 'tmp' && fail "temporary files left behind: $(ls -A)"
assert_eq "$(mode_of a.key)" 600 "key file mode"
ok "issue errors leave no files and no rows; keys are 0600"

# CSRs: missing file, not a CSR, broken signature.
u 2 sign --ca acme/issuing --csr missing.csr --out-cert c.pem
assert_contains "$T/err" "missing.csr: cannot open"
u 2 sign --ca acme/issuing --csr a.pem --out-cert c.pem
assert_contains "$T/err" "a.pem: no certificate request in this file"
openssl req -new -newkey rsa:2048 -nodes -keyout csr.key -subj "/CN=csr.example" -outform DER -out req.der 2>/dev/null
python3 - <<'PY'
d = bytearray(open("req.der", "rb").read())
d[-5] ^= 0x01  # flip a bit inside the signature
open("bad.der", "wb").write(d)
PY
u 2 sign --ca acme/issuing --csr bad.der --out-cert c.pem
assert_contains "$T/err" "bad.der: the CSR signature does not verify"
assert_no_file c.pem
head -c 100 req.der >trunc.der
u 2 sign --ca acme/issuing --csr trunc.der --out-cert c.pem
assert_contains "$T/err" "trunc.der"
assert_no_file c.pem
u 0 sign --ca acme/issuing --csr req.der --out-cert c.pem
ok "CSR: missing, wrong kind, broken signature, truncated"

# Passphrases.
UCPKI_PASSPHRASE=wrong u 2 issue --ca acme/issuing --subject "CN=w.example" --out-cert w.pem --out-key w.key
assert_contains "$T/err" "wrong passphrase for this state"
assert_one_line_error
assert_no_file w.pem
printf 'wrong\n' >wrong.pass
u 2 --pass-file wrong.pass ca create acme/other --subject "CN=Other"
assert_contains "$T/err" "wrong passphrase"
u 2 --pass-file nothere.pass ca create acme/other --subject "CN=Other"
assert_contains "$T/err" "nothere.pass: cannot open"
(unset UCPKI_PASSPHRASE; u 2 issue --ca acme/issuing --subject "CN=w.example" --out-cert w.pem --out-key w.key
 assert_contains "$T/err" "no passphrase for the CA keys") || fail "missing passphrase"
u 0 --pass-file "$T/pass" issue --ca acme/issuing --subject "CN=p.example" --out-cert p.pem --out-key p.key
ok "wrong, missing and file-given passphrases"

# Revocation errors.
u 2 revoke --ca acme/issuing 0123
assert_contains "$T/err" "serial 0123 is not a valid certificate of this CA"
u 2 revoke --ca acme/issuing zz
assert_contains "$T/err" "not a hexadecimal number"
s=$(openssl x509 -in a.pem -noout -serial | cut -d= -f2)
u 2 revoke --ca acme/issuing "$s" --reason bogus
assert_contains "$T/err" "unknown revocation reason 'bogus'"
u 0 revoke --ca acme/issuing "$(echo "$s" | tr A-F a-f | sed 's/../&:/g; s/:$//')" --reason superseded
u 2 revoke --ca acme/issuing "$s"
assert_contains "$T/err" "already revoked"
ok "revoke: unknown serial, bad reason, colon/lower-case serials, double revoke"

# Usage errors.
u 2 issue --ca acme/issuing --frobnicate
assert_contains "$T/err" "unknown option '--frobnicate'"
u 2 issue --ca acme/issuing --days x --subject CN=x --out-cert x --out-key y
assert_contains "$T/err" "--days needs a whole number"
u 2 nosuchcommand
assert_contains "$T/err" "unknown command"
ok "usage errors"

# With --json an error is also a JSON document on stdout: code, message, and
# the hint in the command's words; the one line stays on stderr.
u 2 --json ca create nosuch/x --subject CN=x
assert_eq "$(jq -r .error.code "$T/out")" not-found
assert_contains "$T/out" "nosuch"
assert_eq "$(wc -l <"$T/err")" 1
u 0 crl --ca acme/issuing --out "$T/one.crl"
u 2 --json crl --ca acme/issuing --out "$T/one.crl"
assert_eq "$(jq -r .error.code "$T/out")" exists
assert_contains "$T/out" "already exists (--force replaces it)"
u 2 --json issue --ca acme/issuing --frobnicate
assert_eq "$(jq -r .error.code "$T/out")" usage
rm -rf "$T/empty" && mkdir "$T/empty"
u 2 --json --state "$T/empty/none" pki list
assert_eq "$(jq -r .error.hint "$T/out")" "run 'ucpki init' or give --state DIR"
ok "--json errors: {error: {code, message, hint}} on stdout, one line on stderr"
done_testing
