#!/usr/bin/env bash
# docs/options.md is generated from the option tables ('ucpki --doc-options'):
# it must be exactly what the built command prints, so a renamed option, a new
# old spelling or environment variable cannot leave the page behind. After
# changing a table: ucpki --doc-options > docs/options.md
. "$UCPKI_SRC/tests/lib.sh"

u 0 --doc-options
if ! cmp -s "$T/out" "$UCPKI_SRC/docs/options.md"; then
	diff -u "$UCPKI_SRC/docs/options.md" "$T/out" | head -40
	fail "docs/options.md differs from 'ucpki --doc-options' (regenerate it)"
fi
ok "docs/options.md is what the option tables say"

# Every old spelling the page lists is one the tables carry (the dump lists
# each entry's aliases in its eighth column), and the reverse.
u 0 --dump-options
awk -F'\t' '$1 == "option" && $8 != "" {n = split($8, a, " "); for (i = 1; i <= n; i++) print a[i]}' \
	"$T/out" | sort -u >"$T/dump-aliases"
sed -n '/^## Old spellings/,/^## Environment/p' "$UCPKI_SRC/docs/options.md" |
	grep -oE '^\| `--[a-z0-9-]+`' | sed 's/^| `//; s/`$//' | sort -u >"$T/doc-aliases"
[ -s "$T/dump-aliases" ] || fail "the dump lists no old spellings"
cmp -s "$T/dump-aliases" "$T/doc-aliases" || {
	diff "$T/dump-aliases" "$T/doc-aliases"
	fail "old spellings of the tables and of the page differ"
}
ok "the page's old spellings are the tables' ($(wc -l <"$T/dump-aliases") spellings)"

# Every environment variable a table names is described on the page.
awk -F'\t' '$1 == "option" && $9 != "" {n = split($9, a, " "); for (i = 1; i <= n; i++) print a[i]}' \
	"$T/out" | sort -u | while read -r var; do
	grep -q "^| \`$var\` |" "$UCPKI_SRC/docs/options.md" || fail "$var is not on the page"
done || exit 1
ok "every environment variable of the tables is on the page"

# The man pages carry the same: each old spelling beside its option.
u 0 --man ucpki-convert
assert_contains "$T/out" 'Old spelling, kept for one release: \-\-to.'
assert_contains "$T/out" 'default $UCPKI_NEW_PASSWORD. Old spelling, kept for one release: \-\-pass\-file.'
u 0 --man ucpki
assert_contains "$T/out" 'UCPKI_STATE_PASS'
ok "man pages list the old spellings and the environment variables"
done_testing
