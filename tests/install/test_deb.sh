#!/usr/bin/env bash
# The Debian package: built with dpkg-buildpackage from a copy of the source,
# installed with dpkg, then used from /usr only (the main job in an empty
# directory outside the source tree, man, completion, pkg-config), and
# removed again at the end.
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/install/lib_install.sh"
PKGS=(ucpki libucpki0 libucpki-dev)

sudo_=
[ "$(id -u)" -eq 0 ] || sudo_=sudo
if [ -n "$sudo_" ] && ! sudo -n true 2>/dev/null; then
	skip "installing a package needs root (or sudo without a password)"
fi
if ! command -v dpkg-buildpackage >/dev/null || ! dpkg-query -W -f='${Status}' debhelper 2>/dev/null | grep -q 'ok installed'; then
	DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y --no-install-recommends dpkg-dev debhelper \
		>"$T/apt.log" 2>&1 || { cat "$T/apt.log"; skip "dpkg-buildpackage and debhelper are missing and cannot be installed"; }
fi
for p in "${PKGS[@]}"; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		skip "package $p is installed already; this test would replace and remove it"
	fi
done

J=$(mktemp -d /tmp/ucpki-deb-job.XXXXXX)
cleanup() {
	$sudo_ dpkg -P "${PKGS[@]}" >/dev/null 2>&1
	rm -rf "$T" "$J"
}
trap cleanup EXIT

# A copy of the source: the files git knows of (tracked or new, not ignored),
# else everything but build trees and state.
mkdir "$T/src"
if git -C "$UCPKI_SRC" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$UCPKI_SRC" ls-files -co --exclude-standard -z |
		(cd "$UCPKI_SRC" && xargs -0 tar -cf - --) | tar -C "$T/src" -xf -
else
	tar -C "$UCPKI_SRC" --exclude='./build*' --exclude=./ucpki-state --exclude=./deploy -cf - . |
		tar -C "$T/src" -xf -
fi
assert_file "$T/src/debian/control"
(cd "$T/src" && dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1 ||
	{ tail -40 "$T/build.log"; fail "dpkg-buildpackage -us -uc -b failed (log above)"; }
version=$(dpkg-parsechangelog -l "$T/src/debian/changelog" -S Version)
debs=()
for p in "${PKGS[@]}"; do
	f=$(ls "$T/${p}_${version}_"*.deb 2>/dev/null | head -1)
	assert_file "$f"
	debs+=("$f")
done
dpkg-deb -c "${debs[0]}" >"$T/contents"
for f in ./usr/bin/ucpki ./usr/share/ucpki/profiles/osv.yaml ./usr/share/man/man1/ucpki.1.gz \
	./usr/share/man/man1/ucpki-solution.1.gz ./usr/share/bash-completion/completions/ucpki; do
	assert_contains "$T/contents" "$f"
done
ok "dpkg-buildpackage builds ${PKGS[*]} $version"

$sudo_ dpkg -i "${debs[@]}" >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg -i"; }
dpkg-query -W -f='${Status}\n' ucpki | grep -q 'ok installed' || fail "ucpki not installed"
run 0 /usr/bin/ucpki --version
assert_match "$T/out" "^ucpki ${version%%-*} \(OpenSSL 3"
ok "dpkg -i installs it; /usr/bin/ucpki --version"

# The main job from /usr only: an empty directory outside the source tree
# with only the inventory (check_job clears the environment ucpki reads).
check_job /usr/bin/ucpki /usr/share/ucpki/profiles "$J/job"
ok "solution issue on the example from the installed files only (profiles from /usr/share/ucpki/profiles)"

if [ -e /usr/share/man/man1/ucpki.1.gz ]; then
	check_man ucpki
	assert_contains "$T/man.txt" "GLOBAL OPTIONS"
	assert_match "$T/man.txt" "^ +solution issue$"
	check_man ucpki-solution
	assert_match "$T/man.txt" "^ +--threads N$"
	ok "man ucpki and man ucpki-solution render"
else
	# dpkg excludes /usr/share/man on this machine (a minimal image): read the
	# page from the package instead.
	dpkg-deb -x "${debs[0]}" "$T/x"
	check_man -l "$T/x/usr/share/man/man1/ucpki.1.gz"
	assert_contains "$T/man.txt" "GLOBAL OPTIONS"
	ok "the packaged ucpki(1) renders (dpkg is set to leave man pages out here)"
fi

if [ -e /usr/share/bash-completion/bash_completion ]; then
	check_completion ""
	ok "bash-completion loads the installed completion; it completes subcommands"
else
	check_completion /usr/share/bash-completion/completions/ucpki
	ok "the installed completion script completes subcommands"
fi

check_pkgconfig "" /usr/share/ucpki/profiles
ok "a program builds with pkg-config ucpki against the installed libucpki-dev"

$sudo_ dpkg -P "${PKGS[@]}" >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg -P"; }
assert_no_file /usr/bin/ucpki
assert_no_file /usr/share/ucpki
ok "dpkg -P removes it"
done_testing
