#!/usr/bin/env bash
# solution issue killed with SIGKILL at random points (seeded, bounded):
# after the next run no staging directory is left (they hold keys), the
# output tree is whole (every file matches manifest.json's SHA-256), every
# node has exactly one certificate of its own in the state (a run killed
# after its commit is delivered by the next one, not issued again) and
# the database passes SQLite's integrity check.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/faults/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'
RUNS=${UCPKI_FAULT_RUNS:-30}
RANDOM=${UCPKI_FAULT_SEED:-4242}
NODES=300

# 300 phones of one site, EC keys (quick to make), PKCS#12 with keys.
phones_inventory faults $NODES "$T/inv.yaml"

out=$T/deploy
state=$T/state
sol() { "$UCPKI" --state "$state" --quiet "$@"; }

# every file of the tree is the one the manifest names (old or new, never mixed)
tree_whole() {
	python3 - "$out" <<'P' || fail "the output tree does not match its manifest"
import hashlib, json, os, sys
out = sys.argv[1]
m = json.load(open(os.path.join(out, "manifest.json")))
listed = set()
for n in m["nodes"]:
    for f in n.get("files", []):
        p = os.path.join(out, f["path"])
        listed.add(os.path.normpath(p))
        h = hashlib.sha256(open(p, "rb").read()).hexdigest()
        if h != f["sha256"].lower():
            sys.exit("%s: sha256 differs from the manifest" % f["path"])
P
}
# no node issued twice: each node's certificate in the tree is the newest
# the state holds for it, and a run adds at most one per node
one_cert_per_node() { # EXPECTED_MAX_PER_NODE
	python3 - "$state/ucpki.db" "$out/manifest.json" "$1" <<'P' || fail "a node was issued twice"
import json, sqlite3, sys, collections
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select id, serial, subject from cert where subject like '%phone-%'").fetchall()
newest, count = {}, collections.Counter()
for i, serial, subject in rows:
    count[subject] += 1
    if subject not in newest or i > newest[subject][0]:
        newest[subject] = (i, serial)
m = json.load(open(sys.argv[2]))
for n in m["nodes"]:
    subj = [s for s in newest if s.endswith("CN=%s.acme.example" % n["name"])]
    if len(subj) != 1:
        sys.exit("%s: %d subjects in the state" % (n["name"], len(subj)))
    if newest[subj[0]][1] != n["serial"]:
        sys.exit("%s: the tree has %s, but the state's newest is %s (issued again)" % (n["name"], n["serial"], newest[subj[0]][1]))
over = [s for s, k in count.items() if k > int(sys.argv[3])]
if over:
    sys.exit("%d certificates for %s, at most %s expected" % (count[over[0]], over[0], sys.argv[3]))
P
}
db_ok() {
	python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("pragma integrity_check").fetchone()[0]; sys.exit(0 if r=="ok" else r)' \
		"$state/ucpki.db" || fail "integrity_check failed"
}
no_staging() {
	local left
	left=$(find "$T" -maxdepth 1 -name '.deploy.tmp-*' | head -n 3)
	[ -z "$left" ] || fail "staging directories left: $left"
}

start=$(date +%s)
delivered=0 removed=0 renews=0
for run in $(seq 1 "$RUNS"); do
	# half the runs renew every node (a full rewrite), half start from an edit
	args=()
	[ $((run % 2)) -eq 0 ] && { args=(--renew); renews=$((renews + 1)); }
	"$UCPKI" --state "$state" --quiet solution issue "$T/inv.yaml" --out "$out" "${args[@]}" \
		>/dev/null 2>"$T/kill.err" &
	pid=$!
	# a random point inside a run: 0 to ~1.5 s
	sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
	[ $((RANDOM % 4)) -eq 0 ] && sleep 0.7
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# the next run cleans up (or delivers) and completes
	"$UCPKI" --state "$state" solution issue "$T/inv.yaml" --out "$out" >"$T/next.out" 2>"$T/next.err" ||
		{ cat "$T/next.err"; fail "run $run: the run after the kill failed"; }
	grep -q 'delivered the output of an interrupted run' "$T/next.err" && delivered=$((delivered + 1))
	grep -q 'left by an interrupted run' "$T/next.err" && removed=$((removed + 1))
	no_staging
	tree_whole
	one_cert_per_node $((renews + 1))
	db_ok
	[ $(($(date +%s) - start)) -lt 240 ] || { echo "# stopping after $run runs (time bound)"; break; }
