#!/usr/bin/env bash
# Regenerates the path-validation vectors: cases/<id>/{leaf,chain,trust,crl}.pem
# and cases.txt, from scratch, with the openssl command line (3.0 or later:
# `openssl ca` for fixed validity windows and CRL times) and, where openssl
# will not make a malformed certificate or CRL, a small DER edit in python3
# (standard library only) that re-signs with `openssl dgst -sign`.
#
# Every certificate is valid 2025-01-01 .. 2035-01-01 unless the case is about
# time, and every case is judged at 2030-01-01 unless it says otherwise, so the
# committed vectors do not expire. Reruns give new keys; the layout is stable.
#
#   bash tests/vectors/verify/gen.sh
set -euo pipefail
D=$(cd "$(dirname "$0")" && pwd)
OUT=$D/cases
CASES=$D/cases.txt
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/k" "$W/c" "$W/crl" "$W/db"
echo 1000 >"$W/db/serial"
NB=20250101000000Z NA=20350101000000Z
AT=2030-01-01T00:00:00Z

cat >"$W/der.py" <<'PY'
#!/usr/bin/env python3
"""Edit a DER certificate or CRL in ways openssl will not, then re-sign it.

    der.py cert|crl IN.pem OUT.pem SIGNING-KEY.pem OP...

Ops on a certificate's TBSCertificate:
    serial=HEX       the serial INTEGER's content octets (e.g. 00, ff, 21 octets)
    version=N        0 removes the version field (v1), else v(N+1)
    noext            drops the extensions field
    issuer=empty     an empty issuer Name (SEQUENCE {})
    subject=empty    an empty subject Name
    dupext=OIDHEX    repeats the extension whose OID content is OIDHEX (551d11)
    emptyext=OIDHEX  empties the value (extnValue OCTET STRING) of that extension
    outeralg=HEX     the outer signatureAlgorithm (full DER), TBS field unchanged
Ops on a CRL's TBSCertList:
    version=N        0 removes the version field (v1), else version INTEGER N
    nonext           drops nextUpdate
    dupentry         lists the first revoked entry twice
    entrycrit        marks the first extension of the first revoked entry critical
Ops on either:
    hash=NAME        the digest to re-sign with (default sha256)
    badsig           flips a bit of the signature instead of re-signing
Standard library only; signing runs `openssl dgst -sign`.
"""
import base64
import os
import subprocess
import sys
import tempfile


def tlv(b, i):
    t = b[i]
    n = b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    return t, i, i + n


def enc(t, c):
    n = len(c)
    if n < 128:
        h = bytes([n])
    else:
        lb = n.to_bytes((n.bit_length() + 7) // 8, "big")
        h = bytes([0x80 | len(lb)]) + lb
    return bytes([t]) + h + c


def items(b):
    out, i = [], 0
    while i < len(b):
        _, _, e = tlv(b, i)
        out.append(b[i:e])
        i = e
    return out


def content(raw):
    _, s, e = tlv(raw, 0)
    return raw[s:e]


def read_pem(path):
    text = open(path).read()
    body = text.split("-----", 4)[2]
    return base64.b64decode("".join(body.split()))


def write_pem(path, der, label):
    b = base64.b64encode(der).decode()
    lines = [b[i:i + 64] for i in range(0, len(b), 64)]
    with open(path, "w") as f:
        f.write("-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label))


def sign(tbs, key, digest):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "tbs")
        open(p, "wb").write(tbs)
        return subprocess.run(["openssl", "dgst", "-" + digest, "-sign", key, p],
                              check=True, capture_output=True).stdout


def edit_cert(f, op, arg):
    v = 1 if f[0][0] == 0xA0 else 0
    if op == "serial":
        f[v] = enc(0x02, bytes.fromhex(arg))
    elif op == "version":
        if v:
            del f[0]
        if arg != "0":
            f.insert(0, enc(0xA0, enc(0x02, bytes([int(arg)]))))
    elif op == "noext":
        f[:] = [x for x in f if x[0] != 0xA3]
    elif op in ("issuer", "subject"):
        f[v + (2 if op == "issuer" else 4)] = b"\x30\x00"
    elif op == "dupext":
        for k, x in enumerate(f):
            if x[0] == 0xA3:
                exts = items(content(content(x)))
                dup = [e for e in exts if content(items(content(e))[0]).hex() == arg]
                f[k] = enc(0xA3, enc(0x30, b"".join(exts + dup[:1])))
    elif op == "emptyext":
        for k, x in enumerate(f):
            if x[0] == 0xA3:
                exts = items(content(content(x)))
                out = []
                for e in exts:
                    parts = items(content(e))
                    if content(parts[0]).hex() == arg:
                        parts[-1] = b"\x04\x00"
                    out.append(enc(0x30, b"".join(parts)))
                f[k] = enc(0xA3, enc(0x30, b"".join(out)))
    else:
        sys.exit("der.py: unknown certificate op " + op)


def edit_crl(f, op, arg):
    v = 1 if f[0][0] == 0x02 else 0
    if op == "version":
        if v:
            del f[0]
        if arg != "0":
            f.insert(0, enc(0x02, bytes([int(arg)])))
    elif op in ("dupentry", "entrycrit"):
        i = v + 3
        while i < len(f) and f[i][0] in (0x17, 0x18):
            i += 1
        entries = items(content(f[i]))
        if op == "dupentry":
            entries.insert(1, entries[0])
        else:
            parts = items(content(entries[0]))
            exts = items(content(parts[2]))
            e = items(content(exts[0]))
            if e[1][0] != 0x01:
                e.insert(1, b"\x01\x01\xff")
            exts[0] = enc(0x30, b"".join(e))
            parts[2] = enc(0x30, b"".join(exts))
            entries[0] = enc(0x30, b"".join(parts))
        f[i] = enc(0x30, b"".join(entries))
    elif op == "nonext":
        i = v + 2  # thisUpdate
        if f[i + 1][0] in (0x17, 0x18):
            del f[i + 1]
    else:
        sys.exit("der.py: unknown CRL op " + op)


def main():
    kind, src, dst, key = sys.argv[1:5]
    der = read_pem(src)
    tbs, alg, sig = items(content(der))
    fields = items(content(tbs))
    digest, badsig = "sha256", False
    for a in sys.argv[5:]:
        op, _, arg = a.partition("=")
        if op == "hash":
            digest = arg
        elif op == "badsig":
            badsig = True
        elif op == "outeralg":
            alg = bytes.fromhex(arg)
        elif kind == "cert":
            edit_cert(fields, op, arg)
        else:
            edit_crl(fields, op, arg)
    tbs = enc(0x30, b"".join(fields))
    if badsig:
        s = bytearray(content(sig))
        s[-1] ^= 0x01
        sig = enc(0x03, bytes(s))
    else:
        sig = enc(0x03, b"\x00" + sign(tbs, key, digest))
    write_pem(dst, enc(0x30, tbs + alg + sig), "CERTIFICATE" if kind == "cert" else "X509 CRL")


main()
PY

# The CA configuration; $1 "num" adds a CRL number file, $2 is appended (the
# [y] section of CRL extensions).
cnf() {
	cat <<-EOF
	[ca]
	default_ca = o
	[o]
	database = $W/db/index.txt
	new_certs_dir = $W/db
	serial = $W/db/serial
	$([ "$1" = num ] && echo "crlnumber = $W/db/crlnumber")
	default_md = sha256
	policy = pol
	unique_subject = no
	[pol]
	commonName = optional
	EOF
	printf '%s\n' "${2:-}"
}

die() { echo "gen.sh: $*" >&2; exit 1; }

key() { # key NAME TYPE
	local f=$W/k/$1.key
	[ -f "$f" ] && return 0
	case $2 in
	ec256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$f" ;;
	ec384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$f" ;;
	ec521) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out "$f" ;;
	ec224) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp224r1 -out "$f" ;;
	k256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out "$f" ;;
	ecx) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-pkeyopt ec_param_enc:explicit -out "$f" ;;
	rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$f" ;;
	dsa)
		openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 \
			-out "$W/dsa.param"
		openssl genpkey -paramfile "$W/dsa.param" -out "$f" ;;
	*) die "key type $2" ;;
	esac 2>/dev/null || die "key $1 ($2)"
}

# cert NAME KEYTYPE ISSUER SUBJECT EXT [openssl ca args]: $W/c/NAME.pem, signed
# by ISSUER's key ("self": its own); EXT is the extension section text ("none":
# a v1 certificate). The key is $W/k/NAME.key unless KEY=other names one.
cert() {
	local n=$1 t=$2 iss=$3 subj=$4 ext=$5 k=${KEY:-$1}; shift 5
	key "$k" "$t"
	echo "$k" >"$W/c/$n.k"
	openssl req -new -key "$W/k/$k.key" -subj "/CN=request" -out "$W/csr.pem" 2>/dev/null ||
		die "req $n"
	: >"$W/db/index.txt"
	cnf nonum >"$W/ca.cnf"
	local a=(-batch -config "$W/ca.cnf" -in "$W/csr.pem" -out "$W/c/$n.pem" -notext
		-preserveDN -subj "$subj" -startdate "$NB" -enddate "$NA")
	if [ "$iss" = self ]; then
		a+=(-selfsign -keyfile "$W/k/$k.key")
	else
		a+=(-cert "$W/c/$iss.pem" -keyfile "$W/k/$(cat "$W/c/$iss.k").key")
	fi
	if [ "$ext" != none ]; then
		printf '[x]\n%s\n' "$ext" >"$W/ext"
		a+=(-extfile "$W/ext" -extensions x)
	fi
	openssl ca "${a[@]}" "$@" >"$W/log" 2>&1 || { cat "$W/log"; die "ca $n"; }
}

# edit NAME SIGNER OP...: rewrite $W/c/NAME.pem with der.py, re-signed by
# SIGNER's key (a certificate name).
edit() {
	local n=$1 s=$2; shift 2
	python3 "$W/der.py" cert "$W/c/$n.pem" "$W/c/$n.pem" "$W/k/$(cat "$W/c/$s.k").key" "$@" ||
		die "edit $n"
}

# crl NAME ISSUER "REVOKED CERTS" CRLEXT [openssl ca args]: $W/crl/NAME.pem.
# CRLEXT is the [y] section text ("none": no CRL extensions); NUM=no leaves
# out the CRL number.
crl() {
	local n=$1 iss=$2 rev=$3 ext=$4 r; shift 4
	local k
	k=$W/k/$(cat "$W/c/$iss.k").key
	: >"$W/db/index.txt"
	echo 01 >"$W/db/crlnumber"
	if [ "$ext" = none ]; then cnf "${NUM:-num}" >"$W/ca.cnf"; else cnf "${NUM:-num}" "[y]
$ext" >"$W/ca.cnf"; fi
	for r in $rev; do
		openssl ca -config "$W/ca.cnf" -cert "$W/c/$iss.pem" -keyfile "$k" \
			-revoke "$W/c/$r.pem" -crl_reason keyCompromise >"$W/log" 2>&1 ||
			{ cat "$W/log"; die "revoke $r"; }
	done
	local a=(-config "$W/ca.cnf" -gencrl -cert "$W/c/$iss.pem" -keyfile "$k"
		-out "$W/crl/$n.pem" -crl_lastupdate "$NB" -crl_nextupdate "$NA")
	[ "$ext" != none ] && a+=(-crlexts y)
	openssl ca "${a[@]}" "$@" >"$W/log" 2>&1 || { cat "$W/log"; die "crl $n"; }
}

crledit() { # crledit NAME SIGNER OP...
	local n=$1 s=$2; shift 2
	python3 "$W/der.py" crl "$W/crl/$n.pem" "$W/crl/$n.pem" "$W/k/$(cat "$W/c/$s.k").key" "$@" ||
		die "crledit $n"
}

