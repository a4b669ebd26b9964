#!/usr/bin/env bash
# A run that fails after it started (here: a customer's CA imported without
# its root, and a product that needs the root) leaves the output directory
# as it was and no staging directory behind; the customer's CA is imported
# from PKCS#12 with its password file.
. "$UCPKI_SRC/tests/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'

o() { openssl "$@" >/dev/null 2>"$T/openssl.err" || { cat "$T/openssl.err"; fail "openssl $*"; }; }
printf 'basicConstraints=critical,CA:true\nkeyUsage=keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' >ext
o req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.csr -subj "/O=Customer/CN=Customer Root"
o x509 -req -in root.csr -signkey root.key -extfile ext -days 3000 -out root.pem
o req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout sub.key -out sub.csr -subj "/O=Customer/CN=Customer UC CA"
o x509 -req -in sub.csr -CA root.pem -CAkey root.key -set_serial 9 -extfile ext -days 2000 -out sub.pem
printf 'p12-secret\n' >ca.pass
o pkcs12 -export -in sub.pem -inkey sub.key -passout file:ca.pass -out sub-only.p12
o pkcs12 -export -in sub.pem -inkey sub.key -certfile root.pem -passout file:ca.pass -out sub-chain.p12

inv() { # P12 PRODUCT
	cat <<Y
solution: customer
pki: cust
ca:
  import: {p12: $1, password-file: ca.pass}
defaults: {subject: "C=US, O=Customer, OU=UC, CN=?"}
nodes:
  - {name: mx, product: $2, ip: 10.5.0.2}
  - {name: gw, product: hipath4000, fqdn: gw.customer.example}
Y
}

# a good run with the full chain
inv sub-chain.p12 mediatrix >good.yaml
u 0 --quiet solution issue good.yaml --out deploy
issuer=$(openssl x509 -in deploy/mx/host.pem -noout -issuer)
assert_contains <(echo "$issuer") "Customer UC CA"
openssl verify -CAfile deploy/mx/ca.pem -untrusted deploy/mx/host.pem deploy/mx/host.pem >/dev/null ||
	fail "the imported CA's chain does not verify"
find deploy -type f -exec sha256sum {} + | sort >before
ok "solution with the customer's CA imported from PKCS#12"

# the same CA, imported without its root into another state; the unchanged
# nodes are kept (same CA certificate), the new one cannot be packaged
export UCPKI_STATE=$T/state2
{ inv sub-only.p12 mediatrix; echo "  - {name: mx2, product: mediatrix, ip: 10.5.0.3}"; } >bad.yaml
u 2 solution issue bad.yaml --out deploy
assert_one_line_error
assert_contains "$T/err" "needs the root CA"
find deploy -type f -exec sha256sum {} + | sort >after
cmp -s before after || fail "the failed run changed the output directory"
assert_eq "$(ls -a | grep -c '^\.deploy\.tmp-')" 0 "staging directories left behind"
ok "a run failing half way leaves the output as it was, no staging directory"

# a wrong password file for the import: one line, nothing written
printf 'wrong\n' >ca.pass
export UCPKI_STATE=$T/state3
u 2 solution issue good.yaml --out deploy3
assert_one_line_error
assert_contains "$T/err" "ca.import: sub-chain.p12: wrong password"
assert_no_file deploy3
assert_no_file "$T/state3"
ok "wrong PKCS#12 password for the CA import: one line, exit 2, nothing written, no state created"

# an output that cannot be: a file, or a missing parent; no state is created
printf 'p12-secret\n' >ca.pass
export UCPKI_STATE=$T/state4
: >a-file
u 2 solution issue good.yaml --out a-file
assert_one_line_error
assert_contains "$T/err" "a-file exists and is not a directory"
u 2 solution issue good.yaml --out no-such-dir/deploy
assert_one_line_error
assert_contains "$T/err" "its directory no-such-dir does not exist"
assert_no_file "$T/state4"
assert_no_file no-such-dir
ok "--out a file or under a missing directory: exit 2, no state, nothing created"
done_testing
