# Shared by the solution interop tests: issue examples/solution.yaml into
# $T/deploy on a fresh state, and helpers to read bundles the way the
# products' own tools do. Source after tests/lib.sh.
export UCPKI_PASSPHRASE='correct horse battery staple'
D=$T/deploy

issue_example() {
	cp "$UCPKI_SRC/examples/solution.yaml" "$T/solution.yaml"
	u 0 solution issue "$T/solution.yaml" --out "$D"
	cp "$T/err" "$T/issue.err"
}

# The PEM block types of a file, one per line, in file order.
pem_order() { sed -n 's/^-----BEGIN \(.*\)-----$/\1/p' "$1"; }
# assert_pem_order FILE "CERTIFICATE,RSA PRIVATE KEY,...": exact order.
assert_pem_order() {
	local got
	got=$(pem_order "$1" | paste -sd, -)
	[ "$got" = "$2" ] || fail "$1 holds [$got], expected [$2]"
}
# Block N (1-based) of a PEM file, as its own PEM text.
pem_block() {
	awk -v n="$2" '/^-----BEGIN /{i++} i==n{print} /^-----END /{if(i==n)exit}' "$1"
}
# Print certificate field(s) of block N of a PEM file.
cert_text() { pem_block "$1" "$2" | openssl x509 -noout -text; }
subject_of() { pem_block "$1" "$2" | openssl x509 -noout -subject -nameopt RFC2253 | sed 's/^subject=//'; }
issuer_of() { pem_block "$1" "$2" | openssl x509 -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//'; }
self_signed() { [ "$(subject_of "$1" "$2")" = "$(issuer_of "$1" "$2")" ]; }

# The leaf of a file verifies against the root through the file's chain.
assert_verifies() { # FILE ROOTFILE [purpose]
	openssl verify -CAfile "$2" -untrusted "$1" ${3:+-purpose $3} "$1" >"$T/verify.out" 2>&1 ||
		{ cat "$T/verify.out"; fail "$1 does not verify against $2"; }
}
ekus_of() { openssl x509 -in "$1" -noout -ext extendedKeyUsage 2>/dev/null | tail -n +2 | tr -d ' '; }
sans_of() { openssl x509 -in "$1" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' '; }

# keytool's view of a store: "alias,type" lines.
keytool_entries() { # STORE PASSFILE [TYPE]
	keytool -list -v -keystore "$1" -storepass:file "$2" ${3:+-storetype $3} 2>&1 |
		awk -F': ' '/^Alias name:/{a=$2} /^Entry type:/{print a "," $2}'
}
