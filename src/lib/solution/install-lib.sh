# --- the steps' building blocks (every install.sh carries the same ones) ---
# Each block checks first and changes only what differs; every file is
# backed up as FILE.bak before its first change in a run (an older,
# different FILE.bak is kept as FILE.bak.N). Paths are under $ROOT.

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

# Print a command the way it would be typed, then run it (not with --dry-run).
show() {
	printf '+'
	for a in "$@"; do
		case $a in
		'' | *[!A-Za-z0-9_./:=,@%+-]*) printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
}
run() {
	show "$@"
	[ "$MODE" = dry ] || "$@"
}
changed() { CHANGED=$((CHANGED + 1)); }

# tool NAME GLOB: the product's copy under $ROOT (last match), else NAME on PATH.
tool() {
	t=
	for c in "$ROOT"$2; do [ -x "$c" ] && t=$c; done
	[ -n "$t" ] || t=$(command -v "$1" 2>/dev/null) ||
		die "$1 not found: not at $ROOT$2 and not on PATH"
	printf '%s\n' "$t"
}

# one GLOB: the last existing match under $ROOT.
one() {
	m=
	for c in "$ROOT"$1; do [ -e "$c" ] && m=$c; done
	[ -n "$m" ] || die "not found: $ROOT$1"
	printf '%s\n' "$m"
}

# need FILE WHAT: refuse to start when a file the steps change is missing.
need() { [ -f "$1" ] || die "$2 $1 is missing: is this the right host (or UCPKI_INSTALL_ROOT)?"; }
need_dir() { [ -d "$1" ] || die "directory $1 is missing: is this the right host (or UCPKI_INSTALL_ROOT)?"; }

backup() {
	case " $BACKED " in *" $1 "*) return 0 ;; esac
	BACKED="$BACKED $1"
	if [ -e "$1" ]; then
		if [ -e "$1.bak" ] && ! cmp -s "$1" "$1.bak"; then
			n=1
			while [ -e "$1.bak.$n" ]; do n=$((n + 1)); done
			run mv "$1.bak" "$1.bak.$n"
		fi
		run cp -p "$1" "$1.bak"
	elif [ "$MODE" != dry ]; then
		grep -qxF "$1" "$B/.install-created" 2>/dev/null || printf '%s\n' "$1" >>"$B/.install-created"
	fi
}

meta_ok() { # FILE OWNER MODE
	[ "$(stat -c %a "$1")" = "$(printf '%s' "$3" | sed 's/^0*//')" ] || return 1
	[ -z "$2" ] || [ "$(stat -c %U:%G "$1")" = "$2" ]
}
set_meta() { # FILE OWNER MODE
	meta_ok "$1" "$2" "$3" && return 0
	[ -z "$2" ] || run chown "$2" "$1"
	run chmod "$3" "$1"
}

# put SRC DST OWNER MODE: install a bundle file (through a temporary file in
# the target's directory, so a key is never readable with the old mode).
put() {
	if [ -f "$2" ] && cmp -s "$1" "$2" && meta_ok "$2" "$3" "$4"; then
		say "unchanged: $2"
		return 0
	fi
	backup "$2"
	run cp "$1" "$2.ucpki-new"
	[ -z "$3" ] || run chown "$3" "$2.ucpki-new"
	run chmod "$4" "$2.ucpki-new"
	run mv -f "$2.ucpki-new" "$2"
	changed
}

# split PEM PREFIX: one file per certificate, PREFIX.1, PREFIX.2, ...
split_certs() {
	awk -v p="$2" '/-----BEGIN CERTIFICATE-----/ { n++; f = p "." n }
		f { print > f } /-----END CERTIFICATE-----/ { close(f); f = "" }' "$1"
}
cert_fp() { "$OPENSSL" x509 -noout -fingerprint -sha256 -in "$1" | sed 's/.*=//'; }
certs_fps() { # PEM: the SHA-256 fingerprints of its certificates
	rm -f "$TMP"/fp.*
	split_certs "$1" "$TMP/fp"
	for c in "$TMP"/fp.*; do [ -e "$c" ] && cert_fp "$c"; done
	rm -f "$TMP"/fp.*
}

