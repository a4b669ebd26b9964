#!/usr/bin/env bash
# House style, enforced: no unbounded string functions, no atoi, no printing
# or exiting from the library.
. "$UCPKI_SRC/tests/lib.sh"
cd "$UCPKI_SRC"
hits=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok)\s*\(' src include 2>/dev/null |
	grep -vE '\b(snprintf|vsnprintf|strtok_r)\s*\(' || true)
[ -z "$hits" ] || fail "banned functions:
$hits"
ok "no strcpy/strcat/sprintf/gets/atoi/strtok in src and include"
hits=$(grep -rnE '\b(printf|fprintf|puts|fputs|putchar|perror|exit|abort)\s*\(' src/lib 2>/dev/null |
	grep -vE 'snprintf|vsnprintf' || true)
[ -z "$hits" ] || fail "library code prints or exits:
$hits"
ok "library never prints or exits"
done_testing
