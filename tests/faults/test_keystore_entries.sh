# Stores holding what ucpki does not model, or damaged in ways keytool
# shrugs off: a PKCS#12 secret key is listed and kept byte for byte (or the
# edit is refused naming it, store and .bak untouched); a JKS with two
# entries under one alias is refused naming it; bytes after a JKS digest
# are ignored with a warning. Verdicts come from keytool and openssl.
. "$UCPKI_SRC/tests/lib.sh"
command -v keytool >/dev/null || { echo "1..0 # SKIP keytool not installed"; exit 0; }

printf 'changeit\n' >pw
printf 'N3w-pass\n' >pw2
for i in 1 2; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
		-out ca$i.pem -subj "/CN=Entries CA $i" -days 30 2>/dev/null || fail "openssl req"
done
kt_list() { keytool -list -keystore "$1" -storepass changeit >"$T/kt" 2>&1 || { cat "$T/kt"; fail "keytool cannot open $1"; }; }
# The secret bag's bytes as openssl dumps them (hex of the sealed value).
secret_bag() { openssl pkcs12 -in "$1" -info -nocerts -nodes -passin pass:changeit 2>&1 |
	sed -n '/^Secret bag/,/^[A-Z][a-z]* bag\|^PKCS7/p' | grep -E '^ ?[0-9A-F]{2}( [0-9A-F]{2})+'; }

# --- a PKCS#12 secret key -----------------------------------------------------------
keytool -genseckey -alias aes1 -keyalg AES -keysize 128 -storetype PKCS12 -keystore sec.p12 \
	-storepass changeit >/dev/null 2>&1 || fail "keytool -genseckey"
before_bag=$(secret_bag sec.p12)
[ -n "$before_bag" ] || fail "openssl shows no secret bag in sec.p12"

u 0 keystore list sec.p12 --storepass-file pw
assert_contains "$T/out" "Your keystore contains 1 entry"
assert_match "$T/out" '^aes1, .*, SecretKeyEntry,'
u 0 --json keystore list sec.p12 --storepass-file pw
assert_eq "$(jq -r '.entries[] | "\(.alias) \(.type) \(.kept_as_stored)"' "$T/out")" \
	"aes1 SecretKeyEntry true" "JSON listing of the secret key"
ok "keystore list shows a PKCS#12 secret key (SecretKeyEntry), not 0 entries"

u 0 keystore import-ca sec.p12 --alias ca1 --file ca1.pem --storepass-file pw
kt_list sec.p12
assert_contains "$T/kt" "Your keystore contains 2 entries"
assert_match "$T/kt" '^aes1, .*, SecretKeyEntry,'
assert_match "$T/kt" '^ca1, .*, trustedCertEntry,'
assert_eq "$(secret_bag sec.p12)" "$before_bag" "the secret bag after import-ca"
# Java can still open the secret key: copy it out with keytool
keytool -importkeystore -srckeystore sec.p12 -srcstorepass changeit -srcalias aes1 \
	-destkeystore copy.p12 -deststoretype PKCS12 -deststorepass changeit >"$T/kt" 2>&1 ||
	{ cat "$T/kt"; fail "keytool cannot read the kept secret key"; }
ok "import-ca keeps the secret key byte for byte; keytool lists it and still opens it"

# Edits that cannot keep it are refused naming it; store and .bak stay.
cp sec.p12 store.before
cp sec.p12.bak bak.before
u 2 keystore passwd sec.p12 --storepass-file pw --new-pass-file pw2
assert_one_line_error
assert_contains "$T/err" "sec.p12: entry 'aes1' is a secret key, which ucpki cannot rewrite"
assert_contains "$T/err" "the store is left unchanged"
cmp -s sec.p12 store.before || fail "sec.p12 changed after a refused passwd"
cmp -s sec.p12.bak bak.before || fail "sec.p12.bak overwritten by a refused passwd"
u 0 --quiet keystore import-ca dest.jks --alias ca2 --file ca2.pem --storepass-file pw
cp dest.jks dest.before
u 2 keystore import-keystore --src sec.p12 --dest dest.jks --src-pass-file pw --dest-pass-file pw \
	--src-alias aes1
assert_one_line_error
assert_contains "$T/err" "entry 'aes1' is a secret key"
cmp -s dest.jks dest.before || fail "dest.jks changed after a refused import"
u 2 keystore export sec.p12 --alias aes1 --storepass-file pw --out aes.pem
assert_contains "$T/err" "entry 'aes1' is a secret key"
assert_no_file aes.pem
ok "passwd, import-keystore and export of the secret key are refused naming it; files unchanged"

# convert repackages keys and certificates only, and says what stays behind
u 0 convert sec.p12 --in-pass-file pw --to pem --out sec.pem
assert_contains "$T/err" "warning: sec.p12: entry 'aes1' is a secret key, which convert does not carry over"
ok "convert of a store with a secret key warns that it is not carried over"

