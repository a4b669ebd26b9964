#!/usr/bin/env bash
# Revocation against live peers on loopback: a real `openssl ocsp`
# responder (good, revoked, through the AIA extension), crafted answers
# served over HTTP (for another certificate, a replayed nonce, a responder
# the CA never authorised, HTML instead of OCSP), CRLs fetched from a
# distribution point. Every OCSP verdict is cross-checked with `openssl ocsp`.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/verify/pki.sh"

mkdir -p v
mk_openssl_pki

# The responder's port must be known before the leaves name it in their AIA.
for try in 1 2 3 4 5; do
	port=$((20000 + (RANDOM * 5 + try * 977) % 40000))
	URL=http://127.0.0.1:$port/
	rm -f v/ocsp-good.pem v/ocsp-revoked.pem
	mk_ocsp_leaves "$URL"
	openssl ocsp -index v/o/index.txt -port "$port" -rsigner v/ocsp-signer.pem \
		-rkey v/ocsp-signer.key -CA v/o-root.pem -nmin 10 >"$T/responder.log" 2>&1 &
	pid=$!
	if wait_for "$T/responder.log" ACCEPT $pid; then BG_PIDS="$pid"; break; fi
	wait $pid 2>/dev/null
	pid=
done
[ -n "$pid" ] || fail "openssl ocsp responder did not start"

# ocsp_peer CERT: what openssl's own OCSP client says ("good", "revoked").
ocsp_peer() {
	openssl ocsp -issuer v/o-root.pem -cert "v/$1" -url "$URL" -CAfile v/o-root.pem 2>/dev/null |
		sed -n "s|^v/$1: ||p"
}

u 0 --json verify v/ocsp-good.pem --trust v/o-root.pem --level trusted --ocsp "$URL"
assert_eq "$(jq -r .accepted "$T/out")" true
assert_eq "$(jq -r '.checks[] | select(.check == "revocation") | .verdict' "$T/out")" pass
assert_match "$T/out" 'good \(nonce checked\)'
assert_eq "$(ocsp_peer ocsp-good.pem)" good "openssl ocsp on the good leaf"
ok "OCSP good, nonce echoed, openssl agrees"

u 1 --json verify v/ocsp-revoked.pem --trust v/o-root.pem --level trusted --ocsp "$URL"
assert_eq "$(jq -r .accepted "$T/out")" false
reason=$(jq -r .reason "$T/out")
case $reason in "revocation.ocsp-revoked: certificate [0] \"CN=ocsp-revoked.example.com\" (leaf): revoked on "*"(reason keyCompromise) according to OCSP $URL") ;;
*) fail "reason: $reason" ;; esac
assert_eq "$(ocsp_peer ocsp-revoked.pem)" revoked "openssl ocsp on the revoked leaf"
ok "OCSP revoked with its reason, openssl agrees"

u 1 verify v/ocsp-revoked.pem --trust v/o-root.pem --host ocsp-revoked.example.com --ocsp aia
assert_contains "$T/out" "REJECTED at level full: revocation"
u 0 verify v/ocsp-good.pem --trust v/o-root.pem --host ocsp-good.example.com --ocsp aia
assert_match "$T/out" "revocation pass OCSP $URL: good"
ok "OCSP responder taken from the AIA extension"

# Without an OCSP server defined, "trusted" does not check revocation (guide 3.12.2.3).
u 0 --json verify v/ocsp-revoked.pem --trust v/o-root.pem --level trusted
assert_eq "$(jq -r '.checks[] | select(.check == "revocation") | .verdict' "$T/out")" skip
ok "no OCSP server defined: revocation not checked, as on the phones"

# Answers recorded from the real responder and replayed by a plain HTTP server.
openssl ocsp -issuer v/o-root.pem -cert v/ocsp-good.pem -url "$URL" -no_nonce -noverify \
	-respout "$T/good-nonceless.der" >/dev/null 2>&1 || fail "recording an answer"
start_fixture http "$T/good-nonceless.der" application/ocsp-response
u 1 --json verify v/ocsp-revoked.pem --trust v/o-root.pem --level trusted \
	--ocsp "http://127.0.0.1:$FIX_PORT/"
