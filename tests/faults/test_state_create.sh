#!/usr/bin/env bash
# Creating a state is all or nothing: two first commands in parallel on a
# fresh state both succeed (the second waits on DIR.lock and uses what the
# first created) or one fails with the lock message; the state is intact;
# a command that fails creates no state directory; the staging directory a
# killed creator left is removed by the next one.
. "$UCPKI_SRC/tests/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/deps.sh installs it)"

for i in $(seq 1 20); do
	d=par$i
	"$UCPKI" --state $d init >a.out 2>a.err & p1=$!
	"$UCPKI" --state $d init >b.out 2>b.err & p2=$!
	wait $p1; r1=$?
	wait $p2; r2=$?
	for r in "$r1:a" "$r2:b"; do
		case ${r%%:*} in
		0) ;;
		*) grep -q "is locked by pid" "${r#*:}.err" || { cat "${r#*:}.err"; fail "run $i: a creator failed without the lock message"; } ;;
		esac
	done
	[ "$r1" = 0 ] || [ "$r2" = 0 ] || fail "run $i: both creators failed"
	assert_eq "$(cat a.out b.out | grep -c '^initialised state in')" 1 "run $i: exactly one creator"
	assert_eq "$(cat a.err b.err | grep -c 'generated the state passphrase into')" 1 "run $i: one passphrase generated"
	grep -E "database is locked|disk I/O error" a.err b.err && fail "run $i: SQLite errors"
	assert_eq "$(ls -d $d.tmp-* 2>/dev/null | wc -l)" 0 "run $i: staging directory left"
	assert_eq "$(mode_of $d)" 700 "run $i: state dir mode"
	assert_eq "$(sqlite3 $d/ucpki.db "PRAGMA application_id; SELECT count(*) FROM meta WHERE key = 'passphrase_verifier'" | tr '\n' ' ')" \
		"1430474827 1 " "run $i: database"
	u 0 --state $d --pass-file $d/passphrase state check
	assert_contains "$T/out" "state check: ok (0 CAs, 0 certificates, 0 CRLs)"
done
ok "20 pairs of parallel first inits: one creates, the other waits and finds it"

# Parallel init + first CA on one fresh state: the second command sees the
# whole state or none.
for i in $(seq 1 10); do
	d=mix$i
	export UCPKI_PASSPHRASE="mix secret $i"
	"$UCPKI" --state $d init >a.out 2>a.err & p1=$!
	( "$UCPKI" --state $d init >/dev/null 2>&1 && "$UCPKI" --state $d pki create p >b.out 2>b.err ) & p2=$!
	wait $p1 || { cat a.err; fail "mix $i: init failed"; }
	wait $p2 || { cat b.err; fail "mix $i: init + pki create failed"; }
	assert_eq "$(sqlite3 $d/ucpki.db "SELECT name FROM pki")" p "mix $i: pki row"
	assert_no_file $d/passphrase
done
unset UCPKI_PASSPHRASE
ok "parallel init and init + pki create on a fresh state"

# A creator that cannot get the lock in time says who holds it and leaves nothing.
command -v flock >/dev/null || fail "flock(1) is missing"
flock held.lock sleep 3 & holder=$!
sleep 0.3
u 2 --state held init --lock-timeout 1
assert_contains "$T/err" "held is locked by"
assert_contains "$T/err" "(waited 1 s)"
assert_no_file held
u 2 --state held init --lock-timeout soon
assert_contains "$T/err" "--lock-timeout"
wait $holder
u 0 --state held init
assert_file held/ucpki.db
ok "a creator waiting too long for DIR.lock fails with the lock message and creates nothing"

# Failing commands create nothing.
u 2 --state f1 --pass-file missing.pass init
assert_contains "$T/err" "missing.pass"
u 2 --state f2 pki create acme
u 2 --state f3 ca create acme/root --subject "CN=x"
u 2 --state f4 issue --ca acme/root --subject CN=x --out-cert x.pem --out-key x.key
u 2 --state f5 init --bogus
u 2 --state f6 crl --ca acme/root --out c.pem
u 2 --state f7 state check
for d in f1 f2 f3 f4 f5 f6 f7; do
	assert_no_file $d
	assert_eq "$(ls -d $d.tmp-* 2>/dev/null | wc -l)" 0 "staging of $d left"
done
assert_no_file x.pem
ok "failing commands (bad passphrase file, unknown CA, bad option, no state) create no state"

# A killed creator's staging directory is removed by the next creator
# (also one killed before its marker); a directory of that shape holding
# other files, or of a live process, is not.
mkdir -p "k.tmp-999999-AbCdEf" "k.tmp-999998-XyZabc" "k.tmp-999997-NoMark" "k.tmp-$$-LiveOn"
: >"k.tmp-999999-AbCdEf/.ucpki-creating"
echo secret >"k.tmp-999999-AbCdEf/passphrase"
: >"k.tmp-999999-AbCdEf/ucpki.db"
echo mine >"k.tmp-999998-XyZabc/notes"
: >"k.tmp-$$-LiveOn/.ucpki-creating"
u 0 --state k init
assert_no_file "k.tmp-999999-AbCdEf"
assert_no_file "k.tmp-999997-NoMark"
assert_eq "$(cat k.tmp-999998-XyZabc/notes)" mine "a directory holding other files was emptied"
[ -d "k.tmp-$$-LiveOn" ] || fail "the staging directory of a live process was removed"
assert_file k/ucpki.db
ok "stale staging directories of dead processes are removed"

# Into an existing directory: empty, or holding other files (the database
# moves in last); a kill -9 during init leaves either no state or a whole one.
mkdir e1 && u 0 --state e1 init && assert_file e1/ucpki.db
mkdir e2 && echo keep >e2/notes && u 0 --state e2 init
assert_file e2/ucpki.db
assert_eq "$(cat e2/notes)" keep "other files kept"
RANDOM=${UCPKI_KILL_SEED:-99}
for i in $(seq 1 15); do
	d=kill$i
	"$UCPKI" --state $d init >/dev/null 2>&1 & p=$!
	sleep "$(printf '0.%03d' $((RANDOM % 200)))"
	kill -9 $p 2>/dev/null; wait $p 2>/dev/null
	if [ -e $d/ucpki.db ]; then
		u 0 --state $d --pass-file $d/passphrase state check
	else
		assert_no_file $d
	fi
	u 0 --state $d init
	assert_eq "$(ls -d $d.tmp-* 2>/dev/null | wc -l)" 0 "kill $i: staging left after the next init"
	u 0 --state $d --pass-file $d/passphrase state check
done
ok "init into existing directories; kill -9 during init leaves no half state"

done_testing
