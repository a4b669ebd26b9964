#!/usr/bin/env bash
# Every generated install.sh, run for real against a fake host tree holding
# the products' stores as shipped (made by keytool with the products'
# default passwords and a vendor-default certificate inside), judged with
# keytool and openssl: the new certificate under the right alias, the old
# one gone, other trusted entries kept, backups made, owner and mode set;
# a second run changes nothing; --rollback gives the original bytes back.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/interop/solution/example.sh"
. "$UCPKI_SRC/tests/interop/install/host.sh"
command -v keytool >/dev/null || fail "keytool is needed (scripts/deps.sh installs it)"
if [ "$(id -u)" -eq 0 ] && ! getent passwd sym >/dev/null; then
	groupadd -r sym 2>/dev/null || :
	useradd -r -g sym -M -s /usr/sbin/nologin sym 2>/dev/null || :
fi

# The back-end's internal CA on port 4709 (guide 3.3.9), for the Facade's fetch.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/int-ca.key" -subj '/O=UC/CN=UC internal CA' \
	-days 365 -out "$T/int-ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$T/be.key" -subj '/CN=ucbe.internal' -out "$T/be.csr" 2>/dev/null
openssl x509 -req -in "$T/be.csr" -CA "$T/int-ca.pem" -CAkey "$T/int-ca.key" -CAcreateserial \
	-days 30 -out "$T/be.pem" 2>/dev/null
cat "$T/be.pem" "$T/int-ca.pem" >"$T/be-chain.pem"
port=$((20000 + RANDOM % 20000))
openssl s_server -accept "127.0.0.1:$port" -cert "$T/be.pem" -key "$T/be.key" -cert_chain "$T/be-chain.pem" \
	-quiet -naccept 20 >/dev/null 2>&1 </dev/null &
srv=$!
trap 'kill $srv 2>/dev/null' EXIT
int_md5=$(openssl x509 -modulus -noout -in "$T/int-ca.pem" | openssl md5 | sed 's/.*= *//')

# The example, with the Facade pointed at that back-end.
cp "$UCPKI_SRC/examples/solution.yaml" "$T/solution.yaml"
sed -i "s|{name: facade, product: \[facade-mobile, facade-uc\], fqdn: facade.acme.example, options: {haproxy: true}}|{name: facade, product: [facade-mobile, facade-uc], fqdn: facade.acme.example, options: {haproxy: true, backend: 127.0.0.1, backend-port: $port}}|" "$T/solution.yaml"
grep -q "backend-port: $port" "$T/solution.yaml" || fail "could not point the Facade at the test back-end"
u 0 solution issue "$T/solution.yaml" --out "$D"

nodes=$(cd "$D" && ls -d */install.sh | cut -d/ -f1)
assert_eq "$(echo $nodes)" "facade media openfire uc-apache uc-be uc-fe" "nodes with a Linux host"

# install NODE [ARGS]: run the node's script against its host tree.
install() {
	local node=$1
	shift
	UCPKI_INSTALL_ROOT="$T/host-$node" UCPKI_PEER_CA_MD5="$int_md5" PATH="$(dirname "$UCPKI"):$PATH" \
		sh "$D/$node/install.sh" "$@" >"$T/$node.out" 2>&1 || { cat "$T/$node.out"; fail "$node: install.sh $* failed"; }
}
restarts() { grep -c . "$T/host-$1/calls.log" || true; }

for node in $nodes; do
	make_host "$node" "$T/host-$node"
	cp -a "$T/host-$node" "$T/orig-$node"
	tree_state "$T/host-$node" >"$T/$node.state0"
	install "$node" --dry-run
	tree_state "$T/host-$node" >"$T/$node.state-dry"
	cmp -s "$T/$node.state0" "$T/$node.state-dry" || { diff "$T/$node.state0" "$T/$node.state-dry"; fail "$node: --dry-run changed the host"; }
	assert_contains "$T/$node.out" "+ "
	install "$node"
	assert_match "$T/$node.out" "^done: [1-9][0-9]* change"
	[ "$(grep -c 'restart' "$T/host-$node/calls.log")" -eq 1 ] || { cat "$T/host-$node/calls.log"; fail "$node: not exactly one restart"; }
	ok "$node: install.sh ran, one restart, --dry-run changed nothing"
done

# --- media server: both JKS stores, password 'password' as shipped -----------
H=$T/host-media/opt/siemens/mediaserver/application_host/providers
new=$(p12_fp "$D/media/mediaserver.p12" "$D/media/secrets/transfer.pass")
assert_eq "$(kt_fp "$H/sip-connectivity/tls-keystore.jks" JKS password mediaserver)" "$new" "tls-keystore.jks: mediaserver"
assert_eq "$(kt_aliases "$H/sip-connectivity/tls-keystore.jks" JKS password PrivateKeyEntry)" "mediaserver" "tls-keystore.jks: only key entry"
assert_eq "$(kt_aliases "$H/sip-connectivity/tls-keystore.jks" JKS password trustedCertEntry | paste -sd,)" \
	"acme-root-ca,acme-uc-ca,vendor-public-ca" "tls-keystore.jks: the solution CAs added, the vendor CA kept"
