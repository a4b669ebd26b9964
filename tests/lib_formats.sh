# Helpers for the format and keystore tests. Source after tests/lib.sh.

# make_pki: a root CA, an issuing CA and an RSA server certificate in $T:
# root.pem, sub.pem, chain.pem (sub then root), srv.pem, srvkey.pem (PKCS#8),
# plus an EC server certificate ecsrv.pem / eckey.pem. Passwords: pw, pw2.
make_pki() {
	new_state
	u 0 --quiet pki create acme
	u 0 --quiet ca create acme/root --subject "C=US, O=Acme, CN=Acme Root CA"
	u 0 --quiet ca create acme/sub --parent acme/root --subject "C=US, O=Acme, CN=Acme Issuing CA"
	u 0 ca export acme/root --out root.pem
	u 0 ca export acme/sub --out sub.pem
	cat sub.pem root.pem >chain.pem
	u 0 --quiet issue --ca acme/sub --subject "C=US, O=Acme, CN=srv.acme.example" \
		--san DNS:srv.acme.example --out-cert srv.pem --out-key srvkey.pem
	u 0 --quiet issue --ca acme/sub --subject "C=US, O=Acme, CN=ec.acme.example" --key ec:p256 \
		--out-cert ecsrv.pem --out-key eckey.pem
	printf 'S3cret-store\n' >pw
	printf 'Other-pass-2\n' >pw2
}

# SHA-256 fingerprint of a PEM certificate as keytool prints it (AA:BB:..).
fp256() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^.*=//'; }

# Public key (DER, hex) of a key or certificate file, for key/cert matching.
pub_of_key() { openssl pkey -in "$1" ${2:+-passin file:$2} -pubout -outform DER | od -An -tx1 | tr -d ' \n'; }
pub_of_cert() { openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | od -An -tx1 | tr -d ' \n'; }

# The PEM block names of a file, one per line.
pem_blocks() { sed -n 's/^-----BEGIN \(.*\)-----$/\1/p' "$1"; }

# Flip one byte of a file at offset (default: the middle).
flip_byte() {
	local f=$1 off=${2:-$(($(stat -c %s "$1") / 2))}
	local b
	b=$(dd if="$f" bs=1 skip="$off" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
	cp "$f" "$f.before-flip"
	printf "\\$(printf '%03o' $(((b ^ 0x55) & 0xff)))" | dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
	# a helper that silently changed nothing would make damage tests pass vacuously
	! cmp -s "$f" "$f.before-flip" || fail "flip_byte: $f is unchanged at offset $off"
	rm -f "$f.before-flip"
}

# keytool, quiet about JKS being proprietary.
kt() { keytool "$@" 2>&1; }
have_keytool() { command -v keytool >/dev/null 2>&1; }
