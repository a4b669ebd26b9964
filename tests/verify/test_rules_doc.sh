#!/usr/bin/env bash
# docs/verify.md lists every rule of the verifier's table with the levels
# and source the program gives (`ucpki verify --rules`), and no other;
# every rule id the vectors expect is one of them.
. "$UCPKI_SRC/tests/lib.sh"

DOC=$UCPKI_SRC/docs/verify.md
u 0 --json verify --rules
jq -r '.rules[] | "| `\(.rule)` | \(.levels | join(",")) | \(.source) | \(.summary) |"' "$T/out" | sort >"$T/want"
grep -E '^\| `[a-z]+\.[a-z0-9-]+` \|' "$DOC" | sort >"$T/have"
diff "$T/want" "$T/have" >"$T/diff" || { cat "$T/diff"; fail "docs/verify.md and 'ucpki verify --rules' differ"; }
n=$(wc -l <"$T/want")
[ "$n" -ge 60 ] || fail "only $n rules"
ok "docs/verify.md lists the $n rules exactly as the program does"

# the text form names every rule too, with its source
u 0 verify --rules
jq -r '.rules[].rule' <("$UCPKI" --json verify --rules) >"$T/ids"
while read -r id; do
	grep -q "^$id " "$T/out" || fail "verify --rules text lacks $id"
done <"$T/ids"
ok "verify --rules prints every rule"

# the vectors only expect rules that exist
grep -v "^#" "$UCPKI_SRC/tests/vectors/verify/cases.txt" | cut -d"|" -f4 | tr -d " " |
	grep -v '^-$' | grep -v '^$' | sort -u >"$T/expected"
missing=$(comm -23 "$T/expected" <(sort "$T/ids"))
[ -z "$missing" ] || fail "vectors expect unknown rules: $missing"
ok "every rule the vectors expect is in the table"
done_testing