# append SRC DST OWNER MODE: add SRC's certificates that DST lacks, at its end.
append() {
	have=$(certs_fps "$2")
	rm -f "$TMP"/ap.* "$TMP/add"
	split_certs "$1" "$TMP/ap"
	: >"$TMP/add"
	i=1
	while [ -e "$TMP/ap.$i" ]; do
		printf '%s\n' "$have" | grep -qxF "$(cert_fp "$TMP/ap.$i")" || cat "$TMP/ap.$i" >>"$TMP/add"
		i=$((i + 1))
	done
	if [ ! -s "$TMP/add" ]; then
		set_meta "$2" "$3" "$4"
		say "unchanged: $2 (holds every CA of $(basename "$1"))"
		return 0
	fi
	backup "$2"
	cp -p "$2" "$TMP/appended"
	[ -z "$(tail -c 1 "$TMP/appended")" ] || echo >>"$TMP/appended"
	cat "$TMP/add" >>"$TMP/appended"
	show cat "$1" '>>' "$2"
	[ "$MODE" = dry ] || { cp "$TMP/appended" "$2.ucpki-new" && mv -f "$2.ucpki-new" "$2"; }
	set_meta "$2" "$3" "$4"
	changed
}

# --- keystores, with the product's keytool -----------------------------------
ks_open() { # STORE TYPE PASSFILE: refuse to start when the store does not open
	"$KEYTOOL" -list -keystore "$1" -storetype "$2" -storepass:file "$3" >/dev/null 2>&1 ||
		die "cannot open $1 ($2) with the password in $3: give the store's password with store-password-file: in the inventory"
}
ks_fp() { # STORE TYPE PASSFILE ALIAS: SHA-256 of the entry's certificate, or nothing
	"$KEYTOOL" -list -v -keystore "$1" -storetype "$2" -storepass:file "$3" -alias "$4" 2>/dev/null |
		sed -n 's/^[[:space:]]*SHA256: //p' | head -n 1
}
ks_aliases() { # STORE TYPE PASSFILE KIND
	"$KEYTOOL" -list -keystore "$1" -storetype "$2" -storepass:file "$3" 2>/dev/null |
		awk -F', ' -v k="$4" 'index($0, ", " k ",") { print $1 }'
}

# ks_import_key STORE TYPE PASSFILE P12 P12PASSFILE ALIAS FP: the store's
# only server certificate becomes ALIAS (the old key entries are deleted).
ks_import_key() {
	if [ "$(ks_fp "$1" "$2" "$3" "$6")" = "$7" ] &&
		[ "$(ks_aliases "$1" "$2" "$3" PrivateKeyEntry)" = "$6" ]; then
		say "unchanged: $1 (key entry $6)"
		return 0
	fi
	backup "$1"
	ks_aliases "$1" "$2" "$3" PrivateKeyEntry >"$TMP/old"
	while read -r a; do
		run "$KEYTOOL" -delete -alias "$a" -keystore "$1" -storetype "$2" -storepass:file "$3"
	done <"$TMP/old"
	if [ "$2" = JKS ]; then
		run "$KEYTOOL" -importkeystore -noprompt -srckeystore "$4" -srcstoretype PKCS12 \
			-srcstorepass:file "$5" -srcalias "$6" -destkeystore "$1" -deststoretype "$2" \
			-deststorepass:file "$3" -destkeypass:file "$3" -destalias "$6"
	else
		run "$KEYTOOL" -importkeystore -noprompt -srckeystore "$4" -srcstoretype PKCS12 \
			-srcstorepass:file "$5" -srcalias "$6" -destkeystore "$1" -deststoretype "$2" \
			-deststorepass:file "$3" -destalias "$6"
	fi
	changed
}

