#!/usr/bin/env bash
# kill -9 at random points (seeded; UCPKI_KILL_SEED to replay) of
# `ucpki issue` and of `ucpki revoke` + `ucpki crl`. After each kill:
# state check passes or reports only certificates issued but never
# delivered, no serial is recorded twice, every certificate noted as
# written is in its file, the next run removes the key temporaries the
# killed one left, and CRL numbers stay consecutive (a killed crl consumes
# no number). A failed crl consumes no number either.
. "$UCPKI_SRC/tests/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/deps.sh installs it)"
seed=${UCPKI_KILL_SEED:-4711}
RANDOM=$seed
echo "# seed $seed"
runs=${UCPKI_KILL_RUNS:-30}

new_state
u 0 pki create acme
u 0 ca create acme/root --subject "CN=Kill Root" --key ec:p256
mkdir files

# Start a command, kill -9 it after 0..max_ms milliseconds.
kill_after() {
	local max_ms=$1; shift
	local ms=$((RANDOM % max_ms))
	"$UCPKI" "$@" >/dev/null 2>&1 &
	local pid=$!
	sleep "$(printf '0.%03d' "$ms")"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# state check passes, or reports only undelivered certificates.
check_state() {
	"$UCPKI" state check >"$T/check" 2>&1
	local rc=$?
	if [ $rc -ne 0 ]; then
		[ $rc -eq 1 ] || { cat "$T/check"; fail "state check exited $rc after $1"; }
		if grep -v "issued but never delivered" "$T/check" | grep -qv "^state check: "; then
			cat "$T/check"; fail "state check found more than undelivered certificates after $1"
		fi
	fi
	assert_eq "$(sqlite3 state/ucpki.db "SELECT count(*) FROM (SELECT ca_id, upper(serial) FROM cert GROUP BY 1, 2 HAVING count(*) > 1)")" \
		0 "duplicated serials after $1"
}

killed_undelivered=0
stale=0
for i in $(seq 1 "$runs"); do
	kill_after 300 issue --ca acme/root --subject "CN=k$i" --key ec:p256 --force \
		--out-cert files/k.pem --out-key files/k.key
	[ -n "$(ls files | grep '\.tmp-')" ] && stale=$((stale + 1))
	check_state "killed issue $i"
	# The next run in the same directory removes what the killed one left.
	u 0 issue --ca acme/root --subject "CN=n$i" --key ec:p256 --force \
		--out-cert files/n.pem --out-key files/n.key
	left=$(ls files | grep -c '\.tmp-' || true)
	[ "$left" = 0 ] || { ls -la files; fail "temporaries left after the run following killed issue $i"; }
	# What the state says was written is what the files hold.
	serial=$(openssl x509 -in files/n.pem -noout -serial | cut -d= -f2)
	assert_eq "$(sqlite3 state/ucpki.db "SELECT count(*) FROM cert WHERE serial = '$serial' AND delivery LIKE 'written: %/files/n.pem, %/files/n.key'")" \
		1 "delivery of $serial"
	openssl pkey -in files/n.key -pubout 2>/dev/null | cmp -s - <(openssl x509 -in files/n.pem -noout -pubkey) ||
		fail "files/n.key does not belong to files/n.pem"
done
killed_undelivered=$(sqlite3 state/ucpki.db "SELECT count(*) FROM cert WHERE delivery = 'pending'")
echo "# $killed_undelivered of $runs killed issues left an undelivered certificate, $stale left temporaries"
# Undelivered rows name the certificate to revoke; revoking them keeps them reported
# (the certificate still never reached anyone), and the state stays consistent.
if [ "$killed_undelivered" -gt 0 ]; then
	u 1 state check
	assert_contains "$T/out" "issued but never delivered"
	assert_contains "$T/out" "ucpki revoke --ca acme/root"
fi
ok "$runs kill -9 of issue: state consistent, no duplicate serial, no temporary left by the next run"

# A failed crl consumes no CRL number.
u 0 crl --ca acme/root --out crl.pem
n0=$(openssl crl -in crl.pem -noout -crlnumber | cut -d= -f2)
u 2 crl --ca acme/root --out nodir/crl.pem
echo wrong >wrong.pass
u 2 --pass-file wrong.pass crl --ca acme/root --out crl-w.pem
assert_contains "$T/err" "wrong passphrase"
u 2 crl --ca acme/root --out crl.pem
assert_contains "$T/err" "already exists"
u 0 crl --ca acme/root --out crl.pem --force
n1=$(openssl crl -in crl.pem -noout -crlnumber | cut -d= -f2)
assert_eq "$((n1))" "$((n0 + 1))" "CRL number after failed crls"
ok "failed crl (unwritable directory, wrong passphrase, existing file) consumes no CRL number"

# revoke + crl killed at random points.
serials=($(sqlite3 state/ucpki.db "SELECT serial FROM cert WHERE status = 0 AND subject LIKE 'CN=n%' ORDER BY id"))
for i in $(seq 1 "$runs"); do
	s=${serials[$((i - 1))]}
	kill_after 250 revoke --ca acme/root "$s"
	kill_after 250 crl --ca acme/root --out files/crl.pem --force
	check_state "killed revoke/crl $i"
	# CRL numbers are consecutive and the counter is where the last CRL is.
	assert_eq "$(sqlite3 state/ucpki.db "SELECT count(*) = max(number) AND max(number) = (SELECT crl_number FROM ca WHERE name = 'root') FROM crl")" \
		1 "CRL numbers consecutive after kill $i"
	ls files | grep -q '\.tmp-' && {
		# a killed crl may leave its temporary; the next write removes it
		u 0 crl --ca acme/root --out files/crl.pem --force
		ls files | grep -q '\.tmp-' && fail "CRL temporary left after the next run ($i)"
	}
	if [ -s files/crl.pem ]; then
		num=$(openssl crl -in files/crl.pem -noout -crlnumber | cut -d= -f2)
		assert_eq "$(sqlite3 state/ucpki.db "SELECT count(*) FROM crl WHERE number = $((num))")" 1 \
			"the CRL file's number $num is recorded"
	fi
done
# A final CRL lists every revoked certificate, numbered one past the last.
last=$(sqlite3 state/ucpki.db "SELECT max(number) FROM crl")
u 0 crl --ca acme/root --out final.pem
openssl crl -in final.pem -noout -text >final.txt
assert_eq "$(($(openssl crl -in final.pem -noout -crlnumber | cut -d= -f2)))" "$((last + 1))" "final CRL number"
for s in $(sqlite3 state/ucpki.db "SELECT serial FROM cert WHERE status = 1"); do
	assert_contains final.txt "Serial Number: $s"
done
check_state "final crl"
ok "$runs kill -9 of revoke + crl: CRL numbers consecutive, state consistent"

[ $SECONDS -le 90 ] || echo "# note: took $SECONDS s (meant to stay near 60 s)"
done_testing
