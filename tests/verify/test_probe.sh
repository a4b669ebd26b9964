#!/usr/bin/env bash
# ucpki probe against `openssl s_server` (TLS 1.3 and 1.2, MTLS with and
# without a client certificate, PEM pair and PKCS#12), --save-ca against the
# guide's s_client | sed | tac pipeline and `openssl x509 -modulus`, the
# ways a port can fail to be TLS; ucpki probe serve against `openssl s_client`.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/verify/pki.sh"

mkdir -p v
mk_ucpki_pki
u 0 issue --ca t/sub --subject "CN=phone.example.com" --eku clientAuth \
	--out-cert v/phone.pem --out-key v/phone.key
cat v/phone.pem v/phone.key v/u-sub.pem >v/phone-bundle.pem
for n in other-root selfsigned; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "v/$n.key" \
		-out "v/$n.pem" -subj "/CN=sip.example.com" -days 30 2>/dev/null || fail "openssl req $n"
done
printf 'phone-secret\n' >"$T/p12pass"
openssl pkcs12 -export -in v/phone.pem -inkey v/phone.key -certfile v/u-sub.pem -name phone \
	-passout file:"$T/p12pass" -out v/phone.p12 || fail "pkcs12 export"

start_bg s_server ACCEPT openssl s_server -www -accept 127.0.0.1:@PORT@ \
	-cert v/good.pem -key v/good.key -cert_chain v/u-sub.pem
TLS_PORT=$PEER_PORT

# --- TLS, judged at full -----------------------------------------------------
u 0 --json probe "127.0.0.1:$TLS_PORT" --servername sip.example.com --trust v/u-root.pem \
	--save-chain "$T/chain.pem" --save-ca "$T/ca.pem"
j() { jq -r "$1" "$T/out"; }
assert_eq "$(j .tls.protocol)" TLSv1.3
assert_match "$T/out" '"cipher": "TLS_(AES|CHACHA20)_[A-Z0-9_]+"'
assert_eq "$(j .tls.servername)" sip.example.com
assert_eq "$(j '.tls.chain | length')" 2
assert_eq "$(j '.tls.chain[0].subject')" "CN=sip.example.com"
assert_eq "$(j '.tls.chain[1].subject')" "C=US, O=Test, CN=Test Sub"
assert_eq "$(j .tls.client_cert_requested)" false
assert_eq "$(j .verdict.accepted)" true
assert_eq "$(j .verdict.level)" full
assert_eq "$(j '.verdict.checks[] | select(.check == "identity") | .detail')" \
	"sip.example.com matches SAN DNS:sip.example.com"
assert_eq "$(j .leaf_serial)" "$(openssl x509 -in v/good.pem -noout -serial | cut -d= -f2 | tr A-F a-f)"
ok "probe: TLS 1.3, SNI, chain, serial, verdict at level full"

# the presented chain is what the server was given
cat v/good.pem v/u-sub.pem | openssl x509 -noout -fingerprint -sha256 >"$T/want.fp" 2>/dev/null
for f in "$T/chain.pem"; do
	assert_eq "$(openssl crl2pkcs7 -nocrl -certfile "$f" | openssl pkcs7 -print_certs -noout | grep -c subject=)" 2
done
assert_eq "$(openssl x509 -in "$T/chain.pem" -noout -fingerprint -sha256)" \
	"$(openssl x509 -in v/good.pem -noout -fingerprint -sha256)"
ok "--save-chain wrote the presented chain"

# --save-ca = the guide's 3.5.1 pipeline; openssl x509 -modulus agrees
echo "" | openssl s_client -showcerts -connect "127.0.0.1:$TLS_PORT" 2>/dev/null |
	sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' | tac |
	sed -n -e '1,/BEGIN/!d;p' | tac >"$T/uccacert.pem"
assert_eq "$(cat "$T/ca.pem")" "$(cat "$T/uccacert.pem")" "--save-ca vs the guide's pipeline"
guide_md5=$(openssl x509 -modulus -noout -in "$T/uccacert.pem" | openssl md5 | sed 's/.*= //')
ours_md5=$(openssl x509 -modulus -noout -in "$T/ca.pem" | openssl md5 | sed 's/.*= //')
sub_md5=$(openssl x509 -modulus -noout -in v/u-sub.pem | openssl md5 | sed 's/.*= //')
assert_eq "$ours_md5" "$sub_md5" "modulus MD5 of the saved CA"
assert_eq "$ours_md5" "$guide_md5"
assert_eq "$(j '.tls.chain[1].modulus_md5')" "$sub_md5" "modulus MD5 printed by probe"
u 0 probe "127.0.0.1:$TLS_PORT"
assert_contains "$T/out" "modulus MD5  $sub_md5"
ok "--save-ca writes the CA the guide's pipeline fetches; modulus MD5 agrees with openssl"

