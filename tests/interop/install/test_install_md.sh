#!/usr/bin/env bash
# Every command line of every INSTALL.md of the example is runnable as
# shown: no placeholder, no relative path after a cd, no prose under "Run:".
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/interop/solution/example.sh"
issue_example

# The backticked command lines of the numbered steps and their indented
# continuations (the file table and headers are not commands).
commands() {
	awk '/^## Steps/ {on = 1} /^## (Notes|Files)/ {on = 0} /^## Check after installing/ {on = 1}
		on && /^( *[0-9]+\. |   )`/ { line = $0; sub(/^[^`]*`/, "", line); sub(/`[^`]*$/, "", line); print }' "$1"
}
n=0
for f in "$D"/*/INSTALL.md; do
	node=$(basename "$(dirname "$f")")
	commands "$f" >"$T/cmds"
	while IFS= read -r c; do
		n=$((n + 1))
		# placeholders: <something>, ..., an unrendered {opt:...} or ${product.var}
		if printf '%s' "$c" | sed 's/2>\/dev\/null//g; s/>>//g' | grep -qE '<[A-Za-z][^>]*>|\.\.\.|\{(opt|pass|dir|fqdn)|\$\{[a-z]+\.'; then
			fail "$node/INSTALL.md: a placeholder in: $c"
		fi
		case $c in *'cd '*) fail "$node/INSTALL.md: a cd (later relative paths would break): $c" ;; esac
	done <"$T/cmds"
	# "Run:" is followed by a command, never by prose
	grep -A1 '^[0-9]*\. Run:$' "$f" | grep '^   `' | sed 's/^   `//' | while IFS= read -r c; do
		first=${c%% *}
		case $first in
		/* | \"* | \$* | cp | scp | ssh | mkdir | keytool | openssl | ucpki | sh) ;;
		*) fail "$node/INSTALL.md: prose under Run: $c" ;;
		esac
	done
done
[ "$n" -gt 100 ] || fail "only $n command lines found: the extraction is broken"
ok "$n command lines in $(ls "$D"/*/INSTALL.md | wc -l) INSTALL.md files: no placeholder, no cd, no prose under Run:"

# Linux nodes: the by-hand commands name the stores' real passwords
assert_contains "$D/media/INSTALL.md" '-storepass:file "$B/secrets/store-ms-tls.pass"'
assert_eq "$(cat "$D/media/secrets/store-ms-tls.pass")" password
assert_contains "$D/media/INSTALL.md" 'sh install.sh --dry-run'
assert_contains "$D/osv/INSTALL.md" "ucpki probe osv1.acme.example:5061 --trust acme-root.pem --level full"
# ASC: root.pem backed up on both OSV nodes, and both checked (guide 3.17.2)
assert_contains "$D/asc/INSTALL.md" "ssh osv1.acme.example cp -p /usr/local/ssl/certs/root.pem /usr/local/ssl/certs/root.pem.bak"
assert_contains "$D/asc/INSTALL.md" "ssh osv2.acme.example cp -p /usr/local/ssl/certs/root.pem /usr/local/ssl/certs/root.pem.bak"
assert_not_contains "$D/asc/INSTALL.md" 'copy /Y "/usr/local'
ok "INSTALL.md: store passwords as shipped, install.sh pointer, post-install probe, ASC backs up both OSV nodes"

# Xpressions: three services, one certificate; each file backed up and
# installed once, into the folder the node names (guide 3.9.1: two defaults).
x=$D/xpr/INSTALL.md
for t in server.crt server.key root.crt cacerts.crt; do
	assert_eq "$(grep -c "^[0-9]*\. \*\*Install\*\* .* as \`C:\\\\Siemens\\\\xpr\\\\res\\\\certs\\\\$t\`" "$x")" 1 "xpr: $t installed once"
done
assert_eq "$(grep -c '^[0-9]*\. \*\*Back up\*\*' "$x")" 3 "xpr: each file backed up once"
sed 's|  - {name: xpr, product: \[xpr-ipapi, xpr-smtpapi, xpr-webapi\], fqdn: xpr.acme.example, ip: 10.0.2.5}|  - {name: xpr, product: [xpr-ipapi, xpr-smtpapi, xpr-webapi], fqdn: xpr.acme.example, ip: 10.0.2.5, options: {xpr-certs: "C:\\\\OpenScape\\\\xpr\\\\res\\\\certs"}}|' \
	"$UCPKI_SRC/examples/solution.yaml" >"$T/xpr.yaml"
grep -q 'xpr-certs' "$T/xpr.yaml" || fail "could not set xpr-certs"
u 0 solution issue "$T/xpr.yaml" --out "$T/xpr-out"
assert_contains "$T/xpr-out/xpr/INSTALL.md" 'copy /Y "%B%\xpr-ipapi\server.crt" "C:\OpenScape\xpr\res\certs\server.crt"'
sed '/^## Notes/,$d' "$T/xpr-out/xpr/INSTALL.md" >"$T/xpr-steps.md"
assert_not_contains "$T/xpr-steps.md" 'C:\Siemens\xpr'
ok "xpressions: each file once; the second install location through xpr-certs"

# A step that needs a site folder the inventory does not give: refused
# before anything is issued, naming the node's line and the option.
sed 's/options: {catalina-base: [^}]*}/options: {}/' "$UCPKI_SRC/examples/solution.yaml" >"$T/noopt.yaml"
new_state
u 2 solution issue "$T/noopt.yaml" --out "$T/noopt"
assert_contains "$T/err" "oscc-app needs option 'catalina-base'"
assert_match "$T/err" "noopt.yaml:[0-9]+"
assert_no_file "$T/noopt"
ok "a missing install option is refused at load, nothing written"
done_testing
