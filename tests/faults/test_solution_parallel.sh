#!/usr/bin/env bash
# Two solution issue runs at once on a fresh state: both succeed (the
# second uses the CAs the first made) or the second fails with the lock
# message; never both, never a second PKI, never a broken state. Runs on
# the same output tree take turns.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/faults/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'
RUNS=${UCPKI_FAULT_RUNS:-10}
phones_inventory parallel 20 "$T/inv.yaml"

both=0
for run in $(seq 1 "$RUNS"); do
	st=$T/state-$run
	"$UCPKI" --state "$st" solution issue "$T/inv.yaml" --out "$T/a-$run" >"$T/a.out" 2>"$T/a.err" &
	pa=$!
	"$UCPKI" --state "$st" solution issue "$T/inv.yaml" --out "$T/b-$run" >"$T/b.out" 2>"$T/b.err" &
	pb=$!
	ra=0 rb=0
	wait $pa || ra=$?
	wait $pb || rb=$?
	[ $ra -eq 0 ] || [ $rb -eq 0 ] || { cat "$T/a.err" "$T/b.err"; fail "run $run: both failed"; }
	for r in a b; do
		if [ "$([ $r = a ] && echo $ra || echo $rb)" -ne 0 ]; then
			grep -q 'locked by' "$T/$r.err" || { cat "$T/$r.err"; fail "run $run: $r failed without the lock message"; }
		fi
	done
	[ $ra -eq 0 ] && [ $rb -eq 0 ] && both=$((both + 1))
	"$UCPKI" --state "$st" --json ca list >"$T/cas.json" || fail "run $run: ca list"
	assert_eq "$(jq -r '[.[] | .pki + "/" + .name] | sort | join(",")' "$T/cas.json")" "acme/issuing,acme/root" "run $run: one PKI with its two CAs"
	python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("pragma integrity_check").fetchone()[0]; sys.exit(0 if r=="ok" else r)' "$st/ucpki.db" ||
		fail "run $run: integrity_check"
done
echo "# $RUNS runs: both succeeded in $both"
ok "parallel solution issue on a fresh state ($RUNS runs): one PKI, both succeed or one waits for the lock"

# the same output: the runs take turns (the second waits for the first)
st=$T/state-same
"$UCPKI" --state "$st" --quiet solution issue "$T/inv.yaml" --out "$T/same" >/dev/null 2>"$T/a.err" &
pa=$!
"$UCPKI" --state "$st" --quiet solution issue "$T/inv.yaml" --out "$T/same" --renew >/dev/null 2>"$T/b.err" &
pb=$!
wait $pa || { cat "$T/a.err"; fail "first run on one tree"; }
wait $pb || { cat "$T/b.err"; fail "second run on one tree"; }
[ -z "$(find "$T" -maxdepth 1 -name '.same.tmp-*')" ] || fail "staging left"
ok "two runs on one output tree take turns"
done_testing
