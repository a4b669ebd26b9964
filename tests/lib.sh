# Shared helpers for the shell tests. Source it first:
#   . "$UCPKI_SRC/tests/lib.sh"
# Every helper that checks something calls fail() on a mismatch, which
# prints the reason and exits 1, so a test stops at its first broken claim.
set -u
UCPKI=${UCPKI:?UCPKI must point to the ucpki binary}
UCPKI_SRC=${UCPKI_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -n "${UCPKI_TEST_TMP:-}" ] && mkdir -p "$UCPKI_TEST_TMP"
T=$(mktemp -d "${UCPKI_TEST_TMP:-/tmp}/$(basename "$0" .sh).XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$T"' EXIT
export UCPKI_STATE="$T/state"
unset UCPKI_PASSPHRASE UCPKI_STATE_PASS UCPKI_PASSWORD UCPKI_NEW_PASSWORD UCPKI_KEY_PASSWORD \
	UCPKI_NEW_KEY_PASSWORD UCPKI_SRC_PASSWORD UCPKI_DEST_PASSWORD
cd "$T" || exit 1
TESTS_RUN=0

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { TESTS_RUN=$((TESTS_RUN + 1)); echo "ok $TESTS_RUN - $*"; }

# run EXPECTED_STATUS cmd...: run and check the exit status; output in
# $T/out and $T/err.
run() {
	local want=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	if [ "$got" != "$want" ]; then
		echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"
		fail "'$*' exited $got, expected $want"
	fi
}

# u STATUS args...: run ucpki.
u() { local want=$1; shift; run "$want" "$UCPKI" "$@"; }

assert_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: got '$1', expected '$2'"; }
assert_contains() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 lacks '$2'"; }; }
assert_not_contains() { ! grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 contains '$2'"; }; }
assert_match() { grep -qE -- "$2" "$1" || { cat "$1"; fail "$1 does not match /$2/"; }; }
assert_file() { [ -s "$1" ] || fail "$1 is missing or empty"; }
assert_no_file() { [ ! -e "$1" ] || fail "$1 should not exist"; }
assert_one_line_error() {
	[ "$(wc -l <"$T/err")" -le 3 ] || { cat "$T/err"; fail "error output is not short"; }
	assert_match "$T/err" "^ucpki"
}
# file mode as octal, e.g. 600
mode_of() { stat -c %a "$1"; }

# A fresh state with a passphrase from a file.
new_state() {
	printf 'correct horse battery staple\n' >"$T/pass"
	chmod 600 "$T/pass"
	export UCPKI_PASSPHRASE='correct horse battery staple'
	u 0 init
}

done_testing() { echo "1..$TESTS_RUN"; exit 0; }
# skip REASON: the test cannot run here (CTest reports it as skipped).
skip() { echo "SKIP: $*"; exit 77; }
