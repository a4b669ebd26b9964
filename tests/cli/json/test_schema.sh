#!/usr/bin/env bash
# Every command's --json output, errors included, validated against
# tests/json/ucpki.schema.json (docs/json.md) with a real validator (ajv-cli,
# installed from the npm registry into a cache directory when missing), and a
# few values checked with jq: serials lower-case hex equal to openssl's,
# days_left a number, SANs an array of {type, value}.
. "$UCPKI_SRC/tests/lib.sh"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
SCHEMA=$UCPKI_SRC/tests/json/ucpki.schema.json
CACHE=${UCPKI_AJV_CACHE:-${UCPKI_TEST_TMP:-/tmp}/ucpki-ajv-cache}
AJV=$CACHE/node_modules/.bin/ajv
if [ ! -x "$AJV" ] || [ ! -d "$CACHE/node_modules/ajv-formats" ] ||
	! cmp -s "$UCPKI_SRC/tests/json/package-lock.json" "$CACHE/package-lock.json"; then
	mkdir -p "$CACHE"
	cp "$UCPKI_SRC/tests/json/package.json" "$UCPKI_SRC/tests/json/package-lock.json" "$CACHE/"
	(cd "$CACHE" && npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1 ||
		{ cat "$T/npm.log"; fail "npm could not install ajv-cli"; }
fi
"$AJV" compile -s "$SCHEMA" --spec=draft2020 -c ajv-formats --strict=true >"$T/compile" 2>&1 ||
	{ cat "$T/compile"; fail "the schema does not compile"; }
ok "the schema compiles (ajv, draft 2020-12, formats)"

ID=$(jq -r '."$id"' "$SCHEMA")
# validate FILE DEF: FILE against $defs/DEF of the schema, with ajv.
validate() {
	printf '{"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "%s#/$defs/%s"}\n' \
		"$ID" "$2" >"$T/wrap.json"
	"$AJV" validate --spec=draft2020 -c ajv-formats -s "$T/wrap.json" -r "$SCHEMA" -d "$1" \
		--errors=text >"$T/ajv" 2>&1 || { cat "$1" "$T/ajv"; fail "$1 does not follow \$defs/$2"; }
	# and the root schema, which accepts any command's document
	"$AJV" validate --spec=draft2020 -c ajv-formats -s "$SCHEMA" -d "$1" >"$T/ajv" 2>&1 ||
		{ cat "$1" "$T/ajv"; fail "$1 does not follow the root schema"; }
}

mkdir -p docs-out
N=0
# j STATUS DEF ARGS...: run ucpki --json ARGS, expect STATUS, keep stdout as
# $f (docs-out/NN-DEF.json) and validate it against $defs/DEF. An error
# document comes with one short line on stderr.
j() {
	local want=$1 def=$2; shift 2
	N=$((N + 1))
	f=docs-out/$(printf '%02d' "$N")-$def.json
	u "$want" --json "$@"
	cp "$T/out" "$f"
	[ "$(jq -s length "$f" 2>/dev/null)" = 1 ] || { cat "$f"; fail "'$*': stdout is not one JSON document"; }
	[ "$def" != error ] || assert_one_line_error
	validate "$f" "$def"
}

# --- the state, a PKI, CAs ------------------------------------------------
printf 'correct horse battery staple\n' >pass
chmod 600 pass
export UCPKI_STATE_PASS='correct horse battery staple'
j 0 init init
j 0 pki_create pki create acme
j 0 pki_list pki list
j 0 ca_create ca create acme/root --subject "C=US, O=Acme, CN=Acme Root" --key-spec ec:p256
j 0 ca_create ca create acme/sub --parent acme/root --subject "C=US, O=Acme, CN=Acme Sub" --key-spec ec:p256
j 0 ca_list ca list
j 0 ca_export ca export acme/sub --chain --out chain.pem
j 0 ca_export ca export acme/root --out root.pem

# --- issue, sign, revoke, crl, certs --------------------------------------
j 0 issue issue --ca acme/sub --subject "O=Acme, CN=web.acme.example" \
	--san DNS:web.acme.example,DNS:www.acme.example,IP:10.0.0.5,email:ops@acme.example \
	--eku serverAuth --days 365 --out-cert web.pem --out-key web.key
web_doc=$f
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout csr.key -out web.csr \
	-subj "/O=Acme/CN=csr.acme.example" -addext "subjectAltName=DNS:csr.acme.example,IP:10.0.0.6" 2>/dev/null ||
	fail "openssl req"
j 0 sign sign --ca acme/sub --csr web.csr --out-cert csr.pem
sign_doc=$f
j 0 issue issue --ca acme/sub --subject "O=Acme, CN=lost.acme.example" --out-cert lost.pem --out-key lost.key
lost_serial=$(openssl x509 -in lost.pem -noout -serial | cut -d= -f2)
j 0 revoke revoke --ca acme/sub "$lost_serial" --reason keyCompromise
revoke_doc=$f
j 0 crl crl --ca acme/sub --out sub.crl
j 0 certs certs
certs_doc=$f
j 0 certs certs --ca acme/sub --expiring 30
j 1 certs certs --expiring 400

# --- show, match, convert, keystore ---------------------------------------
printf 'p12 password\n' >p12pass
j 0 convert convert web.pem --key web.key --chain chain.pem --format p12 --new-password-file p12pass --out web.p12
j 0 convert convert web.pem --format der --out web.der
j 0 show show web.pem
show_doc=$f
j 0 show show web.key
j 0 show show web.csr
j 0 show show sub.crl
j 0 show show web.p12 --password-file p12pass
j 0 show show chain.pem
j 0 match match web.pem web.key
j 1 match match web.pem csr.key
j 0 keystore_list keystore list web.p12 --password-file p12pass
j 0 keystore_import_ca keystore import-ca trust.jks --alias acme-root --file root.pem --password-file p12pass
j 0 keystore_list keystore list trust.jks --password-file p12pass
j 0 keystore_import_keystore keystore import-keystore --src web.p12 --dest web.jks \
	--src-password-file p12pass --dest-password-file p12pass
j 0 keystore_export keystore export web.jks --alias 1 --out exported.pem --password-file p12pass
j 0 keystore_delete keystore delete trust.jks --alias acme-root --password-file p12pass
printf 'new password\n' >newpass
j 0 keystore_passwd keystore passwd web.jks --password-file p12pass --new-password-file newpass
j 2 error keystore list web.jks --password-file p12pass

# --- ca import: a customer's CA from a PKCS#12 file ---------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout cust.key -out cust.pem \
	-subj "/O=Customer/CN=Customer CA" -days 365 -addext basicConstraints=critical,CA:TRUE \
	-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || fail "openssl req (customer CA)"
openssl pkcs12 -export -in cust.pem -inkey cust.key -passout file:p12pass -out cust.p12 || fail "pkcs12 -export"
j 0 ca_import ca import acme/customer --p12 cust.p12 --password-file p12pass

# --- probe: a TLS server made by openssl s_server -----------------------------
for try in 1 2 3 4 5 6 7 8; do
	port=$((20000 + (RANDOM * 7 + try * 131) % 40000))
	openssl s_server -www -accept "127.0.0.1:$port" -cert web.pem -key web.key -cert_chain chain.pem \
		>s_server.log 2>&1 &
	srv=$!
	for _ in $(seq 1 100); do
		grep -q ACCEPT s_server.log 2>/dev/null && break
		kill -0 "$srv" 2>/dev/null || break
		sleep 0.05
	done
	grep -q ACCEPT s_server.log && break
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	srv=
done
[ -n "${srv:-}" ] || { cat s_server.log; fail "could not start openssl s_server"; }
trap 'kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; rm -rf "$T"' EXIT
j 0 probe probe "127.0.0.1:$port" --host web.acme.example --trust root.pem
probe_doc=$f
j 0 probe probe "127.0.0.1:$port"
kill "$srv" 2>/dev/null
wait "$srv" 2>/dev/null
j 2 error probe "127.0.0.1:$port" --timeout 2000

# --- probe serve: one JSON line where it listens, then one per handshake ------
"$UCPKI" --json probe serve --port 0 --cert web.pem --key web.key --chain chain.pem --count 1 \
	>serve.out 2>serve.err &
srv=$!
for _ in $(seq 1 100); do
	grep -q '"listening"' serve.out 2>/dev/null && break
	kill -0 "$srv" 2>/dev/null || break
	sleep 0.05
done
serve_port=$(head -1 serve.out | jq -r .port)
openssl s_client -connect "127.0.0.1:$serve_port" -servername web.acme.example -CAfile root.pem \
	</dev/null >s_client.out 2>&1
wait "$srv" || { cat serve.out serve.err; fail "probe serve --count 1 failed"; }
srv=
[ "$(wc -l <serve.out)" = 2 ] || { cat serve.out; fail "probe serve: two JSON lines"; }
i=0
while IFS= read -r line; do
	i=$((i + 1))
	printf '%s\n' "$line" >"serve-$i.json"
	validate "serve-$i.json" probe_serve_line
done <serve.out

# --- lint, profiles, verify -----------------------------------------------
j 0 lint lint web.pem web.key
j 0 lint_rules lint --rules
j 0 profiles_list profiles list
j 0 profiles_show profiles show osv
j 0 verify verify web.pem --chain chain.pem --trust root.pem --host web.acme.example
verify_doc=$f
j 1 verify verify lost.pem --trust web.pem
j 0 verify_rules verify --rules

# --- solution ---------------------------------------------------------------
j 0 solution_plan solution plan "$UCPKI_SRC/examples/solution.yaml" --out deploy --state sol-state
plan_doc=$f
j 0 solution_issue solution issue "$UCPKI_SRC/examples/solution.yaml" --out deploy --state sol-state
j 0 solution_lint solution lint "$UCPKI_SRC/examples/solution.yaml" --out deploy --state sol-state
j 0 solution_status solution status "$UCPKI_SRC/examples/solution.yaml" --out deploy --state sol-state
status_doc=$f
# nothing of the example listens (its names do not even resolve): every node
# unreached, exit 1
j 1 solution_probe solution probe "$UCPKI_SRC/examples/solution.yaml" --out deploy --state sol-state --timeout 500

# --- state ------------------------------------------------------------------
j 0 state_check state check
j 0 state_backup state backup backup.db

# --- errors -----------------------------------------------------------------
j 2 error issue --ca acme/nope --subject CN=x --out-cert x.pem --out-key x.key
j 2 error issue --ca acme/sub --subject CN=x --out-cert web.pem --out-key x.key
j 2 error show --no-such-option
j 2 error show missing.pem
j 2 error revoke --ca acme/sub zz-not-hex
j 2 error solution issue missing.yaml --out deploy2
ok "every command's --json document follows the schema ($N documents, errors included)"

# --- verify --batch: one JSON line per certificate, errors as error objects -----
printf '%s web.acme.example\nmissing.pem\n' web.pem >batch.txt
u 2 --json verify --batch batch.txt --chain chain.pem --trust root.pem
[ "$(wc -l <"$T/out")" = 2 ] || { cat "$T/out"; fail "verify --batch: two lines"; }
i=0
while IFS= read -r line; do
	i=$((i + 1))
	printf '%s\n' "$line" >"batch-$i.json"
	validate "batch-$i.json" verify_batch_line
done <"$T/out"
assert_eq "$(jq -r .error.code batch-2.json)" not-found "a batch line's error code"
ok "verify --batch --json: every line follows the schema, an error as {error: {code, message}}"

# --- values ----------------------------------------------------------------------
web_serial=$(openssl x509 -in web.pem -noout -serial | cut -d= -f2 | tr A-F a-f)
assert_eq "$(jq -r .serial "$web_doc")" "$web_serial" "issue: the serial as openssl prints it, lower-cased"
assert_eq "$(jq -r '.objects[0].serial' "$show_doc")" "$web_serial" "show: the same serial"
assert_eq "$(jq -r '.path[0].serial' "$verify_doc")" "$web_serial" "verify: the same serial"
assert_eq "$(jq -r .leaf_serial "$probe_doc")" "$web_serial" "probe: the leaf's serial"
assert_eq "$(jq -r '.tls.chain[0].serial' "$probe_doc")" "$web_serial" "probe: the chain's first serial"
assert_eq "$(jq -r --arg s "$web_serial" '.[] | select(.serial == $s) | .subject' "$certs_doc")" \
	"O=Acme, CN=web.acme.example" "certs: found by the lower-case serial"
assert_eq "$(jq -r .serial "$revoke_doc")" "$(printf '%s' "$lost_serial" | tr A-F a-f)" "revoke: the serial lower-cased"
ok "serials are lower-case hex without colons, the same in issue, show, verify, probe, certs and revoke"

assert_eq "$(jq -r '[.[] | .days_left | type] | unique | join(",")' "$certs_doc")" number "certs: days_left a number"
assert_eq "$(jq -r '[.nodes[] | select(.serial != null) | .days_left | type] | unique | join(",")' "$status_doc")" number \
	"solution status: days_left a number"
if grep -rl expires_in_days docs-out >/dev/null; then fail "a document still says expires_in_days"; fi
ok "days to expiry are days_left, a number, everywhere"

assert_eq "$(jq -c .sans "$web_doc")" \
	'[{"type":"DNS","value":"web.acme.example"},{"type":"DNS","value":"www.acme.example"},{"type":"IP","value":"10.0.0.5"},{"type":"email","value":"ops@acme.example"}]' \
	"issue: SANs"
assert_eq "$(jq -c '.objects[0].sans' "$show_doc")" "$(jq -c .sans "$web_doc")" "show: the same SANs"
assert_eq "$(jq -c .sans_from_csr "$sign_doc")" '[{"type":"DNS","value":"csr.acme.example"},{"type":"IP","value":"10.0.0.6"}]' \
	"sign: the CSR's SANs"
assert_eq "$(jq -c '.nodes[] | select(.name == "osv") | .sans[-1]' "$plan_doc")" '{"type":"IP","value":"fd00:10:45:237::16"}' \
	"solution plan: an IPv6 SAN"
assert_eq "$(jq -c '.nodes[] | select(.name == "uc-be") | .products' "$status_doc")" \
	'["uc-assistant","uc-bcom","uc-cmp","uc-spml","uc-ucma"]' "solution status: products"
ok "SANs are arrays of {type, value}, products arrays of strings"
done_testing