done
echo "# $run kills: $removed staging directories removed, $delivered interrupted runs delivered"
[ "$removed" -gt 0 ] || fail "no kill landed inside a run: the test did not test anything"
ok "$run kills of solution issue ($NODES nodes): no staging left, tree whole, one certificate per node, database intact"

# the window between the state's commit and the move into place: a sealed
# staging directory whose certificates the state recorded, left by a dead
# process, is delivered by the next run instead of issuing again
"$UCPKI" --state "$state" --quiet solution issue "$T/inv.yaml" --out "$T/other" --renew >/dev/null 2>&1 ||
	fail "issue into a second tree"
mv "$T/other" "$T/.deploy.tmp-crash01"
echo "999999 1" >"$T/.deploy.tmp-crash01/.ucpki-stage"
echo sealed >"$T/.deploy.tmp-crash01/.ucpki-sealed"
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nodes"][0]["serial"])' "$T/.deploy.tmp-crash01/manifest.json")
"$UCPKI" --state "$state" solution issue "$T/inv.yaml" --out "$out" >"$T/next.out" 2>"$T/next.err" || { cat "$T/next.err"; fail "delivery run"; }
assert_contains "$T/next.err" "delivered the output of an interrupted run"
got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nodes"][0]["serial"])' "$out/manifest.json")
assert_eq "$got" "$want" "the delivered tree is the interrupted run's"
assert_no_file "$out/.ucpki-sealed"
no_staging
tree_whole
one_cert_per_node $((renews + 2))
# the same directory unsealed (killed before its commit) is removed, not delivered
"$UCPKI" --state "$state" --quiet solution issue "$T/inv.yaml" --out "$T/other" --renew >/dev/null 2>&1
mv "$T/other" "$T/.deploy.tmp-crash02"
echo "999999 1" >"$T/.deploy.tmp-crash02/.ucpki-stage"
"$UCPKI" --state "$state" solution issue "$T/inv.yaml" --out "$out" >"$T/next.out" 2>"$T/next.err" || fail "cleanup run"
assert_contains "$T/next.err" "left by an interrupted run"
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nodes"][0]["serial"])' "$out/manifest.json")" "$want" "an unsealed tree is not delivered"
no_staging
ok "interrupted after the commit: delivered, not issued again; before it: removed"

# a live run's staging directory is not touched; a second writer waits or fails with the lock message
"$UCPKI" --state "$state" --quiet solution issue "$T/inv.yaml" --out "$out" --renew >/dev/null 2>&1 &
pid=$!
# until the first run holds the lock (the lock file names its pid)
for _ in $(seq 1 200); do
	[ "$(cat "$out.lock" 2>/dev/null)" = "$pid" ] && break
	sleep 0.05
done
[ "$(cat "$out.lock" 2>/dev/null)" = "$pid" ] || fail "the first run never took the lock"
"$UCPKI" --state "$state" --lock-timeout 0 solution issue "$T/inv.yaml" --out "$out" >"$T/out" 2>"$T/err" && {
	wait "$pid"
	fail "a second writer of the same output ran at once"
}
assert_contains "$T/err" "is locked by pid $pid"
wait "$pid" || fail "the first run failed"
no_staging
tree_whole
ok "a second solution issue on the same output: refused with the locking pid (--lock-timeout 0)"
done_testing
