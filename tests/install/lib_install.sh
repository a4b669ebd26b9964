# Checks shared by the installation tests (an installed prefix, the .deb).
# Source after tests/lib.sh.

# check_job BIN PROFILES_DIR JOBDIR: the main job with an installed ucpki,
# from an empty directory with only the example inventory, on a fresh state;
# the shipped profiles must come from PROFILES_DIR.
check_job() {
	local bin=$1 pdir=$2 job=$3 n
	mkdir -p "$job" && cp "$UCPKI_SRC/examples/solution.yaml" "$job/" || fail "cannot set up $job"
	(
		cd "$job" || exit 1
		export UCPKI_STATE=$job/state UCPKI_PASSPHRASE='correct horse battery staple'
		unset UCPKI_PROFILES UCPKI_FILE_PASSWORD UCPKI_IN_PASS UCPKI_OUT_PASS UCPKI_STOREPASS \
			UCPKI_KEYPASS UCPKI_SRC_STOREPASS
		run 0 "$bin" --json profiles list
		cp "$T/out" "$job/profiles.json"
		run 0 "$bin" init
		run 0 "$bin" solution issue solution.yaml --out deploy
		cp "$T/out" "$job/issue.out"
	) || exit 1
	n=$(find "$UCPKI_SRC/profiles" -name '*.yaml' | wc -l)
	assert_eq "$(jq '.profiles | length' "$job/profiles.json")" "$n" "shipped profiles found by $bin"
	assert_eq "$(jq -r --arg d "$pdir/" '[.profiles[].path | startswith($d)] | all' "$job/profiles.json")" \
		true "every profile read from $pdir"
	assert_match "$job/issue.out" "^acme-hq: [0-9]+ nodes - [0-9]+ issued"
	assert_file "$job/deploy/manifest.json"
	assert_eq "$(sed -n 's/^-----BEGIN \(.*\)-----$/\1/p' "$job/deploy/osv/server.pem" | paste -sd, -)" \
		"CERTIFICATE,RSA PRIVATE KEY,CERTIFICATE,CERTIFICATE" "osv/server.pem order"
	openssl x509 -in "$job/deploy/osv/server.pem" -noout -ext subjectAltName >"$T/san" 2>&1
	assert_contains "$T/san" "DNS:osv-sip.acme.example"
	assert_eq "$(jq '.nodes | length' "$job/deploy/manifest.json")" \
		"$(sed -n 's/^acme-hq: \([0-9]*\) nodes.*/\1/p' "$job/issue.out")" "nodes in manifest.json"
	assert_eq "$(jq -r '[.nodes[].files[] | select(.path == "osv/server.pem") | .sha256][0]' \
		"$job/deploy/manifest.json")" "$(sha256sum <"$job/deploy/osv/server.pem" | cut -d' ' -f1)" \
		"manifest SHA-256 of osv/server.pem"
}

# check_man ARGS...: 'man ARGS' (a page name, or -l FILE) renders the page of
# ucpki with its global options and commands.
check_man() {
	LC_ALL=C.UTF-8 MANWIDTH=200 MANPAGER=cat man "$@" >"$T/man.txt" 2>"$T/man.err" ||
		{ cat "$T/man.err"; fail "man $* failed"; }
}

