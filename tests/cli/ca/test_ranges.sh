#!/usr/bin/env bash
# Numeric options: every one has a range; a value outside it is refused with
# exit 2 and one line naming the option, the value and the range, before
# anything is done. A value inside it (the bounds included) is taken, and an
# option not given keeps its default.
. "$UCPKI_SRC/tests/lib.sh"

new_state
u 0 pki create acme
u 0 ca create acme/root --subject "C=US, O=Acme, CN=Root" --key ec:p256
serials() { u 0 --json certs; python3 -c 'import json,sys; print(sorted(c["serial"] for c in json.load(open(sys.argv[1]))))' "$T/out"; }
before=$(serials)
mkdir "$T/w" && cd "$T/w" || exit 1

# expected message | arguments (one row per numeric option and bound)
while IFS='|' read -r want args; do
	[ -z "$want" ] && continue
	# shellcheck disable=SC2086 # the arguments are words
	u 2 $args
	assert_eq "$(cat "$T/err")" "$want" "ucpki $args"
	assert_one_line_error
	assert_eq "$(ls -A)" "" "files left by ucpki $args"
done <<'EOF'
ucpki issue: --days 0 is out of range (1..36500)|issue --ca acme/root --subject CN=a --days 0 --out-cert a.pem --out-key a.key
ucpki issue: --days 36501 is out of range (1..36500)|issue --ca acme/root --subject CN=a --days 36501 --out-cert a.pem --out-key a.key
ucpki issue: --days -5 is out of range (1..36500)|issue --ca acme/root --subject CN=a --days -5 --out-cert a.pem --out-key a.key
ucpki issue: --days needs a whole number (1..36500), not '9999999999'|issue --ca acme/root --subject CN=a --days 9999999999 --out-cert a.pem --out-key a.key
ucpki issue: --days needs a whole number (1..36500), not '30d'|issue --ca acme/root --subject CN=a --days=30d --out-cert a.pem --out-key a.key
ucpki sign: --days 0 is out of range (1..36500)|sign --ca acme/root --csr x.csr --days 0 --out-cert a.pem
ucpki ca create: --days 0 is out of range (1..36500)|ca create acme/sub --parent acme/root --subject CN=s --days 0
ucpki ca create: --pathlen -1 is out of range (0..16)|ca create acme/sub --parent acme/root --subject CN=s --pathlen -1
ucpki ca create: --pathlen 17 is out of range (0..16)|ca create acme/sub --parent acme/root --subject CN=s --pathlen 17
ucpki crl: --days 0 is out of range (1..3650)|crl --ca acme/root --days 0 --out crl.pem
ucpki certs: --expiring -1 is out of range (0..36500)|certs --expiring -1
ucpki lint: --version 3 is out of range (4..99)|lint x.pem --version 3
ucpki lint: --expiring 0 is out of range (1..36500)|lint x.pem --expiring 0
ucpki solution plan: --renew-within 0 is out of range (1..36500)|solution plan inv.yaml --renew-within 0
ucpki solution issue: --renew-within 0 is out of range (1..36500)|solution issue inv.yaml --renew-within 0
ucpki solution issue: --threads 0 is out of range (1..64)|solution issue inv.yaml --threads 0
ucpki solution issue: --threads 65 is out of range (1..64)|solution issue inv.yaml --threads 65
ucpki solution status: --expiring -1 is out of range (0..36500)|solution status inv.yaml --expiring -1
ucpki solution probe: --timeout-ms 0 is out of range (1..600000)|solution probe inv.yaml --timeout-ms 0
ucpki verify: --timeout 0 is out of range (1..600000)|verify x.pem --trust y.pem --timeout 0
ucpki probe: --timeout 0 is out of range (1..600000)|probe 127.0.0.1:1 --timeout 0
ucpki probe: --connect-timeout 0 is out of range (1..600000)|probe 127.0.0.1:1 --connect-timeout 0
ucpki probe serve: --port 65536 is out of range (0..65535)|probe serve --cert x.pem --port 65536
ucpki probe serve: --count 0 is out of range (1..1000000)|probe serve --cert x.pem --count 0
ucpki certs: --lock-timeout 86401 is out of range (0..86400)|certs --lock-timeout 86401
EOF
assert_eq "$(serials)" "$before" "no certificate issued by a refused command"
ok "out-of-range and malformed numbers are refused naming option, value and range"

# The bounds themselves are accepted; pathlen 0 differs from no pathlen.
u 0 ca create acme/leafca --parent acme/root --subject "C=US, O=Acme, CN=Leaf CA" --key ec:p256 \
	--pathlen 0 --days 1
u 0 ca create acme/open --parent acme/root --subject "C=US, O=Acme, CN=Open CA" --key ec:p256
u 0 --json ca list
python3 - "$T/out" <<'PY' || fail "ca list"
import json, sys
cas = {c["ca"]: c for c in json.load(open(sys.argv[1]))}
assert cas["acme/leafca"]["pathlen"] == 0, cas["acme/leafca"]
assert cas["acme/open"]["pathlen"] is None, cas["acme/open"]
PY
u 0 --json issue --ca acme/root --subject "CN=a.example" --key ec:p256 --days 1 \
	--out-cert a.pem --out-key a.key
python3 - "$T/out" <<'PY' || fail "--days 1"
import json, sys
from datetime import datetime
o = json.load(open(sys.argv[1]))
f = "%Y-%m-%dT%H:%M:%SZ"
d = datetime.strptime(o["not_after"], f) - datetime.strptime(o["not_before"], f)
assert abs(d.total_seconds() - 86400) <= 3600, d
PY
u 0 certs --expiring 0
u 0 crl --ca acme/root --days 3650 --out crl.pem
assert_file crl.pem
ok "bounds accepted; --pathlen 0 is kept apart from no --pathlen"

u 0 issue --help
assert_contains "$T/out" "validity (default 1825) [1..36500]"
ok "--help shows each numeric option's range"
done_testing
