#!/usr/bin/env bash
# Global options: one table, taken before the command (as '--opt VALUE' and
# '--opt=VALUE') and after it, with the same effect and the same errors.
. "$UCPKI_SRC/tests/lib.sh"

# --profiles DIR: a user profile shows up the same way in every position.
mkdir "$T/mine"
cat >"$T/mine/acme-gw.yaml" <<'Y'
id: acme-gw
name: Acme gateway
guide: "-"
certificate: {identity: host, eku: [serverAuth]}
files: [{name: gw.pem, content: [cert, key, chain]}]
install: {steps: [{ui: "upload {dir}/gw.pem"}]}
Y
u 0 profiles list --profiles "$T/mine"
cp "$T/out" "$T/want"
assert_contains "$T/want" "acme-gw            pem          Acme gateway"
assert_contains "$T/want" "osv "
for args in "--profiles=$T/mine profiles list" "--profiles $T/mine profiles list" \
	"profiles list --profiles=$T/mine"; do
	# shellcheck disable=SC2086 # the arguments are words
	u 0 $args
	cmp -s "$T/out" "$T/want" || { diff "$T/want" "$T/out"; fail "ucpki $args differs"; }
done
ok "--profiles DIR and --profiles=DIR, before and after the command: the same list"

# --state DIR: the state is created where it says, in every form.
i=0
for args in "--state S init" "--state=S init" "init --state S" "init --state=S"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	u 0 ${args//S/$T/st$i}
	assert_file "$T/st$i/ucpki.db"
	assert_contains "$T/out" "initialised state in $T/st$i"
done
assert_no_file "$T/state"
ok "--state DIR and --state=DIR, before and after the command"

# --json and --quiet, before and after.
export UCPKI_STATE=$T/st1
u 0 pki create acme --desc "Acme Inc"
for args in "--json pki list" "pki list --json"; do
	# shellcheck disable=SC2086
	u 0 $args
	assert_eq "$(jq -r '.[0].name + "|" + .[0].description' "$T/out")" "acme|Acme Inc" "ucpki $args"
done
for args in "--state $T/q1 --quiet init" "--quiet --state $T/q2 init" "init --quiet --state $T/q3"; do
	# shellcheck disable=SC2086
	u 0 $args
	assert_eq "$(cat "$T/err")" "" "ucpki $args: stderr"
done
u 0 --state "$T/q4" init
assert_contains "$T/err" "warning: generated the state passphrase"
ok "--json and --quiet, before and after the command"

# --state-pass-file FILE: the state's passphrase, before and after (a wrong one is
# refused in both places).
printf 'right horse\n' >"$T/good" && printf 'wrong horse\n' >"$T/bad"
chmod 600 "$T/good" "$T/bad"
u 0 --state "$T/pp" --state-pass-file "$T/good" init
u 0 --state "$T/pp" pki create acme
u 2 --state "$T/pp" --state-pass-file="$T/bad" ca create acme/r1 --subject CN=r1 --key-spec ec:p256
assert_eq "$(cat "$T/err")" "ucpki: $T/pp: wrong passphrase for this state"
u 2 --state "$T/pp" ca create acme/r1 --subject CN=r1 --key-spec ec:p256 --state-pass-file "$T/bad"
assert_eq "$(cat "$T/err")" "ucpki: $T/pp: wrong passphrase for this state"
u 0 --state "$T/pp" --state-pass-file="$T/good" ca create acme/r1 --subject CN=r1 --key-spec ec:p256
u 0 --state "$T/pp" ca create acme/r2 --subject CN=r2 --key-spec ec:p256 --state-pass-file "$T/good"
u 0 --state "$T/pp" --state-pass-file "$T/good" --json ca list
assert_eq "$(jq -r '[.[].ca] | sort | join(",")' "$T/out")" "acme/r1,acme/r2"
ok "--state-pass-file FILE and --state-pass-file=FILE, before and after the command"

# --lock-timeout SECONDS: taken in both places; out of range is one line
# naming the option, exit 2, before and after.
for args in "--lock-timeout 5 certs" "--lock-timeout=0 certs" "certs --lock-timeout 86400"; do
	# shellcheck disable=SC2086
	u 0 $args
done
while IFS='|' read -r want args; do
	# shellcheck disable=SC2086
	u 2 $args
	assert_eq "$(cat "$T/err")" "$want" "ucpki $args"
done <<'EOF'
ucpki: --lock-timeout 86401 is out of range (0..86400)|--lock-timeout 86401 certs
ucpki: --lock-timeout -1 is out of range (0..86400)|--lock-timeout=-1 certs
ucpki: --lock-timeout needs a whole number (0..86400), not 'soon'|--lock-timeout soon certs
ucpki certs: --lock-timeout 86401 is out of range (0..86400)|certs --lock-timeout 86401
ucpki certs: --lock-timeout needs a whole number (0..86400), not 'soon'|certs --lock-timeout=soon
ucpki: option --state needs a value (DIR)|--state
ucpki: option --json takes no value|--json=yes pki list
ucpki: unknown option '--frobnicate' (see 'ucpki --help')|--frobnicate pki list
EOF
ok "bad global options before the command: exit 2, one line naming the option"

# Several global options in a row before the command, then more after it.
u 0 --state="$T/pp" --state-pass-file "$T/good" --quiet ca create acme/r3 --subject CN=r3 --key-spec ec:p256 --json
assert_eq "$(jq -r .ca "$T/out")" "acme/r3"
assert_eq "$(cat "$T/err")" ""
ok "global options combined before and after the command"

# --help and --version still stand in place of a command, after globals too.
u 0 --help
assert_contains "$T/out" "global options (before or after the command):"
assert_contains "$T/out" "--lock-timeout SECONDS"
assert_contains "$T/out" "solution issue"
u 0 --state "$T/x" --version
assert_match "$T/out" "^ucpki [0-9]+\.[0-9]+\.[0-9]+ \(OpenSSL 3"
assert_no_file "$T/x"
u 2
assert_contains "$T/err" "usage: ucpki"
ok "--help, --version; no command is a usage error"
done_testing
