#!/usr/bin/env bash
# Every example in README.md and docs/*.md runs as written. A fenced block
# marked ```sh is an example: its commands run in a scratch directory where
# the inputs the text names but does not make are made first (fixtures
# below); each command must exit 0, or 0/1 when its comment says "exit 1"
# (a reporting command that may find something). A block preceded by
# "<!-- illustrative: REASON -->" is not run (a synopsis, output, a live
# server, an install); any other block holding a `ucpki ...` line fails the
# test, so no example escapes. README.md and docs/state.md run as one story
# each (later blocks use what earlier ones made); the other documents run
# each block in a fresh copy of the fixtures, minus the files the block
# writes. The guide's own openssl and keytool commands that docs/formats.md
# shows beside ucpki's ask for passwords on a terminal: shown, not run.
. "$UCPKI_SRC/tests/lib.sh"

mkdir -p "$T/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$UCPKI" >"$T/bin/ucpki"
chmod +x "$T/bin/ucpki"
export PATH="$T/bin:$PATH"

# The inputs the documents name but do not make: keys, CSRs, certificates,
# password files, stores, a customer's PKCS#12. "story" documents make
# their own certificates and stores; "each" blocks get a ready set.
fixtures() {
	local d=$1 mode=$2
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		cp -r "$UCPKI_SRC/examples" .
		cp examples/solution.yaml site.yaml
		mkdir -p my-profiles site-profiles osv rg8700
		for p in ca store k p12 jks key new; do printf '%s-secret-pass\n' "$p" >"$p.pass"; done
		printf '%s\n' "$UCPKI_PASSPHRASE" >state.pass
		chmod 600 ./*.pass
		openssl req -new -newkey rsa:2048 -nodes -keyout server1key.pem -out server1req.pem \
			-subj "/CN=server1.acme.example" 2>/dev/null
		# a customer's CA as PKCS#12 (guide 3.12.1.1)
		openssl req -x509 -newkey rsa:2048 -nodes -keyout cust.key -out cust.pem -days 3650 \
			-subj "/O=Customer/CN=Customer Issuing CA" -addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
		openssl pkcs12 -export -in cust.pem -inkey cust.key -name customer -passout file:ca.pass \
			-out customer-ca.p12
		[ "$mode" = story ] && exit 0
		# a self-made certificate set for the openssl/keytool comparisons (docs/formats.md)
		openssl req -x509 -newkey rsa:2048 -nodes -keyout mycakey.key -out mycacert.crt -days 3650 \
			-subj "/CN=My CA" -addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
		openssl req -new -newkey rsa:2048 -nodes -keyout mykey.key -out my.csr -subj "/CN=my.acme.example" 2>/dev/null
		openssl x509 -req -in my.csr -CA mycacert.crt -CAkey mycakey.key -CAcreateserial -days 365 \
			-out mycert.crt 2>/dev/null
		cp mycert.crt server.crt && cp mykey.key server.key && cp mycacert.crt chain.pem
		cp mycert.crt host.crt && cp mykey.key host.key
		cp mycert.crt pemcert.crt && cp mycert.crt cert.pem && cp mykey.key nocrypt.pem
		openssl rsa -in mykey.key -traditional -out server-rsa.key 2>/dev/null
		openssl pkcs12 -export -in mycert.crt -inkey mykey.key -certfile mycacert.crt -name tomcat -passout file:p12.pass \
			-out keystore.p12
		openssl pkcs12 -export -in mycert.crt -inkey mykey.key -name tomcat -passout file:store.pass \
			-out tomcat_keystore.p12
	) || fail "fixtures"
}

start_state() { # start_state DIR FILE
	(cd "$1" && ucpki init) >/dev/null 2>&1 || fail "$2: the starting state"
}

# "cmd # ... exit 1 ..." may exit 1; everything else must exit 0.
allowed() { case $1 in *'#'*'exit 1'*) echo "0 1" ;; *) echo 0 ;; esac; }

# Absolute paths in the examples (/srv/ucpki, /backup) live under the
# scratch directory's fake root.
rebase() { sed -e "s|\([ =]\)/srv/|\1$ROOT/srv/|g; s|\([ =]\)/backup/|\1$ROOT/backup/|g"; }

runs=0 blocks=0 illustrative=0
# run_block FILE LINE: the block's commands, continuation lines joined.
run_block() {
	local file=$1 at=$2 cmd="" line st ok want
	while IFS= read -r line; do
		case $line in *\\) cmd+="${line%\\} "; continue ;; esac
		cmd+="$line"
		case $cmd in '' | '#'*) cmd=""; continue ;; esac
		want=$(allowed "$cmd")
		cmd=$(printf '%s' "$cmd" | rebase)
		case $cmd in
		# an environment the next examples use: kept for the rest of the document
		'export '*) eval "${cmd%%#*}"; st=$? ;;
		# the guide's own openssl/keytool commands shown beside ucpki's ask
		# for passwords on the terminal: shown, not run
		openssl* | keytool* | 'echo "" | openssl'*) cmd=""; continue ;;
		*) bash -c "$cmd" >"$T/ex.out" 2>"$T/ex.err" </dev/null; st=$? ;;
		esac
		ok=0
		for w in $want; do [ "$st" = "$w" ] && ok=1; done
		if [ $ok = 0 ]; then
			cat "$T/ex.out" "$T/ex.err" | tail -5
			fail "$file:$at: '$cmd' exited $st (expected $want)"
		fi
		# the documents speak the current vocabulary (docs/options.md)
		if grep -q "is deprecated, use" "$T/ex.err" 2>/dev/null; then
			echo "$file:$at: $(grep -m1 'is deprecated' "$T/ex.err")" >>"$T/deprecated"
		fi
		runs=$((runs + 1))
		cmd=""
	done
}

# Each fenced block of a document: "LINE MARK LANG" then its lines, then "@@END".
blocks_of() {
	awk '
	/^```/ {
		if (!inb) { inb = 1; lang = substr($0, 4); print "@@BEGIN " FNR " " (mark ? "illustrative" : "example") " " (lang == "" ? "-" : lang); next }
		inb = 0; mark = 0; print "@@END"; next
	}
	inb { print; next }
	/^<!-- illustrative:/ { mark = 1; next }
	NF { mark = 0 }
	' "$1"
}

doc() { # doc FILE story|each
	local file=$1 mode=$2 head at kind lang body line out before ours
	ROOT=$T/root/$(basename "$file" .md)
	mkdir -p "$ROOT/srv" "$ROOT/backup"
	export UCPKI_STATE="$T/story/ucpki-state"
	export UCPKI_PASSPHRASE='correct horse battery staple'
	rm -rf "$T/story" && fixtures "$T/story" story
	# documents other than the README start from an initialised state
	[ "$file" = README.md ] || start_state "$T/story" "$file"
	while IFS= read -r head <&3; do
		case $head in '@@BEGIN '*) ;; *) continue ;; esac
		read -r _ at kind lang <<<"$head"
		body=""
		while IFS= read -r line <&3 && [ "$line" != "@@END" ]; do body+="$line"$'\n'; done
		blocks=$((blocks + 1))
		if [ "$kind" = illustrative ]; then
			illustrative=$((illustrative + 1))
			continue
		fi
		if [ "$lang" != sh ]; then
			printf '%s\n' "$body" | grep -qE '^(\$ )?ucpki ' &&
				fail "$file:$at: a block with ucpki commands that is neither \`\`\`sh nor marked illustrative"
			continue
		fi
		if [ "$mode" = each ]; then
			rm -rf "$T/each" "$T/peer" && fixtures "$T/each" each
			export UCPKI_STATE="$T/each/ucpki-state"
			start_state "$T/each" "$file"
			# what the block writes does not exist before it runs, unless an
			# earlier command of the block reads it
			ours=$(printf '%s\n' "$body" | grep -vE '^(openssl|keytool|echo "" \| openssl)')
			for out in $(printf '%s\n' "$ours" | grep -oE -- '--(out|dest) [^ ]+' | cut -d' ' -f2); do
				before=${ours%%"--out $out"*}
				[ "$before" = "$ours" ] && before=${ours%%"--dest $out"*}
				case $before in *"$out"*) ;; *) rm -f "$T/each/$out" ;; esac
			done
			cd "$T/each" || exit 1
		else
			cd "$T/story" || exit 1
		fi
		run_block "$file" "$at" < <(printf '%s\n' "$body")
		cd "$T" || exit 1
	done 3< <(blocks_of "$UCPKI_SRC/$file")
	ok "$file: every example runs as written"
}

doc README.md story
doc docs/state.md story
for f in "$UCPKI_SRC"/docs/*.md; do
	f=docs/$(basename "$f")
	[ "$f" = docs/state.md ] || doc "$f" each
done
if [ -s "$T/deprecated" ]; then
	cat "$T/deprecated"
	fail "examples use old option spellings"
fi
ok "no example uses an old option spelling"
echo "# $blocks fenced blocks, $illustrative marked illustrative; $runs example commands ran"
[ "$runs" -ge 80 ] || fail "only $runs example commands ran"
done_testing
