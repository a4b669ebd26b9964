#!/usr/bin/env bash
# 'cmake --install' into a prefix, then the prefix moved elsewhere: the
# command still finds its profiles and runs the main job, the man pages
# render, the completion script completes, and a program builds against the
# library with pkg-config.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/install/lib_install.sh"
B=${UCPKI_BUILD:?UCPKI_BUILD must name the build tree}
for tool in cmake cc pkg-config man jq; do
	command -v "$tool" >/dev/null || fail "$tool is missing (scripts/deps.sh test installs it)"
done

cmake --install "$B" --prefix "$T/P" >"$T/install.log" 2>&1 || { cat "$T/install.log"; fail "cmake --install"; }
mv "$T/P" "$T/P2"
P=$T/P2
pc=$(find "$P" -name ucpki.pc)
libdir=$(dirname "$(dirname "$pc")")
for f in bin/ucpki include/ucpki/profiles.h include/ucpki/err.h share/ucpki/profiles/osv.yaml \
	share/man/man1/ucpki.1 share/man/man1/ucpki-solution.1 share/man/man1/ucpki-verify.1 \
	share/bash-completion/completions/ucpki; do
	assert_file "$P/$f"
done
for f in libucpki.a libucpki.so.0; do assert_file "$libdir/$f"; done
assert_eq "$(readlink "$libdir/libucpki.so")" libucpki.so.0 "libucpki.so -> SONAME"
assert_eq "$(objdump -p "$libdir/libucpki.so.0" | awk '$1 == "SONAME" {print $2}')" libucpki.so.0 "SONAME"
assert_eq "$(ls "$P/share/ucpki/profiles" | wc -l)" "$(ls "$UCPKI_SRC/profiles"/*.yaml | wc -l)" "profiles installed"
ok "install layout: command, static and shared library, headers, pkg-config, profiles, man, completion"

check_job "$P/bin/ucpki" "$P/share/ucpki/profiles" "$T/job"
ok "moved prefix: solution issue on the example with the profiles beside the program"

# $UCPKI_PROFILES wins; a missing directory is named in one line.
UCPKI_PROFILES=$T/nowhere run 2 "$P/bin/ucpki" profiles list
assert_eq "$(cat "$T/err")" "ucpki: $T/nowhere: cannot open the profiles directory"
mkdir "$T/few" && cp "$UCPKI_SRC/profiles/osv.yaml" "$T/few/"
UCPKI_PROFILES=$T/few run 0 "$P/bin/ucpki" --json profiles list
assert_eq "$(jq -r '[.profiles[].id] | join(",")' "$T/out")" osv "profiles of \$UCPKI_PROFILES"
ok "\$UCPKI_PROFILES replaces the shipped directory"

check_man -l "$P/share/man/man1/ucpki.1"
assert_contains "$T/man.txt" "GLOBAL OPTIONS"
assert_match "$T/man.txt" "^ +--lock-timeout SECONDS"
assert_match "$T/man.txt" "^ +solution issue$"
assert_contains "$T/man.txt" "ucpki-solution(1)"
check_man -l "$P/share/man/man1/ucpki-solution.1"
assert_match "$T/man.txt" "^ +ucpki solution issue$"
assert_match "$T/man.txt" "^ +--threads N$"
assert_contains "$T/man.txt" "Issue every node's certificate"
# Every command's options are in its group's page.
"$UCPKI" --dump-options | awk -F'\t' '$1 == "option" && $2 != "" {split($2, w, " "); print w[1] "\t" $3}' |
	sort -u >"$T/opts"
while read -r group; do
	check_man -l "$P/share/man/man1/ucpki-$group.1"
	while read -r opt; do
		assert_match "$T/man.txt" "^ +$opt( |$)"
	done < <(awk -F'\t' -v g="$group" '$1 == g {print $2}' "$T/opts")
done < <(cut -f1 "$T/opts" | sort -u)
ok "man -l renders ucpki(1) and every group's page, with every option of the tables"

check_completion "$P/share/bash-completion/completions/ucpki"
ok "the completion script completes command words, subcommands and options"

cflags=()
grep -q '^UCPKI_SANITIZE:BOOL=ON' "$B/CMakeCache.txt" && cflags=(-fsanitize=address,undefined)
check_pkgconfig "$(dirname "$pc")" "$P/share/ucpki/profiles" "${cflags[@]}"
ok "a program builds with pkg-config ucpki (shared) and with libucpki.a, from the moved prefix"
done_testing