u 1 --json probe "127.0.0.1:$TLS_PORT" --servername other.example.com --trust v/u-root.pem
assert_eq "$(j .tls.completed)" true
assert_eq "$(j '.verdict.reason')" \
	"identity.mismatch: certificate [0] \"CN=sip.example.com\" (leaf): other.example.com is not named by the certificate (SAN: DNS:sip.example.com, IP Address:192.0.2.10, IP Address:2001:DB8:0:0:0:0:0:1, IP Address:0:0:0:0:0:0:0:1; CN: sip.example.com)"
u 1 probe "127.0.0.1:$TLS_PORT" --trust v/other-root.pem --level trusted
assert_contains "$T/out" "verdict: REJECTED at level trusted: chain."
u 0 probe "127.0.0.1:$TLS_PORT" --trust v/u-root.pem --servername 192.0.2.10
assert_contains "$T/out" "identity   pass 192.0.2.10 matches a SAN IP Address"

# --- presented out of issuer order, with a certificate not needed ----------
cat v/u-root.pem v/u-sub.pem v/other-root.pem >v/disorder.pem
start_bg s_disorder ACCEPT openssl s_server -www -accept 127.0.0.1:@PORT@ \
	-cert v/good.pem -key v/good.key -cert_chain v/disorder.pem
u 0 --json probe "127.0.0.1:$PEER_PORT" --servername sip.example.com --trust v/u-root.pem
assert_eq "$(j .verdict.accepted)" true
assert_eq "$(j '.tls.chain | length')" 4
assert_eq "$(j '[.verdict.path[].presented] | map(tostring) | join(",")')" "0,2,1"
assert_eq "$(j '.warnings | length')" 4
assert_match "$T/out" 'out of issuer order: \[1\] \\"C=US, O=Test, CN=Test Root\\" does not issue \[0\]'
assert_match "$T/out" 'presented but not needed: \[3\] \\"CN=sip.example.com\\"'
u 0 probe "127.0.0.1:$PEER_PORT" --servername sip.example.com --trust v/u-root.pem
assert_contains "$T/out" "[1] C=US, O=Test, CN=Test Sub (presented [2]) <- [2] C=US, O=Test, CN=Test Root (trusted) (presented [1])"
assert_contains "$T/out" "warning: presented out of issuer order: [2] \"C=US, O=Test, CN=Test Sub\" does not issue [1]"
ok "probe: a chain out of issuer order and an unneeded certificate are warned about; path numbers name the presented ones"
ok "probe verdicts: wrong name, wrong CA, IP identity"

start_bg s_server12 ACCEPT openssl s_server -www -tls1_2 -accept 127.0.0.1:@PORT@ \
	-cert v/good.pem -key v/good.key -cert_chain v/u-sub.pem
u 0 --json probe "127.0.0.1:$PEER_PORT"
assert_eq "$(j .tls.protocol)" TLSv1.2
assert_match "$T/out" '"cipher": "ECDHE-RSA-[A-Z0-9-]+"'
ok "probe: TLS 1.2"

# --- MTLS ------------------------------------------------------------------
start_bg s_server_mtls ACCEPT openssl s_server -www -accept 127.0.0.1:@PORT@ \
	-cert v/good.pem -key v/good.key -cert_chain v/u-sub.pem \
	-Verify 3 -CAfile v/u-root.pem -verify_return_error
MTLS_PORT=$PEER_PORT
u 1 --json probe "127.0.0.1:$MTLS_PORT" --trust v/u-root.pem --servername sip.example.com
assert_eq "$(j .tls.client_cert_requested)" true
assert_eq "$(j .tls.client_cert_sent)" false
assert_eq "$(j '.tls.ca_names[0]')" "C=US, O=Test, CN=Test Root"
assert_eq "$(j .tls.completed)" false
assert_match "$T/out" '"failure": ".*alert certificate required'
assert_eq "$(j .verdict.accepted)" true
u 1 probe "127.0.0.1:$MTLS_PORT"
assert_contains "$T/out" "client cert  requested by the server; we sent none"
assert_contains "$T/out" "CA name      C=US, O=Test, CN=Test Root"
assert_contains "$T/out" "handshake: REJECTED by the server:"
ok "MTLS without a client certificate: request, CA names and the server's refusal reported"