# ks_free_alias STORE TYPE PASSFILE ALIAS FP: 1 (nothing to do) when the
# alias already holds the certificate FP; else backs up and frees the alias.
ks_free_alias() {
	cur=$(ks_fp "$1" "$2" "$3" "$4")
	if [ "$cur" = "$5" ]; then
		say "unchanged: $1 (trusted entry $4)"
		return 1
	fi
	backup "$1"
	[ -z "$cur" ] || run "$KEYTOOL" -delete -alias "$4" -keystore "$1" -storetype "$2" -storepass:file "$3"
	return 0
}

# ks_import_ca STORE TYPE PASSFILE ALIAS CERTFILE FP: a trusted entry
# (replaced when the alias holds another certificate).
ks_import_ca() {
	ks_free_alias "$1" "$2" "$3" "$4" "$6" || return 0
	run "$KEYTOOL" -importcert -noprompt -trustcacerts -alias "$4" -file "$5" \
		-keystore "$1" -storetype "$2" -storepass:file "$3"
	changed
}

# ks_import_ca_pem STORE TYPE PASSFILE ALIAS PEM N FP: certificate N of PEM.
ks_import_ca_pem() {
	rm -f "$TMP"/ca.*
	split_certs "$5" "$TMP/ca"
	[ -f "$TMP/ca.$6" ] || die "$5 holds no certificate $6"
	cp "$TMP/ca.$6" "$TMP/ca-$4.pem"
	ks_import_ca "$1" "$2" "$3" "$4" "$TMP/ca-$4.pem" "$7"
}

# ks_import_ca_store STORE TYPE PASSFILE ALIAS SRC SRCTYPE SRCPASS FP
ks_import_ca_store() {
	ks_free_alias "$1" "$2" "$3" "$4" "$8" || return 0
	run "$KEYTOOL" -importkeystore -noprompt -srckeystore "$5" -srcstoretype "$6" \
		-srcstorepass:file "$7" -srcalias "$4" -destkeystore "$1" -deststoretype "$2" \
		-deststorepass:file "$3"
	changed
}

# fetch_ca HOST:PORT OUT MD5: the CA a peer's chain ends in (guide 3.5.1),
# accepted only when its modulus MD5 is the one seen on the peer itself.
fetch_ca() {
	if command -v ucpki >/dev/null 2>&1; then
		ucpki probe "$1" --save-ca "$2" >/dev/null 2>&1 || true
	fi
	if [ ! -s "$2" ]; then
		echo | "$OPENSSL" s_client -showcerts -connect "$1" 2>/dev/null |
			sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' >"$TMP/peer.pem" || true
		rm -f "$TMP"/peer.*.c
		split_certs "$TMP/peer.pem" "$TMP/peer.c"
		last=$(ls "$TMP"/peer.c.* 2>/dev/null | sort -t. -k3 -n | tail -n 1)
		[ -n "$last" ] || die "no certificate from $1 (is the service running?)"
		cp "$last" "$2"
	fi
	got=$("$OPENSSL" x509 -modulus -noout -in "$2" | "$OPENSSL" md5 | sed 's/.*= *//')
	if [ -z "$3" ]; then
		say "The CA presented by $1 has modulus MD5 $got."
		say "On the peer run: ucpki probe $1 --save-ca ca.pem && openssl x509 -modulus -noout -in ca.pem | openssl md5"
		die "run again with UCPKI_PEER_CA_MD5=<that value> once both agree (guide 3.5.1)"
	fi
	[ "$got" = "$3" ] || die "the CA presented by $1 has modulus MD5 $got, not $3: not imported"
}