# use CHAIN TRUST [CRL]: the files of the following cases (names, space
# separated; "-" none). c ID LEAF OPTIONS EXPECT RULE OPENSSL WHY writes one.
use() { CH=$1 TR=$2 CR=${3:--}; }
NCASES=0
c() {
	local id=$1 leaf=$2 opts=$3 want=$4 rule=$5 oopts=$6 why=$7 x
	[ -e "$OUT/$id" ] && die "duplicate case $id"
	mkdir -p "$OUT/$id"
	cp "$W/c/$leaf.pem" "$OUT/$id/leaf.pem"
	if [ "$CH" != - ]; then for x in $CH; do cat "$W/c/$x.pem"; done >"$OUT/$id/chain.pem"; fi
	for x in $TR; do cat "$W/c/$x.pem"; done >"$OUT/$id/trust.pem"
	if [ "$CR" != - ]; then for x in $CR; do cat "$W/crl/$x.pem"; done >"$OUT/$id/crl.pem"; fi
	case " $opts " in *" --at "*) ;; *) opts="$opts --at $AT" ;; esac
	printf '%s | %s | %s | %s | %s | %s\n' "$id" "${opts# }" "$want" "$rule" "$oopts" "$why" >>"$CASES"
	NCASES=$((NCASES + 1))
}
section() { printf '#\n# %s\n' "$*" >>"$CASES"; }

rm -rf "$OUT"
mkdir -p "$OUT"
cat >"$CASES" <<'EOF'
# Path-validation vectors, made by gen.sh (do not edit by hand: change gen.sh
# and rerun it). One case per line, fields separated by " | ":
#   id | ucpki verify options | accept/reject | rule id of the rejection ("-") |
#   openssl verify options ("std": none beyond the standard set; "-": openssl
#   cannot express the case) | why
# Files: cases/<id>/leaf.pem, trust.pem, and chain.pem, crl.pem when present.
# tests/verify/test_vectors.sh runs each case through ucpki and openssl:
#   ucpki --json verify leaf.pem --trust trust.pem [--chain chain.pem] [--crl crl.pem] OPTIONS
#   openssl verify -x509_strict -partial_chain -auth_level 2 -attime T -CAfile trust.pem
#     [-untrusted chain.pem] [-CRLfile crl.pem -crl_check] [-verify_hostname H | -verify_ip A]
#     [-purpose sslserver|sslclient] [-verify_depth N] OPENSSL-OPTIONS
# Levels: trusted = chain, time, revocation; full = trusted + identity + the
# RFC 5280/6125 profile; webpki = full + CA/Browser Forum rules.
EOF

# ---------------------------------------------------------------- the PKIs
H="--host www.example.com"
ROOTX='basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=none'
CAX='basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always'
LEAFB='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always'
# leafx SAN [extra lines]: the usual leaf extensions with this SAN
leafx() { printf '%s\nsubjectAltName=%s\n%s' "$LEAFB" "$1" "${2:-}"; }
# lx LINES: LEAFB with the named lines replaced (KEY=value lines; a bare KEY deletes)
lx() {
	local out=$LEAFB l k
	while IFS= read -r l; do
		[ -z "$l" ] && continue
		k=${l%%=*}
		out=$(printf '%s\n' "$out" | grep -v "^$k=" || true)
		case $l in
		*=*) out="$out
$l" ;;
		# OpenSSL 3 adds both key identifiers unless told not to
		subjectKeyIdentifier | authorityKeyIdentifier) out="$out
$l=none" ;;
		esac
	done <<<"$1"
	printf '%s\n' "$out"
}
cax() { # cax LINES: CAX with lines replaced, as lx
	local save=$LEAFB
	LEAFB=$CAX
	lx "$1"
	LEAFB=$save
}
SANW='DNS:www.example.com'
LEAF=$(leafx "$SANW")

cert R ec256 self "/O=Vectors/CN=Vec Root" "$ROOTX"
cert R2 ec256 self "/O=Vectors/CN=Other Root" "$ROOTX"
cert I ec256 R "/O=Vectors/CN=Vec Int" "$CAX"
cert L ec256 I "/CN=www.example.com" "$LEAF"

# ---------------------------------------------------------------- chain
section chain of trust
use I R
c chain-ok-trusted L "--level trusted" accept - std "root, intermediate and leaf chain with valid signatures (RFC 5280 6.1)"
c chain-ok-full L "$H" accept - std "a valid chain whose SAN names the host (RFC 5280 6.1, RFC 6125 6.4)"
c chain-ok-none L "--level none" accept - - "level none checks nothing"
use - R
c chain-issuer-missing L "--level trusted" reject chain.issuer-missing std "the intermediate is neither in the chain nor trusted (RFC 5280 6.1)"
use - I
c chain-int-trusted L "--level trusted" accept - std "a trusted intermediate is a trust anchor (RFC 5280 6.1.1 d)"
c chain-int-trusted-full L "$H" accept - std "a trusted intermediate is a trust anchor at level full too (RFC 5280 6.1.1 d)"
use - L
c chain-leaf-trusted L "--level trusted" accept - std "a directly trusted leaf is its own trust anchor (RFC 5280 6.1.1 d)"
c chain-leaf-trusted-full L "$H" accept - std "a directly trusted leaf naming the host (RFC 5280 6.1.1 d)"
cert SS ec256 self "/CN=www.example.com" "$(leafx "$SANW")"
use - R
c chain-self-signed-untrusted SS "--level trusted" reject chain.self-signed-untrusted std "a self-signed leaf not in the trust store (RFC 5280 6.1)"
c chain-self-signed-none SS "--level none" accept - - "level none checks nothing"
use - SS
c chain-self-signed-trusted SS "$H" accept - std "a self-signed leaf that is itself trusted (RFC 5280 6.1.1 d)"
use "I R" R2
c chain-no-anchor L "--level trusted" reject chain.no-anchor std "the path ends at a self-signed root that is not trusted (RFC 5280 6.1)"
use "R I" R
c chain-out-of-order L "--level trusted" accept - std "chain files in any order: paths are built, not read (RFC 4158)"
use "I R2 SS" R
c chain-extra-certs L "--level trusted" accept - std "unrelated extra certificates in the chain are ignored (RFC 4158)"
cp "$W/c/L.pem" "$W/c/Lbadsig.pem"; echo L >"$W/c/Lbadsig.k"
edit Lbadsig I badsig
use I R
c chain-signature-leaf Lbadsig "--level trusted" reject chain.signature std "the leaf's signature does not verify (RFC 5280 6.1.3 a1)"
cp "$W/c/I.pem" "$W/c/Ibadsig.pem"; echo I >"$W/c/Ibadsig.k"
edit Ibadsig R badsig
use Ibadsig R
c chain-signature-int L "--level trusted" reject chain.signature std "the intermediate's signature does not verify (RFC 5280 6.1.3 a1)"
KEY=Ifake cert Ifake ec256 R "/O=Vectors/CN=Vec Int" "$CAX"
cert Lfake ec256 Ifake "/CN=www.example.com" "$(lx 'authorityKeyIdentifier')"
use I R
c chain-signature-wrong-key Lfake "--level trusted" reject chain.signature std "the leaf names the intermediate but another key signed it (RFC 5280 6.1.3 a1)"
cert Inca ec256 R "/O=Vectors/CN=Not CA" "$(cax 'basicConstraints=critical,CA:FALSE')"
cert Lnca ec256 Inca "/CN=www.example.com" "$LEAF"
use Inca R
c chain-not-ca Lnca "--level trusted" reject chain.not-ca std "the issuer has basicConstraints cA FALSE (RFC 5280 6.1.4 k)"
cert Inobc ec256 R "/O=Vectors/CN=No BC" "$(cax 'basicConstraints')"
cert Lnobc ec256 Inobc "/CN=www.example.com" "$LEAF"
use Inobc R
c chain-not-ca-no-bc Lnobc "--level trusted" reject chain.not-ca std "a v3 intermediate without basicConstraints is not a CA (RFC 5280 6.1.4 k)"
cert Inkcs ec256 R "/O=Vectors/CN=No keyCertSign" "$(cax 'keyUsage=critical,digitalSignature,cRLSign')"
cert Lnkcs ec256 Inkcs "/CN=www.example.com" "$LEAF"
use Inkcs R
c chain-keycertsign Lnkcs "--level trusted" reject chain.keycertsign std "the issuer's keyUsage lacks keyCertSign (RFC 5280 6.1.4 n)"
cert Inku ec256 R "/O=Vectors/CN=No KU" "$(cax 'keyUsage')"
cert Lnku ec256 Inku "/CN=www.example.com" "$LEAF"
use Inku R
c chain-ca-no-ku-trusted Lnku "--level trusted" accept - std "an intermediate without keyUsage may sign certificates (RFC 5280 4.2.1.3)"
c profile-ca-no-ku Lnku "$H" reject profile.ca-key-usage std "CA certificates MUST have keyUsage (RFC 5280 4.2.1.3)"

# pathLenConstraint
cert Ip0 ec256 R "/O=Vectors/CN=Pathlen0" "$(cax 'basicConstraints=critical,CA:TRUE,pathlen:0')"
cert Lp0 ec256 Ip0 "/CN=www.example.com" "$LEAF"
cert Ip0b ec256 Ip0 "/O=Vectors/CN=Below Pathlen0" "$CAX"
cert Lp0b ec256 Ip0b "/CN=www.example.com" "$LEAF"
use Ip0 R
c pathlen0-at-limit Lp0 "--level trusted" accept - std "pathlen 0 allows a leaf directly below (RFC 5280 4.2.1.9)"
use "Ip0b Ip0" R
c pathlen0-exceeded Lp0b "--level trusted" reject chain.pathlen std "pathlen 0 forbids a CA below (RFC 5280 6.1.4 l)"
cert Ip0b5 ec256 Ip0 "/O=Vectors/CN=Below Pathlen0 Pathlen5" "$(cax 'basicConstraints=critical,CA:TRUE,pathlen:5')"
cert Lp0b5 ec256 Ip0b5 "/CN=www.example.com" "$LEAF"
use "Ip0b5 Ip0" R
c pathlen-cannot-increase Lp0b5 "--level trusted" reject chain.pathlen std "a larger pathlen below does not lift pathlen 0 above (RFC 5280 6.1.4 m)"
cert Rp1 ec256 self "/O=Vectors/CN=Root Pathlen1" "$(cax 'basicConstraints=critical,CA:TRUE,pathlen:1
authorityKeyIdentifier=none')"
cert Ia ec256 Rp1 "/O=Vectors/CN=Int A" "$CAX"
cert Ib ec256 Ia "/O=Vectors/CN=Int B" "$CAX"
cert La ec256 Ia "/CN=www.example.com" "$LEAF"
cert Lb ec256 Ib "/CN=www.example.com" "$LEAF"
use Ia Rp1
c pathlen1-root-one-int La "--level trusted" accept - std "a root with pathlen 1 over one intermediate (RFC 5280 4.2.1.9)"
use "Ib Ia" Rp1
c pathlen1-root-two-int Lb "--level trusted" reject chain.pathlen std "a root with pathlen 1 over two intermediates (RFC 5280 6.1.4 l)"
KEY=Ip0s cert Ip0s ec256 Ip0 "/O=Vectors/CN=Pathlen0" "$CAX"
cert Lp0s ec256 Ip0s "/CN=www.example.com" "$LEAF"
use "Ip0s Ip0" R
c pathlen0-self-issued Lp0s "--level trusted" accept - std "a self-issued intermediate does not count against pathlen (RFC 5280 6.1.4 l)"
cert Ip0sb ec256 Ip0s "/O=Vectors/CN=Below Self-issued" "$CAX"
cert Lp0sb ec256 Ip0sb "/CN=www.example.com" "$LEAF"
use "Ip0sb Ip0s Ip0" R
c pathlen0-self-issued-then-ca Lp0sb "--level trusted" reject chain.pathlen std "pathlen 0, a self-issued CA, then a non-self-issued CA (RFC 5280 6.1.4 l)"

