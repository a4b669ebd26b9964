#!/usr/bin/env bash
# solution probe against real openssl s_server endpoints on loopback: the
# node serving its issued bundle is "ours" and accepted at its level; a node
# serving a foreign certificate and a node with nothing listening fail.
. "$UCPKI_SRC/tests/lib.sh"
export UCPKI_PASSPHRASE='correct horse battery staple'
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT

# serve NAME CERT KEY [CHAIN]: openssl s_server on a free loopback port -> $PORT
serve() {
	local name=$1 cert=$2 key=$3 chain=${4:-} try
	for try in 1 2 3 4 5 6; do
		PORT=$((21000 + (RANDOM % 30000)))
		openssl s_server -quiet -accept "127.0.0.1:$PORT" -cert "$cert" -key "$key" \
			${chain:+-cert_chain "$chain"} -naccept 10 >"$name.log" 2>&1 &
		local pid=$!
		for _ in $(seq 1 50); do
			if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
				PIDS="$PIDS $pid"
				return 0
			fi
			kill -0 $pid 2>/dev/null || break
			sleep 0.1
		done
		kill $pid 2>/dev/null
	done
	fail "could not start s_server for $name"
}
free_port() { echo $((21000 + (RANDOM % 30000))); }

# Ports are only known once the servers run: issue first with placeholders.
cat >site.yaml <<'YAML'
solution: probe-site
version: 11
ca:
  root:    {subject: "C=US, O=Probe, CN=Probe Root", key: ec:p256}
  issuing: {subject: "C=US, O=Probe, CN=Probe UC CA", key: ec:p256}
defaults: {subject: "C=US, O=Probe, OU=UC, CN=?", key: rsa:2048}
nodes:
  - {name: sip, product: osv, fqdn: [localhost], ip: [127.0.0.1], port: PORT_SIP}
  - {name: rogue, product: rg8700, ip: [127.0.0.1], port: PORT_ROGUE}
  - {name: dark, product: mediatrix, ip: [127.0.0.1], port: PORT_DARK}
  - {name: cas, product: browser}
YAML
sed -i "s/PORT_SIP/$(free_port)/; s/PORT_ROGUE/$(free_port)/; s/PORT_DARK/$(free_port)/" site.yaml
u 0 solution issue site.yaml --out deploy
issued=$(python3 -c 'import json; m=json.load(open("deploy/manifest.json")); print([n for n in m["nodes"] if n["name"]=="sip"][0]["serial"])')
[ -n "$issued" ] || fail "no serial for sip in the manifest"

# sip serves exactly its bundle (server.pem: cert, key, issuing CA, root).
awk '/BEGIN CERTIFICATE/{n++} n>=2' deploy/sip/server.pem >sip-chain.pem
serve sip deploy/sip/server.pem deploy/sip/server.pem sip-chain.pem
sip_port=$PORT
# rogue serves a self-signed certificate for the same address.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue.key -out rogue.pem \
	-days 30 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
serve rogue rogue.pem rogue.key
rogue_port=$PORT
dark_port=$(free_port)
python3 - "$sip_port" "$rogue_port" "$dark_port" <<'PY'
import re, sys
s = open("site.yaml").read()
for name, port in zip(("sip", "rogue", "dark"), sys.argv[1:]):
    s = re.sub(r"(name: %s, .*port: )\d+" % name, r"\g<1>%s" % port, s)
open("site.yaml", "w").write(s)
PY
# Changing the port does not change any certificate: nothing is reissued.
u 0 solution plan site.yaml --out deploy
assert_not_contains "$T/out" " issue "

u 1 --json solution probe site.yaml --out deploy --timeout-ms 2000
python3 - "$T/out" "$issued" <<'PY' || fail "probe verdicts"
import json, sys
d = json.load(open(sys.argv[1]))
n = {x["name"]: x for x in d["nodes"]}
sip, rogue, dark, cas = n["sip"], n["rogue"], n["dark"], n["cas"]
assert sip["reached"] and sip["ours"] and sip["accepted"], sip
assert sip["live_serial"] == sys.argv[2].lower() and sip["level"] == "full", sip
assert 1000 < sip["days_left"] < 1100, sip
assert rogue["reached"] and not rogue["ours"] and not rogue["accepted"], rogue
assert "CN=127.0.0.1" in rogue["live_subject"], rogue
assert not dark["reached"] and "refused" in dark["error"], dark
assert "skipped" in cas, cas
assert d["failures"] == 2, d
PY
ok "probe: ours+accepted, foreign+rejected, unreachable, CA-only skipped; exit 1"

u 0 solution probe site.yaml --out deploy --node sip
assert_match "$T/out" "^sip +localhost:$sip_port +$issued +ours .* accepted at full"
assert_contains "$T/out" "0 nodes failed"
u 1 solution probe site.yaml --out deploy --node rogue
assert_contains "$T/out" "OTHER"
assert_contains "$T/out" "REJECTED at trusted"
assert_contains "$T/out" "self-signed and not among the trusted CAs"
u 2 solution probe site.yaml --out deploy --node nosuch
assert_contains "$T/err" "no node 'nosuch'"
assert_one_line_error
ok "probe one node: text verdicts and exit codes"

sed -i 's/port: [0-9]*}/port: 70000}/' site.yaml
u 2 solution probe site.yaml --out deploy
assert_match "$T/err" "site.yaml:[0-9]+: nodes\[0\]"
ok "a port out of range names the inventory line and key"
done_testing