assert_match "$T/out" 'is about another certificate \(nothing on serial [0-9A-F]+\)'
ok "OCSP answer about another certificate rejected"

openssl ocsp -issuer v/o-root.pem -cert v/ocsp-good.pem -url "$URL" -noverify \
	-respout "$T/good-nonce.der" >/dev/null 2>&1 || fail "recording an answer"
start_fixture http "$T/good-nonce.der" application/ocsp-response
u 1 --json verify v/ocsp-good.pem --trust v/o-root.pem --level trusted \
	--ocsp "http://127.0.0.1:$FIX_PORT/"
assert_match "$T/out" 'carries another nonce'
ok "replayed OCSP answer (someone else's nonce) rejected"

openssl ocsp -issuer v/o-root.pem -cert v/ocsp-good.pem -no_nonce -reqout "$T/req.der" \
	>/dev/null 2>&1 || fail "OCSP request"
openssl ocsp -index v/o/index.txt -rsigner v/selfsigned.pem -rkey v/selfsigned.key \
	-CA v/o-root.pem -reqin "$T/req.der" -respout "$T/rogue.der" >/dev/null 2>&1 ||
	fail "rogue answer"
start_fixture http "$T/rogue.der" application/ocsp-response
u 1 --json verify v/ocsp-good.pem --trust v/o-root.pem --level trusted \
	--ocsp "http://127.0.0.1:$FIX_PORT/"
assert_match "$T/out" 'is not signed by the CA or a responder it authorised'
openssl ocsp -respin "$T/rogue.der" -issuer v/o-root.pem -cert v/ocsp-good.pem \
	-CAfile v/o-root.pem >"$T/oout" 2>&1 && fail "openssl accepted the rogue answer"
assert_contains "$T/oout" "Response Verify Failure"
ok "OCSP answer from an unauthorised signer rejected, openssl agrees"

printf '<html><body>It works!</body></html>\n' >"$T/index.html"
start_fixture http "$T/index.html" "text/html; charset=utf-8"
u 2 verify v/ocsp-good.pem --trust v/o-root.pem --level trusted --ocsp "http://127.0.0.1:$FIX_PORT/"
assert_one_line_error
assert_contains "$T/err" "answered text/html, not an OCSP response (is this the OCSP URL?)"
assert_eq "$(wc -c <"$T/out")" 0 "output on error"
ok "OCSP URL answering HTML: one-line error, exit 2"

start_fixture close
u 2 verify v/ocsp-good.pem --trust v/o-root.pem --level trusted --ocsp "http://127.0.0.1:$FIX_PORT/"
assert_contains "$T/err" "the server closed the connection without answering"
assert_one_line_error
ok "OCSP URL that closes at once: one-line error, exit 2"

wait "$FIX_PID" 2>/dev/null # it served its one connection; now nothing listens there
u 2 verify v/ocsp-good.pem --trust v/o-root.pem --level trusted --ocsp "http://127.0.0.1:$FIX_PORT/"
assert_contains "$T/err" "127.0.0.1:$FIX_PORT: connection refused"
assert_one_line_error
ok "OCSP responder down: connection refused, exit 2"

# CRLs from the distribution point.
openssl crl -in v/o-crl.pem -outform DER -out "$T/o-crl.der"
start_fixture http "$T/o-crl.der" application/pkix-crl
mk_crldp_leaf "http://127.0.0.1:$FIX_PORT/o.crl" crldp
u 0 --json verify v/crldp.pem --trust v/o-root.pem --level trusted --fetch-crl
assert_eq "$(jq -r '.checks[] | select(.check == "revocation") | .detail' "$T/out")" \
	"CRL: 1 certificate checked, none revoked"
ok "CRL fetched from the distribution point"

wait "$FIX_PID" 2>/dev/null
u 2 verify v/crldp.pem --trust v/o-root.pem --level trusted --fetch-crl
assert_contains "$T/err" "cannot fetch the CRL: http://127.0.0.1:$FIX_PORT/o.crl: 127.0.0.1:$FIX_PORT: connection refused"
assert_one_line_error
ok "unreachable CRL distribution point: one-line error, exit 2"
done_testing
