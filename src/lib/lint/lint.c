/* The lint run: files in, findings out (see ucpki/lint.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "lint/lint_internal.h"
#include "ucpki/file.h"
#include "ucpki/x509.h"

/* A bundle with more findings than this is reported in part. */
#define MAX_FINDINGS 4096

struct ucpki_lint *ucpki_lint_new(const struct ucpki_lint_opts *o, struct ucpki_err *e)
{
	struct ucpki_lint *l = calloc(1, sizeof(*l));

	if (l == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if (o)
		l->o = *o;
	if (l->o.expiring_days <= 0)
		l->o.expiring_days = 30;
	if (l->o.now == 0)
		l->o.now = time(NULL);
	return l;
}

void ucpki_lint_free(struct ucpki_lint *l)
{
	if (l == NULL)
		return;
	for (int i = 0; i < l->n_files; i++) {
		free(l->files[i].name);
		ucpki_pack_free(l->files[i].owned);
	}
	free(l->files);
	free(l->f);
	sk_X509_free(l->pool);
	free(l);
}

static void vreport(struct ucpki_lint *l, const char *rule_id, const char *file,
                    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void vreport(struct ucpki_lint *l, const char *rule_id, const char *file,
                    const char *fmt, va_list ap)
{
	const struct ucpki_lint_rule *r = ucpki_lint_rule_find(rule_id);
	struct ucpki_finding *f;

	if (r == NULL || l->n >= MAX_FINDINGS)
		return;
	if (l->n == l->cap) {
		int ncap = l->cap ? 2 * l->cap : 16;
		struct ucpki_finding *nf = realloc(l->f, (size_t)ncap * sizeof(*nf));
		if (nf == NULL)
			return;
		l->f = nf;
		l->cap = ncap;
	}
	f = &l->f[l->n];
	/* the same finding on the same file once (a certificate in two files) */
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->severity = l->o.profile || r->scope == UCPKI_SCOPE_SOLUTION ? r->severity_profile
	                                                                  : r->severity;
	snprintf(f->file, sizeof(f->file), "%s", file ? file : "");
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	for (int i = 0; i < l->n; i++)
		if (l->f[i].rule == r && strcmp(l->f[i].file, f->file) == 0 &&
		    strcmp(l->f[i].msg, f->msg) == 0)
			return;
	l->n++;
}

void lint_report(struct ucpki_lint *l, const char *rule_id, const char *file, const char *fmt,
                 ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(l, rule_id, file, fmt, ap);
	va_end(ap);
}

void ucpki_lint_report(struct ucpki_lint *l, const char *rule_id, const char *file,
                       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(l, rule_id, file, fmt, ap);
	va_end(ap);
}

int ucpki_lint_count(const struct ucpki_lint *l)
{
	return l->n;
}

const struct ucpki_finding *ucpki_lint_at(const struct ucpki_lint *l, int i)
{
	return i >= 0 && i < l->n ? &l->f[i] : NULL;
}

int ucpki_lint_tally(const struct ucpki_lint *l, enum ucpki_severity s)
{
	int n = 0;

	for (int i = 0; i < l->n; i++)
		if (l->f[i].severity == s)
			n++;
	return n;
}

/* --- inputs --------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The profile file a name stands for: exact, else by base name. */
static const struct ucpki_profile_file *spec_for(const struct ucpki_profile *p,
                                                 const char *name)
{
	const struct ucpki_profile_file *f;

	if (p == NULL || name == NULL)
		return NULL;
	if ((f = ucpki_profile_file_find(p, name)) != NULL)
		return f;
	return ucpki_profile_file_find(p, base_name(name));
}

static struct lint_file *push_file(struct ucpki_lint *l, const char *name,
                                   struct ucpki_err *e)
{
	struct lint_file *f;

	if (l->n_files == l->cap_files) {
		int ncap = l->cap_files ? 2 * l->cap_files : 8;
		struct lint_file *nf = realloc(l->files, (size_t)ncap * sizeof(*nf));
		if (nf == NULL) {
			ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			return NULL;
		}
		l->files = nf;
		l->cap_files = ncap;
	}
	f = &l->files[l->n_files];
	memset(f, 0, sizeof(*f));
	if ((f->name = strdup(name)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	l->n_files++;
	return f;
}

int ucpki_lint_add_pack(struct ucpki_lint *l, const char *name, const char *spec_name,
                        const struct ucpki_pack *pack, const unsigned char *raw,
                        size_t raw_len, struct ucpki_err *e)
{
	struct lint_file *f = push_file(l, name, e);

	if (f == NULL)
		return -1;
	f->pack = pack;
	f->spec = spec_for(l->o.profile, spec_name ? spec_name : name);
	if (raw && EVP_Digest(raw, raw_len, f->digest, NULL, EVP_sha256(), NULL) == 1)
		f->have_digest = 1;
	return 0;
}

int ucpki_lint_add_file(struct ucpki_lint *l, const char *path, const char *name,
                        const char *spec_name, const char *password, struct ucpki_err *e)
{
	unsigned char *data;
	size_t len;
	struct ucpki_pack *p;
	int rc;

	if (ucpki_file_read(path, 0, &data, &len, e) != 0)
		return -1;
	p = ucpki_pack_load_mem(data, len, name ? name : path, password, e);
	if (p == NULL) {
		ucpki_secure_free(data, len);
		return -1;
	}
	rc = ucpki_lint_add_pack(l, name ? name : path, spec_name ? spec_name : path, p, data,
	                         len, e);
	ucpki_secure_free(data, len);
	if (rc != 0) {
		ucpki_pack_free(p);
		return -1;
	}
	l->files[l->n_files - 1].owned = p;
	return 0;
}

/* --- helpers shared by the rule files ------------------------------------ */

/* A CA by its basicConstraints (not by keyUsage, which lint checks
 * separately); a version 1 self-signed certificate counts as a root. */
int lint_is_ca(X509 *x)
{
	uint32_t flags = X509_get_extension_flags(x);

	if (flags & EXFLAG_BCONS)
		return (flags & EXFLAG_CA) != 0;
	return (flags & EXFLAG_V1) && lint_is_self_signed(x);
}

int lint_is_self_signed(X509 *x)
{
	return X509_self_signed(x, 0) == 1;
}

const char *lint_cert_name(X509 *x, char *buf, size_t len)
{
	char *cn = ucpki_dn_cn(X509_get_subject_name(x));

	if (cn) {
		snprintf(buf, len, "CN=%s", cn);
		free(cn);
	} else {
		char *dn = ucpki_dn_string(X509_get_subject_name(x));
		snprintf(buf, len, "%s", dn ? dn : "(no subject)");
		free(dn);
	}
	return buf;
}

/* --- the run -------------------------------------------------------------- */

static int build_pool(struct ucpki_lint *l, struct ucpki_err *e)
{
	sk_X509_free(l->pool);
	if ((l->pool = sk_X509_new_null()) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < l->n_files; i++) {
		const struct ucpki_pack *p = l->files[i].pack;
		for (int j = 0; j < ucpki_pack_count(p); j++) {
			X509 *x = ucpki_pack_cert_at(p, j);
			if (x && !sk_X509_push(l->pool, x))
				return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	return 0;
}

/* Certificate rules run once per distinct certificate, named by the first
 * file that holds it. */
static void cert_pass(struct ucpki_lint *l)
{
	int pos = 0; /* the pool holds the certificates in this same order */

	for (int i = 0; i < l->n_files; i++) {
		const struct ucpki_pack *p = l->files[i].pack;
		for (int j = 0; j < ucpki_pack_count(p); j++) {
			X509 *x = ucpki_pack_cert_at(p, j);
			int seen = 0;
			if (x == NULL)
				continue;
			for (int k = 0; k < pos && !seen; k++)
				if (X509_cmp(x, sk_X509_value(l->pool, k)) == 0)
					seen = 1;
			pos++;
			if (!seen)
				lint_cert_rules(l, l->files[i].name, x);
		}
	}
}

int ucpki_lint_run(struct ucpki_lint *l, struct ucpki_err *e)
{
	if (build_pool(l, e) != 0)
		return -1;
	for (int i = 0; i < l->n_files; i++)
		lint_match_content(l, &l->files[i]);
	cert_pass(l);
	for (int i = 0; i < l->n_files; i++)
		lint_file_rules(l, &l->files[i]);
	if (l->o.profile)
		lint_profile_rules(l);
	return 0;
}