u 0 --json probe "127.0.0.1:$MTLS_PORT" --cert v/phone-bundle.pem
assert_eq "$(j .tls.completed)" true
assert_eq "$(j .tls.client_cert_sent)" true
u 0 --json probe "127.0.0.1:$MTLS_PORT" --cert v/phone.p12 --cert-pass-file "$T/p12pass"
assert_eq "$(j .tls.completed)" true
assert_eq "$(j .tls.client_cert_sent)" true
grep -q "CN *= *phone.example.com" "$T/s_server_mtls.log" || { cat "$T/s_server_mtls.log"; fail "s_server did not see the client certificate"; }
ok "MTLS with a client certificate from a PEM bundle and from PKCS#12: s_server accepts it"

u 1 --json probe "127.0.0.1:$MTLS_PORT" --cert v/phone.pem --key v/phone.key
assert_eq "$(j .tls.completed)" false
assert_match "$T/out" '"failure": ".*alert unknown CA'
ok "MTLS with a client certificate sent without its chain: the server's unknown-CA alert reported"

u 2 probe "127.0.0.1:$MTLS_PORT" --cert v/phone.p12 --cert-pass-file "$T/pass"
assert_one_line_error
assert_match "$T/err" 'phone.p12'
u 2 probe "127.0.0.1:$MTLS_PORT" --cert v/phone.pem --key v/good.key
assert_contains "$T/err" "the private key does not belong to the certificate"
ok "client credentials: wrong PKCS#12 password and mismatched key are one-line errors"

# --- Ports that are not TLS servers ------------------------------------------
start_fixture close
port=$FIX_PORT
u 2 probe "127.0.0.1:$port"
assert_contains "$T/err" "127.0.0.1:$port: the server closed the connection without a TLS answer"
wait "$FIX_PID" 2>/dev/null
u 2 probe "127.0.0.1:$port"
assert_eq "$(cat "$T/err")" "ucpki: 127.0.0.1:$port: connection refused (nothing listens on that port)"
start_fixture banner
u 2 probe "127.0.0.1:$FIX_PORT"
assert_eq "$(cat "$T/err")" "ucpki: 127.0.0.1:$FIX_PORT: not a TLS port: the server answered in plain text ('220 mail.example.com ESMTP ready')"
printf 'hello\n' >"$T/hello.txt"
start_fixture http "$T/hello.txt" text/plain
u 2 probe "127.0.0.1:$FIX_PORT"
assert_contains "$T/err" "not a TLS port: the server answered in plain text ('HTTP/1.0 200 OK')"
start_fixture silent
u 2 probe "127.0.0.1:$FIX_PORT" --timeout 400
assert_contains "$T/err" "connected, but no TLS answer within 0.4 s (the port does not speak TLS"
assert_eq "$(wc -c <"$T/out")" 0
ok "refused, closed, plain-text banner, HTTP and silent ports: each its own message, exit 2"

u 0 --json probe "localhost:$TLS_PORT" --no-sni
assert_eq "$(j .tls.servername)" null
u 0 --json probe "localhost:$TLS_PORT"
assert_eq "$(j .tls.servername)" localhost
ok "SNI defaults to the host name; --no-sni sends none"

u 2 probe localhost
assert_contains "$T/err" "has no port"
u 2 probe "::1:443"
assert_contains "$T/err" "IPv6 address in brackets"
u 2 probe "no-such-host.invalid:443"
assert_contains "$T/err" "no-such-host.invalid: name does not resolve"
ok "bad targets: one-line errors"

# --- probe serve against openssl s_client -----------------------------------
serve() { # serve LOGNAME args...: start ucpki probe serve, set SERVE_PORT
	local name=$1; shift
	"$UCPKI" probe serve --port 0 "$@" >"$T/$name.log" 2>&1 &
	SERVE_PID=$!
	BG_PIDS="${BG_PIDS:-} $SERVE_PID"
	wait_for "$T/$name.log" "^listening on" $SERVE_PID || { cat "$T/$name.log"; fail "probe serve did not start"; }
	SERVE_PORT=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\) .*/\1/p' "$T/$name.log")
}

