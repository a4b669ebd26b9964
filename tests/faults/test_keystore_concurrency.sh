# Concurrent and interrupted keystore edits: parallel import-ca runs into
# one JKS and one PKCS#12 keep every entry (checked with keytool), a second
# writer that may not wait fails naming the lock holder, and a writer killed
# at a random point leaves either the old or the new store and no
# temporary file once the next run is done. Bounded in time: the whole
# test stays under 90 s (keytool, a JVM start each time, is checked on a
# sample of the runs and on every run that looks wrong).
. "$UCPKI_SRC/tests/lib.sh"
command -v keytool >/dev/null || { echo "1..0 # SKIP keytool not installed"; exit 0; }
command -v flock >/dev/null || { echo "1..0 # SKIP flock not installed"; exit 0; }

printf 'changeit\n' >pw
RANDOM=${UCPKI_TEST_SEED:-4242}
echo "# seed ${UCPKI_TEST_SEED:-4242}"
for i in 1 2 3 4; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
		-out ca$i.pem -subj "/CN=Concurrency CA $i" -days 30 2>/dev/null || fail "openssl req"
done

# Aliases keytool lists, sorted, one line (alias is the text before the
# first comma of an entry line).
keytool_aliases() {
	keytool -list -keystore "$1" -storepass changeit >"$T/kt" 2>&1 ||
		{ cat "$T/kt"; fail "keytool cannot open $1"; }
	grep -E ', (trustedCertEntry|PrivateKeyEntry|SecretKeyEntry),' "$T/kt" | cut -d, -f1 |
		tr 'A-Z' 'a-z' | sort | tr '\n' ' '
}
# The same through ucpki's JSON listing (fast; every run is checked).
ucpki_aliases() {
	"$UCPKI" --json keystore list "$1" --storepass-file pw >"$T/ul" 2>"$T/ule" ||
		{ cat "$T/ule"; fail "ucpki cannot list $1"; }
	jq -r '.entries[].alias' "$T/ul" | tr 'A-Z' 'a-z' | sort | tr '\n' ' '
}

# --- parallel writers ------------------------------------------------------
for store in par.jks par.p12; do
	for n in 2 4; do
		want=$(for i in $(seq "$n"); do echo "ca$i"; done | sort | tr '\n' ' ')
		for run in $(seq 20); do
			rm -f "$store" "$store.bak"
			pids=()
			for i in $(seq "$n"); do
				"$UCPKI" --quiet keystore import-ca "$store" --alias "ca$i" --file "ca$i.pem" \
					--storepass-file pw 2>"$T/err$i" &
				pids+=($!)
			done
			for i in $(seq "$n"); do
				wait "${pids[$((i - 1))]}" || { cat "$T/err$i"; fail "$store run $run: writer $i failed"; }
			done
			got=$(ucpki_aliases "$store")
			[ "$got" = "$want" ] || fail "$store, $n writers, run $run: entries '$got', expected '$want'"
			if [ $((run % 5)) = 0 ]; then
				got=$(keytool_aliases "$store")
				[ "$got" = "$want" ] || fail "$store, $n writers, run $run: keytool lists '$got', expected '$want'"
			fi
		done
		ok "$store: $n parallel import-ca runs, 20 times: every entry kept (ucpki each run, keytool every 5th)"
	done
	# no temporary left behind by any of them
	ls "$store".tmp* >/dev/null 2>&1 && fail "temporary files left: $(ls "$store".tmp*)"
done

