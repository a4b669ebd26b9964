# Shared by the fault tests: an inventory of N phones of one site with EC
# keys (quick to make, PKCS#12 with keys in every bundle). Source after
# tests/lib.sh.

# phones_inventory SOLUTION N FILE
phones_inventory() {
	{
		cat <<Y
solution: $1
version: 11
pki: acme
ca:
  root:    {subject: "C=US, O=Acme, CN=Acme Root CA", key: ec:p256}
  issuing: {subject: "C=US, O=Acme, CN=Acme UC CA", key: ec:p256}
defaults: {subject: "C=US, O=Acme, OU=Phones, CN=?"}
nodes:
Y
		for i in $(seq 1 "$2"); do
			printf '  - {name: phone-%03d, product: phone-wbm, fqdn: phone-%03d.acme.example, key: ec:p256}\n' "$i" "$i"
		done
	} >"$3"
	# the tests count on exactly N phone nodes: say so if the file is not that
	[ "$(grep -c '^  - {name: phone-' "$3")" = "$2" ] || fail "$3: not $2 phone nodes"
	"$UCPKI" solution plan "$3" --out "$T/plan-check" >/dev/null 2>&1 ||
		fail "$3: the phone inventory does not plan"
}
