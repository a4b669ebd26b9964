/*
 * PKCS#12 seen as a keystore: bags grouped into entries the way Java's
 * PKCS12 keystore does (key + certificate sharing a localKeyId, chain by
 * issuer, certificates with the trusted mark as trusted entries), plus the
 * certificates openssl writes without any mark, which keytool would hide.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "formats/formats_internal.h"
#include "ucpki/x509.h"

static int same_keyid(const struct ucpki_pack *p, int a, int b)
{
	size_t la, lb;
	const unsigned char *ia = ucpki_pack_keyid_at(p, a, &la), *ib = ucpki_pack_keyid_at(p, b, &lb);

	return ia && ib && la == lb && memcmp(ia, ib, la) == 0;
}

/* The certificate of key object k: same localKeyId, else same public key. */
static int leaf_of(const struct ucpki_pack *p, int k)
{
	EVP_PKEY *key = ucpki_pack_key_at(p, k);

	for (int i = 0; i < ucpki_pack_count(p); i++)
		if (ucpki_pack_type(p, i) == UCPKI_OBJ_CERT && same_keyid(p, i, k))
			return i;
	for (int i = 0; i < ucpki_pack_count(p); i++)
		if (ucpki_pack_type(p, i) == UCPKI_OBJ_CERT &&
		    ucpki_key_matches_cert(ucpki_pack_cert_at(p, i), key))
			return i;
	return -1;
}

static int is_self_signed(X509 *x)
{
	return X509_check_issued(x, x) == X509_V_OK;
}

/* The issuer of x among the pack's certificates, or -1. */
static int issuer_of(const struct ucpki_pack *p, X509 *x)
{
	if (is_self_signed(x))
		return -1;
	for (int i = 0; i < ucpki_pack_count(p); i++) {
		X509 *c = ucpki_pack_cert_at(p, i);
		if (c && c != x && X509_check_issued(c, x) == X509_V_OK)
			return i;
	}
	return -1;
}

static int push_cert(STACK_OF(X509) *sk, X509 *x)
{
	if (!X509_up_ref(x))
		return -1;
	if (!sk_X509_push(sk, x)) {
		X509_free(x);
		return -1;
	}
	return 0;
}

static char *entry_alias(const char *name, int number)
{
	char buf[16];

	if (name)
		return strdup(name);
	snprintf(buf, sizeof(buf), "%d", number);
	return strdup(buf);
}

static int key_entry(const struct ucpki_pack *p, int k, char *used, struct ucpki_ksentry *en,
                     int number)
{
	int leaf = leaf_of(p, k);
	const char *name = ucpki_pack_alias_at(p, k);

	en->type = UCPKI_KSE_KEY;
	if (leaf < 0)
		return 1; /* a key without a certificate is no keystore entry */
	if (name == NULL)
		name = ucpki_pack_alias_at(p, leaf);
	if ((en->alias = entry_alias(name, number)) == NULL || (en->certs = sk_X509_new_null()) == NULL)
		return -1;
	if (!EVP_PKEY_up_ref(ucpki_pack_key_at(p, k)))
		return -1;
	en->key = ucpki_pack_key_at(p, k);
	for (int i = leaf, depth = 0; i >= 0 && depth < 16; depth++) {
		X509 *x = ucpki_pack_cert_at(p, i);
		if (push_cert(en->certs, x) != 0)
			return -1;
		used[i] = 1;
		i = issuer_of(p, x);
		for (int j = 0; i >= 0 && j < sk_X509_num(en->certs); j++)
			if (sk_X509_value(en->certs, j) == ucpki_pack_cert_at(p, i))
				i = -1; /* a loop */
	}
	return 0;
}

static int trusted_entry(const struct ucpki_pack *p, int c, struct ucpki_ksentry *en, int number)
{
	en->type = UCPKI_KSE_TRUSTED;
	if ((en->alias = entry_alias(ucpki_pack_alias_at(p, c), number)) == NULL ||
	    (en->certs = sk_X509_new_null()) == NULL)
		return -1;
	return push_cert(en->certs, ucpki_pack_cert_at(p, c));
}

static int opaque_entry(struct ucpki_ksentry *en, const unsigned char *der, size_t len,
                        const char *alias, int number, const char *kind, const char *java_type)
{
	en->type = UCPKI_KSE_OPAQUE;
	en->raw_fmt = UCPKI_FMT_PKCS12;
	en->kind = kind;
	en->java_type = java_type;
	if ((en->alias = entry_alias(alias, number)) == NULL || (en->raw = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(en->raw, der, len);
	en->raw_len = len;
	return 0;
}

/* A key no certificate belongs to: keytool would not list it, but a
 * rewrite must keep it. */
static int lone_key_entry(const struct ucpki_pack *p, int k, struct ucpki_ksentry *en, int number)
{
	const struct pack_obj *o = &p->v[k];

	if (o->bag == NULL)
		return 1;
	return opaque_entry(en, o->bag, o->bag_len, o->alias, number,
	                    "a private key without a certificate", "PrivateKey (no certificate)");
}

int ucpki_p12_decode(const unsigned char *data, size_t len, const char *label,
                     const char *password, struct ucpki_ksentry **out, int *n,
                     struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_new(UCPKI_FMT_PKCS12);
	struct ucpki_ksentry *v = NULL;
	char *used = NULL;
	int nv = 0, cap = 0, count;

	*out = NULL;
	*n = 0;
	if (p == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (read_pkcs12(p, data, len, label, password, e) != 0) {
		ucpki_pack_free(p);
		return -1;
	}
	count = ucpki_pack_count(p);
	if ((used = calloc((size_t)count + 1, 1)) == NULL)
		goto oom;
	for (int pass = 0; pass < 2; pass++) {
		/* Keys first, so that their chains are claimed before the
		 * remaining certificates become trusted entries. */
		for (int i = 0; i < count; i++) {
			struct ucpki_ksentry en = {0};
			enum ucpki_obj t = ucpki_pack_type(p, i);
			int rc = 1;

			if (pass == 0 && t == UCPKI_OBJ_KEY) {
				rc = key_entry(p, i, used, &en, nv + 1);
				if (rc == 1) {
					ucpki_ksentry_clear(&en);
					en = (struct ucpki_ksentry){0};
					rc = lone_key_entry(p, i, &en, nv + 1);
				}
			} else if (pass == 1 && t == UCPKI_OBJ_CERT &&
			         (!used[i] || ucpki_pack_trusted_at(p, i)))
				rc = trusted_entry(p, i, &en, nv + 1);
			if (rc == 1) {
				ucpki_ksentry_clear(&en);
				continue;
			}
			if (rc != 0 || ksentry_push(&v, &nv, &cap, &en) != 0) {
				ucpki_ksentry_clear(&en);
				goto oom;
			}
		}
	}
	for (int i = 0; i < p->nraw; i++) {
		struct ucpki_ksentry en = {0};
		const struct pack_raw *r = &p->raw[i];

		if (opaque_entry(&en, r->der, r->len, r->alias, nv + 1, r->kind, r->java_type) != 0 ||
		    ksentry_push(&v, &nv, &cap, &en) != 0) {
			ucpki_ksentry_clear(&en);
			goto oom;
		}
	}
	free(used);
	ucpki_pack_free(p);
	*out = v;
	*n = nv;
	return 0;
oom:
	free(used);
	ucpki_pack_free(p);
	ucpki_ksentries_free(v, nv);
	return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
}
