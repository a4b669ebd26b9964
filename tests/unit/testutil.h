/* Helpers shared by the cmocka unit tests. */
#ifndef UCPKI_TESTUTIL_H
#define UCPKI_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Path of a vector file under tests/vectors. */
static inline const char *vector_path(const char *rel, char *buf, size_t len)
{
	const char *dir = getenv("UCPKI_TEST_VECTORS");
	snprintf(buf, len, "%s/%s", dir ? dir : "tests/vectors", rel);
	return buf;
}

/* A fresh scratch directory; remove with rm_tree(). */
static inline char *scratch_dir(const char *name)
{
	const char *base = getenv("UCPKI_TEST_TMP");
	char tmpl[512];
	char *dir;

	if (base) {
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", base);
		if (system(cmd) != 0)
			base = NULL;
	}
	snprintf(tmpl, sizeof(tmpl), "%s/%s.XXXXXX", base ? base : "/tmp", name);
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	return strdup(dir);
}

static inline void rm_tree(char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

/* Split a tab-separated vector line in place; returns the field count.
 * Lines starting with '#' and empty lines return 0. */
static inline int split_fields(char *line, char **f, int max)
{
	int n = 0;
	char *nl = strchr(line, '\n');

	if (nl)
		*nl = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

#endif