# The same password goes through (the bag stays sealed under it).
u 0 keystore passwd sec.p12 --storepass-file pw --new-pass-file pw
assert_eq "$(secret_bag sec.p12)" "$before_bag" "the secret bag after passwd (same password)"
u 0 keystore delete sec.p12 --alias aes1 --storepass-file pw
kt_list sec.p12
assert_contains "$T/kt" "Your keystore contains 1 entry"
assert_not_contains "$T/kt" "aes1"
ok "delete removes the secret key when asked to"

# A JCEKS secret key cannot be skipped: reading stops, naming it.
keytool -genseckey -alias jk1 -keyalg AES -keysize 128 -storetype JCEKS -keystore sec.jceks \
	-storepass changeit >/dev/null 2>&1 || fail "keytool -genseckey JCEKS"
u 2 keystore list sec.jceks --storepass-file pw
assert_one_line_error
assert_contains "$T/err" "sec.jceks: entry 'jk1' is a secret key, which ucpki cannot read"
ok "a JCEKS secret key is reported by its alias"

# --- JKS built by hand ------------------------------------------------------------------
# bytes of an unsigned big-endian integer of $2 bytes
be() { local v=$1 n=$2 i; for ((i = n - 1; i >= 0; i--)); do printf "\\$(printf '%03o' $(((v >> (8 * i)) & 255)))"; done; }
# trusted entry: tag 2, alias, date, "X.509", DER
jks_trusted() {
	local der; der=$(mktemp "$T/der.XXXXXX")
	openssl x509 -in "$2" -outform DER -out "$der"
	be 2 4; be ${#1} 2; printf '%s' "$1"; be 1764547200000 8
	local type=${JKS_CERT_TYPE:-X.509}
	be ${#type} 2; printf '%s' "$type"; be "$(stat -c %s "$der")" 4; cat "$der"
}
# make_jks OUT ALIAS CERT [ALIAS CERT...]: magic, version 2, count, entries,
# SHA-1 over UTF-16BE("changeit") + "Mighty Aphrodite" + body
make_jks() {
	local out=$1; shift
	{ be $((0xFEEDFEED)) 4; be 2 4; be $(($# / 2)) 4
	  while [ $# -gt 0 ]; do jks_trusted "$1" "$2"; shift 2; done; } >"$out.body"
	{ printf 'changeit' | sed 's/./\x00&/g'; printf 'Mighty Aphrodite'; cat "$out.body"; } |
		openssl dgst -sha1 -binary >"$out.digest"
	cat "$out.body" "$out.digest" >"$out"
	rm -f "$out.body" "$out.digest"
}

make_jks good.jks one ca1.pem two ca2.pem
kt_list good.jks
assert_contains "$T/kt" "Your keystore contains 2 entries"
make_jks dup.jks ca1 ca1.pem ca1 ca2.pem
kt_list dup.jks
assert_contains "$T/kt" "Your keystore contains 1 entry" # keytool silently keeps one
u 2 keystore list dup.jks --storepass-file pw
assert_one_line_error
assert_contains "$T/err" "dup.jks: alias 'ca1' appears twice in the keystore"
u 2 keystore list dup.jks
assert_contains "$T/err" "alias 'ca1' appears twice"
cp dup.jks dup.before
u 2 keystore import-ca dup.jks --alias ca9 --file ca2.pem --storepass-file pw
assert_contains "$T/err" "alias 'ca1' appears twice"
cmp -s dup.jks dup.before || fail "dup.jks changed"
assert_no_file dup.jks.bak
make_jks dupcase.jks ca1 ca1.pem CA1 ca2.pem
u 2 keystore list dupcase.jks --storepass-file pw
assert_contains "$T/err" "appears twice"
ok "a JKS with two entries under one alias (any case) is refused naming file and alias"

JKS_CERT_TYPE=X.510 make_jks odd.jks weird ca1.pem
u 2 keystore list odd.jks --storepass-file pw
assert_one_line_error
assert_contains "$T/err" "odd.jks: entry 'weird' holds a 'X.510' certificate, which ucpki cannot read"
ok "a JKS certificate of another type than X.509 is refused naming its entry"

# --- bytes after the JKS digest ------------------------------------------------------------
cp good.jks trail.jks
printf 'trailing junk' >>trail.jks
kt_list trail.jks
assert_contains "$T/kt" "Your keystore contains 2 entries"
u 0 keystore list trail.jks --storepass-file pw
assert_contains "$T/out" "Your keystore contains 2 entries"
assert_contains "$T/err" "warning: trail.jks: 13 bytes after the keystore's integrity digest ignored"
u 0 keystore list trail.jks
assert_contains "$T/err" "13 bytes after the keystore's integrity digest ignored"
printf 'Wr0ng\n' >wrong
u 2 keystore list trail.jks --storepass-file wrong
assert_contains "$T/err" "wrong password or corrupted keystore"
u 0 keystore import-ca trail.jks --alias three --file ca1.pem --storepass-file pw
assert_contains "$T/err" "bytes after the keystore's integrity digest ignored"
kt_list trail.jks
assert_contains "$T/kt" "Your keystore contains 3 entries"
u 0 keystore list trail.jks --storepass-file pw
assert_not_contains "$T/err" "ignored"
ok "bytes after a JKS digest: a warning, exit 0, as keytool; the wrong password still fails"

done_testing