# --max-depth (intermediates between leaf and anchor, as openssl -verify_depth)
use I R
c max-depth-1-one-int L "--level trusted --max-depth 1" accept - std "one intermediate is within a depth of 1 (-verify_depth semantics)"
c max-depth-0-one-int L "--level trusted --max-depth 0" reject chain.max-depth std "one intermediate exceeds a depth of 0 (-verify_depth semantics)"
use - I
c max-depth-0-int-trusted L "--level trusted --max-depth 0" accept - std "no intermediate between the leaf and a trusted intermediate (-verify_depth semantics)"
use "Ib Ia" Rp1
cert Rn ec256 self "/O=Vectors/CN=Root Deep" "$ROOTX"
cert In1 ec256 Rn "/O=Vectors/CN=Deep 1" "$CAX"
cert In2 ec256 In1 "/O=Vectors/CN=Deep 2" "$CAX"
cert In3 ec256 In2 "/O=Vectors/CN=Deep 3" "$CAX"
cert Ln3 ec256 In3 "/CN=www.example.com" "$LEAF"
use "In3 In2 In1" Rn
c max-depth-3-three-int Ln3 "--level trusted --max-depth 3" accept - std "three intermediates at a depth limit of 3 (-verify_depth semantics)"
c max-depth-2-three-int Ln3 "--level trusted --max-depth 2" reject chain.max-depth std "three intermediates over a depth limit of 2 (-verify_depth semantics)"
c max-depth-none-three-int Ln3 "--level trusted" accept - std "no depth limit given: three intermediates are fine (RFC 5280 6.1)"

# certificate policies
cert Rpol ec256 self "/O=Vectors/CN=Policy Root" "$ROOTX
certificatePolicies=2.5.29.32.0"
cert Ipol ec256 Rpol "/O=Vectors/CN=Policy Int" "$(cax 'certificatePolicies=1.3.6.1.4.1.55555.7.1
policyConstraints=critical,requireExplicitPolicy:0')"
cert Lpol ec256 Ipol "/CN=www.example.com" "$(leafx "$SANW" 'certificatePolicies=1.3.6.1.4.1.55555.7.1')"
cert Lnopol ec256 Ipol "/CN=www.example.com" "$LEAF"
cert Lotherpol ec256 Ipol "/CN=www.example.com" "$(leafx "$SANW" 'certificatePolicies=1.3.6.1.4.1.55555.7.2')"
use Ipol Rpol
c policy-explicit-ok Lpol "$H" accept - "-policy_check -policy 2.5.29.32.0" "an explicit policy asserted along the whole path (RFC 5280 6.1.3 d, 6.1.5)"
c policy-explicit-missing Lnopol "$H" reject chain.policy "-policy_check -policy 2.5.29.32.0" "requireExplicitPolicy 0 and a leaf without policies (RFC 5280 6.1.5 g)"
c policy-explicit-other Lotherpol "$H" reject chain.policy "-policy_check -policy 2.5.29.32.0" "requireExplicitPolicy 0 and a leaf with another policy (RFC 5280 6.1.5 g)"

