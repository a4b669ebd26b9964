/*
 * A node's files, exactly as its products load them: each file of each
 * product's profile, its items in the declared order, each key in the
 * declared encoding. PEM bundles use LF line ends and no blank lines (R6).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solution/solution_internal.h"
#include "ucpki/file.h"

void bundle_clear(struct bundle *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->f[i].path);
		ucpki_secure_free(b->f[i].data, b->f[i].len);
	}
	free(b->f);
	memset(b, 0, sizeof(*b));
}

int bundle_add(struct bundle *b, const char *path, const struct ucpki_profile *product,
               const struct ucpki_profile_file *spec, const void *data, size_t len, mode_t mode,
               int secret, struct ucpki_err *e)
{
	struct out_file *f;

	if (b->n == b->cap) {
		int ncap = b->cap ? 2 * b->cap : 8;
		struct out_file *nf = realloc(b->f, (size_t)ncap * sizeof(*nf));
		if (nf == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		b->f = nf;
		b->cap = ncap;
	}
	f = &b->f[b->n];
	memset(f, 0, sizeof(*f));
	if ((f->path = strdup(path)) == NULL || (f->data = malloc(len ? len : 1)) == NULL) {
		free(f->path);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	memcpy(f->data, data, len);
	f->len = len;
	f->product = product;
	f->spec = spec;
	f->mode = mode;
	f->secret = secret;
	b->n++;
	return 0;
}

const char *product_dir(const struct node_spec *s, const struct ucpki_profile *p)
{
	return s->n->n_products > 1 ? p->id : "";
}

/* The product of the node a file spec belongs to. */
static const struct ucpki_profile *file_profile(const struct inv_node *n,
                                                const struct ucpki_profile_file *f)
{
	for (int i = 0; n && i < n->n_products; i++) {
		const struct ucpki_profile *p = n->products[i];
		if (f >= p->files && f < p->files + p->n_files)
			return p;
	}
	return NULL;
}

static int has_item(const struct ucpki_profile_file *f, enum ucpki_item it)
{
	for (int i = 0; i < f->n_content; i++)
		if (f->content[i] == it)
			return 1;
	return 0;
}

/* A trust file: the root, but neither the node's certificate nor its key. */
static int is_trust_file(const struct ucpki_profile_file *f)
{
	return has_item(f, UCPKI_ITEM_ROOT) && !has_item(f, UCPKI_ITEM_CERT) &&
	       !has_item(f, UCPKI_ITEM_KEY) && f->container != UCPKI_CONT_DER; /* DER: one cert */
}

/* Does the extra certificate x go at item at of f? */
static int extra_goes_at(const struct ucpki_profile_file *f, X509 *x, enum ucpki_item at)
{
	int root = X509_self_signed(x, 0) == 1;

	if (at == UCPKI_ITEM_ROOT)
		return root || !has_item(f, UCPKI_ITEM_CHAIN);
	return at == UCPKI_ITEM_CHAIN && !root;
}

static int push_new(STACK_OF(X509) *sk, const struct ucpki_profile_file *f, X509 *x,
                    enum ucpki_item at)
{
	if (!extra_goes_at(f, x, at))
		return 0;
	for (int i = 0; i < sk_X509_num(sk); i++)
		if (X509_cmp(sk_X509_value(sk, i), x) == 0)
			return 0;
	return sk_X509_push(sk, x) ? 0 : -1;
}

STACK_OF(X509) *trust_extras(const struct ucpki_profile_file *f, const struct material *m,
                             enum ucpki_item at)
{
	const struct ucpki_profile *p = file_profile(m->node, f);
	int ext = p && p->external_cas;
	STACK_OF(X509) *sk;
	int rc = 0;

	if (!is_trust_file(f) || (sk_X509_num(m->trust_extra) <= 0 &&
	                          (!ext || sk_X509_num(m->trust_ext) <= 0)))
		return NULL;
	if ((sk = sk_X509_new_null()) == NULL)
		return NULL;
	for (int i = 0; i < sk_X509_num(m->trust_extra) && rc == 0; i++)
		rc = push_new(sk, f, sk_X509_value(m->trust_extra, i), at);
	for (int i = 0; ext && i < sk_X509_num(m->trust_ext) && rc == 0; i++)
		rc = push_new(sk, f, sk_X509_value(m->trust_ext, i), at);
	if (rc != 0) {
		sk_X509_free(sk);
		return NULL;
	}
	return sk;
}

/* The encoding a key is written in for a PEM file. */
static enum ucpki_keyenc key_encoding(const struct ucpki_profile_file *f, EVP_PKEY *key)
{
	int type = EVP_PKEY_get_base_id(key);

	if (f->key_form == UCPKI_KEYFORM_PKCS1 && type == EVP_PKEY_RSA)
		return UCPKI_KEYENC_PKCS1;
	if (f->key_form == UCPKI_KEYFORM_PKCS1 && type == EVP_PKEY_EC)
		return UCPKI_KEYENC_SEC1;
	return UCPKI_KEYENC_PKCS8;
}

/* The extra trust anchors of a trust file at item it. */
static int write_extras(struct ucpki_buf *out, const struct ucpki_profile_file *f,
                        const struct material *m, enum ucpki_item it, int der,
                        struct ucpki_err *e)
{
	STACK_OF(X509) *extra = trust_extras(f, m, it);
	int rc = 0;

	for (int i = 0; rc == 0 && i < sk_X509_num(extra); i++)
		rc = ucpki_write_cert(out, sk_X509_value(extra, i), der, e);
	sk_X509_free(extra);
	return rc;
}

