#!/usr/bin/env bash
# Install the Debian packages ucpki needs to build and test, when missing.
# Usage: scripts/deps.sh [build|test]   (test adds the interop peers and fuzzing)
set -euo pipefail
what=${1:-build}

pkgs=(cmake make gcc pkg-config libssl-dev openssl libsqlite3-dev libjansson-dev
      libfyaml-dev libevent-dev libpq-dev)
if [ "$what" = test ]; then
	pkgs+=(libcmocka-dev gnutls-bin libnss3-tools clang libclang-rt-14-dev jq)
	# The fault tests build and inspect databases with the sqlite3 shell.
	pkgs+=(sqlite3)
	# Java's keytool for the keystore interop tests (any JRE that has it will do).
	command -v keytool >/dev/null 2>&1 || pkgs+=(openjdk-17-jre-headless)
	# The shell tests parse JSON and PEM with python3.
	command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
	# The installation tests: the .deb built and installed, its man pages
	# rendered, its bash completion loaded.
	pkgs+=(dpkg-dev debhelper man-db bash-completion)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo_=""
[ "$(id -u)" -eq 0 ] || sudo_=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo_ apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
	{ $sudo_ apt-get update >/dev/null && $sudo_ apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
