/* Public suffixes ("com", "co.uk"): a wildcard never stands for a label
 * directly below one (CA/B BR 3.2.2.6; RFC 6125 7.2). The list is the
 * system's copy of the Public Suffix List, read once; without it a short
 * built-in list of common multi-label suffixes is used. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ucpki/verify.h"

#define PSL_DEFAULT "/usr/share/publicsuffix/public_suffix_list.dat"

static const char *const builtin[] = {
	"ac.uk", "co.uk", "gov.uk", "ltd.uk", "me.uk", "net.uk", "org.uk", "plc.uk", "sch.uk",
	"com.au", "edu.au", "gov.au", "net.au", "org.au", "co.nz", "net.nz", "org.nz",
	"co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "co.kr", "or.kr", "com.cn", "net.cn",
	"org.cn", "gov.cn", "com.br", "net.br", "org.br", "co.in", "net.in", "org.in",
	"co.za", "org.za", "com.mx", "com.tr", "com.tw", "com.hk", "com.sg", "com.ar",
	"co.il", "co.id", "com.my", "com.ph", "com.pl", "com.ru", "com.ua", "co.at", "or.at",
};

/* The list: rules in lower case, sorted, for bsearch. Rules are names
 * ("co.uk"), wildcards ("*.ck") and exceptions ("!www.ck"). */
static struct {
	char **rule;
	size_t n;
	int loaded;  /* from a file */
} psl;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int psl_add(size_t *cap, const char *rule)
{
	char *copy;

	if (psl.n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 1024;
		char **n = realloc(psl.rule, ncap * sizeof(*n));
		if (n == NULL)
			return -1;
		psl.rule = n;
		*cap = ncap;
	}
	if ((copy = strdup(rule)) == NULL)
		return -1;
	for (char *p = copy; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	psl.rule[psl.n++] = copy;
	return 0;
}

/* One rule per line; "//" starts a comment; a rule ends at white space. */
static void psl_read(FILE *f, size_t *cap)
{
	char line[512];

	while (fgets(line, sizeof(line), f)) {
		char *end = line + strcspn(line, " \t\r\n");
		*end = '\0';
		if (line[0] == '\0' || (line[0] == '/' && line[1] == '/'))
			continue;
		if (psl_add(cap, line) != 0)
			return;
	}
}

static void psl_load(void)
{
	const char *path = getenv("UCPKI_PUBLIC_SUFFIX_LIST");
	FILE *f = fopen(path && *path ? path : PSL_DEFAULT, "r");
	size_t cap = 0;

	if (f) {
		psl_read(f, &cap);
		fclose(f);
		psl.loaded = psl.n > 0;
	}
	if (!psl.loaded)
		for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
			if (psl_add(&cap, builtin[i]) != 0)
				break;
	qsort(psl.rule, psl.n, sizeof(*psl.rule), cmp_str);
}

static int psl_has(const char *rule)
{
	return psl.n && bsearch(&rule, psl.rule, psl.n, sizeof(*psl.rule), cmp_str) != NULL;
}

int ucpki_is_public_suffix(const char *name_in)
{
	char name[256], buf[260];
	const char *dot;
	size_t n = strlen(name_in);

	if (n == 0 || n >= sizeof(name))
		return 0;
	for (size_t i = 0; i <= n; i++)
		name[i] = (char)tolower((unsigned char)name_in[i]);
	if (n > 1 && name[n - 1] == '.')
		name[n - 1] = '\0';
	/* every top-level domain is a suffix (the list's implicit "*" rule) */
	if ((dot = strchr(name, '.')) == NULL)
		return 1;
	pthread_once(&psl_once, psl_load);
	snprintf(buf, sizeof(buf), "!%s", name);
	if (psl_has(buf))
		return 0;
	if (psl_has(name))
		return 1;
	snprintf(buf, sizeof(buf), "*.%s", dot + 1);
	return psl_has(buf);
}