static int write_item(struct ucpki_buf *out, const struct node_spec *s,
                      const struct ucpki_profile_file *f, enum ucpki_item it,
                      const struct material *m, int der, struct ucpki_err *e)
{
	switch (it) {
	case UCPKI_ITEM_CERT:
		return ucpki_write_cert(out, m->cert, der, e);
	case UCPKI_ITEM_KEY: {
		const char *pw =
		    f->encrypted ? node_spec_password(s, node_file_product(s, f), f->password) : NULL;
		return ucpki_write_key(out, m->key, key_encoding(f, m->key), der, pw,
		                       pw ? "aes256" : NULL, e);
	}
	case UCPKI_ITEM_CHAIN:
		for (int i = 0; m->chain && i < sk_X509_num(m->chain); i++)
			if (ucpki_write_cert(out, sk_X509_value(m->chain, i), der, e) != 0)
				return -1;
		return write_extras(out, f, m, it, der, e);
	case UCPKI_ITEM_ROOT:
		if (ucpki_write_cert(out, m->root, der, e) != 0)
			return -1;
		return write_extras(out, f, m, it, der, e);
	}
	return 0;
}

/* Whether the items of a file can be made from the material. */
static int check_material(const struct node_spec *s, const struct ucpki_profile *p,
                          const struct ucpki_profile_file *f, const struct material *m,
                          struct ucpki_err *e)
{
	for (int i = 0; i < f->n_content; i++) {
		if (f->content[i] == UCPKI_ITEM_ROOT && m->root == NULL)
			return ucpki_err_set(e, UCPKI_E_POLICY,
			                     "node %s: %s's %s needs the root CA, but %s's chain in the "
			                     "state ends without one (import the CA with its chain)",
			                     s->n->name, p->id, f->name, s->ca_ref);
		if ((f->content[i] == UCPKI_ITEM_CERT || f->content[i] == UCPKI_ITEM_KEY) &&
		    (m->cert == NULL || m->key == NULL))
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "node %s: no certificate for %s",
			                     s->n->name, f->name);
	}
	return 0;
}

static int encode_pem(const struct node_spec *s, const struct ucpki_profile_file *f,
                      const struct material *m, struct ucpki_buf *out, struct ucpki_err *e)
{
	for (int i = 0; i < f->n_content; i++)
		if (write_item(out, s, f, f->content[i], m, 0, e) != 0)
			return -1;
	return 0;
}

static int encode_der(const struct node_spec *s, const struct ucpki_profile_file *f,
                      const struct material *m, struct ucpki_buf *out, struct ucpki_err *e)
{
	return write_item(out, s, f, f->content[0], m, 1, e);
}

/* Keystores and PKCS#7 come from the formats module's writers; see
 * package_store.c. */
int encode_store(const struct node_spec *s, const struct ucpki_profile_file *f,
                 const struct material *m, struct ucpki_buf *out, struct ucpki_err *e);

static int has_key(const struct ucpki_profile_file *f)
{
	for (int i = 0; i < f->n_content; i++)
		if (f->content[i] == UCPKI_ITEM_KEY)
			return 1;
	return 0;
}

static int option_on(const struct inv_node *n, const char *name)
{
	const char *v = node_option(n, name);

	return v && strcmp(v, "false") != 0 && strcmp(v, "no") != 0 && strcmp(v, "off") != 0 &&
	       strcmp(v, "0") != 0;
}

static int package_product(const struct node_spec *s, const struct ucpki_profile *p,
                           const struct material *m, struct bundle *b, struct ucpki_err *e)
{
	const char *dir = product_dir(s, p);
	int first = b->n;

	for (int i = 0; i < p->n_files; i++) {
		const struct ucpki_profile_file *f = &p->files[i];
		struct ucpki_buf out = {0};
		char path[512];
		int rc;

		if (f->when && !option_on(s->n, f->when))
			continue;
		snprintf(path, sizeof(path), "%s/%s%s%s", s->n->name, dir, dir[0] ? "/" : "", f->name);
		if (f->copy_of) {
			const struct out_file *src = NULL;
			for (int j = first; j < b->n; j++)
				if (b->f[j].spec && strcmp(b->f[j].spec->name, f->copy_of) == 0)
					src = &b->f[j];
			if (src == NULL)
				return ucpki_err_set(e, UCPKI_E_INTERNAL, "%s: %s copies a file not written",
				                     p->id, f->name);
			if (bundle_add(b, path, p, f, src->data, src->len, src->mode, src->secret, e) != 0)
				return -1;
			continue;
		}
		if (check_material(s, p, f, m, e) != 0)
			return -1;
		switch (f->container) {
		case UCPKI_CONT_PEM:
			rc = encode_pem(s, f, m, &out, e);
			break;
		case UCPKI_CONT_DER:
			rc = encode_der(s, f, m, &out, e);
			break;
		default:
			rc = encode_store(s, f, m, &out, e);
		}
		if (rc == 0)
			rc = bundle_add(b, path, p, f, out.data, out.len, has_key(f) ? 0600 : 0644,
			                has_key(f), e);
		ucpki_buf_free(&out);
		if (rc != 0) {
			ucpki_err_prefix(e, "node %s: %s: ", s->n->name, f->name);
			return -1;
		}
	}
	return 0;
}

int package_node(const struct node_spec *s, const struct material *m, struct bundle *b,
                 struct ucpki_err *e)
{
	for (int i = 0; i < s->n->n_products; i++)
		if (package_product(s, s->n->products[i], m, b, e) != 0)
			return -1;
	return 0;
}
