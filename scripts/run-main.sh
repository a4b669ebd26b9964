#!/usr/bin/env bash
# The main job on a fresh embedded state: build ucpki, create a PKI with a
# root CA and an issuing CA, issue the guide's section 6 server certificates
# and print a summary table.
# Usage: scripts/run-main.sh [OUTPUT_DIR]   (default ./deploy; the state goes in OUTPUT_DIR/state)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$PWD/deploy}
"$top/scripts/deps.sh" build
"$top/scripts/build.sh" "$top/build" -DUCPKI_TESTS=OFF
u="$top/build/ucpki"

if [ -e "$out" ]; then
	echo "run-main: $out already exists; remove it or name another directory" >&2
	exit 2
fi
mkdir -p "$out"
export UCPKI_STATE="$out/state"
"$u" --quiet init
"$u" --quiet pki create acme --desc "Acme UC solution"
"$u" --quiet ca create acme/root --subject "C=US, ST=FL, O=Acme, OU=IT, CN=Acme Root CA" --key rsa:4096
"$u" --quiet ca create acme/issuing --parent acme/root --pathlen 0 \
	--subject "C=US, ST=FL, O=Acme, OU=IT, CN=Acme UC Issuing CA"
"$u" ca export acme/root --out "$out/root-ca.pem"
"$u" ca export acme/issuing --out "$out/issuing-ca.pem"

# Section 6.1: a simple server certificate (server.cnf profile).
"$u" --quiet issue --ca acme/issuing --subject "C=US, ST=FL, O=Acme, OU=UC, CN=server1.acme.example" \
	--out-cert "$out/server1cert.pem" --out-key "$out/server1key.pem" --out-chain "$out/server1chain.pem"
# Section 6.2: a SAN certificate (the guide's example names).
"$u" --quiet issue --ca acme/issuing --subject "C=US, ST=FL, O=Acme, OU=UC, CN=www.foo.com" \
	--san DNS:www.foo.com,DNS:www.bar.org,URI:https://www.foo.com \
	--out-cert "$out/sancert.pem" --out-key "$out/sankey.pem" --out-chain "$out/sanchain.pem"
# Section 6.2: one certificate for both OpenScape Voice nodes (SIP, SIPS, CSTA).
"$u" --quiet issue --ca acme/issuing --subject "C=US, ST=FL, O=Acme, OU=UC, CN=osv.acme.example" \
	--san DNS:osv_sip.example.com,DNS:osv_ssip.example.com,DNS:osv_csta.example.com \
	--san IP:10.0.0.11,IP:10.0.0.12,IP:fd00:10:45:237::16 \
	--out-cert "$out/osvcert.pem" --out-key "$out/osvkey.pem" --out-chain "$out/osvchain.pem"

echo
"$u" ca list
echo
"$u" certs
echo
echo "files in $out:"
ls -l "$out" | tail -n +2
