# ucpki keystore: keytool parity for JKS and PKCS#12 (list, import-ca,
# import-keystore, delete, passwd, export), atomic edits with STORE.bak.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/lib_formats.sh"
make_pki
printf 'changeit\n' >changeit

for store in trust.jks trust.p12; do
	# import-ca creates the store; the type comes from the name.
	u 0 keystore import-ca $store --alias AcmeRoot --file root.pem --storepass-file pw
	u 0 keystore import-ca $store --alias acmesub --file sub.pem --storepass-file pw
	u 0 --json keystore list $store --storepass-file pw
	case $store in
	*.jks) assert_contains "$T/out" '"type": "JKS"'
	       assert_contains "$T/out" '"alias": "acmeroot"' ;;
	*)     assert_contains "$T/out" '"type": "PKCS12"'
	       assert_contains "$T/out" '"alias": "AcmeRoot"' ;;
	esac
	assert_eq "$(grep -c '"trustedCertEntry"' "$T/out")" "2" "$store entries"
	assert_contains "$T/out" "\"sha256\": \"$(fp256 root.pem)\""

	# A taken alias (any case): exit 2, store untouched.
	cp $store before
	u 2 keystore import-ca $store --alias ACMEROOT --file srv.pem --storepass-file pw
	assert_one_line_error
	assert_contains "$T/err" "already exists"
	cmp -s $store before || fail "$store changed after a refused import"

	# delete keeps STORE.bak (the previous file).
	u 0 keystore delete $store --alias acmesub --storepass-file pw
	cmp -s $store.bak before || fail "$store.bak is not the previous store"
	u 0 keystore list $store --storepass-file pw
	assert_contains "$T/out" "Your keystore contains 1 entry"
	assert_not_contains "$T/out" "acmesub"
	cp $store before
	u 2 keystore delete $store --alias nosuch --storepass-file pw
	assert_one_line_error
	assert_contains "$T/err" "alias 'nosuch' does not exist"
	cmp -s $store before || fail "$store changed after a refused delete"

	# export the certificate (PEM, DER) and compare bytes.
	u 0 keystore export $store --alias acmeroot --storepass-file pw --out exp.pem --force
	cmp -s exp.pem root.pem || fail "exported certificate differs"
	u 0 keystore export $store --alias acmeroot --der --storepass-file pw --out exp.der --force
	assert_eq "$(openssl x509 -inform DER -in exp.der -outform DER | od -An -tx1)" \
		"$(openssl x509 -in root.pem -outform DER | od -An -tx1)" "DER export"
	u 2 keystore export $store --alias acmeroot --order key --storepass-file pw --out k.pem
	assert_contains "$T/err" "no key"
	assert_no_file k.pem

	# Wrong store password.
	cp $store before
	u 2 keystore delete $store --alias acmeroot --storepass-file pw2
	assert_one_line_error
	assert_contains "$T/err" "wrong password"
	cmp -s $store before || fail "$store changed after a wrong password"
	ok "$store: import-ca, duplicate alias, delete with .bak, export, wrong password"
done

# Several certificates at once: aliases A-1, A-2; without --alias from the CN.
u 0 keystore import-ca multi.jks --alias ca --file chain.pem --storepass-file pw
u 0 keystore import-ca multi.jks --file chain.pem --storepass-file pw
u 0 keystore list multi.jks --storepass-file pw
assert_eq "$(grep -c 'trustedCertEntry' "$T/out")" "4" "entries"
for a in "ca-1" "ca-2" "acme issuing ca" "acme root ca"; do
	assert_match "$T/out" "^$a, "
done
ok "import-ca of a bundle names each certificate"

# No password given: nothing is assumed (keytool's defaults must be explicit).
u 2 keystore import-ca cacerts --alias x --file root.pem
assert_contains "$T/err" "store password is needed"
assert_no_file cacerts
UCPKI_STOREPASS=changeit u 0 keystore import-ca cacerts --alias ucCAcert --file root.pem
u 0 keystore list cacerts
assert_contains "$T/err" "integrity was not checked"
assert_contains "$T/out" "uccacert, "
u 0 keystore list cacerts --storepass-file changeit
assert_not_contains "$T/err" "integrity"
u 2 keystore list cacerts --storepass-file pw
assert_contains "$T/err" "wrong password or corrupted keystore"
ok "changeit only when given (file or UCPKI_STOREPASS); listing without it warns"

# import-keystore PKCS#12 -> JKS (guide 3.4.4) and back, with -v listing.
u 0 convert srv.pem --key srvkey.pem --chain chain.pem --alias mediaserver --to p12 --pass-file pw2 --out media.p12
u 0 keystore import-ca tls-keystore.jks --alias acmeroot --file root.pem --storepass-file pw
u 0 keystore import-keystore --src media.p12 --src-pass-file pw2 --dest tls-keystore.jks --dest-pass-file pw
assert_contains "$T/out" "imported 1 entry"
u 0 keystore list tls-keystore.jks -v --storepass-file pw
assert_contains "$T/out" "Alias name: mediaserver"
assert_contains "$T/out" "Entry type: PrivateKeyEntry"
assert_contains "$T/out" "Certificate chain length: 3"
assert_contains "$T/out" "SHA256: $(fp256 srv.pem)"
u 2 keystore import-keystore --src media.p12 --src-pass-file pw2 --dest tls-keystore.jks --dest-pass-file pw
assert_contains "$T/err" "already exists"
u 0 keystore import-keystore --src tls-keystore.jks --src-pass-file pw --src-alias mediaserver \
	--dest-alias tomcat --dest back.p12 --dest-pass-file pw2
u 0 keystore export back.p12 --alias tomcat --order key --pkcs1 --storepass-file pw2 --out back.key
assert_eq "$(head -1 back.key)" "-----BEGIN RSA PRIVATE KEY-----" "PKCS#1 export"
assert_eq "$(pub_of_key back.key)" "$(pub_of_cert srv.pem)" "key survives P12 -> JKS -> P12"
ok "import-keystore PKCS#12 -> JKS -> PKCS#12, duplicate refused, key kept"

# passwd: store and key passwords change, keys still open.
cp tls-keystore.jks before
u 0 keystore passwd tls-keystore.jks --storepass-file pw --new-pass-file pw2
cmp -s tls-keystore.jks.bak before || fail "passwd did not keep the .bak"
u 2 keystore list tls-keystore.jks --storepass-file pw
assert_contains "$T/err" "wrong password or corrupted keystore"
u 0 keystore export tls-keystore.jks --alias mediaserver --order key --storepass-file pw2 --out k2.pem
assert_eq "$(pub_of_key k2.pem)" "$(pub_of_cert srv.pem)" "key after passwd"
u 2 keystore passwd tls-keystore.jks --storepass-file pw --new-pass-file pw
assert_one_line_error
ok "passwd changes store and key passwords; the old one stops working"

# JSON listing is one document.
u 0 --json keystore list tls-keystore.jks --storepass-file pw2
assert_eq "$(head -c1 "$T/out")" "{" "JSON document"
assert_contains "$T/out" '"key_unlocked": true'
ok "--json list"
done_testing