serve plain --cert v/good.pem --key v/good.key --chain v/u-sub.pem --count 1
openssl s_client -ign_eof -connect "127.0.0.1:$SERVE_PORT" -servername sip.example.com \
	-CAfile v/u-root.pem -verify_return_error -verify_hostname sip.example.com >"$T/sc.out" 2>&1 </dev/null
assert_contains "$T/sc.out" "Verify return code: 0 (ok)"
assert_contains "$T/sc.out" "ucpki probe serve: handshake ok (TLSv1.3)"
wait "$SERVE_PID"
assert_match "$T/plain.log" "^[0-9T:Z-]+ 127.0.0.1:[0-9]+ ok TLSv1.3 TLS_[A-Z0-9_]+ sni=sip.example.com$"
assert_contains "$T/plain.log" "  client cert  none"
ok "probe serve: s_client verifies the candidate chain, the handshake is logged"

serve mtls --cert v/bundle.pem --require-client-cert --trust v/u-root.pem --count 3
openssl s_client -ign_eof -connect "127.0.0.1:$SERVE_PORT" -CAfile v/u-root.pem >"$T/sc1.out" 2>&1 </dev/null
openssl s_client -ign_eof -connect "127.0.0.1:$SERVE_PORT" -CAfile v/u-root.pem \
	-cert v/phone.pem -key v/phone.key -cert_chain v/u-sub.pem >"$T/sc2.out" 2>&1 </dev/null
openssl s_client -ign_eof -connect "127.0.0.1:$SERVE_PORT" -CAfile v/u-root.pem \
	-cert v/selfsigned.pem -key v/selfsigned.key >"$T/sc3.out" 2>&1 </dev/null || true
wait "$SERVE_PID"
grep -q "alert certificate required" "$T/sc1.out" || { cat "$T/sc1.out"; fail "s_client without a cert was not refused"; }
assert_contains "$T/sc2.out" "ucpki probe serve: handshake ok"
assert_contains "$T/sc2.out" "Acceptable client certificate CA names"
assert_contains "$T/sc2.out" "C = US, O = Test, CN = Test Root"
assert_not_contains "$T/sc3.out" "ucpki probe serve: handshake ok"
awk '/FAILED/{n++} END{exit n==2?0:1}' "$T/mtls.log" || { cat "$T/mtls.log"; fail "two failures expected"; }
assert_contains "$T/mtls.log" "client certificate required"
assert_contains "$T/mtls.log" "  failure      the client sent no certificate, but one is required"
assert_contains "$T/mtls.log" "  client cert  \"CN=phone.example.com\" issuer \"C=US, O=Test, CN=Test Sub\""
assert_contains "$T/mtls.log" "  verdict      accepted at level trusted"
assert_contains "$T/mtls.log" "  verdict      rejected at level trusted: chain.self-signed-untrusted: certificate [0] \"CN=sip.example.com\" (leaf): self-signed and not among the trusted CAs"
ok "probe serve --require-client-cert: no cert refused, good cert accepted, untrusted cert refused with the reason"

# --json: one JSON object per client; ucpki probe against ucpki probe serve
"$UCPKI" --json probe serve --port 0 --cert v/good.pem --key v/good.key --count 1 >"$T/js.log" 2>&1 &
SERVE_PID=$!
BG_PIDS="$BG_PIDS $SERVE_PID"
wait_for "$T/js.log" listening $SERVE_PID || fail "probe serve --json did not start"
port=$(head -1 "$T/js.log" | jq -r .port)
u 2 probe "127.0.0.1:$port" --save-ca "$T/none.pem"
assert_contains "$T/err" "none.pem: the server presented no CA certificate, only its own; nothing written"
assert_no_file "$T/none.pem"
wait "$SERVE_PID"
assert_eq "$(sed -n 2p "$T/js.log" | jq -r '.ok, .protocol, .client_cert')" "$(printf 'true\nTLSv1.3\nnull')"
ok "probe serve --json logs one object per client; --save-ca without a CA writes nothing, exit 2"

u 2 probe serve --cert v/good.pem --key v/good.key --require-client-cert
assert_contains "$T/err" "--require-client-cert needs --trust FILE"
u 2 probe serve --cert v/good.key
assert_contains "$T/err" "v/good.key: no certificate in this file (only a private key)"
ok "probe serve bad input"
done_testing