# once NAME INPUT CMD...: a product tool that cannot be asked what it holds
# runs again only when its input changed (a stamp in the bundle).
once() {
	stamp="$B/.install-done-$1"
	sum=$(sha256sum "$2" | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
		say "unchanged: $1 (already run with this $(basename "$2"))"
		return 0
	fi
	shift 2
	run "$@"
	[ "$MODE" = dry ] || printf '%s\n' "$sum" >"$stamp"
	changed
}

# encoded SECRET: the product's encoding of a password (kept in the bundle,
# so a re-run gives the same string and changes nothing).
encoded() {
	f="$B/secrets/$1.encoded"
	if [ ! -s "$f" ]; then
		[ -x "$ENCODER" ] || die "the product's password encoder $ENCODER is missing"
		p=$(head -n 1 "$B/secrets/$1.pass")
		printf '%s\n%s\n' "$p" "$p" | "$ENCODER" 2>/dev/null | sed '/^[[:space:]]*$/d' | tail -n 1 >"$f.tmp"
		[ -s "$f.tmp" ] || die "$ENCODER printed nothing"
		mv "$f.tmp" "$f"
	fi
	cat "$f"
}

# set_property FILE KEY VALUEFILE: KEY=VALUE (the value is read from a file,
# never from the command line).
set_property() {
	need "$1" "configuration file"
	awk -v k="$2" 'NR == FNR { v = $0; next }
		index($0, k "=") == 1 { if (!done) print k "=" v; done = 1; next } { print }
		END { if (!done) print k "=" v }' "$3" "$1" >"$TMP/edit"
	edit_done "$1" "$2"
}
# set_xml_attr FILE MATCH ATTR VALUEFILE: ATTR="VALUE" in the element holding MATCH.
set_xml_attr() {
	need "$1" "configuration file"
	awk -v m="$2" -v a="$3" 'NR == FNR { v = $0; gsub(/&/, "\\&amp;", v); gsub(/</, "\\&lt;", v); gsub(/"/, "\\&quot;", v); next }
		{ buf = buf $0 "\n" }
		END {
			out = ""; rest = buf; n = 0
			while ((i = index(rest, "<")) > 0) {
				out = out substr(rest, 1, i - 1); rest = substr(rest, i)
				j = index(rest, ">"); if (j == 0) break
				tag = substr(rest, 1, j); rest = substr(rest, j + 1)
				if (index(tag, m) > 0 && match(tag, "[ \t\n]" a "=\"[^\"]*\"")) {
					tag = substr(tag, 1, RSTART) a "=\"" v "\"" substr(tag, RSTART + RLENGTH); n++
				}
				out = out tag
			}
			printf "%s%s", out, rest
			if (n == 0) exit 3
		}' "$4" "$1" >"$TMP/edit" || die "$1: no element with $2 and $3=\"...\""
	edit_done "$1" "$3"
}
# set_content FILE VALUEFILE: the whole file.
set_content() {
	cp "$2" "$TMP/edit"
	edit_done "$1" "the content"
}
edit_done() {
	if [ -f "$1" ] && cmp -s "$TMP/edit" "$1"; then
		say "unchanged: $1 ($2)"
		return 0
	fi
	backup "$1"
	show edit "$1" "($2)"
	if [ "$MODE" != dry ]; then
		cp -p "$1" "$1.ucpki-new" 2>/dev/null || :
		cat "$TMP/edit" >"$1.ucpki-new"
		mv -f "$1.ucpki-new" "$1"
	fi
	changed
}

# value TEXTFILE: a value for the edit steps, in a private temporary file.
value_file() { printf '%s\n' "$1" >"$TMP/value"; }

# rollback FILE: put back FILE.bak, or remove a file this script created.
rollback_file() {
	if [ -e "$1.bak" ]; then
		if ! cmp -s "$1.bak" "$1" || ! [ "$(stat -c %a:%U:%G "$1.bak")" = "$(stat -c %a:%U:%G "$1" 2>/dev/null)" ]; then
			run cp -p "$1.bak" "$1"
			changed
		else
			say "unchanged: $1 (same as $1.bak)"
		fi
	elif grep -qxF "$1" "$B/.install-created" 2>/dev/null; then
		run rm -f "$1"
		changed
	fi
}

restart() { # CMD ARGS...: once, after every change on this host
	if [ "$CHANGED" -eq 0 ]; then
		say "nothing changed: no restart"
		return 0
	fi
	run "$@"
}
