/*
 * Bundles (certificate, key, intermediates and root concatenated in the
 * order a product wants, guide 5.1) and P7B "certs only" files.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "formats/formats_internal.h"
#include "ucpki/x509.h"

static const struct {
	const char *name;
	enum ucpki_part part;
} part_names[] = {
	{"cert", UCPKI_PART_CERT},   {"key", UCPKI_PART_KEY},     {"chain", UCPKI_PART_CHAIN},
	{"root", UCPKI_PART_ROOT},   {"certificate", UCPKI_PART_CERT},
	{"intermediates", UCPKI_PART_CHAIN},
};

static int add_part(enum ucpki_part *parts, int *n, enum ucpki_part p, const char *word,
                    struct ucpki_err *e)
{
	for (int i = 0; i < *n; i++)
		if (parts[i] == p)
			return ucpki_err_set(e, UCPKI_E_INPUT, "order: '%s' is named twice", word);
	parts[(*n)++] = p;
	return 0;
}

int ucpki_parts_parse(const char *list, enum ucpki_part parts[UCPKI_PARTS_MAX],
                      struct ucpki_err *e)
{
	const char *s = list;
	int n = 0;

	if (list == NULL || *list == '\0')
		return ucpki_err_set(e, UCPKI_E_INPUT, "order: empty list (use e.g. cert,key,chain,root)");
	while (*s) {
		size_t len = strcspn(s, ",");
		char word[32];
		int found = 0;

		if (len == 0 || len >= sizeof(word))
			return ucpki_err_set(e, UCPKI_E_INPUT, "order: bad list '%s'", list);
		memcpy(word, s, len);
		word[len] = '\0';
		if (strcmp(word, "ca") == 0) {
			if (add_part(parts, &n, UCPKI_PART_CHAIN, word, e) != 0 ||
			    add_part(parts, &n, UCPKI_PART_ROOT, word, e) != 0)
				return -1;
			found = 1;
		}
		for (size_t i = 0; !found && i < sizeof(part_names) / sizeof(part_names[0]); i++)
			if (strcmp(word, part_names[i].name) == 0) {
				if (add_part(parts, &n, part_names[i].part, word, e) != 0)
					return -1;
				found = 1;
			}
		if (!found)
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "order: unknown part '%s' (use cert, key, chain, root, ca)",
			                     word);
		s += len;
		if (*s == ',')
			s++;
	}
	return n;
}

static int self_signed(X509 *x)
{
	int ok = X509_check_issued(x, x) == X509_V_OK;

	ERR_clear_error();
	return ok;
}

static int is_ca(X509 *x)
{
	return X509_check_ca(x) > 0;
}

static int in_stack(STACK_OF(X509) *sk, X509 *x)
{
	for (int i = 0; i < sk_X509_num(sk); i++)
		if (X509_cmp(sk_X509_value(sk, i), x) == 0)
			return 1;
	return 0;
}

void ucpki_bundle_clear(struct ucpki_bundle *b)
{
	sk_X509_free(b->chain);
	sk_X509_free(b->roots);
	memset(b, 0, sizeof(*b));
}

int ucpki_bundle_sort(struct ucpki_bundle *b, STACK_OF(X509) *certs, EVP_PKEY *key,
                      struct ucpki_err *e)
{
	int n = sk_X509_num(certs);

	memset(b, 0, sizeof(*b));
	b->key = key;
	if ((b->chain = sk_X509_new_null()) == NULL || (b->roots = sk_X509_new_null()) == NULL) {
		ucpki_bundle_clear(b);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	for (int i = 0; key && i < n && !b->cert; i++)
		if (ucpki_key_matches_cert(sk_X509_value(certs, i), key))
			b->cert = sk_X509_value(certs, i);
	if (key && n > 0 && b->cert == NULL) {
		ucpki_bundle_clear(b);
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "the private key does not match the certificate");
	}
	for (int i = 0; !key && i < n && !b->cert; i++)
		if (!is_ca(sk_X509_value(certs, i)))
			b->cert = sk_X509_value(certs, i);
	if (!b->cert && n > 0 && !key)
		b->cert = sk_X509_value(certs, 0);
	/* Intermediates from the leaf's issuer upwards, then the rest. */
	for (X509 *cur = b->cert; cur && !self_signed(cur);) {
		X509 *next = NULL;
		for (int i = 0; i < n && !next; i++) {
			X509 *c = sk_X509_value(certs, i);
			if (c != cur && !self_signed(c) && !in_stack(b->chain, c) && c != b->cert &&
			    X509_check_issued(c, cur) == X509_V_OK)
				next = c;
		}
		if (next && !sk_X509_push(b->chain, next))
			goto oom;
		cur = next;
	}
	for (int i = 0; i < n; i++) {
		X509 *c = sk_X509_value(certs, i);
		if (c == b->cert || in_stack(b->chain, c) || in_stack(b->roots, c))
			continue;
		if (!sk_X509_push(self_signed(c) ? b->roots : b->chain, c))
			goto oom;
	}
	ERR_clear_error();
	return 0;
