/* A file whose name is none of the profile's file names is matched to the
 * profile's file by what it holds: a certificate with its key is the
 * profile's certificate+key file (PEM bundle or keystore), CA certificates
 * alone are its CA/trust file, and so on. Among the files of the same kind
 * the one whose container is the file's format wins; a tie is ambiguous and
 * matches nothing, so no rules of the wrong file apply. */
#include <stdio.h>
#include <string.h>

#include "lint/lint_internal.h"

/* What a file holds, coarsely. */
enum kind {
	KIND_NONE = 0,
	KIND_CA,     /* CA certificates only */
	KIND_KEY,    /* a private key only */
	KIND_CERT,   /* a certificate without its key (maybe with CAs) */
	KIND_KEYED   /* a certificate and its key (maybe with CAs) */
};

static const char *const kind_names[] = {
	[KIND_NONE] = "no certificate or key",
	[KIND_CA] = "CA certificates only",
	[KIND_KEY] = "a private key only",
	[KIND_CERT] = "a certificate without its key",
	[KIND_KEYED] = "a certificate and its key",
};

/* The format a container is written in natively (P7B also takes PEM). */
static const enum ucpki_format native_format[] = {
	[UCPKI_CONT_PEM] = UCPKI_FMT_PEM,
	[UCPKI_CONT_DER] = UCPKI_FMT_DER,
	[UCPKI_CONT_PKCS12] = UCPKI_FMT_PKCS12,
	[UCPKI_CONT_JKS] = UCPKI_FMT_JKS,
	[UCPKI_CONT_P7B] = UCPKI_FMT_PKCS7,
};

#define MAX_CANDIDATES 8

#define BIT(item) (1u << (item))

/* The kind of a set of items (a mask of BIT(UCPKI_ITEM_*)). */
static enum kind kind_of_mask(unsigned seen)
{
	if ((seen & BIT(UCPKI_ITEM_CERT)) && (seen & BIT(UCPKI_ITEM_KEY)))
		return KIND_KEYED;
	if (seen & BIT(UCPKI_ITEM_CERT))
		return KIND_CERT;
	if (seen & BIT(UCPKI_ITEM_KEY))
		return KIND_KEY;
	if (seen & (BIT(UCPKI_ITEM_CHAIN) | BIT(UCPKI_ITEM_ROOT)))
		return KIND_CA;
	return KIND_NONE;
}

static enum kind kind_of_spec(const struct ucpki_profile_file *s)
{
	unsigned seen = 0;

	for (int i = 0; i < s->n_content; i++)
		seen |= BIT(s->content[i]);
	return kind_of_mask(seen);
}

static enum kind kind_of_file(const struct lint_file *f)
{
	EVP_PKEY *key = ucpki_pack_first_key(f->pack);
	unsigned seen = 0;

	for (int i = 0; i < ucpki_pack_count(f->pack); i++) {
		enum ucpki_obj t = ucpki_pack_type(f->pack, i);
		if (t == UCPKI_OBJ_KEY || t == UCPKI_OBJ_CERT)
			seen |= BIT(lint_item_of(f->pack, i, key));
	}
	return kind_of_mask(seen);
}

/* 2: the container's own format; 1: a format it also takes; 0: neither
 * (the file-container rule then says what the product loads). */
static int fit_rank(enum ucpki_container c, enum ucpki_format fmt)
{
	if ((size_t)c < sizeof(native_format) / sizeof(native_format[0]) && native_format[c] == fmt)
		return 2;
	return lint_format_fits(c, fmt) ? 1 : 0;
}

/* The profile files of the file's kind with the best container fit; returns
 * how many (at most max are stored). Copies are left out: their original
 * stands for them. */
static int candidates(const struct ucpki_profile *p, const struct lint_file *f,
                      const struct ucpki_profile_file **out, int max)
{
	enum kind k = kind_of_file(f);
	enum ucpki_format fmt = ucpki_pack_format(f->pack);
	int best = -1, n = 0;

	if (k == KIND_NONE)
		return 0;
	for (int i = 0; i < p->n_files; i++) {
		const struct ucpki_profile_file *s = &p->files[i];
		int r;
		if (s->copy_of || kind_of_spec(s) != k)
			continue;
		r = fit_rank(s->container, fmt);
		if (r < best)
			continue;
		if (r > best) {
			best = r;
			n = 0;
		}
		if (n < max)
			out[n] = s;
		n++;
	}
	return n;
}

void lint_match_content(struct ucpki_lint *l, struct lint_file *f)
{
	const struct ucpki_profile_file *c[MAX_CANDIDATES];
	int n;

	if (f->match == LINT_MATCH_CONTENT)
		return; /* matched by an earlier run */
	if (l->o.profile == NULL || f->spec) {
		f->match = LINT_MATCH_NAME;
		return;
	}
	n = candidates(l->o.profile, f, c, MAX_CANDIDATES);
	f->match = n == 1 ? LINT_MATCH_CONTENT : n == 0 ? LINT_MATCH_NONE : LINT_MATCH_AMBIGUOUS;
	if (n == 1)
		f->spec = c[0];
}

/* "a, b and c" of n names into buf. */
static void names_string(const char *const *v, int n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ",
		                       v[i]);
}

void lint_match_report(struct ucpki_lint *l, const struct lint_file *f)
{
	const struct ucpki_profile *p = l->o.profile;
	const struct ucpki_profile_file *c[MAX_CANDIDATES];
	const char *names[MAX_CANDIDATES * 2];
	char expected[200], fits[160];
	const char *what = kind_names[kind_of_file(f)];
	const char *fmt = ucpki_format_name(ucpki_pack_format(f->pack));
	int n = 0, nc;

	if (f->match == LINT_MATCH_NAME)
		return;
	for (int i = 0; i < p->n_files && n < (int)(sizeof(names) / sizeof(names[0])); i++)
		names[n++] = p->files[i].name;
	names_string(names, n, expected, sizeof(expected));
	switch (f->match) {
	case LINT_MATCH_CONTENT:
		lint_report(l, "file-unknown", f->name,
		            "not named as a file %s expects (%s); by its content (%s, %s) it is "
		            "checked as %s", p->id, expected, what, fmt, f->spec->name);
		break;
	case LINT_MATCH_NONE:
		lint_report(l, "file-unknown", f->name,
		            "not a file %s expects (%s), and its content (%s, %s) matches none of them: "
		            "only the generic rules apply", p->id, expected, what, fmt);
		break;
	default:
		nc = candidates(p, f, c, MAX_CANDIDATES);
		n = 0;
		for (int i = 0; i < nc && i < MAX_CANDIDATES; i++)
			names[n++] = c[i]->name;
		names_string(names, n, fits, sizeof(fits));
		lint_report(l, "file-unknown", f->name,
		            "not a file %s expects (%s), and its content (%s, %s) fits %s alike: "
		            "name it as one of them to apply that file's rules", p->id, expected, what,
		            fmt, fits);
		break;
	}
}