# check_completion FILE_OR_EMPTY: the completion of ucpki completes command
# words, subcommands and options. With FILE, that script is sourced; without,
# bash-completion's loader must find it where it was installed.
check_completion() {
	local src=$1 subs
	subs=$("$UCPKI" --dump-options | awk -F'\t' '$1 == "command" && $2 ~ /^solution / {sub(/^solution /, "", $2); print $2}' | paste -sd' ' -)
	bash -c '
		if [ -n "$1" ]; then . "$1"; else
			. /usr/share/bash-completion/bash_completion && _completion_loader ucpki; fi
		complete -p ucpki
		c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ucpki; echo "${COMPREPLY[*]}"; }
		c ucpki so
		c ucpki solution ""
		c ucpki --state /x solution is
		c ucpki solution issue --thr
		c ucpki --profiles=/x profiles ""
	' bash "$src" >"$T/comp.out" 2>"$T/comp.err" || { cat "$T/comp.err"; fail "completion script failed"; }
	assert_eq "$(sed -n 1p "$T/comp.out")" "complete -F _ucpki ucpki" "complete -p ucpki"
	assert_eq "$(sed -n 2p "$T/comp.out")" "solution" "ucpki so<TAB>"
	assert_eq "$(sed -n 3p "$T/comp.out")" "$subs" "ucpki solution <TAB>"
	assert_eq "$(sed -n 4p "$T/comp.out")" "issue" "ucpki --state /x solution is<TAB>"
	assert_eq "$(sed -n 5p "$T/comp.out")" "--threads" "ucpki solution issue --thr<TAB>"
	assert_eq "$(sed -n 6p "$T/comp.out")" "list show" "ucpki --profiles=/x profiles <TAB>"
}

# check_pkgconfig PCDIR PROFILES_DIR [CFLAGS...]: a program compiled with
# 'pkg-config --cflags --libs ucpki' (the shared library), and one linked
# with the static library, load the shipped profiles.
check_pkgconfig() {
	local pcdir=$1 pdir=$2 libdir; shift 2
	cat >"$T/pc.c" <<'C'
#include <stdio.h>
#include <ucpki/profiles.h>

int main(int argc, char **argv)
{
	struct ucpki_err e = {0};
	struct ucpki_profile_set *s = ucpki_profiles_load(argc > 1 ? argv[1] : ".", NULL, NULL, &e);
	const struct ucpki_profile *p;

	if (s == NULL || (p = ucpki_profiles_find(s, "osv", &e)) == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	printf("%d profiles; osv: %s\n", ucpki_profiles_count(s), p->name);
	ucpki_profiles_free(s);
	return 0;
}
C
	export PKG_CONFIG_PATH=$pcdir
	pkg-config --exists ucpki || fail "pkg-config does not find ucpki in $pcdir"
	libdir=$(realpath "$(pkg-config --variable=libdir ucpki)")
	[ -e "$libdir/libucpki.so" ] || fail "pkg-config libdir $libdir has no libucpki.so"
	# shellcheck disable=SC2046 # pkg-config prints words
	cc -std=c11 -Wall -Wextra -Werror "$@" -o "$T/pc-shared" "$T/pc.c" \
		$(pkg-config --cflags --libs ucpki) 2>"$T/cc.err" || { cat "$T/cc.err"; fail "cc with pkg-config ucpki"; }
	LD_LIBRARY_PATH=$libdir "$T/pc-shared" "$pdir" >"$T/pc.out" 2>&1 || { cat "$T/pc.out"; fail "pc-shared"; }
	assert_eq "$(cat "$T/pc.out")" "$(find "$UCPKI_SRC/profiles" -name '*.yaml' | wc -l) profiles; osv: OpenScape Voice"
	LD_LIBRARY_PATH=$libdir ldd "$T/pc-shared" >"$T/ldd" 2>&1
	assert_eq "$(realpath "$(awk '$1 == "libucpki.so.0" {print $3}' "$T/ldd")")" \
		"$(realpath "$libdir/libucpki.so.0")" "libucpki.so.0 the program loads"
	# shellcheck disable=SC2046
	cc -std=c11 "$@" -o "$T/pc-static" "$T/pc.c" $(pkg-config --cflags ucpki) "$libdir/libucpki.a" \
		$(pkg-config --libs openssl sqlite3 jansson libfyaml) $(pkg-config --libs libpq 2>/dev/null) -pthread \
		2>"$T/cc.err" || { cat "$T/cc.err"; fail "cc with libucpki.a"; }
	"$T/pc-static" "$pdir" >"$T/pc.out" 2>&1 || { cat "$T/pc.out"; fail "pc-static"; }
	assert_contains "$T/pc.out" "osv: OpenScape Voice"
	unset PKG_CONFIG_PATH
}
