#!/usr/bin/env bash
# ucpki verify on bad input: each case a one-line error naming the file or
# option and the problem, exit 2, nothing on stdout.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/verify/pki.sh"

mkdir -p v
mk_ucpki_pki
head -c 700 v/good.pem >v/truncated.pem
printf 'this is not a certificate\n\x01\x02garbage\n' >v/garbage.pem
head -c 300 /dev/urandom >v/random.bin
: >v/empty.pem
cp v/good.key v/only-key.pem
cat v/good.pem v/wild.key >v/mismatch-bundle.pem

# bad CASE STATUS-TEXT args...: exit 2, one line on stderr holding TEXT, no stdout
bad() {
	local name=$1 text=$2; shift 2
	u 2 "$@"
	assert_one_line_error
	assert_contains "$T/err" "$text"
	assert_eq "$(wc -c <"$T/out")" 0 "$name: stdout"
	ok "$name"
}

bad "garbage trust file" "v/garbage.pem:" verify v/good.pem --chain v/u-sub.pem --trust v/garbage.pem
bad "random bytes as trust file" "v/random.bin:" verify v/good.pem --trust v/random.bin
bad "empty trust file" "v/empty.pem:" verify v/good.pem --trust v/empty.pem
bad "trust file with only a key" "v/only-key.pem: no certificate in this trust file" \
	verify v/good.pem --trust v/only-key.pem
bad "chain file with only a key" "v/only-key.pem: no certificate in this chain file (only a private key)" \
	verify v/good.pem --chain v/only-key.pem --trust v/u-root.pem
bad "certificate file with only a key" "v/only-key.pem: no certificate in this file (only a private key)" \
	verify v/only-key.pem --trust v/u-root.pem
bad "truncated certificate" "v/truncated.pem" verify v/truncated.pem --trust v/u-root.pem
bad "missing certificate file" "v/nope.pem" verify v/nope.pem --trust v/u-root.pem
bad "bundle whose key matches no certificate" \
	"v/mismatch-bundle.pem: the private key in this bundle belongs to none of its certificates" \
	verify v/mismatch-bundle.pem --trust v/u-root.pem
# level full without a name: judged, the identity reported as not checked, and a warning
u 0 --json verify v/good.pem --chain v/u-sub.pem --trust v/u-root.pem --level full
assert_eq "$(jq -r '.checks[] | select(.check == "identity") | .verdict' "$T/out")" skip "identity"
assert_contains "$T/err" "warning: level full without --host or --ip: the identity is not checked"
ok "level full without --host or --ip: identity skipped, said on stderr"
bad "level trusted without --trust" "level trusted needs the CA certificates the device has loaded (a trust file)" \
	verify v/good.pem --chain v/u-sub.pem
bad "unknown level" "unknown level 'paranoid' (none, trusted, full or webpki)" \
	verify v/good.pem --trust v/u-root.pem --level paranoid
bad "max depth out of range" "--max-depth" verify v/good.pem --trust v/u-root.pem --max-depth 101
bad "unknown key usage" "unknown key usage 'signEverything'" \
	verify v/good.pem --trust v/u-root.pem --key-usage digitalSignature,signEverything
bad "--strict and --level" "--strict is --level webpki" \
	verify v/good.pem --trust v/u-root.pem --strict --level full
bad "--batch with certificates" "--batch reads the certificates from its file" \
	verify v/good.pem --trust v/u-root.pem --batch v/list.txt
bad "--batch file missing" "v/no-such-list.txt: cannot open" \
	verify --trust v/u-root.pem --batch v/no-such-list.txt
bad "bad --at" "bad time 'yesterday'" verify v/good.pem --trust v/u-root.pem --at yesterday
bad "bad --ip" "'300.1.1.1' is not an IPv4 or IPv6 address" \
	verify v/good.pem --chain v/u-sub.pem --trust v/u-root.pem --ip 300.1.1.1
bad "bad --host" "host 'bad_host!' is not a DNS name" \
	verify v/good.pem --chain v/u-sub.pem --trust v/u-root.pem --host 'bad_host!'
bad "unknown purpose" "unknown purpose 'email'" verify v/good.pem --trust v/u-root.pem --purpose email
bad "CRL file without a CRL" "v/u-root.pem: no CRL in this file" \
	verify v/good.pem --chain v/u-sub.pem --trust v/u-root.pem --crl v/u-root.pem
bad "https OCSP URL" "only http:// URLs are fetched" \
	verify v/good.pem --chain v/u-sub.pem --trust v/u-root.pem --ocsp https://127.0.0.1/
bad "no certificate at all" "no certificate given" verify --trust v/u-root.pem

# several certificates: one bad file stops everything before any verdict is printed
bad "bad file among several" "v/garbage.pem" verify v/good.pem v/garbage.pem --chain v/u-sub.pem \
	--trust v/u-root.pem

# a rejection is exit 1, not 2, and is printed on stdout as a verdict
u 1 verify v/good.pem --trust v/u-root.pem
assert_contains "$T/out" "REJECTED at level trusted: chain."
assert_eq "$(wc -c <"$T/err")" 0
ok "a rejection is a verdict: exit 1, stdout"

# several certificates at once, from arguments and --from
printf 'v/wild.pem\nv/cnonly.pem\n' >"$T/list"
u 0 --json verify v/good.pem --from "$T/list" --chain v/u-sub.pem --trust v/u-root.pem
assert_eq "$(jq -r '.count, .rejected, .accepted, (.results | length)' "$T/out" | tr '\n' ' ')" "3 0 true 3 "
u 1 verify v/good.pem v/revoked.pem --chain v/u-sub.pem --trust v/u-root.pem --crl v/u-crl.pem
assert_contains "$T/out" "2 certificates, 1 accepted, 1 rejected"
assert_contains "$T/out" "v/revoked.pem: REJECTED at level trusted: revocation.revoked:"
ok "several certificates: summary and per-file verdicts"

# --batch: file names and base64 DER lines, each judged as it comes; an
# unreadable line is reported and the batch goes on (exit 2 at the end)
{
	echo v/good.pem sip.example.com
	openssl x509 -in v/revoked.pem -outform der | base64 -w0; echo
	echo "MIIbroken$(printf 'A%.0s' $(seq 1 80))"
	echo v/nope.pem
} >v/list.txt
u 2 verify --level full --trust v/u-root.pem --chain v/u-sub.pem --crl v/u-crl.pem --batch v/list.txt
assert_match "$T/out" '^v/good.pem: accepted at level full$'
assert_match "$T/out" '^MII[A-Za-z0-9+/=]+: REJECTED at level full: revocation.revoked:'
assert_contains "$T/out" "not a base64 DER certificate"
assert_match "$T/out" '^v/nope.pem: ERROR '
assert_contains "$T/out" "4 certificates, 1 accepted, 1 rejected, 2 unreadable"
u 2 --json verify --trust v/u-root.pem --chain v/u-sub.pem --crl v/u-crl.pem --batch v/list.txt
assert_eq "$(jq -sr 'map(if has("accepted") then (.accepted | tostring) else "error" end) | join(" ")' "$T/out")" "true false error error"
ok "--batch: file and base64 DER lines, one verdict each, unreadable lines reported"
done_testing
