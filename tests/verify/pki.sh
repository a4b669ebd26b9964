# Test material for the verify tests, made fresh in the scratch dir: a
# ucpki PKI (root -> sub -> leaves) and an openssl PKI (EC P-256; the
# certificates ucpki cannot issue on purpose: past and future validity,
# unknown critical extensions, malformed wildcards). Source after lib.sh.
#
# Files (under $T/v):
#   u-root.pem u-sub.pem          ucpki CAs (u-sub.pem is the chain file)
#   good.pem good.key             CN=sip.example.com, SAN DNS/IPv4/IPv6/::1
#   bundle.pem                    good cert + key + chain in one file
#   wild.pem cnonly.pem cnsan.pem eku-client.pem eku-code.pem revoked.pem
#   u-crl.pem                     CRL of u-sub listing revoked.pem
#   o-root.pem o-root.key o-sub.pem (expired intermediate) o-crl.pem
#   expired.pem future.pem under-expired-sub.pem crit.pem partial.pem
#   midwild.pem tldwild.pem selfsigned.pem
#   ocsp-good.pem ocsp-revoked.pem ocsp-signer.pem/.key (issued by o-root)

FIXTURE=$(dirname "$UCPKI")/tests/verify/fixture_server

mk_ucpki_pki() {
	new_state
	u 0 pki create t
	u 0 ca create t/root --subject "C=US, O=Test, CN=Test Root"
	u 0 ca create t/sub --subject "C=US, O=Test, CN=Test Sub" --parent t/root
	u 0 ca export t/root --out v/u-root.pem
	u 0 ca export t/sub --out v/u-sub.pem
	u 0 issue --ca t/sub --subject "CN=sip.example.com" --eku serverAuth \
		--san "DNS:sip.example.com,IP:192.0.2.10,IP:2001:db8::1,IP:::1" \
		--out-cert v/good.pem --out-key v/good.key
	cat v/good.pem v/good.key v/u-sub.pem >v/bundle.pem
	u 0 issue --ca t/sub --subject "CN=wild" --no-cn-san --san "DNS:*.example.com" \
		--out-cert v/wild.pem --out-key v/wild.key
	u 0 issue --ca t/sub --subject "CN=cn.example.com" --no-cn-san \
		--out-cert v/cnonly.pem --out-key v/cnonly.key
	u 0 issue --ca t/sub --subject "CN=alt.example.com" --no-cn-san --san "DNS:other.example.com" \
		--out-cert v/cnsan.pem --out-key v/cnsan.key
	u 0 issue --ca t/sub --subject "CN=phone.example.com" --eku clientAuth --critical eku \
		--out-cert v/eku-client.pem --out-key v/eku-client.key
	u 0 issue --ca t/sub --subject "CN=client.example.com" --eku clientAuth \
		--out-cert v/eku-client-nc.pem --out-key v/eku-client-nc.key
	u 0 issue --ca t/sub --subject "CN=code.example.com" --eku codeSigning --critical eku \
		--out-cert v/eku-code.pem --out-key v/eku-code.key
	u 0 issue --ca t/sub --subject "CN=revoked.example.com" \
		--out-cert v/revoked.pem --out-key v/revoked.key
	u 0 revoke --ca t/sub "$(openssl x509 -in v/revoked.pem -noout -serial | cut -d= -f2)" \
		--reason keyCompromise
	u 0 crl --ca t/sub --out v/u-crl.pem
}

o_ca() { # o_ca CERT KEY EXT CSR OUT [openssl ca args]
	local cert=$1 key=$2 ext=$3 csr=$4 out=$5; shift 5
	openssl ca -batch -config v/o/ca.cnf -cert "$cert" -keyfile "$key" -extensions "$ext" \
		-in "$csr" -out "$out" -notext "$@" >>v/o/log 2>&1 || { cat v/o/log; fail "openssl ca $out"; }
}

o_csr() { # o_csr NAME CN
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "v/$1.key" \
		-out "v/o/$1.csr" -subj "/CN=$2" 2>/dev/null || fail "openssl req $1"
}

