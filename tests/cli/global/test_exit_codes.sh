#!/usr/bin/env bash
# Exit status of the reporting commands (docs/options.md, "Exit status"):
# 1 when the report finds what it reports as a problem, 0 when it finds
# none, 2 for usage and input errors.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/lib_formats.sh"
make_pki

# --- certs --expiring DAYS ------------------------------------------------------
u 0 certs --expiring 30
assert_not_contains "$T/out" "soon.example"
u 0 --quiet issue --ca acme/sub --subject CN=soon.example --days 10 --out-cert soon.pem --out-key soon.key
u 1 certs --expiring 30
assert_contains "$T/out" "CN=soon.example"
assert_not_contains "$T/out" "srv.acme.example"
u 1 --json certs --expiring 30
assert_eq "$(jq -r '[.[] | .subject] | join(",")' "$T/out")" "CN=soon.example" "the expiring certificates"
u 0 certs --expiring 5
assert_not_contains "$T/out" "soon.example"
u 0 certs
assert_contains "$T/out" "CN=soon.example"
u 2 certs --expiring soon
assert_one_line_error
assert_contains "$T/err" "--expiring needs a whole number"
ok "certs --expiring: 1 with a match (listed), 0 without one, 0 without --expiring, 2 for a bad value"

# --- state check ---------------------------------------------------------------
u 0 state check
# a certificate whose files never reached anyone is a problem it reports
serial=$(jq -r '.serial | ascii_upcase' <("$UCPKI" --json --quiet issue --ca acme/sub --subject CN=lost.example \
	--out-cert lost.pem --out-key lost.key))
sqlite3 "$UCPKI_STATE/ucpki.db" "UPDATE cert SET delivery = 'pending' WHERE serial = '$serial'"
u 1 state check
assert_contains "$T/out" "$serial"
u 2 state check extra
assert_one_line_error
ok "state check: 0 when clean, 1 with a problem (named), 2 for bad usage"

# --- lint ----------------------------------------------------------------------
u 0 lint srv.pem
assert_contains "$T/out" "0 errors"
u 0 --quiet issue --ca acme/sub --subject CN=weak.example --hash sha1 --key-spec rsa:1024 \
	--out-cert weak.pem --out-key weak.key
u 1 lint weak.pem --profile asc
assert_match "$T/out" "^[1-9][0-9]* errors?,"
u 2 lint
assert_one_line_error
u 2 lint missing.pem
assert_one_line_error
ok "lint: 0 without error-level findings, 1 with one, 2 for usage and unreadable files"

# --- match and verify (checks) ---------------------------------------------------
u 0 match srv.pem srvkey.pem
u 1 match srv.pem eckey.pem
u 0 verify srv.pem --chain sub.pem --trust root.pem --host srv.acme.example
u 1 verify srv.pem --chain sub.pem --trust root.pem --host other.example
ok "match and verify: 1 when the check fails"
done_testing