# ---------------------------------------------------------------- name constraints
section name constraints
# ncca NAME CONSTRAINT-VALUE: an intermediate under R with this nameConstraints value
ncca() { cert "$1" ec256 R "/O=Vectors/CN=NC $1" "$(cax "nameConstraints=$2")
${3:-}"; }
ncleaf() { # ncleaf NAME CA SAN [SUBJECT]
	cert "$1" ec256 "$2" "${4:-/CN=leaf}" "$(leafx "$3")"
}
ncca Ndns 'critical,permitted;DNS:example.com'
ncleaf Ldns-ok Ndns DNS:www.example.com
ncleaf Ldns-case Ndns DNS:WWW.Example.COM
ncleaf Ldns-label Ndns DNS:fooexample.com
ncleaf Ldns-out Ndns DNS:www.example.org
ncleaf Ldns-one-out Ndns DNS:www.example.com,DNS:www.example.org
ncleaf Ldns-apex Ndns DNS:example.com
use Ndns R
c nc-dns-permitted Ldns-ok "$H" accept - std "a DNS name inside the permitted subtree (RFC 5280 4.2.1.10)"
c nc-dns-permitted-case Ldns-case "$H" accept - std "DNS constraints compare case-insensitively (RFC 5280 7.2, 4.2.1.10)"
c nc-dns-permitted-apex Ldns-apex "--host example.com" accept - std "the constraint's own name is inside its subtree (RFC 5280 4.2.1.10)"
c nc-dns-whole-labels Ldns-label "--host fooexample.com" reject chain.nc-permitted std "example.com permits only whole labels added on the left, not fooexample.com (RFC 5280 4.2.1.10)"
c nc-dns-outside Ldns-out "--host www.example.org" reject chain.nc-permitted std "a SAN DNS name outside the permitted subtree (RFC 5280 6.1.3 b)"
c nc-dns-one-san-outside Ldns-one-out "$H" reject chain.nc-permitted std "every SAN name must be permitted, not only the one matched (RFC 5280 6.1.3 b)"
c nc-dns-outside-trusted Ldns-out "--level trusted" reject chain.nc-permitted std "name constraints are path validation, checked at level trusted too (RFC 5280 6.1.3 b)"
cert Rnc ec256 self "/O=Vectors/CN=Root NC" "$ROOTX
nameConstraints=critical,permitted;DNS:example.com"
ncleaf Lrnc-ok Rnc DNS:www.example.com
ncleaf Lrnc-out Rnc DNS:www.example.org
use - Rnc
c nc-anchor-permitted Lrnc-ok "$H" accept - std "a name inside the anchor's own permitted subtree (RFC 5280 6.1.1 d, RFC 5937 3)"
c nc-anchor-outside Lrnc-out "--host www.example.org" reject chain.nc-permitted std "the anchor certificate's name constraints apply below it (RFC 5937 3, RFC 5280 6.1.1 d)"
ncleaf Lwild-in Ndns "DNS:*.example.com"
use Ndns R
c nc-dns-wildcard-san-permitted Lwild-in "--host foo.example.com" accept - std "a wildcard SAN inside the permitted subtree (RFC 5280 4.2.1.10)"
ncca NdnsU 'critical,permitted;DNS:Example.COM'
cert LdnsU ec256 NdnsU "/CN=leaf" "$(leafx DNS:foo.example.com)"
use NdnsU R
c nc-dns-constraint-case LdnsU "--host foo.example.com" accept - std "an upper-case constraint permits a lower-case name (RFC 5280 7.2)"
ncca Nex 'critical,excluded;DNS:bad.example.com'
ncleaf Lex-bad Nex DNS:bad.example.com
ncleaf Lex-sub Nex DNS:x.bad.example.com
ncleaf Lex-sib Nex DNS:notbad.example.com
use Nex R
c nc-dns-excluded Lex-bad "--host bad.example.com" reject chain.nc-excluded std "a SAN DNS name equal to an excluded subtree (RFC 5280 6.1.3 c)"
c nc-dns-excluded-sub Lex-sub "--host x.bad.example.com" reject chain.nc-excluded std "a SAN DNS name below an excluded subtree (RFC 5280 6.1.3 c)"
c nc-dns-excluded-sibling Lex-sib "--host notbad.example.com" accept - std "notbad.example.com is not inside bad.example.com (RFC 5280 4.2.1.10)"
ncca Nexall 'critical,excluded;DNS:example.com'
ncleaf Lwild-ex Nexall "DNS:*.example.com"
use Nexall R
c nc-dns-wildcard-san-excluded Lwild-ex "--host foo.example.com" reject chain.nc-excluded std "a wildcard SAN inside an excluded subtree (RFC 5280 4.2.1.10)"
ncca Nboth 'critical,permitted;DNS:example.com,excluded;DNS:secret.example.com'
ncleaf Lboth-ok Nboth DNS:www.example.com
ncleaf Lboth-ex Nboth DNS:secret.example.com
ncleaf Lboth-out Nboth DNS:www.example.net
use Nboth R
c nc-both-ok Lboth-ok "$H" accept - std "permitted and not excluded (RFC 5280 6.1.3 b, c)"
c nc-both-excluded Lboth-ex "--host secret.example.com" reject chain.nc-excluded std "permitted but excluded: excluded wins (RFC 5280 4.2.1.10)"
c nc-both-outside Lboth-out "--host www.example.net" reject chain.nc-permitted std "outside the permitted subtree of a CA that also excludes (RFC 5280 6.1.3 b)"
ncca Nip 'critical,permitted;IP:192.0.2.0/255.255.255.0,permitted;IP:2001:db8:1::/ffff:ffff:ffff:ffff:0:0:0:0'
ncleaf Lip-ok Nip IP:192.0.2.10
ncleaf Lip-out Nip IP:198.51.100.1
ncleaf Lip6-ok Nip IP:2001:db8:1::5
ncleaf Lip6-out Nip IP:2001:db8:2::5
use Nip R
c nc-ip-permitted Lip-ok "--ip 192.0.2.10" accept - std "an IPv4 SAN inside a permitted /24 (RFC 5280 4.2.1.10)"
c nc-ip-outside Lip-out "--ip 198.51.100.1" reject chain.nc-permitted std "an IPv4 SAN outside the permitted /24 (RFC 5280 6.1.3 b)"
c nc-ipv6-permitted Lip6-ok "--ip 2001:db8:1::5" accept - std "an IPv6 SAN inside a permitted /64 (RFC 5280 4.2.1.10)"
c nc-ipv6-outside Lip6-out "--ip 2001:db8:2::5" reject chain.nc-permitted std "an IPv6 SAN outside the permitted /64 (RFC 5280 6.1.3 b)"
ncca Nipx 'critical,excluded;IP:127.0.0.0/255.0.0.0,excluded;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'
ncleaf Lipx Nipx IP:127.0.0.1
ncleaf Lip6x Nipx IP:::1
ncleaf Lipx-ok Nipx IP:192.0.2.10
use Nipx R
c nc-ip-excluded Lipx "--ip 127.0.0.1" reject chain.nc-excluded std "an IPv4 SAN inside an excluded /8 (RFC 5280 6.1.3 c)"
c nc-ipv6-excluded Lip6x "--ip ::1" reject chain.nc-excluded std "an IPv6 SAN equal to an excluded /128 (RFC 5280 6.1.3 c)"
c nc-ip-not-excluded Lipx-ok "--ip 192.0.2.10" accept - std "an IPv4 SAN outside the excluded ranges (RFC 5280 4.2.1.10)"
ncleaf Lipx-dns Nipx DNS:localhost
c nc-ip-constraint-dns-san Lipx-dns "--host localhost" accept - std "IP constraints do not constrain dNSNames (RFC 5280 4.2.1.10)"
ncleaf Ldns-ip Ndns IP:192.0.2.10
use Ndns R
c nc-dns-constraint-ip-san Ldns-ip "--ip 192.0.2.10" accept - std "DNS constraints do not constrain iPAddress names (RFC 5280 4.2.1.10)"
ncca Nmail 'critical,permitted;email:example.com'
ncleaf Lmail-ok Nmail "DNS:www.example.com,email:alice@example.com"
ncleaf Lmail-out Nmail "DNS:www.example.com,email:alice@example.org"
ncca Nmaild 'critical,permitted;email:.example.com'
ncleaf Lmaild-sub Nmaild "DNS:www.example.com,email:alice@mail.example.com"
ncleaf Lmaild-apex Nmaild "DNS:www.example.com,email:alice@example.com"
use Nmaild R
c nc-email-domain Lmaild-sub "$H" accept - std "an email constraint .example.com permits mailboxes at subdomains (RFC 5280 4.2.1.10)"
c nc-email-domain-apex Lmaild-apex "$H" reject chain.nc-permitted std "an email constraint .example.com does not permit the apex host (RFC 5280 4.2.1.10)"
use Nmail R
c nc-email-permitted Lmail-ok "$H" accept - std "an rfc822Name at the permitted host; DNS names unconstrained (RFC 5280 4.2.1.10)"
c nc-email-outside Lmail-out "$H" reject chain.nc-permitted std "an rfc822Name outside the permitted host (RFC 5280 6.1.3 b)"
ncca Ndir 'critical,permitted;dirName:dir_good' '[dir_good]
O=Good Leaves'
ncleaf Ldir-ok Ndir "$SANW" "/O=Good Leaves/CN=www.example.com"
ncleaf Ldir-out Ndir "$SANW" "/O=Bad Leaves/CN=www.example.com"
use Ndir R
c nc-dirname-permitted Ldir-ok "$H" accept - std "a subject inside the permitted directoryName subtree (RFC 5280 4.2.1.10)"
c nc-dirname-outside Ldir-out "$H" reject chain.nc-permitted std "a subject outside the permitted directoryName subtree (RFC 5280 6.1.3 b)"
# self-issued intermediates are exempt from the constraints of the CA above
KEY=Ndirs cert Ndirs ec256 Ndir "/O=Vectors/CN=NC Ndir" "$CAX"
ncleaf Ldirs Ndirs "$SANW" "/O=Good Leaves/CN=www.example.com"
cert Ndir2 ec256 Ndir "/O=Vectors/CN=Other Int" "$CAX"
ncleaf Ldir2 Ndir2 "$SANW" "/O=Good Leaves/CN=www.example.com"
use "Ndirs Ndir" R
c nc-self-issued-exempt Ldirs "$H" accept - std "a self-issued intermediate's subject is not checked against constraints (RFC 5280 6.1.3 b)"
use "Ndir2 Ndir" R
c nc-intermediate-outside Ldir2 "$H" reject chain.nc-permitted std "a non-self-issued intermediate's subject outside the permitted subtree (RFC 5280 6.1.3 b)"
# malformed constraints
ncca Nm-star 'critical,permitted;DNS:*.example.com'
ncca Nm-dot 'critical,permitted;DNS:.example.com'
ncca Nm-mask 'critical,permitted;IP:192.0.2.0/255.0.255.0'
ncca Nm-len 'critical,DER:30:0b:a0:09:30:07:87:05:c0:00:02:00:ff'
ncca Nm-mail 'critical,permitted;email:@example.com'
ncca Nm-len6 'critical,DER:30:18:a0:16:30:14:87:12:20:01:0d:b8:00:01:00:00:00:00:00:00:00:00:00:00:ff:ff'
ncca Nm-min 'critical,DER:30:14:a0:12:30:10:82:0b:65:78:61:6d:70:6c:65:2e:63:6f:6d:80:01:01'
ncca Nm-max 'critical,DER:30:14:a0:12:30:10:82:0b:65:78:61:6d:70:6c:65:2e:63:6f:6d:81:01:05'
for n in star dot mask len len6 mail min max; do
	ncleaf "Lm-$n" "Nm-$n" "$SANW,IP:192.0.2.10,email:alice@example.com"
done
use Nm-star R
c nc-malformed-dns-star Lm-star "$H" reject chain.nc-malformed std "a DNS constraint is a domain name, never a wildcard (RFC 5280 4.2.1.10)"
use Nm-dot R
c nc-malformed-dns-dot Lm-dot "$H" reject chain.nc-malformed std "a leading period belongs to URI and email constraints, not DNS (RFC 5280 4.2.1.10)"
use Nm-mask R
c nc-malformed-ip-mask Lm-mask "$H" reject chain.nc-malformed std "an iPAddress constraint's mask must be contiguous (RFC 5280 4.2.1.10)"
use Nm-len R
c nc-malformed-ip-length Lm-len "$H" reject chain.nc-malformed std "an IPv4 constraint is 8 octets, address then mask (RFC 5280 4.2.1.10)"
use Nm-len6 R
c nc-malformed-ipv6-length Lm-len6 "$H" reject chain.nc-malformed std "an IPv6 constraint is 32 octets, address then mask (RFC 5280 4.2.1.10)"
use Nm-mail R
c nc-malformed-email Lm-mail "$H" reject chain.nc-malformed std "an rfc822Name constraint is a mailbox, a host or .domain (RFC 5280 4.2.1.10)"
use Nm-min R
c nc-malformed-minimum Lm-min "$H" reject chain.nc-malformed std "minimum MUST be zero and is then absent in DER (RFC 5280 4.2.1.10)"
use Nm-max R
c nc-malformed-maximum Lm-max "$H" reject chain.nc-malformed std "maximum MUST be absent (RFC 5280 4.2.1.10)"
ncca Nempty 'critical,DER:30:00'
ncleaf Lempty Nempty "$SANW"
use Nempty R
c profile-nc-empty Lempty "$H" reject profile.nc-empty std "nameConstraints MUST have permitted or excluded subtrees (RFC 5280 4.2.1.10)"
ncca Nnc 'permitted;DNS:example.com'
ncleaf Lnc Nnc "$SANW"
use Nnc R
c nc-not-critical-full Lnc "$H" reject extensions.nc-not-critical std "conforming CAs MUST mark nameConstraints critical (RFC 5280 4.2.1.10)"
c nc-not-critical-webpki Lnc "--level webpki $H" accept - std "the Baseline Requirements allow non-critical nameConstraints (CA/B BR 7.1.2.5.2)"
c nc-not-critical-trusted Lnc "--level trusted" accept - std "criticality is a profile rule, not checked at level trusted (RFC 5280 6.1)"
cert Lncl ec256 I "/CN=www.example.com" "$(leafx "$SANW" 'nameConstraints=critical,permitted;DNS:example.com')"
use I R
c profile-nc-on-leaf Lncl "$H" reject profile.nc-on-leaf std "nameConstraints MUST only be used in a CA certificate (RFC 5280 4.2.1.10)"

# ---------------------------------------------------------------- identity under name constraints
section identity under name constraints
ncca Nxlh 'critical,excluded;DNS:localhost,excluded;IP:127.0.0.0/255.255.255.0'
cert Lcn-lh ec256 Nxlh "/CN=localhost" "$(lx 'subjectAltName')"
cert Lcn-127 ec256 Nxlh "/CN=127.0.0.1" "$(lx 'subjectAltName')"
use Nxlh R
c idnc-cn-localhost Lcn-lh "--host localhost" reject identity.name-constraints std "a CN used as identity must satisfy the CA's excluded DNS subtree (RFC 6125 6.4.4, RFC 5280 4.2.1.10)"
c idnc-cn-127 Lcn-127 "--ip 127.0.0.1" reject identity.name-constraints std "a CN used as identity must satisfy the CA's excluded IP subtree (RFC 5280 4.2.1.10)"
cert Lcn-ok ec256 Ndns "/CN=www.example.com" "$(lx 'subjectAltName')"
cert Lcn-out ec256 Ndns "/CN=www.evil.com" "$(lx 'subjectAltName')"
cert Lcn-lh-san ec256 Nxlh "/CN=localhost" "$(leafx "$SANW")"
use Nxlh R
c idnc-cn-not-used Lcn-lh-san "$H" accept - std "a CN beside a dNSName SAN is not an identity, so not constrained (RFC 6125 6.4.4)"
use Ndns R
c idnc-cn-permitted Lcn-ok "$H" accept - std "a CN identity inside the permitted subtree (RFC 6125 6.4.4)"
c idnc-cn-outside Lcn-out "--host www.evil.com" reject identity.name-constraints std "a CN identity outside the permitted subtree (RFC 5280 4.2.1.10)"
ncca Nxbar 'critical,excluded;DNS:bar.example.com'
ncleaf Lwild-bar Nxbar "DNS:*.example.com"
use Nxbar R
c idnc-wildcard-excluded Lwild-bar "--host bar.example.com" reject identity.name-constraints std "a wildcard must not match a host the CA excludes (RFC 5280 4.2.1.10; CVE-2025-61727)"
c idnc-wildcard-other Lwild-bar "--host foo.example.com" accept - std "the wildcard matches a host the CA does not exclude (RFC 6125 6.4.3)"

# ---------------------------------------------------------------- validity
section validity
cert Lexp ec256 I "/CN=www.example.com" "$LEAF" -startdate 20250101000000Z -enddate 20260101000000Z
cert Lfut ec256 I "/CN=www.example.com" "$LEAF" -startdate 20310101000000Z -enddate 20350101000000Z
cert Iexp ec256 R "/O=Vectors/CN=Expired Int" "$CAX" -startdate 20250101000000Z -enddate 20260101000000Z
cert Liexp ec256 Iexp "/CN=www.example.com" "$LEAF"
cert Llong ec256 I "/CN=www.example.com" "$LEAF" -startdate 20250101000000Z -enddate 20550101000000Z
use I R
c validity-leaf-expired Lexp "--level trusted" reject validity.expired std "the leaf's notAfter is before the time (RFC 5280 6.1.3 a2)"
c validity-leaf-in-window Lexp "--level trusted --at 2025-06-01T00:00:00Z" accept - std "the same leaf inside its window (RFC 5280 4.1.2.5)"
c validity-leaf-not-yet-valid Lfut "--level trusted" reject validity.not-yet-valid std "the leaf's notBefore is after the time (RFC 5280 6.1.3 a2)"
c validity-leaf-now-valid Lfut "--level trusted --at 2032-01-01T00:00:00Z" accept - std "the same leaf after its notBefore (RFC 5280 4.1.2.5)"
c validity-at-not-after L "--level trusted --at 2035-01-01T00:00:00Z" accept - std "notAfter is inclusive: valid at that very second (RFC 5280 4.1.2.5)"
c validity-after-not-after L "--level trusted --at 2035-01-01T00:00:01Z" reject validity.expired std "one second after notAfter (RFC 5280 4.1.2.5)"
c validity-at-not-before L "--level trusted --at 2025-01-01T00:00:00Z" accept - std "notBefore is inclusive (RFC 5280 4.1.2.5)"
c validity-before-not-before L "--level trusted --at 2024-12-31T23:59:59Z" reject validity.not-yet-valid std "one second before notBefore (RFC 5280 4.1.2.5)"
c validity-generalized-time Llong "--level trusted" accept - std "a notAfter after 2049 in GeneralizedTime; a leaf may outlive its CA (RFC 5280 4.1.2.5)"
c validity-none-expired Lexp "--level none" accept - - "level none checks nothing"
cert Rexp ec256 self "/O=Vectors/CN=Expired Root" "$ROOTX" -startdate 20250101000000Z -enddate 20260101000000Z
cert Irexp ec256 Rexp "/O=Vectors/CN=Under Expired Root" "$CAX"
cert Lrexp ec256 Irexp "/CN=www.example.com" "$LEAF"
use Irexp Rexp
c validity-anchor-expired Lrexp "--level trusted" reject validity.expired std "a trust anchor certificate past its notAfter (RFC 5280 4.1.2.5, RFC 5937 2)"
use Iexp R
c validity-int-expired Liexp "--level trusted" reject validity.expired std "an expired intermediate (RFC 5280 6.1.3 a2)"
c validity-int-in-window Liexp "--level trusted --at 2025-06-01T00:00:00Z" accept - std "the same intermediate inside its window (RFC 5280 6.1.3 a2)"

# ---------------------------------------------------------------- revocation
section revocation
cert Lrev ec256 I "/CN=www.example.com" "$LEAF"
crl I-clean I "" none
crl I-rev I "Lrev" none
crl R-clean R "" none
crl R-rev-I R "I" none
use I R I-clean
c crl-ok L "--level trusted" accept - std "the issuer's CRL does not list the leaf (RFC 5280 6.3)"
c crl-ok-full L "$H" accept - std "a clean CRL at level full (RFC 5280 6.3)"
use I R I-rev
c crl-revoked Lrev "--level trusted" reject revocation.revoked std "the issuer's CRL lists the leaf (RFC 5280 6.3.3 i)"
c crl-other-revoked L "--level trusted" accept - std "the CRL lists another serial (RFC 5280 6.3.3 i)"
c crl-revoked-none Lrev "--level none" accept - - "level none checks nothing"
use I R R-clean
c crl-missing L "--level trusted" reject revocation.crl-missing std "CRLs were given but none is from the leaf's issuer (RFC 5280 6.3.3)"
use I R "I-clean R-rev-I"
c crl-int-revoked L "--level trusted" reject revocation.revoked "-crl_check_all" "the root's CRL lists the intermediate (RFC 5280 6.3)"
use I R "I-clean R-clean"
c crl-both-clean L "--level trusted" accept - "-crl_check_all" "CRLs of both CAs list neither certificate (RFC 5280 6.3)"
KEY=Ifake crl I-wrongkey Ifake "" none
use I R I-wrongkey
c crl-wrong-key L "--level trusted" reject revocation.crl-signature std "a CRL naming the issuer but signed by another key (RFC 5280 6.3.3 g)"
crl I-badsig I "" none
crledit I-badsig I badsig
use I R I-badsig
c crl-bad-signature L "--level trusted" reject revocation.crl-signature std "the CRL's signature does not verify (RFC 5280 6.3.3 g)"
cert Incrl ec256 R "/O=Vectors/CN=No cRLSign" "$(cax 'keyUsage=critical,keyCertSign')"
cert Lncrl ec256 Incrl "/CN=www.example.com" "$LEAF"
crl Incrl-clean Incrl "" none
use Incrl R Incrl-clean
c crl-issuer-no-crlsign Lncrl "--level trusted" reject revocation.crl-issuer-usage std "the CRL issuer's keyUsage lacks cRLSign (RFC 5280 6.3.3 f)"
crl Inku-clean Inku "" none
use Inku R Inku-clean
c crl-issuer-no-ku Lnku "--level trusted" accept - std "a CRL issuer without keyUsage may sign CRLs (RFC 5280 4.2.1.3)"
crl I-unkcrit I "" '1.3.6.1.4.1.55555.9=critical,DER:05:00'
crl I-unknoncrit I "" '1.3.6.1.4.1.55555.9=DER:05:00'
NUM=no crl I-numcrit I "" 'crlNumber=critical,DER:02:01:07'
NUM=no crl I-nonum I "" 'authorityKeyIdentifier=keyid:always'
NUM=no crl I-v1 I "" none
crl I-v1ext I "" none
crledit I-v1ext I version=0
crl I-v4 I "" none
crledit I-v4 I version=2
crl I-exp I "" none -crl_lastupdate 20250101000000Z -crl_nextupdate 20290101000000Z
crl I-fut I "" none -crl_lastupdate 20310101000000Z -crl_nextupdate 20350101000000Z
crl I-nonext I "" none
crledit I-nonext I nonext
crl I-dup I "Lrev" none
crledit I-dup I dupentry
crl I-entcrit I "Lrev" none
crledit I-entcrit I entrycrit
use I R I-unkcrit
c crl-unknown-critical L "--level trusted" reject revocation.crl-critical-extension std "an unknown critical CRL extension (RFC 5280 5.2, 6.3.3 e)"
use I R I-unknoncrit
c crl-unknown-noncritical L "--level trusted" accept - std "an unknown non-critical CRL extension is ignored (RFC 5280 5.2)"
use I R I-numcrit
c crl-number-critical L "--level trusted" reject revocation.crl-critical-extension std "the CRL number MUST be non-critical (RFC 5280 5.2.3)"
use I R I-nonum
c crl-no-number L "--level trusted" reject revocation.crl-number std "conforming CRLs MUST include a CRL number (RFC 5280 5.2.3)"
use I R I-v1
c crl-v1-no-number L "--level trusted" reject revocation.crl-number std "a v1 CRL has no CRL number (RFC 5280 5.2.3)"
use I R I-v1ext
c crl-v1-with-extensions L "--level trusted" reject revocation.crl-version std "a CRL with extensions MUST be v2 (RFC 5280 5.1.2.1)"
use I R I-v4
c crl-bad-version L "--level trusted" reject revocation.crl-version std "a CRL version other than v1 or v2 (RFC 5280 5.1.2.1)"
use I R I-exp
c crl-expired L "--level trusted" reject revocation.crl-expired std "the CRL's nextUpdate is before the time (RFC 5280 6.3.3 a2)"
c crl-expired-earlier L "--level trusted --at 2028-01-01T00:00:00Z" accept - std "the same CRL before its nextUpdate (RFC 5280 5.1.2.5)"
use I R I-fut
c crl-not-yet-valid L "--level trusted" reject revocation.crl-not-yet-valid std "the CRL's thisUpdate is after the time (RFC 5280 5.1.2.4)"
use I R I-dup
c crl-duplicate-serial L "--level trusted" reject revocation.crl-duplicate-serial std "a CRL listing one serial twice is malformed (RFC 5280 5.1.2.6)"
use I R I-entcrit
c crl-entry-critical L "--level trusted" reject revocation.crl-critical-extension std "a critical CRL entry extension that is not supported (RFC 5280 5.3)"
use I R I-nonext
c crl-no-next-update L "--level trusted" reject revocation.crl-next-update std "conforming CRLs MUST include nextUpdate (RFC 5280 5.1.2.5)"
crl I-onlyca I "" 'issuingDistributionPoint=critical,@idp
[idp]
onlyCA=TRUE'
crl I-onlyuser I "" 'issuingDistributionPoint=critical,@idp
[idp]
onlyuser=TRUE'
crl I-somereasons I "" 'issuingDistributionPoint=critical,@idp
[idp]
onlysomereasons=keyCompromise'
crl I-indirect I "" 'issuingDistributionPoint=critical,@idp
[idp]
indirectCRL=TRUE'
crl R-onlyuser R "" 'issuingDistributionPoint=critical,@idp
[idp]
onlyuser=TRUE'
crl R-onlyca R "" 'issuingDistributionPoint=critical,@idp
[idp]
onlyCA=TRUE'
use I R I-onlyca
c crl-scope-only-ca L "--level trusted" reject revocation.crl-scope std "a CRL of CA certificates only does not cover a leaf (RFC 5280 5.2.5, 6.3.3 b)"
use I R I-onlyuser
c crl-scope-only-user L "--level trusted" accept - std "a CRL of user certificates covers a leaf (RFC 5280 5.2.5)"
use I R "I-clean R-onlyuser"
c crl-scope-only-user-for-ca L "--level trusted" reject revocation.crl-scope "-crl_check_all" "a CRL of user certificates does not cover the intermediate (RFC 5280 6.3.3 b)"
use I R "I-clean R-onlyca"
c crl-scope-only-ca-for-ca L "--level trusted" accept - "-crl_check_all" "a CRL of CA certificates covers the intermediate (RFC 5280 5.2.5)"
use I R I-somereasons
c crl-scope-some-reasons L "--level trusted" reject revocation.crl-scope std "a CRL for some reasons only is not complete for the leaf (RFC 5280 6.3.3 d)"
use I R I-indirect
c crl-scope-indirect L "--level trusted" reject revocation.crl-scope std "an indirect CRL is not a complete CRL of the issuer (RFC 5280 5.2.5, 6.3.3 b)"

# ---------------------------------------------------------------- identity
section identity
ileaf() { cert "$1" ec256 I "$2" "$(leafx "$3")"; }
ileaf0() { cert "$1" ec256 I "$2" "$(lx 'subjectAltName')"; } # no SAN
use I R
c id-host-exact L "$H" accept - std "a SAN dNSName equal to the host (RFC 6125 6.4.1)"
c id-host-case L "--host WWW.Example.COM" accept - std "host names compare case-insensitively (RFC 6125 6.4.1)"
c id-host-mismatch L "--host other.example.com" reject identity.mismatch std "no SAN names the host (RFC 6125 6.4)"
c id-host-trusted-only L "--level trusted --host other.example.com" accept - - "level trusted checks no identity"
ileaf Lsan-upper "/CN=x" DNS:WWW.EXAMPLE.COM
c id-san-upper Lsan-upper "$H" accept - std "an upper-case SAN matches a lower-case host (RFC 6125 6.4.1)"
ileaf Lmulti "/CN=x" "DNS:a.example.com,DNS:b.example.com,IP:192.0.2.10"
c id-multi-san Lmulti "--host b.example.com" accept - std "any SAN dNSName may match (RFC 6125 6.4)"
ileaf0 Lcn "/CN=www.example.com"
c id-cn-only Lcn "$H" accept - std "the CN is used when the certificate has no SAN (RFC 6125 6.4.4)"
c id-cn-only-mismatch Lcn "--host other.example.com" reject identity.mismatch std "the CN names another host (RFC 6125 6.4.4)"
c id-cn-only-webpki Lcn "--level webpki $H" reject identity.mismatch std "browser-facing checks never use the CN (CA/B BR 7.1.4.3)"
ileaf Lcnsan "/CN=www.example.com" DNS:other.example.com
c id-cn-beside-dns-san Lcnsan "$H" reject identity.mismatch std "the CN is not used when the SAN has a dNSName (RFC 6125 6.4.4)"
ileaf Lcnsanip "/CN=www.example.com" IP:192.0.2.10
c id-cn-beside-ip-san Lcnsanip "$H" reject identity.mismatch std "the CN is not used when the SAN has an iPAddress (RFC 6125 6.4.4)"
ileaf Lcnmail "/CN=www.example.com" email:admin@example.com
c id-cn-beside-email-san Lcnmail "$H" accept - std "a SAN of only an email address does not displace the CN (RFC 6125 6.4.4)"
ileaf Lstar "/CN=example.com" "DNS:*"
c id-san-star-alone Lstar "--host example.com" reject identity.mismatch std "'*' alone matches nothing, and the CN is not used beside a SAN (RFC 6125 6.4.3, 6.4.4)"
c id-san-star-alone-other Lstar "--host foo" reject identity.mismatch std "'*' alone is not a wildcard for single-label hosts (RFC 6125 6.4.3)"
ileaf Lwild "/CN=x" "DNS:*.example.com"
c id-wildcard Lwild "--host foo.example.com" accept - std "a wildcard as the whole left-most label (RFC 6125 6.4.3)"
c id-wildcard-case Lwild "--host FOO.Example.com" accept - std "a wildcard match is case-insensitive (RFC 6125 6.4.3)"
c id-wildcard-two-labels Lwild "--host a.b.example.com" reject identity.mismatch std "a wildcard matches exactly one label (RFC 6125 6.4.3)"
c id-wildcard-apex Lwild "--host example.com" reject identity.mismatch std "a wildcard does not match the parent name (RFC 6125 6.4.3)"
c id-wildcard-idna-host Lwild "--host xn--bcher-kva.example.com" accept - std "a whole-label wildcard may match an A-label host (RFC 6125 6.4.3)"
ileaf Lpart "/CN=x" "DNS:f*.example.com"
c id-wildcard-partial Lpart "--host foo.example.com" reject identity.mismatch std "a partial-label wildcard 'f*' is not accepted (RFC 6125 6.4.3, CA/B BR 7.1.4.2)"
ileaf Lpart2 "/CN=x" "DNS:*oo.example.com"
c id-wildcard-suffix Lpart2 "--host foo.example.com" reject identity.mismatch std "a wildcard must be the whole left-most label (RFC 6125 6.4.3)"
ileaf Lmid "/CN=x" "DNS:www.*.example.com"
c id-wildcard-middle Lmid "--host www.foo.example.com" reject identity.mismatch std "a wildcard only in the left-most label (RFC 6125 6.4.3)"
ileaf Lidna "/CN=x" "DNS:xn--*.example.com"
c id-wildcard-in-a-label Lidna "--host xn--bcher-kva.example.com" reject identity.mismatch std "no wildcard inside an A-label (RFC 6125 6.4.3)"
ileaf Lcom "/CN=x" "DNS:*.com"
c id-wildcard-tld Lcom "--host example.com" reject identity.mismatch std "no wildcard over a public suffix (RFC 6125 7.2, CA/B BR 3.2.2.6)"
ileaf Lcouk "/CN=x" "DNS:*.co.uk"
c id-wildcard-public-suffix Lcouk "--host example.co.uk" reject identity.mismatch std "no wildcard over a multi-label public suffix (RFC 6125 7.2, CA/B BR 3.2.2.6)"
ileaf Lexcouk "/CN=x" "DNS:*.example.co.uk"
c id-wildcard-below-suffix Lexcouk "--host www.example.co.uk" accept - std "a wildcard below a registrable domain (RFC 6125 6.4.3)"
ileaf0 Lcnwild "/CN=*.example.com"
c id-cn-wildcard Lcnwild "--host foo.example.com" accept - std "the CN follows the same wildcard rule when there is no SAN (RFC 6125 6.4.4)"
ileaf Lip "/CN=x" "IP:192.0.2.10,IP:2001:db8::1"
c id-ipv4 Lip "--ip 192.0.2.10" accept - std "a SAN iPAddress equal to the address (RFC 6125 6.4, RFC 5280 4.2.1.6)"
c id-ipv4-mismatch Lip "--ip 192.0.2.11" reject identity.mismatch std "no SAN iPAddress equals the address (RFC 5280 4.2.1.6)"
c id-ipv6 Lip "--ip 2001:db8:0:0:0:0:0:1" accept - std "IPv6 addresses compare as 16 octets, not as text (RFC 5280 4.2.1.6)"
c id-ipv6-mismatch Lip "--ip 2001:db8::2" reject identity.mismatch std "no SAN iPAddress equals the IPv6 address (RFC 5280 4.2.1.6)"
c id-host-vs-ip-san Lip "--host www.example.com" reject identity.mismatch std "a host name never matches an iPAddress entry (RFC 6125 6.4)"
ileaf Lipdns "/CN=x" "DNS:192.0.2.10"
c id-ip-as-dns-san Lipdns "--ip 192.0.2.10" reject identity.mismatch std "an address must match an iPAddress entry, not a dNSName (RFC 6125 3.1.3.2, RFC 5280 4.2.1.6)"
ileaf0 Lcnip "/CN=192.0.2.10"
c id-cn-ip Lcnip "--ip 192.0.2.10" accept - std "the guide's phones compare the address in the CN when there is no SAN (RFC 6125 6.4.4 applies no SAN rule)"
c id-cn-ip-webpki Lcnip "--level webpki --ip 192.0.2.10" reject identity.mismatch std "browser-facing checks never use the CN (CA/B BR 7.1.4.3)"

# ---------------------------------------------------------------- extensions
section extensions
UNK='1.3.6.1.4.1.55555.1=critical,ASN1:UTF8String:unknown to everyone'
cert Lunk ec256 I "/CN=www.example.com" "$(leafx "$SANW" "$UNK")"
cert Lunknc ec256 I "/CN=www.example.com" "$(leafx "$SANW" '1.3.6.1.4.1.55555.1=ASN1:UTF8String:unknown')"
cert Iunk ec256 R "/O=Vectors/CN=Unknown Critical Int" "$CAX
$UNK"
cert Liunk ec256 Iunk "/CN=www.example.com" "$LEAF"
use I R
c ext-unknown-critical-leaf Lunk "$H" reject extensions.unknown-critical std "an unrecognized critical extension MUST be rejected (RFC 5280 4.2)"
c ext-unknown-critical-leaf-trusted Lunk "--level trusted" accept - "-ignore_critical" "level trusted does not check critical extensions"
c ext-unknown-noncritical-leaf Lunknc "$H" accept - std "an unrecognized non-critical extension may be ignored (RFC 5280 4.2)"
use Iunk R
c ext-unknown-critical-int Liunk "$H" reject extensions.unknown-critical std "an unrecognized critical extension in an intermediate (RFC 5280 4.2, 6.1.4 o)"
c ext-unknown-critical-int-trusted Liunk "--level trusted" accept - "-ignore_critical" "level trusted does not check critical extensions"
use I R
cert Lbadsan ec256 I "/CN=www.example.com" "$(lx 'subjectAltName=DER:30:03:82:05:41')"
c ext-invalid-san Lbadsan "$H" reject extensions.invalid std "a SAN whose DER is truncated (RFC 5280 4.2.1.6, X.690)"
cert Lbadku ec256 I "/CN=www.example.com" "$(lx 'keyUsage=critical,DER:04:02:00:00
subjectAltName=DNS:www.example.com')"
c ext-invalid-key-usage Lbadku "$H" reject extensions.invalid std "a keyUsage that is not a BIT STRING (RFC 5280 4.2.1.3)"
ncca Nbad 'critical,DER:30:03:a0:01:30'
ncleaf Lnbad Nbad "$SANW"
use Nbad R
c ext-invalid-name-constraints Lnbad "$H" reject extensions.invalid std "a nameConstraints value that is not valid DER (RFC 5280 4.2.1.10)"
use I R
cp "$W/c/L.pem" "$W/c/Ldup.pem"; echo L >"$W/c/Ldup.k"
edit Ldup I dupext=551d11
c ext-duplicate Ldup "$H" reject extensions.invalid std "a certificate MUST NOT include more than one instance of an extension (RFC 5280 4.2)"
cert Lkuno ec256 I "/CN=www.example.com" "$(lx 'keyUsage=critical,nonRepudiation
subjectAltName=DNS:www.example.com')"
c ext-key-usage-no-tls Lkuno "$H" reject extensions.key-usage std "a critical keyUsage allowing no TLS use (RFC 5280 4.2.1.3, RFC 5246 7.4.2)"
cert Lkuke rsa2048 I "/CN=www.example.com" "$(lx 'keyUsage=critical,keyEncipherment
subjectAltName=DNS:www.example.com')"
c ext-key-usage-rsa-key-encipherment Lkuke "$H" accept - std "keyEncipherment alone is a TLS use for an RSA key (RFC 5280 4.2.1.3)"
cert Lnoku ec256 I "/CN=www.example.com" "$(lx 'keyUsage
subjectAltName=DNS:www.example.com')"
c ext-leaf-no-key-usage Lnoku "$H" accept - std "a leaf without keyUsage allows every use (RFC 5280 4.2.1.3)"
cert Lekucode ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=critical,codeSigning
subjectAltName=DNS:www.example.com')"
c ext-eku-critical-code-signing Lekucode "$H" reject extensions.eku std "a critical EKU without serverAuth or clientAuth (RFC 5280 4.2.1.12)"
cert Lekusrv ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=critical,serverAuth
subjectAltName=DNS:www.example.com')"
c ext-eku-critical-server Lekusrv "$H" accept - std "a critical EKU with serverAuth (RFC 5280 4.2.1.12)"
cert Lakic ec256 I "/CN=www.example.com" "$(lx 'authorityKeyIdentifier=critical,keyid:always
subjectAltName=DNS:www.example.com')"
c ext-aki-critical Lakic "$H" reject extensions.critical std "conforming CAs MUST mark the AKI non-critical (RFC 5280 4.2.1.1)"
cert Lskic ec256 I "/CN=www.example.com" "$(lx 'subjectKeyIdentifier=critical,hash
subjectAltName=DNS:www.example.com')"
c ext-ski-critical Lskic "$H" reject extensions.critical std "conforming CAs MUST mark the SKI non-critical (RFC 5280 4.2.1.2)"
cert Laiac ec256 I "/CN=www.example.com" "$(leafx "$SANW" 'authorityInfoAccess=critical,OCSP;URI:http://ocsp.example.com/')"
c ext-aia-critical Laiac "$H" reject extensions.critical std "conforming CAs MUST mark the AIA non-critical (RFC 5280 4.2.2.1)"
cert Laia ec256 I "/CN=www.example.com" "$(leafx "$SANW" 'authorityInfoAccess=OCSP;URI:http://ocsp.example.com/')"
c ext-aia-noncritical Laia "$H" accept - std "a non-critical AIA (RFC 5280 4.2.2.1)"
cert Ibcnc ec256 R "/O=Vectors/CN=BC Not Critical" "$(cax 'basicConstraints=CA:TRUE')"
cert Lbcnc ec256 Ibcnc "/CN=www.example.com" "$LEAF"
use Ibcnc R
c ext-ca-bc-not-critical Lbcnc "$H" reject extensions.not-critical std "a CA's basicConstraints MUST be critical (RFC 5280 4.2.1.9)"
c ext-ca-bc-not-critical-trusted Lbcnc "--level trusted" accept - std "criticality is a profile rule, not checked at level trusted"
cert Rbcnc ec256 self "/O=Vectors/CN=Root BC Not Critical" "$(cax 'basicConstraints=CA:TRUE
authorityKeyIdentifier=none')"
cert Irbcnc ec256 Rbcnc "/O=Vectors/CN=Under Root BC Not Critical" "$CAX"
klf0() { cert "$1" ec256 "$2" "/CN=www.example.com" "$LEAF"; }
klf0 Lrbcnc Irbcnc
use Irbcnc Rbcnc
c ext-root-bc-not-critical Lrbcnc "$H" reject extensions.not-critical std "a CA's basicConstraints MUST be critical, a root's too (RFC 5280 4.2.1.9)"
c ext-root-bc-not-critical-trusted Lrbcnc "--level trusted" accept - std "criticality is a profile rule, not checked at level trusted"
use I R
cert Lbcc ec256 I "/CN=www.example.com" "$(leafx "$SANW" | sed 's/^basicConstraints=CA:FALSE/basicConstraints=critical,CA:FALSE/')"
c ext-leaf-bc-critical Lbcc "$H" accept - std "a leaf's basicConstraints may be critical or not (RFC 5280 4.2.1.9)"

# ---------------------------------------------------------------- profile
section profile: leaf
cert Lca ec256 I "/CN=www.example.com" "$(lx 'basicConstraints=critical,CA:TRUE
keyUsage=critical,digitalSignature,keyCertSign
subjectAltName=DNS:www.example.com')"
cert Lkcs ec256 I "/CN=www.example.com" "$(lx 'keyUsage=critical,digitalSignature,keyCertSign
subjectAltName=DNS:www.example.com')"
c profile-leaf-ca Lca "$H" reject profile.leaf-ca std "a CA certificate used as a TLS server (RFC 5280 4.2.1.9, CA/B BR 7.1.2.7.8)"
c profile-leaf-ca-client Lca "--purpose client $H" reject profile.leaf-ca std "a CA certificate used as a TLS client (RFC 5280 4.2.1.9)"
c profile-leaf-ca-trusted Lca "--level trusted" accept - std "level trusted does not apply the profile"
c profile-leaf-keycertsign Lkcs "$H" reject profile.leaf-ca std "keyCertSign on a certificate without cA (RFC 5280 4.2.1.3)"
cert SSca ec256 self "/CN=www.example.com" "$(lx 'basicConstraints=critical,CA:TRUE
keyUsage=critical,digitalSignature,keyCertSign
authorityKeyIdentifier
subjectAltName=DNS:www.example.com')"
use - SSca
c profile-leaf-ca-directly-trusted SSca "$H" accept - std "a directly trusted self-signed server certificate may be a CA (RFC 5280 6.1.1 d)"
use I R
cert Lpln ec256 I "/CN=www.example.com" "$(lx 'basicConstraints=DER:30:03:02:01:00
subjectAltName=DNS:www.example.com')"
c profile-pathlen-non-ca Lpln "$H" reject profile.pathlen-non-ca std "pathLenConstraint without cA (RFC 5280 4.2.1.9)"
cert Ipln ec256 R "/O=Vectors/CN=Pathlen No KCS" "$(cax 'basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,digitalSignature,cRLSign')"
cert Lipln ec256 Ipln "/CN=www.example.com" "$LEAF"
use - Ipln
c profile-pathlen-no-keycertsign Lipln "$H" reject profile.pathlen-non-ca std "pathLenConstraint on a CA without keyCertSign (RFC 5280 4.2.1.9)"
use I R
cert Lnoaki ec256 I "/CN=www.example.com" "$(lx 'authorityKeyIdentifier
subjectAltName=DNS:www.example.com')"
c profile-leaf-no-aki Lnoaki "$H" reject profile.aki std "a certificate not self-signed MUST have an AKI (RFC 5280 4.2.1.1)"
c profile-leaf-no-aki-trusted Lnoaki "--level trusted" accept - std "level trusted does not apply the profile"
cert Lakibad ec256 I "/CN=www.example.com" "$(lx 'authorityKeyIdentifier=DER:30:16:80:14:11:11:11:11:11:11:11:11:11:11:11:11:11:11:11:11:11:11:11:11
subjectAltName=DNS:www.example.com')"
c profile-aki-mismatch Lakibad "$H" reject profile.aki std "the AKI keyIdentifier differs from the issuer's SKI (RFC 5280 4.2.1.1)"
c profile-aki-mismatch-trusted Lakibad "--level trusted" reject chain.issuer-missing std "OpenSSL and ucpki choose issuers by the AKI (RFC 5280 4.2.1.1): no issuer matches"
cert Inoaki ec256 R "/O=Vectors/CN=No AKI Int" "$(cax 'authorityKeyIdentifier')"
cert Linoaki ec256 Inoaki "/CN=www.example.com" "$LEAF"
use Inoaki R
c profile-int-no-aki Linoaki "$H" reject profile.aki std "an intermediate MUST have an AKI (RFC 5280 4.2.1.1)"
cert Inoski ec256 R "/O=Vectors/CN=No SKI Int" "$(cax 'subjectKeyIdentifier')"
cert Linoski ec256 Inoski "/CN=www.example.com" "$(lx 'authorityKeyIdentifier=issuer:always
subjectAltName=DNS:www.example.com')"
use Inoski R
c profile-ca-no-ski Linoski "$H" reject profile.ski std "a CA certificate MUST have an SKI (RFC 5280 4.2.1.2)"
use I R
cert Laki-issuer ec256 I "/CN=www.example.com" "$(lx 'authorityKeyIdentifier=keyid:always,issuer:always
subjectAltName=DNS:www.example.com')"
c profile-aki-keyid-and-issuer Laki-issuer "$H" accept - std "an AKI with keyIdentifier, issuer and serial (RFC 5280 4.2.1.1)"
# serial numbers
for s in zero:00 negative:ff neg-long:8000000000000001 long21:01$(printf '23%.0s' $(seq 20)) \
	len20:7f$(printf '45%.0s' $(seq 19)) one:01; do
	cp "$W/c/L.pem" "$W/c/Lser-${s%%:*}.pem"; echo L >"$W/c/Lser-${s%%:*}.k"
	edit "Lser-${s%%:*}" I "serial=${s#*:}"
done
c profile-serial-zero Lser-zero "$H" reject profile.serial std "the serial MUST be a positive integer (RFC 5280 4.1.2.2)"
c profile-serial-negative Lser-negative "$H" reject profile.serial std "a negative serial (RFC 5280 4.1.2.2)"
c profile-serial-negative-long Lser-neg-long "$H" reject profile.serial std "a negative 8-octet serial (RFC 5280 4.1.2.2)"
c profile-serial-21-octets Lser-long21 "$H" reject profile.serial std "a serial longer than 20 octets (RFC 5280 4.1.2.2)"
c profile-serial-20-octets Lser-len20 "$H" accept - std "a positive 20-octet serial is the longest allowed (RFC 5280 4.1.2.2)"
c profile-serial-one Lser-one "$H" accept - std "a one-octet positive serial (RFC 5280 4.1.2.2)"
c profile-serial-zero-trusted Lser-zero "--level trusted" accept - std "level trusted does not apply the profile"
# names
cert Lextempty ec256 I "/CN=www.example.com" "$(lx '1.2.3.4.5=DER:05:00')"
edit Lextempty I emptyext=2a030405
c ext-empty-value-unknown Lextempty "$H" accept - std "an unknown non-critical extension with an empty value is ignored (RFC 5280 4.2)"
cert Lextemptyc ec256 I "/CN=www.example.com" "$(lx '1.2.3.4.5=critical,DER:05:00')"
edit Lextemptyc I emptyext=2a030405
c ext-empty-value-critical Lextemptyc "$H" reject extensions.unknown-critical std "an unknown critical extension, even empty, fails (RFC 5280 4.2)"
cert Lsanempty ec256 I "/CN=www.example.com" "$(lx 'subjectAltName=DER:30:00')"
c profile-san-empty Lsanempty "$H" reject profile.san-empty std "a SAN extension MUST hold at least one name (RFC 5280 4.2.1.6)"
cert Lsubj0 ec256 I "/CN=x" "$(lx 'subjectAltName=critical,DNS:www.example.com')"
edit Lsubj0 I subject=empty
c profile-empty-subject-critical-san Lsubj0 "$H" accept - std "an empty subject with a critical SAN (RFC 5280 4.1.2.6, 4.2.1.6)"
cert Lsubj0n ec256 I "/CN=x" "$LEAF"
edit Lsubj0n I subject=empty
c profile-empty-subject-noncritical-san Lsubj0n "$H" reject profile.empty-name std "an empty subject needs a critical SAN (RFC 5280 4.2.1.6)"
cert R0 ec256 self "/CN=x" "$ROOTX"
edit R0 R0 subject=empty issuer=empty
cert L0 ec256 R0 "/CN=www.example.com" "$LEAF"
edit L0 R0 issuer=empty
use - R0
c profile-empty-issuer L0 "$H" reject profile.empty-name std "the issuer MUST be a non-empty name (RFC 5280 4.1.2.4)"
c profile-empty-issuer-trusted L0 "--level trusted" accept - std "level trusted does not apply the profile"
use I R
# version and signature algorithm
cp "$W/c/L.pem" "$W/c/Lv1ext.pem"; echo L >"$W/c/Lv1ext.k"
edit Lv1ext I version=0
cp "$W/c/L.pem" "$W/c/Lv2ext.pem"; echo L >"$W/c/Lv2ext.k"
edit Lv2ext I version=1
c profile-v1-with-extensions Lv1ext "$H" reject profile.version std "extensions require a v3 certificate (RFC 5280 4.1.2.1)"
c profile-v2-with-extensions Lv2ext "$H" reject profile.version std "extensions require a v3 certificate (RFC 5280 4.1.2.1)"
cert Lv1 ec256 I "/CN=www.example.com" none
c profile-v1-leaf Lv1 "$H" accept - std "a v1 leaf under a v3 CA: only CAs must be v3 (RFC 5280 6.1.4 k)"
c profile-v1-leaf-trusted Lv1 "--level trusted" accept - std "a v1 leaf under a v3 CA (RFC 5280 6.1)"
c profile-v1-leaf-webpki Lv1 "--level webpki $H" reject profile.webpki-san std "browser-facing leaves must carry a SAN (CA/B BR 7.1.2.7.12)"
cp "$W/c/L.pem" "$W/c/Lsigalg.pem"; echo L >"$W/c/Lsigalg.k"
edit Lsigalg I outeralg=300a06082a8648ce3d040303 hash=sha384
c profile-signature-algorithm Lsigalg "$H" reject profile.signature-algorithm std "signatureAlgorithm MUST equal the TBS signature field (RFC 5280 4.1.1.2)"
section profile: CAs
cert Rnobc ec256 self "/O=Vectors/CN=Root No BC" "$(cax 'basicConstraints
authorityKeyIdentifier=none')"
cert Lrnobc ec256 Rnobc "/CN=www.example.com" "$LEAF"
use - Rnobc
c profile-anchor-no-bc Lrnobc "$H" reject profile.ca-basic-constraints std "a CA certificate, the anchor included, MUST have basicConstraints (RFC 5280 4.2.1.9)"
c profile-anchor-no-bc-trusted Lrnobc "--level trusted" accept - std "an anchor is trusted as configured at level trusted (RFC 5280 6.1.1 d)"
cert Rnoski ec256 self "/O=Vectors/CN=Root No SKI" "$(cax 'subjectKeyIdentifier
authorityKeyIdentifier=none')"
cert Irnoski ec256 Rnoski "/O=Vectors/CN=Under Root No SKI" "$(cax 'authorityKeyIdentifier=issuer:always')"
klf() { cert "$1" "$2" "${3:-I}" "/CN=www.example.com" "$LEAF" "${@:4}"; }
klf Lrnoski ec256 Irnoski
use Irnoski Rnoski
c profile-anchor-no-ski Lrnoski "$H" reject profile.ski std "a CA certificate, a root included, MUST have an SKI (RFC 5280 4.2.1.2)"
c profile-anchor-no-ski-trusted Lrnoski "--level trusted" accept - std "level trusted does not apply the profile"
cert Rnokcs ec256 self "/O=Vectors/CN=Root No keyCertSign" "$(cax 'keyUsage=critical,digitalSignature,cRLSign
authorityKeyIdentifier=none')"
cert Lrnokcs ec256 Rnokcs "/CN=www.example.com" "$LEAF"
use - Rnokcs
c profile-anchor-ca-no-keycertsign Lrnokcs "$H" reject profile.ca-key-usage std "a CA certificate with keyUsage but without keyCertSign (RFC 5280 4.2.1.3)"
cert Rv1 ec256 self "/O=Vectors/CN=Root v1" none
cert Lrv1 ec256 Rv1 "/CN=www.example.com" "$(lx "authorityKeyIdentifier=issuer:always")"
use - Rv1
c profile-anchor-v1 Lrv1 "$H" reject profile.v1-ca std "a v1 certificate as a CA, the anchor included (RFC 5280 4.1.2.1, 6.1.4 k)"
c profile-anchor-v1-trusted Lrv1 "--level trusted" accept - std "an anchor is trusted as configured at level trusted (RFC 5280 6.1.1 d)"
cert Iv1 ec256 R "/O=Vectors/CN=Int v1" none
cert Liv1 ec256 Iv1 "/CN=www.example.com" "$(lx "authorityKeyIdentifier=issuer:always")"
use Iv1 R
c profile-int-v1 Liv1 "$H" reject profile.v1-ca std "a v1 intermediate cannot be shown to be a CA (RFC 5280 6.1.4 k)"
# keys and signatures
klf() { cert "$1" "$2" "${3:-I}" "/CN=www.example.com" "$LEAF" "${@:4}"; }
use I R
klf Lrsa1024 rsa1024
klf Lrsa2048 rsa2048
klf Lp224 ec224
klf Lp384 ec384
klf Lp521 ec521
klf Ldsa dsa
klf Lecx ecx
klf Lk256 k256
klf Lrsa2052 rsa2052
c profile-weak-key-rsa1024 Lrsa1024 "$H" reject profile.weak-key std "an RSA key below 2048 bits (CA/B BR 6.1.5, NIST SP 800-131A)"
c profile-weak-key-rsa1024-trusted Lrsa1024 "--level trusted" accept - std "level trusted does not judge key strength"
c profile-key-rsa2048 Lrsa2048 "$H" accept - std "an RSA 2048 leaf (CA/B BR 6.1.5)"
c profile-weak-key-p224 Lp224 "$H" reject profile.weak-key std "an EC key below P-256 (CA/B BR 6.1.5)"
c profile-key-p384 Lp384 "$H" accept - std "a P-384 leaf (CA/B BR 6.1.5)"
c profile-key-p521 Lp521 "$H" accept - std "a P-521 leaf (CA/B BR 6.1.5)"
c profile-weak-key-dsa Ldsa "$H" reject profile.weak-key std "a DSA key (CA/B BR 6.1.5; FIPS 186-5 drops DSA)"
c profile-explicit-curve Lecx "$H" reject profile.explicit-curve std "EC parameters MUST be a named curve (RFC 5480 2.1.1)"
c profile-explicit-curve-trusted Lecx "--level trusted" accept - std "level trusted does not apply the profile"
cert Irsa1024 rsa1024 R "/O=Vectors/CN=Weak Int" "$CAX"
klf Lirsa1024 ec256 Irsa1024
use Irsa1024 R
c profile-weak-key-int Lirsa1024 "$H" reject profile.weak-key std "an intermediate with an RSA 1024 key (CA/B BR 6.1.5)"
use I R
klf Lsha1 ec256 I -md sha1
c profile-weak-signature-sha1 Lsha1 "$H" reject profile.weak-signature std "a SHA-1 signature on a leaf (CA/B BR 7.1.3.2, RFC 9155)"
c profile-weak-signature-sha1-trusted Lsha1 "--level trusted" accept - std "level trusted does not judge signature algorithms"
cert Irsa rsa2048 R "/O=Vectors/CN=RSA Int" "$CAX"
klf Lmd5 ec256 Irsa -md md5
klf Lrsaok rsa2048 Irsa
use Irsa R
c profile-weak-signature-md5 Lmd5 "$H" reject profile.weak-signature std "an MD5 signature (RFC 6151)"
c profile-rsa-chain Lrsaok "$H" accept - std "an RSA 2048 chain signed with SHA-256 (CA/B BR 7.1.3.2)"
cert Rsha1 rsa2048 self "/O=Vectors/CN=SHA1 Root" "$ROOTX" -md sha1
cert Isha1r ec256 Rsha1 "/O=Vectors/CN=Under SHA1 Root" "$CAX"
klf Lsha1r ec256 Isha1r
use Isha1r Rsha1
c profile-sha1-anchor Lsha1r "$H" accept - std "the anchor's own signature is not checked, SHA-1 or not (RFC 5280 6.1.1)"

# ---------------------------------------------------------------- webpki
section webpki: CA/Browser Forum rules for browser-facing servers
WP="--level webpki $H"
use I R
c webpki-ok L "$WP" accept - std "a leaf with SAN, serverAuth EKU and AKI keyIdentifier (CA/B BR 7.1.2.7)"
c webpki-ok-p384 Lp384 "$WP" accept - std "a P-384 leaf (CA/B BR 6.1.5.2)"
c webpki-wildcard Lwild "--level webpki --host foo.example.com" accept - std "a whole-label wildcard (CA/B BR 7.1.4.2)"
ileaf Lipw "/CN=x" "IP:93.184.215.14"
c webpki-ip Lipw "--level webpki --ip 93.184.215.14" accept - std "an iPAddress SAN (CA/B BR 7.1.4.2)"
c webpki-no-san Lcn "$WP" reject profile.webpki-san std "a leaf without a dNSName or iPAddress SAN (CA/B BR 7.1.2.7.12)"
c webpki-email-san-only Lcnmail "$WP" reject profile.webpki-san std "a SAN holding only an email address (CA/B BR 7.1.2.7.12)"
cert Lnoeku ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage
subjectAltName=DNS:www.example.com')"
c webpki-no-eku Lnoeku "$WP" reject profile.webpki-eku std "a subscriber certificate MUST have an EKU (CA/B BR 7.1.2.7.10)"
c webpki-no-eku-full Lnoeku "$H" accept - std "RFC 5280 allows a leaf without EKU (RFC 5280 4.2.1.12)"
cert Lanyeku ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=serverAuth,anyExtendedKeyUsage
subjectAltName=DNS:www.example.com')"
c webpki-any-eku Lanyeku "$WP" reject profile.webpki-eku std "anyExtendedKeyUsage MUST NOT be present (CA/B BR 7.1.2.7.10)"
c webpki-any-eku-full Lanyeku "$H" accept - std "RFC 5280 allows anyExtendedKeyUsage (RFC 5280 4.2.1.12)"
cert Lekucrit ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=critical,serverAuth
subjectAltName=DNS:www.example.com')"
c webpki-eku-critical Lekucrit "$WP" reject profile.webpki-eku std "a subscriber EKU MUST NOT be critical (CA/B BR 7.1.2.7.6)"
cert Lekuclient ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=clientAuth
subjectAltName=DNS:www.example.com')"
c webpki-eku-client-only Lekuclient "$WP" reject profile.webpki-eku std "a TLS server certificate MUST include serverAuth (CA/B BR 7.1.2.7.10)"
cert Lekucode ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=serverAuth,codeSigning
subjectAltName=DNS:www.example.com')"
c webpki-eku-code-signing Lekucode "$WP" reject profile.webpki-eku std "codeSigning MUST NOT be in a TLS server certificate (CA/B BR 7.1.2.7.10)"
c webpki-eku-code-signing-full Lekucode "$H" accept - std "RFC 5280 allows several purposes (RFC 5280 4.2.1.12)"
cert Lekuboth ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:www.example.com')"
c webpki-eku-server-client Lekuboth "$WP" accept - std "serverAuth with clientAuth is allowed (CA/B BR 7.1.2.7.10)"
cert Reku ec256 self "/O=Vectors/CN=Root With EKU" "$ROOTX
extendedKeyUsage=serverAuth"
cert Ieku-r ec256 Reku "/O=Vectors/CN=Under EKU Root" "$CAX"
klf Leku-r ec256 Ieku-r
use Ieku-r Reku
c webpki-root-eku Leku-r "$WP" reject profile.webpki-eku std "a root CA certificate MUST NOT have an EKU (CA/B BR 7.1.2.1)"
c webpki-root-eku-full Leku-r "$H" accept - std "RFC 5280 does not forbid an EKU on a root (RFC 5280 4.2.1.12)"
use I R
c webpki-rsa-2052 Lrsa2052 "$WP" reject profile.webpki-key std "an RSA modulus size not divisible by 8 (CA/B BR 6.1.5)"
c webpki-rsa-2052-full Lrsa2052 "$H" accept - std "a 2052-bit RSA key is not weak (RFC 5280 does not set sizes)"
c webpki-rsa-2048 Lrsa2048 "$WP" accept - std "an RSA 2048 leaf (CA/B BR 6.1.5)"
c webpki-secp256k1 Lk256 "$WP" reject profile.webpki-key std "only P-256, P-384 and P-521 (CA/B BR 6.1.5)"
c webpki-secp256k1-full Lk256 "$H" accept - std "secp256k1 is a 256-bit named curve (RFC 5480)"
cert Lsanc ec256 I "/CN=www.example.com" "$(lx 'subjectAltName=critical,DNS:www.example.com')"
c webpki-san-critical Lsanc "$WP" reject profile.webpki-san-critical std "the SAN MUST be non-critical when the subject is non-empty (CA/B BR 7.1.2.7.12)"
c webpki-san-critical-full Lsanc "$H" accept - std "RFC 5280 allows a critical SAN (RFC 5280 4.2.1.6)"
c webpki-san-critical-empty-subject Lsubj0 "$WP" accept - std "a critical SAN with an empty subject (CA/B BR 7.1.2.7.12)"
cert Lakiiss ec256 I "/CN=www.example.com" "$(lx 'authorityKeyIdentifier=issuer:always
subjectAltName=DNS:www.example.com')"
c webpki-aki-no-keyid Lakiiss "$WP" reject profile.webpki-aki std "the AKI MUST hold a keyIdentifier (CA/B BR 7.1.2.11.1)"
c webpki-aki-no-keyid-full Lakiiss "$H" reject profile.aki std "the AKI keyIdentifier MUST be included by conforming CAs (RFC 5280 4.2.1.1)"
c webpki-cn-beside-san Lcnsan "--level webpki --host other.example.com" accept - std "the SAN names the host; the CN is not consulted (CA/B BR 7.1.4.3)"

# ---------------------------------------------------------------- purpose
section purpose
use I R
cert Lsrv ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=serverAuth
subjectAltName=DNS:www.example.com')"
cert Lcli ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=clientAuth
subjectAltName=DNS:www.example.com')"
c purpose-server-ok Lsrv "--purpose server $H" accept - std "serverAuth for a TLS server (RFC 5280 4.2.1.12)"
c purpose-server-as-client Lsrv "--purpose client $H" reject purpose.eku std "a serverAuth-only leaf as a TLS client (RFC 5280 4.2.1.12)"
c purpose-client-ok Lcli "--purpose client $H" accept - std "clientAuth for a TLS client (RFC 5280 4.2.1.12)"
c purpose-client-as-server Lcli "--purpose server $H" reject purpose.eku std "a clientAuth-only leaf as a TLS server (RFC 5280 4.2.1.12)"
c purpose-both-server L "--purpose server $H" accept - std "serverAuth and clientAuth, used as a server (RFC 5280 4.2.1.12)"
c purpose-both-client L "--purpose client $H" accept - std "serverAuth and clientAuth, used as a client (RFC 5280 4.2.1.12)"
c purpose-no-eku Lnoeku "--purpose server $H" accept - std "a leaf without EKU may serve any purpose (RFC 5280 4.2.1.12)"
cert Lekucodenc ec256 I "/CN=www.example.com" "$(lx 'extendedKeyUsage=codeSigning
subjectAltName=DNS:www.example.com')"
c purpose-code-signing Lekucodenc "--purpose server $H" reject purpose.eku std "a non-critical codeSigning-only EKU, used as a TLS server (RFC 5280 4.2.1.12)"
c purpose-any-eku Lanyeku "--purpose client $H" reject purpose.eku std "serverAuth and anyExtendedKeyUsage: clientAuth is not among the listed purposes (RFC 5280 4.2.1.12)"
cert Icli ec256 R "/O=Vectors/CN=Client Only Int" "$CAX
extendedKeyUsage=clientAuth"
cert Isrv ec256 R "/O=Vectors/CN=Server Only Int" "$CAX
extendedKeyUsage=serverAuth"
cert Iany ec256 R "/O=Vectors/CN=Any EKU Int" "$CAX
extendedKeyUsage=anyExtendedKeyUsage"
klf Licli ec256 Icli
klf Lisrv ec256 Isrv
klf Liany ec256 Iany
use Icli R
c purpose-ca-eku-excludes Licli "--purpose server $H" reject purpose.ca-eku std "an intermediate's EKU without serverAuth constrains the leaf (CA/B BR 7.1.2.10.6, RFC 5280 4.2.1.12)"
c purpose-ca-eku-allows-client Licli "--purpose client $H" accept - std "the intermediate's clientAuth EKU allows a client leaf (CA/B BR 7.1.2.10.6)"
use Isrv R
c purpose-ca-eku-allows Lisrv "--purpose server $H" accept - std "an intermediate's serverAuth EKU allows a server leaf (CA/B BR 7.1.2.10.6)"
use Iany R
c purpose-ca-any-eku Liany "--purpose server $H" accept - std "an intermediate's anyExtendedKeyUsage allows every purpose (RFC 5280 4.2.1.12)"
use I R
cert Lkude rsa2048 I "/CN=www.example.com" "$(lx 'keyUsage=critical,digitalSignature,keyEncipherment
subjectAltName=DNS:www.example.com')"
c purpose-key-usage-ok L "--key-usage digitalSignature $H" accept - - "the leaf's keyUsage allows digitalSignature (RFC 5280 4.2.1.3)"
c purpose-key-usage-missing L "--key-usage keyEncipherment $H" reject purpose.key-usage - "the leaf's keyUsage lacks keyEncipherment (RFC 5280 4.2.1.3)"
c purpose-key-usage-both Lkude "--key-usage digitalSignature,keyEncipherment $H" accept - - "both required bits are present (RFC 5280 4.2.1.3)"
c purpose-key-usage-one-missing Lkuke "--key-usage digitalSignature,keyEncipherment $H" reject purpose.key-usage - "keyEncipherment present but digitalSignature missing (RFC 5280 4.2.1.3)"
c purpose-key-usage-no-ku Lnoku "--key-usage keyEncipherment $H" accept - - "a leaf without keyUsage allows every use (RFC 5280 4.2.1.3)"
c purpose-key-usage-agreement L "--key-usage keyAgreement $H" reject purpose.key-usage - "the leaf's keyUsage lacks keyAgreement (RFC 5280 4.2.1.3)"

echo "gen.sh: $NCASES cases in $CASES"
