#!/usr/bin/env bash
# One vocabulary: every old option spelling the tables carry works like its
# new name and prints exactly one deprecation line (none with --quiet); new
# names print none. The ambiguous --pass-file keeps each command's meaning,
# before or after the command, and says so. Environment variables: the new
# name, then the old one.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/lib_formats.sh"

# --- every alias of every table, from the tables themselves ------------------
# Each runs without its arguments: the parse completes (the warning is
# printed there), then the command stops with a usage error (exit 2).
u 0 --dump-options
awk -F'\t' '$1 == "option" && $8 != "" {
	n = split($8, a, " ");
	for (i = 1; i <= n; i++) print $2 "\t" $3 "\t" a[i] "\t" $5
}' "$T/out" >"$T/aliases"
[ "$(wc -l <"$T/aliases")" -ge 19 ] || fail "too few old spellings in the tables"
mkdir empty
n=0
while IFS=$'\t' read -r cmd new old type; do
	value=v
	[ "$type" = int ] && value=1000
	case "$(grep -F "	$new	" "$T/out" | awk -F'\t' -v c="$cmd" '$2 == c {print $8}')" in
	*"${old#--}=der"*) value= ;; # an old flag standing for a value (--der)
	esac
	# shellcheck disable=SC2086 # the command is words
	(cd empty && "$UCPKI" $cmd $old $value $old $value </dev/null >"$T/o" 2>"$T/e")
	rc=$?
	[ "$rc" = 2 ] || { cat "$T/e"; fail "ucpki $cmd $old: exit $rc, expected 2 (usage)"; }
	want="ucpki: warning: $old is deprecated, use $new"
	[ "$(grep -c -- "^$want" "$T/e")" = 1 ] || { cat "$T/e"; fail "ucpki $cmd $old: not one '$want'"; }
	[ "$(grep -c 'deprecated' "$T/e")" = 1 ] || { cat "$T/e"; fail "ucpki $cmd $old: more than one warning"; }
	# shellcheck disable=SC2086
	(cd empty && "$UCPKI" --quiet $cmd $old $value </dev/null >"$T/o" 2>"$T/e")
	grep -q deprecated "$T/e" && { cat "$T/e"; fail "ucpki --quiet $cmd $old warned"; }
	n=$((n + 1))
done < <(awk -F'\t' '$1 != "" {print}' "$T/aliases")
# (the global --pass-file, command "", is tried with commands below)
ok "each of the $n old spellings of the tables warns once, given twice; --quiet silences it"

# --- they do what the new names do --------------------------------------------
make_pki
cp srv.pem in.pem
# convert: --to / --in-pass-file / --pass-file / --keypass-file
u 0 convert srv.pem --key srvkey.pem --format p12 --new-password-file pw --out new.p12
assert_not_contains "$T/err" "warning"
u 0 convert srv.pem --key srvkey.pem --to p12 --pass-file pw --out old.p12
assert_contains "$T/err" "ucpki: warning: --to is deprecated, use --format"
assert_contains "$T/err" "ucpki: warning: --pass-file is deprecated, use --new-password-file (in 'convert' it is the password of the output"
assert_eq "$(grep -c warning "$T/err")" 2 "convert warnings"
for f in new.p12 old.p12; do
	openssl pkcs12 -in $f -passin file:pw -nokeys -nodes 2>/dev/null | openssl x509 -noout -subject |
		grep -q srv.acme.example || fail "$f does not open with pw"
done
u 0 convert new.p12 --format pem --password-file pw --out a.pem
u 0 convert new.p12 --format pem --in-pass-file pw --out b.pem
assert_contains "$T/err" "ucpki: warning: --in-pass-file is deprecated, use --password-file"
cmp -s a.pem b.pem || fail "--in-pass-file and --password-file differ"
ok "convert: --to, --pass-file (the output's password) and --in-pass-file work as --format, --new-password-file, --password-file"

