#!/usr/bin/env bash
# A full disk (a 1 MiB tmpfs) in the middle of solution issue, issue and
# crl: exit 2 with one line naming the file, the previous output untouched,
# no staging directory or temporary file left, no state created by the
# failing run, and the state still whole.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/faults/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'
m=$T/small
mkdir -p "$m"
if ! mount -t tmpfs -o size=1m tmpfs "$m" 2>/dev/null; then
	echo "ok 1 # skip cannot mount a tmpfs here (needs root)"
	echo "1..1"
	exit 0
fi
trap 'umount "$m" 2>/dev/null' EXIT

phones_inventory full 400 "$T/big.yaml"
head -n 12 "$T/big.yaml" >"$T/small.yaml"

# a new state on the full disk: refused, and no state left behind
u 2 --state "$m/state" solution issue "$T/big.yaml" --out "$m/deploy"
assert_one_line_error
assert_match "$T/err" "No space left on device"
assert_no_file "$m/state"
assert_no_file "$m/deploy"
assert_eq "$(ls -A "$m" | grep -v '\.lock$' | tr '\n' ' ')" "" "left on the full disk"
ok "solution issue on a full disk with a new state: exit 2, no state, no output, nothing left"

# an existing state and output elsewhere; the output's disk fills up
u 0 --quiet --state "$T/state" solution issue "$T/small.yaml" --out "$m/deploy"
find "$m/deploy" -type f -exec sha256sum {} + | sort >"$T/before"
u 2 --state "$T/state" solution issue "$T/big.yaml" --out "$m/deploy"
assert_one_line_error
assert_match "$T/err" "No space left on device"
find "$m/deploy" -type f -exec sha256sum {} + | sort >"$T/after"
cmp -s "$T/before" "$T/after" || fail "the failed run changed the output"
[ -z "$(find "$m" -maxdepth 1 -name '.deploy.tmp-*')" ] || fail "a staging directory was left"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(0 if c.execute("pragma integrity_check").fetchone()[0]=="ok" else 1)' "$T/state/ucpki.db" ||
	fail "integrity_check"
n=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from cert where subject like \"%phone-%\"").fetchone()[0])' "$T/state/ucpki.db")
assert_eq "$n" 4 "no certificate of the failed run recorded"
ok "solution issue filling the output's disk: exit 2, previous output intact, nothing left, nothing recorded"

# issue and crl writing to the full disk: nothing recorded, no CRL number used
dd if=/dev/zero of="$m/filler" bs=1k count=2000 2>/dev/null || :
u 2 --state "$T/state" issue --ca acme/issuing --subject CN=x.acme.example --out-cert "$m/x.pem" --out-key "$m/x.key"
assert_one_line_error
assert_no_file "$m/x.pem"
assert_no_file "$m/x.key"
[ -z "$(find "$m" -maxdepth 1 -name 'x.*.tmp-*')" ] || fail "temporary files left"
u 0 --state "$T/state" crl --ca acme/issuing --out "$T/c1.pem"
u 2 --state "$T/state" crl --ca acme/issuing --out "$m/c2.pem"
assert_one_line_error
u 0 --state "$T/state" crl --ca acme/issuing --out "$T/c3.pem"
n1=$(openssl crl -in "$T/c1.pem" -noout -crlnumber | sed 's/.*=//')
n3=$(openssl crl -in "$T/c3.pem" -noout -crlnumber | sed 's/.*=//')
assert_eq "$((16#$n3))" "$((16#$n1 + 1))" "the failed crl took no CRL number"
ok "issue and crl on a full disk: exit 2, no files, nothing recorded, no CRL number used"
# a previous output that cannot be removed (a read-only mount): refused
# before anything is done, instead of leaving the old tree (and its keys)
# in a staging directory
u 0 --quiet --state "$T/state" solution issue "$T/small.yaml" --out "$T/ro-deploy"
if mount --bind "$T/ro-deploy/phone-001" "$T/ro-deploy/phone-001" 2>/dev/null &&
	mount -o remount,ro,bind "$T/ro-deploy/phone-001" 2>/dev/null; then
	find "$T/ro-deploy" -type f -exec sha256sum {} + | sort >"$T/before"
	u 2 --state "$T/state" solution issue "$T/small.yaml" --out "$T/ro-deploy" --renew
	assert_one_line_error
	assert_contains "$T/err" "is replaced as a whole, but"
	umount "$T/ro-deploy/phone-001"
	find "$T/ro-deploy" -type f -exec sha256sum {} + | sort >"$T/after"
	cmp -s "$T/before" "$T/after" || fail "the refused run changed the output"
	[ -z "$(find "$T" -maxdepth 1 -name '.ro-deploy.tmp-*')" ] || fail "a staging directory was left"
	ok "an output that cannot be removed is refused before anything is done"
else
	umount "$T/ro-deploy/phone-001" 2>/dev/null
	ok "# skip cannot make a read-only bind mount here"
fi
done_testing