assert_eq "$(kt_fp "$H/tomcat/tomcat-home/conf/keystore.jks" JKS password ms-tomcat)" \
	"$(p12_fp "$D/media/ms-tomcat.p12" "$D/media/secrets/transfer.pass")" "keystore.jks: ms-tomcat"
assert_eq "$(kt_aliases "$H/tomcat/tomcat-home/conf/keystore.jks" JKS password PrivateKeyEntry)" "ms-tomcat" "keystore.jks: vendor key gone"
# the product opens the key with the store password
printf 'password\n' >"$T/pw"
keytool -certreq -alias ms-tomcat -keystore "$H/tomcat/tomcat-home/conf/keystore.jks" -storepass:file "$T/pw" \
	-keypass:file "$T/pw" -file "$T/req.csr" >/dev/null 2>&1 || fail "keystore.jks: the key does not open with the store password"
cmp -s "$H/sip-connectivity/tls-keystore.jks.bak" "$T/orig-media/opt/siemens/mediaserver/application_host/providers/sip-connectivity/tls-keystore.jks" ||
	fail "tls-keystore.jks.bak is not the store as shipped"
ok "media-server: key entries replaced in both JKS stores (password 'password'), CAs added, vendor CA kept, backups"

# --- Facade: the back-end's internal CA in the JRE cacerts (changeit) --------
J=$T/host-facade/opt/siemens/share/ibm-java-x86_64-80/jre/lib/security/cacerts
assert_eq "$(kt_fp "$J" JKS changeit uccacert)" "$(pem_fp "$T/int-ca.pem")" "cacerts: uccacert is the back-end's internal CA"
assert_eq "$(kt_aliases "$J" JKS changeit trustedCertEntry | grep -c vendor-public-ca)" 1 "cacerts keeps its CAs"
P=$T/host-facade/usr/local/tomcat6/conf
cmp -s "$P/OSC-Facade-Server-Default-Cert.p12" "$D/facade/facade-mobile/OSC-Facade-Server-Default-Cert.p12" || fail "Facade keystore not replaced"
assert_eq "$(stat -c %a:%U:%G "$P/OSC-Facade-Server-Default-Cert.p12")" "644:sym:sym" "Facade keystore owner and mode"
assert_eq "$(stat -c %a "$T/host-facade/etc/haproxy/certs/facade-haproxy.pem")" 600 "HAProxy file with the key is 0600"
ok "facade: back-end CA fetched and imported after the modulus MD5 check; public keystore replaced"

# a Facade run without the back-end's MD5 refuses and changes nothing
cp -a "$T/orig-facade" "$T/host-facade2"
UCPKI_INSTALL_ROOT="$T/host-facade2" sh "$D/facade/install.sh" >"$T/f2.out" 2>&1 && fail "install.sh imported an unchecked CA"
assert_contains "$T/f2.out" "UCPKI_PEER_CA_MD5"
assert_contains "$T/f2.out" "$int_md5"
UCPKI_INSTALL_ROOT="$T/host-facade2" UCPKI_PEER_CA_MD5=0123456789abcdef0123456789abcdef sh "$D/facade/install.sh" >"$T/f2.out" 2>&1 &&
	fail "install.sh imported a CA with the wrong MD5"
diff <(tree_state "$T/orig-facade") <(tree_state "$T/host-facade2") >/dev/null || fail "a refused Facade run changed the host"
ok "facade: no MD5 or a wrong one: refused before any change"

# --- Openfire: the CAs merged into the truststore (changeit) ------------------
O=$T/host-openfire/opt/openfire/resources/security/truststore
assert_eq "$(kt_aliases "$O" JKS changeit trustedCertEntry | paste -sd,)" "acme root ca,acme uc ca,vendor-public-ca" "openfire truststore"
ok "openfire: CAs imported into the truststore as shipped"

# --- UC Apache: CA file appended (issuing CA, then root), key 0600 -----------
A=$T/host-uc-apache/etc/apache2
assert_pem_order "$A/ssl.crt/sen_cacert.pem" "CERTIFICATE,CERTIFICATE,CERTIFICATE"
assert_eq "$(subject_of "$A/ssl.crt/sen_cacert.pem" 1)" "$(subject_of "$T/vendor-ca.pem" 1)" "sen_cacert.pem keeps what was there"
assert_eq "$(subject_of "$A/ssl.crt/sen_cacert.pem" 2)" "$(subject_of "$D/uc-apache/sen_cacert.pem" 1)" "issuing CA appended first"
assert_eq "$(stat -c %a "$A/ssl.key/sen_key.pem")" 600 "sen_key.pem mode"
cmp -s "$A/ssl.crt/sen_cert.pem" "$D/uc-apache/sen_cert.pem" || fail "sen_cert.pem not installed"
grep -q '^ENC:' "$A/ssl.key/apache_httpd_pass" || fail "apache_httpd_pass does not hold the encoded pass phrase"
ok "uc-apache: CAs appended in issuer order, key 0600, pass phrase encoded by the product's tool"

