/*
 * Keystores (PKCS#12, JKS) and PKCS#7 bundles of a node, through the
 * formats module's writers. A key-carrying file is one key entry under the
 * profile's alias with the chain (and the root where the profile lists it);
 * a truststore is one trusted entry per CA.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "solution/solution_internal.h"
#include "ucpki/x509.h"

int encode_store(const struct node_spec *s, const struct ucpki_profile_file *f,
                 const struct material *m, struct ucpki_buf *out, struct ucpki_err *e);

/* PBKDF2 and MAC iterations: a generated password has ~143 bits of
 * entropy, so iterations add nothing there and ucpki uses OpenSSL's own
 * default (2048); a product default or a user's password gets the formats
 * module's stronger default. */
#define ITER_GENERATED 2048

static int has_item(const struct ucpki_profile_file *f, enum ucpki_item it)
{
	for (int i = 0; i < f->n_content; i++)
		if (f->content[i] == it)
			return 1;
	return 0;
}

static int push_cert(STACK_OF(X509) *sk, X509 *x)
{
	if (!sk_X509_push(sk, x))
		return -1;
	X509_up_ref(x);
	return 0;
}

/* The CA certificates a file lists, root first when it lists the root first. */
static STACK_OF(X509) *file_cas(const struct ucpki_profile_file *f, const struct material *m)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	for (int i = 0; sk && i < f->n_content; i++) {
		int rc = 0;
		if (f->content[i] == UCPKI_ITEM_CHAIN)
			for (int k = 0; m->chain && k < sk_X509_num(m->chain) && rc == 0; k++)
				rc = push_cert(sk, sk_X509_value(m->chain, k));
		else if (f->content[i] == UCPKI_ITEM_ROOT && m->root)
			rc = push_cert(sk, m->root);
		if (rc == 0) {
			/* the extra trust anchors of a trust file (package.c) */
			STACK_OF(X509) *extra = trust_extras(f, m, f->content[i]);
			for (int k = 0; k < sk_X509_num(extra) && rc == 0; k++)
				rc = push_cert(sk, sk_X509_value(extra, k));
			sk_X509_free(extra);
		}
		if (rc != 0) {
			sk_X509_pop_free(sk, X509_free);
			return NULL;
		}
	}
	return sk;
}

/* The key entry: the certificate, then the chain upwards, then the root. */
static int key_entry(const struct ucpki_profile_file *f, const struct material *m,
                     struct ucpki_ksentry *en, struct ucpki_err *e)
{
	memset(en, 0, sizeof(*en));
	en->type = UCPKI_KSE_KEY;
	if ((en->alias = strdup(f->alias ? f->alias : "1")) == NULL ||
	    (en->certs = sk_X509_new_null()) == NULL || push_cert(en->certs, m->cert) != 0)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (int k = 0; has_item(f, UCPKI_ITEM_CHAIN) && m->chain && k < sk_X509_num(m->chain); k++)
		if (push_cert(en->certs, sk_X509_value(m->chain, k)) != 0)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (has_item(f, UCPKI_ITEM_ROOT) && m->root && push_cert(en->certs, m->root) != 0)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	EVP_PKEY_up_ref(m->key);
	en->key = m->key;
	return 0;
}

/* "{cn}" -> the CA's common name, lower-cased as keytool stores JKS aliases;
 * a taken alias gets "-2", "-3", ... */
static char *ca_alias(const struct ucpki_profile_file *f, X509 *ca,
                      const struct ucpki_ksentry *v, int n)
{
	char *cn = ucpki_dn_cn(X509_get_subject_name(ca)), base[200], name[220];
	const char *t = f->ca_alias ? f->ca_alias : "{cn}";
	size_t j = 0;

	for (const char *q = t; *q && j < sizeof(base) - 1; q++) {
		if (strncmp(q, "{cn}", 4) == 0) {
			for (const char *c = cn ? cn : "ca"; *c && j < sizeof(base) - 1; c++)
				base[j++] = (char)tolower((unsigned char)*c);
			q += 3;
		} else {
			base[j++] = (char)tolower((unsigned char)*q);
		}
	}
	base[j] = '\0';
	free(cn);
	snprintf(name, sizeof(name), "%s", base);
	for (int k = 2;; k++) {
		int taken = 0;
		for (int i = 0; i < n; i++)
			if (v[i].alias && strcmp(v[i].alias, name) == 0)
				taken = 1;
		if (!taken)
			break;
		snprintf(name, sizeof(name), "%s-%d", base, k);
	}
	return strdup(name);
}

static int trusted_entries(const struct ucpki_profile_file *f, const struct material *m,
                           struct ucpki_ksentry *v, int *n, int max, struct ucpki_err *e)
{
	STACK_OF(X509) *cas = file_cas(f, m);

	if (cas == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < sk_X509_num(cas) && *n < max; i++) {
		struct ucpki_ksentry *en = &v[*n];
		memset(en, 0, sizeof(*en));
		en->type = UCPKI_KSE_TRUSTED;
		en->alias = ca_alias(f, sk_X509_value(cas, i), v, *n);
		en->certs = sk_X509_new_null();
		(*n)++;
		if (en->alias == NULL || en->certs == NULL || push_cert(en->certs, sk_X509_value(cas, i)) != 0) {
			sk_X509_pop_free(cas, X509_free);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	sk_X509_pop_free(cas, X509_free);
	return 0;
}

static int encode_keystore(const struct node_spec *s, const struct ucpki_profile_file *f,
                           const struct material *m, struct ucpki_buf *out, struct ucpki_err *e)
{
	const struct node_pw *pw = node_spec_pw(s, node_file_product(s, f), f->password);
	struct ucpki_ksentry *v = calloc(16, sizeof(*v));
	struct ucpki_p12_opts po = {0};
	int n = 0, rc = -1;

	if (v == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (pw == NULL || pw->value == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "no password '%s'", f->password ? f->password : "");
		goto out;
	}
	if (has_item(f, UCPKI_ITEM_KEY)) {
		if (key_entry(f, m, &v[n++], e) != 0)
			goto out;
	} else if (trusted_entries(f, m, v, &n, 16, e) != 0) {
		goto out;
	}
	if (f->container == UCPKI_CONT_JKS) {
		rc = ucpki_jks_encode(out, v, n, pw->value, NULL, e);
	} else {
		const struct ucpki_profile *p = node_file_product(s, f);
		po.legacy = f->legacy;
		po.triple_des = !f->legacy && p && node_pkcs12_legacy(s->n, p);
		po.iter = pw->generated ? ITER_GENERATED : 0;
		rc = ucpki_p12_encode(out, v, n, pw->value, &po, e);
	}
out:
	ucpki_ksentries_free(v, n);
	return rc;
}

static int encode_p7b(const struct ucpki_profile_file *f, const struct material *m,
                      struct ucpki_buf *out, struct ucpki_err *e)
{
	STACK_OF(X509) *certs = file_cas(f, m);
	int rc;

	if (certs == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (has_item(f, UCPKI_ITEM_CERT) && m->cert && (!sk_X509_insert(certs, m->cert, 0) ||
	                                                !X509_up_ref(m->cert))) {
		sk_X509_pop_free(certs, X509_free);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	rc = ucpki_write_p7b(out, certs, 1, e); /* DER: what Windows imports as .p7b */
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

int encode_store(const struct node_spec *s, const struct ucpki_profile_file *f,
                 const struct material *m, struct ucpki_buf *out, struct ucpki_err *e)
{
	if (f->container == UCPKI_CONT_P7B)
		return encode_p7b(f, m, out, e);
	return encode_keystore(s, f, m, out, e);
}