# The ambiguous one before the command: still the output's password in convert
# (not the state passphrase), with the same warning.
u 0 --pass-file pw2 convert srv.pem --key srvkey.pem --format p12 --out before.p12
assert_contains "$T/err" "use --new-password-file (in 'convert'"
openssl pkcs12 -in before.p12 -passin file:pw2 -nokeys -noout 2>/dev/null || fail "--pass-file before convert is not the output password"
# --state-pass-file is never a file's password
u 2 --state-pass-file pw2 convert srv.pem --key srvkey.pem --format p12 --out never.p12
assert_contains "$T/err" "needs the output password: --new-password-file F or \$UCPKI_NEW_PASSWORD"
assert_no_file never.p12
ok "convert: a --pass-file before the command is still the output's password; --state-pass-file never is"

# show / match: --pass-file was the input's password
openssl pkey -in srvkey.pem -aes256 -passout file:pw -out enc.key 2>/dev/null
u 0 show enc.key --password-file pw
assert_not_contains "$T/err" "warning"
cp "$T/out" show.new
u 0 show enc.key --pass-file pw
assert_contains "$T/err" "use --password-file (in 'show'"
cmp -s "$T/out" show.new || fail "show --pass-file differs"
u 0 --pass-file pw show enc.key
cmp -s "$T/out" show.new || fail "show after a global --pass-file differs"
u 0 match srv.pem enc.key --key-pass-file pw
assert_contains "$T/err" "warning: --key-pass-file is deprecated, use --password-file"
u 0 match srv.pem enc.key --password-file pw
assert_not_contains "$T/err" "warning"
ok "show and match: --pass-file / --key-pass-file are the input's password, as --password-file"

# the state passphrase: --pass-file, UCPKI_PASSPHRASE (old) and the new names
printf 'state-secret\n' >sp
u 0 --state "$T/s2" --state-pass-file sp init
assert_not_contains "$T/err" "warning"
u 0 --state "$T/s2" --pass-file sp pki create p
assert_contains "$T/err" "ucpki: warning: --pass-file is deprecated, use --state-pass-file"
u 0 --state "$T/s2" ca create p/r --subject CN=R --key-spec ec:p256 --state-pass-file sp
UCPKI_STATE_PASS=state-secret u 0 --state "$T/s2" issue --ca p/r --subject CN=a --key-spec ec:p256 --out-cert a1.pem --out-key a1.key
UCPKI_PASSPHRASE=state-secret u 0 --state "$T/s2" issue --ca p/r --subject CN=b --key ec:p256 --out-cert b1.pem --out-key b1.key
assert_contains "$T/err" "ucpki: warning: --key is deprecated, use --key-spec"
printf 'wrong\n' >bad
u 2 --state "$T/s2" issue --ca p/r --subject CN=c --out-cert c1.pem --out-key c1.key --pass-file bad
assert_no_file c1.pem
ok "state passphrase: --state-pass-file, old --pass-file, \$UCPKI_STATE_PASS and old \$UCPKI_PASSPHRASE"

# issue: --der / --format der; --key-pass-file / --new-password-file
u 0 issue --ca acme/sub --subject CN=d1.example --format der --out-cert d1.der --out-key d1k.pem \
	--new-password-file pw
