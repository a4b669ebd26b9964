/* Keystore entries shared by the JKS and PKCS#12 codecs. */
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "formats/formats_internal.h"

void ucpki_ksentry_clear(struct ucpki_ksentry *en)
{
	if (en == NULL)
		return;
	free(en->alias);
	EVP_PKEY_free(en->key);
	if (en->sealed) {
		OPENSSL_cleanse(en->sealed, en->sealed_len);
		free(en->sealed);
	}
	sk_X509_pop_free(en->certs, X509_free);
	if (en->raw) {
		OPENSSL_cleanse(en->raw, en->raw_len);
		free(en->raw);
	}
	en->raw = NULL;
	en->raw_len = 0;
	en->alias = NULL;
	en->key = NULL;
	en->sealed = NULL;
	en->sealed_len = 0;
	en->certs = NULL;
}

void ucpki_ksentries_free(struct ucpki_ksentry *v, int n)
{
	if (v == NULL)
		return;
	for (int i = 0; i < n; i++)
		ucpki_ksentry_clear(&v[i]);
	free(v);
}

int ksentry_push(struct ucpki_ksentry **v, int *n, int *cap, struct ucpki_ksentry *en)
{
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 16;
		struct ucpki_ksentry *nv = realloc(*v, (size_t)ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = *en;
	return 0;
}
