/* Linting a node's bundle with each of its products' profiles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "solution/solution_internal.h"

/* How a file's key was written (see package.c). */
static enum ucpki_keyenc written_keyenc(const struct ucpki_profile_file *f, EVP_PKEY *key)
{
	int type = EVP_PKEY_get_base_id(key);

	if (f->container != UCPKI_CONT_PEM)
		return UCPKI_KEYENC_PKCS8_ENCRYPTED;
	if (f->key_form == UCPKI_KEYFORM_PKCS1 && type == EVP_PKEY_RSA)
		return f->encrypted ? UCPKI_KEYENC_PKCS1_ENCRYPTED : UCPKI_KEYENC_PKCS1;
	if (f->key_form == UCPKI_KEYFORM_PKCS1 && type == EVP_PKEY_EC)
		return f->encrypted ? UCPKI_KEYENC_SEC1_ENCRYPTED : UCPKI_KEYENC_SEC1;
	return f->encrypted ? UCPKI_KEYENC_PKCS8_ENCRYPTED : UCPKI_KEYENC_PKCS8;
}

static enum ucpki_format format_of(enum ucpki_container c)
{
	static const enum ucpki_format f[] = {UCPKI_FMT_PEM, UCPKI_FMT_DER, UCPKI_FMT_PKCS12,
	                                      UCPKI_FMT_JKS, UCPKI_FMT_PKCS7};
	return f[c];
}

static int add_cert(struct ucpki_pack *p, X509 *x, const char *alias)
{
	X509_up_ref(x);
	if (ucpki_pack_add_cert(p, x, alias) != 0) {
		X509_free(x);
		return -1;
	}
	return 0;
}

/* The extra trust anchors of a trust file at item it (package.c). */
static int add_extras(struct ucpki_pack *p, const struct ucpki_profile_file *f,
                      const struct material *m, enum ucpki_item it)
{
	STACK_OF(X509) *extra = trust_extras(f, m, it);
	int rc = 0;

	for (int k = 0; k < sk_X509_num(extra) && rc == 0; k++)
		rc = add_cert(p, sk_X509_value(extra, k), NULL);
	sk_X509_free(extra);
	return rc;
}

/* A file's contents rebuilt from what it was made of, in its order: the
 * bundle is linted as it is built without decoding it again (decoding a key
 * costs more than making it). 'solution lint' reads the files back. */
static struct ucpki_pack *material_pack(const struct ucpki_profile_file *f,
                                        const struct material *m)
{
	struct ucpki_pack *p = ucpki_pack_new(format_of(f->container));
	int keystore = f->container == UCPKI_CONT_PKCS12 || f->container == UCPKI_CONT_JKS;

	if (p == NULL)
		return NULL;
	for (int i = 0; i < f->n_content; i++) {
		int rc = 0;
		switch (f->content[i]) {
		case UCPKI_ITEM_CERT:
			rc = add_cert(p, m->cert, keystore ? f->alias : NULL);
			break;
		case UCPKI_ITEM_KEY:
			EVP_PKEY_up_ref(m->key);
			rc = ucpki_pack_add_key(p, m->key, written_keyenc(f, m->key), f->alias);
			if (rc != 0)
				EVP_PKEY_free(m->key);
			break;
		case UCPKI_ITEM_CHAIN:
			for (int k = 0; m->chain && k < sk_X509_num(m->chain) && rc == 0; k++)
				rc = add_cert(p, sk_X509_value(m->chain, k), NULL);
			break;
		case UCPKI_ITEM_ROOT:
			rc = add_cert(p, m->root, NULL);
			break;
		}
		if (rc == 0)
			rc = add_extras(p, f, m, f->content[i]);
		if (rc != 0) {
			ucpki_pack_free(p);
			return NULL;
		}
	}
	return p;
}

static const char *expected_cn(const struct node_spec *s, const struct ucpki_profile *p)
{
	if (s->identity != UCPKI_IDENT_HOST || strcmp(p->cn, "name") == 0)
		return NULL;
	return s->cn;
}

static int lint_product(const struct node_spec *s, const struct ucpki_profile *p,
                        const struct material *m, const struct bundle *b, int from_disk,
                        const char *out_dir, ucpki_solution_finding_cb cb, void *arg,
                        struct lint_counts *c, struct ucpki_err *e)
{
	struct ucpki_lint_opts o = {0};
	struct ucpki_pack *owned[64];
	struct ucpki_lint *l;
	int n_owned = 0, rc = -1;

	o.profile = p;
	o.version = s->version;
	o.bundle_complete = 1;
	o.expect_cn = expected_cn(s, p);
	o.domain = s->n->domain ? s->n->domain
	           : s->n->n_fqdn ? s->n->fqdn[0] : NULL;
	o.hostname = s->n->hostname ? s->n->hostname : o.domain;
	if ((l = ucpki_lint_new(&o, e)) == NULL)
		return -1;
	for (int i = 0; i < b->n; i++) {
		const struct out_file *f = &b->f[i];
		const char *shown = strchr(f->path, '/') ? strchr(f->path, '/') + 1 : f->path;
		const char *pw = f->spec ? node_spec_password(s, f->product, f->spec->password) : NULL;
		struct ucpki_pack *pk;
		if (f->product != p || f->spec == NULL)
			continue;
		if (from_disk) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", out_dir, f->path);
			if (access(path, F_OK) != 0)
				continue; /* reported as file-missing */
			if (ucpki_lint_add_file(l, path, shown, f->spec->name, pw, e) != 0)
				goto out;
			continue;
		}
		if (n_owned == 64)
			break;
		if ((pk = material_pack(f->spec, m)) == NULL) {
			ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			goto out;
		}
		owned[n_owned++] = pk;
		if (ucpki_lint_add_pack(l, shown, f->spec->name, pk, f->data, f->len, e) != 0)
			goto out;
	}
	if (ucpki_lint_run(l, e) != 0)
		goto out;
	for (int i = 0; i < ucpki_lint_count(l); i++) {
		const struct ucpki_finding *f = ucpki_lint_at(l, i);
		if (f->severity == UCPKI_SEV_ERROR)
			c->errors++;
		else if (f->severity == UCPKI_SEV_WARNING)
			c->warnings++;
		else
			c->notices++;
		if (cb && cb(arg, s->n->name, f) != 0)
			break;
	}
	rc = 0;
out:
	ucpki_lint_free(l);
	for (int i = 0; i < n_owned; i++)
		ucpki_pack_free(owned[i]);
	return rc;
}

int lint_node_bundle(const struct node_spec *s, const struct material *m,
                     const struct bundle *b, int from_disk, const char *out_dir,
                     ucpki_solution_finding_cb cb, void *arg, struct lint_counts *c,
                     struct ucpki_err *e)
{
	for (int i = 0; i < s->n->n_products; i++)
		if (lint_product(s, s->n->products[i], m, b, from_disk, out_dir, cb, arg, c, e) != 0)
			return -1;
	return 0;
}