# --- a writer that may not wait ----------------------------------------------
u 0 --quiet keystore import-ca held.jks --alias ca1 --file ca1.pem --storepass-file pw
cp held.jks before
# hold the lock as ucpki does: flock on STORE.lock, the holder's pid inside
flock held.jks.lock sh -c 'echo $$ >held.jks.lock; echo $$ >holder.pid; sleep 3' &
holder=$!
for _ in $(seq 50); do [ -s holder.pid ] && break; sleep 0.1; done
hpid=$(cat holder.pid)
u 2 --lock-timeout 0 keystore import-ca held.jks --alias ca2 --file ca2.pem --storepass-file pw
assert_one_line_error
assert_contains "$T/err" "held.jks is locked by pid $hpid (waited 0 s)"
cmp -s held.jks before || fail "held.jks changed by a writer that did not get the lock"
u 2 --lock-timeout 0 keystore delete held.jks --alias ca1 --storepass-file pw
assert_contains "$T/err" "locked by pid $hpid"
u 2 --lock-timeout 0 keystore passwd held.jks --storepass-file pw --new-pass-file pw
assert_contains "$T/err" "locked by pid $hpid"
# with a wait longer than the holder's, the writer goes through afterwards
u 0 --lock-timeout 20 keystore import-ca held.jks --alias ca2 --file ca2.pem --storepass-file pw
wait "$holder"
assert_eq "$(keytool_aliases held.jks)" "ca1 ca2 " "held.jks after the lock was freed"
ok "a second writer with --lock-timeout 0 fails naming the holder's pid; a patient one waits"

# --- writers killed at random points -------------------------------------------
# Each run starts from the store of the previous one and imports one more
# CA; a kill -9 somewhere in it must leave the old or the new entry set.
ms_now() { date +%s%N | cut -c1-13; }
kills=0 landed=0
for store in kill.jks kill.p12; do
	rm -f "$store"*
	u 0 --quiet keystore import-ca "$store" --alias base --file ca1.pem --storepass-file pw
	# how long one run takes here, to spread the kills over it
	t0=$(ms_now)
	u 0 --quiet keystore import-ca "$store" --alias timing --file ca2.pem --storepass-file pw
	span=$(($(ms_now) - t0 + 5))
	for run in $(seq 16); do
		[ $SECONDS -lt 75 ] || break
		old=$(ucpki_aliases "$store")
		new=$(printf '%s\n' $old "k$run" | sort | tr '\n' ' ')
		delay=$((RANDOM % span))
		"$UCPKI" --quiet keystore import-ca "$store" --alias "k$run" --file "ca$((run % 4 + 1)).pem" \
			--storepass-file pw 2>/dev/null &
		victim=$!
		sleep "$(printf '0.%03d' "$delay")"
		kill -9 "$victim" 2>/dev/null && landed=$((landed + 1))
		wait "$victim" 2>/dev/null
		kills=$((kills + 1))
		got=$(ucpki_aliases "$store")
		[ "$got" = "$old" ] || [ "$got" = "$new" ] ||
			fail "$store run $run (kill after ${delay} ms): entries '$got', neither '$old' nor '$new'"
		if [ $((run % 4)) = 0 ]; then
			kt=$(keytool_aliases "$store")
			[ "$kt" = "$got" ] || fail "$store run $run: keytool lists '$kt', ucpki '$got'"
		fi
		# the next writer clears whatever temporary the killed one left
		u 0 --quiet keystore import-ca "$store" --alias "n$run" --file ca3.pem --storepass-file pw
		ls "$store".tmp* >/dev/null 2>&1 && fail "$store run $run: temporary left: $(ls "$store".tmp*)"
	done
	assert_eq "$(keytool_aliases "$store")" "$(ucpki_aliases "$store")" "$store: keytool and ucpki agree"
done
[ "$kills" -ge 30 ] || fail "only $kills kill runs fitted in the time budget"
echo "# $kills kill runs, $landed killed before they ended"
ok "kill -9 at random points of import-ca ($kills runs): old or new entry set, keytool opens the store"

# a temporary as a killed writer leaves it (the store written, not yet
# renamed) goes with the next run; other files beside it stay
cp kill.jks kill.jks.tmpAb12Cd
printf 'keep me\n' >kill.jks.tmp-notes
u 0 --quiet keystore import-ca kill.jks --alias last --file ca4.pem --storepass-file pw
assert_no_file kill.jks.tmpAb12Cd
assert_file kill.jks.tmp-notes
ok "a stale temporary of the store is removed by the next writer, nothing else"

echo "# ${SECONDS} s"
[ $SECONDS -lt 90 ] || fail "took ${SECONDS} s, more than the 90 s budget"
done_testing
