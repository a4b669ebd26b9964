#!/usr/bin/env bash
# probe --host NAME / --ip ADDRESS name the identity as verify's do; the SNI
# is --servername, else --host. Against `openssl s_server` on 127.0.0.1.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/verify/pki.sh"

mkdir -p v
mk_ucpki_pki
start_bg s_server ACCEPT openssl s_server -www -accept 127.0.0.1:@PORT@ \
	-cert v/good.pem -key v/good.key -cert_chain v/u-sub.pem
P=127.0.0.1:$PEER_PORT
j() { jq -r "$1" "$T/out"; }
identity() { j '.verdict.checks[] | select(.check == "identity") | .detail'; }

u 0 --json probe "$P" --host sip.example.com --trust v/u-root.pem
assert_eq "$(j .tls.servername)" sip.example.com "--host is the SNI without --servername"
assert_eq "$(j .verdict.accepted)" true
assert_eq "$(identity)" "sip.example.com matches SAN DNS:sip.example.com"
u 1 --json probe "$P" --host other.example.com --trust v/u-root.pem
assert_eq "$(j .verdict.accepted)" false
assert_contains "$T/out" "other.example.com"
ok "probe --host: the identity checked, and the SNI"

u 0 --json probe "$P" --servername sni.example.com --host sip.example.com --trust v/u-root.pem
assert_eq "$(j .tls.servername)" sni.example.com "--servername is the SNI"
assert_eq "$(identity)" "sip.example.com matches SAN DNS:sip.example.com"
u 1 --json probe "$P" --servername sip.example.com --host other.example.com --trust v/u-root.pem
assert_eq "$(j .verdict.accepted)" false
ok "probe --servername with --host: SNI from one, identity from the other"

u 0 --json probe "$P" --ip 192.0.2.10 --trust v/u-root.pem
assert_eq "$(j .verdict.accepted)" true
assert_contains "$T/out" "192.0.2.10"
u 1 --json probe "$P" --ip 192.0.2.7 --trust v/u-root.pem
assert_eq "$(j .verdict.accepted)" false
assert_contains "$T/out" "192.0.2.7"
ok "probe --ip: the address identity"

u 0 --json probe "$P" --servername sip.example.com --trust v/u-root.pem
assert_eq "$(identity)" "sip.example.com matches SAN DNS:sip.example.com"
ok "probe without --host/--ip: the identity is the SNI, as before"

# --timeout is the probe's timeout; --connect-timeout only its connect part
u 0 probe "$P" --timeout 4000 --connect-timeout 2000
assert_contains "$T/out" "connected to"
ok "probe --timeout and --connect-timeout"
done_testing