assert_not_contains "$T/err" "warning"
openssl x509 -inform DER -in d1.der -noout 2>/dev/null || fail "issue --format der is not DER"
openssl pkey -in d1k.pem -passin file:pw -noout 2>/dev/null || fail "--new-password-file did not encrypt the key"
u 0 issue --ca acme/sub --subject CN=d2.example --der --out-cert d2.der --out-key d2k.pem --key-pass-file pw
assert_contains "$T/err" "warning: --der is deprecated, use --format der"
assert_contains "$T/err" "warning: --key-pass-file is deprecated, use --new-password-file"
openssl x509 -inform DER -in d2.der -noout 2>/dev/null || fail "issue --der is not DER"
openssl pkey -in d2k.pem -passin file:pw -noout 2>/dev/null || fail "--key-pass-file did not encrypt the key"
UCPKI_NEW_PASSWORD=S3cret-store u 0 issue --ca acme/sub --subject CN=d3.example --out-cert d3.pem --out-key d3k.pem
openssl pkey -in d3k.pem -passin file:pw -noout 2>/dev/null || fail "\$UCPKI_NEW_PASSWORD did not encrypt the key"
u 2 issue --ca acme/sub --subject CN=d4.example --format cer --out-cert d4.pem --out-key d4k.pem
assert_contains "$T/err" "--format takes pem or der, not 'cer'"
ok "issue: --format der (old --der), --new-password-file (old --key-pass-file, \$UCPKI_NEW_PASSWORD)"

# ca export / crl: --der
u 0 ca export acme/root --format der --out r1.der
u 0 ca export acme/root --der --out r2.der
assert_contains "$T/err" "warning: --der is deprecated, use --format der"
cmp -s r1.der r2.der || fail "ca export --der differs from --format der"
u 0 crl --ca acme/sub --der --out c2.der
assert_contains "$T/err" "warning: --der is deprecated"
openssl crl -inform DER -in c2.der -noout 2>/dev/null || fail "crl --der"
ok "ca export and crl: --der is --format der"

# keystore: --storepass-file / --password-file / $UCPKI_STOREPASS / $UCPKI_PASSWORD
u 0 keystore list new.p12 --password-file pw
assert_not_contains "$T/err" "warning"
cp "$T/out" list.new
u 0 keystore list new.p12 --storepass-file pw
assert_contains "$T/err" "warning: --storepass-file is deprecated, use --password-file"
cmp -s "$T/out" list.new || fail "keystore list --storepass-file differs"
UCPKI_STOREPASS=S3cret-store u 0 keystore list new.p12
cmp -s "$T/out" list.new || fail "keystore list with \$UCPKI_STOREPASS differs"
UCPKI_PASSWORD=S3cret-store UCPKI_STOREPASS=wrong u 0 keystore list new.p12
cmp -s "$T/out" list.new || fail "\$UCPKI_PASSWORD does not win over \$UCPKI_STOREPASS"
cp new.p12 pass.p12
u 0 keystore passwd pass.p12 --password-file pw --new-password-file pw2
u 0 keystore list pass.p12 --password-file pw2
u 0 keystore passwd pass.p12 --storepass-file pw2 --new-pass-file pw
assert_contains "$T/err" "warning: --new-pass-file is deprecated, use --new-password-file"
u 0 keystore list pass.p12 --password-file pw
u 0 keystore export new.p12 --alias 1 --password-file pw --format der --out e1.der
u 0 keystore export new.p12 --alias 1 --storepass-file pw --der --out e2.der
cmp -s e1.der e2.der || fail "keystore export --der differs"
u 0 convert new.p12 --password-file pw --format jks --new-password-file pw --out dest.jks
u 0 keystore import-keystore --src new.p12 --src-pass-file pw --dest dest2.p12 --dest-pass-file pw2
assert_contains "$T/err" "warning: --src-pass-file is deprecated, use --src-password-file"
assert_contains "$T/err" "warning: --dest-pass-file is deprecated, use --dest-password-file"
u 0 keystore list dest2.p12 --password-file pw2
ok "keystore: --password-file and the old --storepass-file, \$UCPKI_PASSWORD before \$UCPKI_STOREPASS; passwd, export, import-keystore"

# help lists the new name first and the old spelling after it
u 0 issue --help
assert_match "$T/out" '^  --key-spec SPEC .*\(old: --key\)$'
u 0 convert --help
assert_match "$T/out" '^  --format FORMAT .*\(old: --to\)$'
u 0 --help
assert_match "$T/out" '^  --state-pass-file FILE .*\(old: --pass-file\)$'
ok "--help names the new spelling and its old one"
done_testing
