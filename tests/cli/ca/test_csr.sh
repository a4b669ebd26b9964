#!/usr/bin/env bash
# ucpki sign and the extensions a CSR requests: the requested
# subjectAltName is copied when no --san is given (and said so), an explicit
# --san wins, a CSR asking for a CA certificate is refused with nothing
# recorded or written, and ucpki show displays the requested extensions.
# CSRs are made with openssl req -addext; results read with openssl x509.
. "$UCPKI_SRC/tests/lib.sh"
new_state
u 0 pki create acme
u 0 ca create acme/root --subject "C=US, O=Acme, CN=Acme Root"

req() { # NAME CN [-addext ...]: an EC P-256 CSR NAME.csr
	local name=$1 cn=$2; shift 2
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" \
		-out "$name.csr" -subj "/O=Acme/CN=$cn" "$@" 2>"$T/req.err" || { cat "$T/req.err"; fail "openssl req $name"; }
}
san_of() { # CERT: the subjectAltName value as openssl prints it
	openssl x509 -in "$1" -noout -ext subjectAltName 2>&1 | sed -n '2p' | sed 's/^ *//'
}
rows() { "$UCPKI" --json certs | jq 'length'; }

req web web.acme.example -addext 'subjectAltName=DNS:web.acme.example,DNS:www.acme.example,IP:10.0.0.5'
req plain plain.acme.example
req evil "Evil Sub CA" -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
req evil2 evil2.acme.example -addext 'basicConstraints=CA:TRUE' -addext 'subjectAltName=DNS:evil2.acme.example'
# what openssl itself reads as the request's names
want=$(openssl req -in web.csr -noout -text | grep -A1 'X509v3 Subject Alternative Name' | tail -1 | sed 's/^ *//')
assert_eq "$want" "DNS:web.acme.example, DNS:www.acme.example, IP Address:10.0.0.5" "openssl's view of the CSR"

# --- (a) the requested subjectAltName is copied when no --san is given ----
u 0 sign --ca acme/root --csr web.csr --eku serverAuth --out-cert web.pem
assert_eq "$(san_of web.pem)" "$want" "subjectAltName copied from the CSR"
assert_eq "$(wc -l <"$T/err")" 1 "stderr lines"
assert_contains "$T/err" "copied the CSR's requested subjectAltName: DNS:web.acme.example, DNS:www.acme.example, IP Address:10.0.0.5"
u 0 --json sign --ca acme/root --csr web.csr --out-cert web2.pem
assert_eq "$(jq -c .sans_from_csr "$T/out")" \
	'[{"type":"DNS","value":"web.acme.example"},{"type":"DNS","value":"www.acme.example"},{"type":"IP","value":"10.0.0.5"}]' \
	"sans_from_csr in --json"
assert_eq "$(san_of web2.pem)" "$want" "subjectAltName copied (--json run)"
ok "sign: the CSR's requested subjectAltName is copied, and stderr says so in one line"

u 0 sign --ca acme/root --csr web.csr --san DNS:other.acme.example --out-cert other.pem
got=$(san_of other.pem)
case $got in *other.acme.example*) ;; *) fail "explicit --san missing: $got" ;; esac
case $got in *www.acme.example*|*10.0.0.5*) fail "the CSR's names leaked past --san: $got" ;; esac
assert_not_contains "$T/err" "copied"
u 0 --json sign --ca acme/root --csr web.csr --san DNS:other.acme.example --out-cert other2.pem
assert_eq "$(jq -r '.sans_from_csr // "none"' "$T/out")" none "sans_from_csr with --san"
ok "sign: an explicit --san wins over the CSR's request"

u 0 sign --ca acme/root --csr plain.csr --out-cert plain.pem
assert_eq "$(san_of plain.pem)" "DNS:plain.acme.example" "the FQDN CN only"
assert_not_contains "$T/err" "copied"
ok "sign: a CSR without a requested subjectAltName gets only its FQDN CN"

# --- (b) a CSR asking for CA:TRUE is refused: no row, no file ---------------
before=$(rows)
"$UCPKI" --json certs | jq -r '.[].serial' | sort >"$T/serials-before"
u 2 sign --ca acme/root --csr evil.csr --out-cert evil.pem
assert_one_line_error
assert_eq "$(wc -l <"$T/err")" 1 "error lines"
assert_contains "$T/err" "evil.csr: the CSR requests a CA certificate (basicConstraints CA:TRUE)"
assert_no_file evil.pem
u 2 sign --ca acme/root --csr evil2.csr --san DNS:x.acme.example --eku serverAuth --out-cert evil2.pem
assert_contains "$T/err" "evil2.csr: the CSR requests a CA certificate"
assert_no_file evil2.pem
u 2 --json sign --ca acme/root --csr evil.csr --out-cert evil.pem
assert_no_file evil.pem
assert_eq "$(rows)" "$before" "certificates recorded after the refusals"
u 0 certs
assert_not_contains "$T/out" "Evil Sub CA"
assert_not_contains "$T/out" "evil2.acme.example"
"$UCPKI" --json certs | jq -r '.[].serial' | sort >"$T/serials-after"
cmp -s "$T/serials-before" "$T/serials-after" || { diff "$T/serials-before" "$T/serials-after"; fail "ucpki certs changed"; }
ok "sign: a CSR requesting basicConstraints CA:TRUE is refused (exit 2), nothing recorded or written"

# --- (c) show displays the requested extensions ---------------------------
u 0 show web.csr
assert_contains "$T/out" "Requested extensions:"
assert_contains "$T/out" "X509v3 Subject Alternative Name:"
assert_contains "$T/out" "$want"
u 0 show evil.csr
assert_contains "$T/out" "X509v3 Basic Constraints (critical):"
assert_contains "$T/out" "CA:TRUE"
assert_contains "$T/out" "X509v3 Key Usage (critical):"
u 0 show plain.csr
assert_contains "$T/out" "Requested extensions: none"
u 0 --json show evil.csr
python3 - "$T/out" <<'PY' || fail "show --json: requested extensions"
import json, sys
d = json.load(open(sys.argv[1]))
o = d["objects"][0]
assert o["type"] == "certificate request", o
x = {e["name"]: e for e in o["requested_extensions"]}
assert x["basicConstraints"]["critical"] is True and x["basicConstraints"]["value"] == "CA:TRUE", x
assert x["keyUsage"]["value"] == "Certificate Sign, CRL Sign", x
PY
u 0 --json show web.csr
assert_eq "$(jq -r '.objects[0].requested_extensions[] | select(.name == "subjectAltName") | .value' "$T/out")" \
	"$want" "show --json subjectAltName"
u 0 --json show plain.csr
assert_eq "$(jq -c '.objects[0].requested_extensions' "$T/out")" "[]" "show --json without a request"
ok "show: a CSR's requested extensions, text and --json, as openssl prints them"
done_testing