# --- UC back-end: Assistant, Bcom, CMP, SPML -----------------------------------
U=$T/host-uc-be/opt/siemens
cmp -s "$U/common/conf/axis_soap_tls/osvkeystore.p12" "$D/uc-be/uc-assistant/osvkeystore.p12" || fail "osvkeystore.p12 not replaced"
assert_eq "$(kt_aliases "$U/common/conf/axis_soap_tls/osvtrustore.jks" JKS importkey trustedCertEntry | paste -sd,)" \
	"acme root ca,acme uc ca,vendor-public-ca" "osvtrustore.jks: imported into, not replaced (guide 3.3.1)"
assert_eq "$(kt_aliases "$U/common/conf/axis_soap_tls/osvtrustore.jks" JKS importkey PrivateKeyEntry)" "vendor-default" \
	"osvtrustore.jks keeps its other entries"
cmp -s "$T/host-uc-be.bcom-imported.pem" "$D/uc-be/uc-bcom/bcom-import.pem" || fail "bcomImportCert.sh did not get bcom-import.pem"
grep -q 'name="CMP_https"' "$U/share/tomcat/conf/server.xml" || fail "server.xml lost its connector"
grep -q 'keystorePass="ENC:' "$U/share/tomcat/conf/server.xml" || fail "server.xml: keystorePass not encoded"
grep -q 'vendorEncoded' "$U/share/tomcat/conf/server.xml" && fail "server.xml still holds a shipped keystorePass of CMP or SPML"
grep -q 'qe13.eq31' "$U/share/tomcat/conf/server.xml" || fail "server.xml: another connector was changed"
assert_contains "$U/common/conf/application-external/trust-store.properties" 'other.setting=kept'
ok "uc-be: Assistant keystore replaced and truststore imported into, Bcom script run, CMP/SPML connectors edited"

# --- WebClient: .keystore replaced, ssl.cfg set --------------------------------
W=$T/host-uc-fe/opt/siemens/HiPathCA
cmp -s "$W/distribution/.keystore" "$D/uc-fe/.keystore" || fail ".keystore not replaced"
for f in CAMgmt Portal; do
	c=$W/config/services/default/Httpd/$f/ssl.cfg
	assert_contains "$c" "com.siemens.ca.server.SSLport.keystoreType=PKCS12"
	assert_contains "$c" "com.siemens.ca.server.SSLport.keystorePass=$(cat "$D/uc-fe/secrets/store.pass")"
	assert_eq "$(grep -c '^com.siemens.ca.server.SSLport.keystorePass=' "$c")" 1 "$f ssl.cfg: one keystorePass line"
done
ok "uc-webclient: keystore replaced, both ssl.cfg with type and password"

# --- second run: nothing changes; --rollback: the original bytes -------------
for node in $nodes; do
	tree_state "$T/host-$node" >"$T/$node.state1"
	install "$node"
	assert_contains "$T/$node.out" "nothing changed"
	tree_state "$T/host-$node" >"$T/$node.state2"
	cmp -s "$T/$node.state1" "$T/$node.state2" || { diff "$T/$node.state1" "$T/$node.state2"; fail "$node: the second run changed the host"; }
	[ "$(grep -c restart "$T/host-$node/calls.log")" -eq 1 ] || fail "$node: the second run restarted"
	install "$node" --rollback
	assert_match "$T/$node.out" "rollback: [1-9][0-9]* file"
	(cd "$T/orig-$node" && find . -type f ! -name calls.log) | while read -r f; do
		cmp -s "$T/orig-$node/$f" "$T/host-$node/$f" || fail "$node: $f differs from the original after --rollback"
		[ "$(stat -c %a:%U "$T/orig-$node/$f")" = "$(stat -c %a:%U "$T/host-$node/$f")" ] || fail "$node: $f mode/owner after --rollback"
	done
	extra=$(cd "$T/host-$node" && find . -type f ! -name calls.log ! -name '*.bak' ! -name '*.bak.[0-9]*' | sort |
		comm -23 - <(cd "$T/orig-$node" && find . -type f | sort))
	assert_eq "$extra" "" "$node: files left by install after --rollback"
	ok "$node: second run changes nothing; --rollback restores every file byte for byte"
done
done_testing