mk_openssl_pki() {
	mkdir -p v/o/new
	: >v/o/index.txt
	echo 1000 >v/o/serial
	echo 1000 >v/o/crlnumber
	cat >v/o/ca.cnf <<-'EOF'
	[ca]
	default_ca = o
	[o]
	database = v/o/index.txt
	new_certs_dir = v/o/new
	serial = v/o/serial
	crlnumber = v/o/crlnumber
	default_md = sha256
	default_days = 365
	default_crl_days = 30
	policy = any
	unique_subject = no
	[any]
	commonName = supplied
	[leaf]
	basicConstraints = CA:FALSE
	keyUsage = digitalSignature
	subjectAltName = $ENV::SAN
	[ocspleaf]
	basicConstraints = CA:FALSE
	keyUsage = digitalSignature
	subjectAltName = $ENV::SAN
	authorityInfoAccess = OCSP;URI:$ENV::OCSP_URL
	[subca]
	basicConstraints = critical, CA:TRUE
	keyUsage = critical, keyCertSign, cRLSign
	[crit]
	basicConstraints = CA:FALSE
	subjectAltName = DNS:crit.example.com
	1.3.6.1.4.1.55555.1 = critical, ASN1:UTF8String:unknown to everyone
	[crldp]
	basicConstraints = CA:FALSE
	keyUsage = digitalSignature
	subjectAltName = DNS:crldp.example.com
	crlDistributionPoints = URI:$ENV::CRL_URL
	[signer]
	basicConstraints = CA:FALSE
	keyUsage = critical, digitalSignature
	extendedKeyUsage = critical, OCSPSigning
	EOF
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout v/o-root.key \
		-out v/o-root.pem -subj "/CN=O Root" -days 3650 \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		2>/dev/null || fail "openssl root"
	export SAN=DNS:unused.example.com OCSP_URL=http://127.0.0.1:9/ CRL_URL=http://127.0.0.1:9/
	o_csr o-sub "O Expired Sub"
	o_ca v/o-root.pem v/o-root.key subca v/o/o-sub.csr v/o-sub.pem \
		-startdate 20200101000000Z -enddate 20210101000000Z
	o_csr under-expired-sub under.example.com
	SAN=DNS:under.example.com o_ca v/o-sub.pem v/o-sub.key leaf v/o/under-expired-sub.csr \
		v/under-expired-sub.pem
	o_csr expired expired.example.com
	SAN=DNS:expired.example.com o_ca v/o-root.pem v/o-root.key leaf v/o/expired.csr v/expired.pem \
		-startdate 20200101000000Z -enddate 20210101000000Z
	o_csr future future.example.com
	SAN=DNS:future.example.com o_ca v/o-root.pem v/o-root.key leaf v/o/future.csr v/future.pem \
		-startdate 20450101000000Z -enddate 20460101000000Z
	o_csr crit crit.example.com
	o_ca v/o-root.pem v/o-root.key crit v/o/crit.csr v/crit.pem
	o_csr partial partial
	SAN='DNS:f*.example.com' o_ca v/o-root.pem v/o-root.key leaf v/o/partial.csr v/partial.pem
	o_csr midwild midwild
	SAN='DNS:a.*.example.com' o_ca v/o-root.pem v/o-root.key leaf v/o/midwild.csr v/midwild.pem
	o_csr tldwild tldwild
	SAN='DNS:*.com' o_ca v/o-root.pem v/o-root.key leaf v/o/tldwild.csr v/tldwild.pem
	o_csr ocsp-signer "O OCSP Responder"
	o_ca v/o-root.pem v/o-root.key signer v/o/ocsp-signer.csr v/ocsp-signer.pem
	openssl ca -batch -config v/o/ca.cnf -cert v/o-root.pem -keyfile v/o-root.key -gencrl \
		-out v/o-crl.pem >>v/o/log 2>&1 || fail "openssl gencrl"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout v/selfsigned.key \
		-out v/selfsigned.pem -subj "/CN=sip.example.com" -days 30 \
		-addext "subjectAltName=DNS:sip.example.com" 2>/dev/null || fail "self-signed"
}

# A leaf whose CRL distribution point is url.
mk_crldp_leaf() { # mk_crldp_leaf URL OUT
	export CRL_URL=$1
	o_csr "$2" crldp.example.com
	o_ca v/o-root.pem v/o-root.key crldp "v/o/$2.csr" "v/$2.pem"
}

# OCSP leaves whose AIA names url; call after picking the responder's port.
mk_ocsp_leaves() { # mk_ocsp_leaves URL
	export OCSP_URL=$1
	o_csr ocsp-good ocsp-good.example.com
	SAN=DNS:ocsp-good.example.com o_ca v/o-root.pem v/o-root.key ocspleaf v/o/ocsp-good.csr \
		v/ocsp-good.pem
	o_csr ocsp-revoked ocsp-revoked.example.com
	SAN=DNS:ocsp-revoked.example.com o_ca v/o-root.pem v/o-root.key ocspleaf \
		v/o/ocsp-revoked.csr v/ocsp-revoked.pem
	openssl ca -config v/o/ca.cnf -cert v/o-root.pem -keyfile v/o-root.key \
		-revoke v/ocsp-revoked.pem -crl_reason keyCompromise >>v/o/log 2>&1 || fail "openssl revoke"
}

mk_pki() {
	mkdir -p v
	mk_ucpki_pki
	mk_openssl_pki
}

# wait_for FILE PATTERN PID: until FILE has PATTERN (0), or PID died (1).
wait_for() {
	local i
	for i in $(seq 1 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# start_bg NAME LOGPATTERN cmd...: start a peer on a free port. The command
# line may use @PORT@; tries ports until one binds. Sets PEER_PORT, PEER_PID.
start_bg() {
	local name=$1 pat=$2 try port; shift 2
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + (RANDOM * 7 + try * 131) % 40000))
		local args=() a
		for a in "$@"; do args+=("${a//@PORT@/$port}"); done
		"${args[@]}" >"$T/$name.log" 2>&1 &
		PEER_PID=$!
		if wait_for "$T/$name.log" "$pat" "$PEER_PID"; then
			PEER_PORT=$port
			BG_PIDS="${BG_PIDS:-} $PEER_PID"
			return 0
		fi
		kill "$PEER_PID" 2>/dev/null
		wait "$PEER_PID" 2>/dev/null
	done
	cat "$T/$name.log"
	fail "could not start $name"
}

# start_fixture MODE [args]: the fixture server; sets FIX_PORT, FIX_PID.
start_fixture() {
	"$FIXTURE" "$@" >"$T/fixture.$$.log" 2>&1 &
	FIX_PID=$!
	BG_PIDS="${BG_PIDS:-} $FIX_PID"
	wait_for "$T/fixture.$$.log" '^PORT ' "$FIX_PID" || fail "fixture server did not start"
	FIX_PORT=$(sed -n 's/^PORT //p' "$T/fixture.$$.log")
	mv "$T/fixture.$$.log" "$T/fixture.$FIX_PORT.log"
}

stop_bg() {
	local p
	for p in ${BG_PIDS:-}; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	BG_PIDS=
}
trap 'stop_bg; rm -rf "$T"' EXIT