oom:
	ucpki_bundle_clear(b);
	return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
}

static int write_certs(struct ucpki_buf *out, STACK_OF(X509) *sk, struct ucpki_err *e)
{
	for (int i = 0; i < sk_X509_num(sk); i++)
		if (ucpki_write_cert(out, sk_X509_value(sk, i), 0, e) != 0)
			return -1;
	return 0;
}

int ucpki_write_bundle(struct ucpki_buf *out, const struct ucpki_bundle *b,
                       const enum ucpki_part *parts, int nparts, enum ucpki_keyenc keyenc,
                       const char *password, const char *cipher, struct ucpki_err *e)
{
	for (int i = 0; i < nparts; i++) {
		int rc = 0;
		switch (parts[i]) {
		case UCPKI_PART_CERT:
			if (b->cert == NULL)
				return ucpki_err_set(e, UCPKI_E_INPUT, "the bundle needs a certificate");
			rc = ucpki_write_cert(out, b->cert, 0, e);
			break;
		case UCPKI_PART_KEY:
			if (b->key == NULL)
				return ucpki_err_set(e, UCPKI_E_INPUT,
				                     "the bundle needs a private key, and none was given "
				                     "with the certificate");
			rc = ucpki_write_key(out, b->key, keyenc, 0, password, cipher, e);
			break;
		case UCPKI_PART_CHAIN:
			rc = write_certs(out, b->chain, e);
			break;
		case UCPKI_PART_ROOT:
			if (sk_X509_num(b->roots) == 0)
				return ucpki_err_set(e, UCPKI_E_INPUT,
				                     "the bundle needs the root CA certificate, and none of "
				                     "the certificates given is self-signed");
			rc = write_certs(out, b->roots, e);
			break;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

int ucpki_write_p7b(struct ucpki_buf *b, STACK_OF(X509) *certs, int der, struct ucpki_err *e)
{
	PKCS7 *p7 = PKCS7_new();
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long len;
	int rc = -1;

	if (sk_X509_num(certs) == 0) {
		rc = ucpki_err_set(e, UCPKI_E_INPUT, "a P7B file needs at least one certificate");
		goto out;
	}
	if (p7 == NULL || bio == NULL || !PKCS7_set_type(p7, NID_pkcs7_signed) ||
	    !PKCS7_content_new(p7, NID_pkcs7_data))
		goto ssl;
	for (int i = 0; i < sk_X509_num(certs); i++)
		if (!PKCS7_add_certificate(p7, sk_X509_value(certs, i)))
			goto ssl;
	if (!(der ? i2d_PKCS7_bio(bio, p7) : PEM_write_bio_PKCS7(bio, p7)))
		goto ssl;
	len = BIO_get_mem_data(bio, &data);
	rc = ucpki_buf_append(b, data, (size_t)len, e);
	goto out;
ssl:
	rc = ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot build the P7B file");
out:
	BIO_free(bio);
	PKCS7_free(p7);
	return rc;
}
