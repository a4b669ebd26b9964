/*
 * Reading PKCS#12 bag by bag, so that friendly names (aliases) and every
 * certificate survive, for both the modern (AES/PBKDF2) and the legacy
 * (RC2-40/3DES, SHA-1 MAC) profiles. OpenSSL's legacy provider is loaded only
 * when a file needs it.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pkcs12.h>

#include "formats/formats_internal.h"
#include "ucpki/crypto.h"

struct p12_read {
	struct ucpki_pack *p;
	const char *pass;
	const char *label;
	int unsupported; /* an algorithm was missing: retry with legacy */
};

static int note_failure(struct p12_read *r)
{
	unsigned long err;

	while ((err = ERR_get_error()) != 0) {
		int reason = ERR_GET_REASON(err);
		if (reason == ERR_R_UNSUPPORTED || reason == EVP_R_UNSUPPORTED_ALGORITHM ||
		    reason == ERR_R_FETCH_FAILED || reason == EVP_R_UNSUPPORTED_CIPHER ||
		    reason == EVP_R_UNSUPPORTED_KEY_DERIVATION_FUNCTION)
			r->unsupported = 1;
	}
	return -1;
}

static int add_key(struct p12_read *r, PKCS8_PRIV_KEY_INFO *p8, enum ucpki_keyenc enc,
                   const char *alias, struct ucpki_err *e)
{
	EVP_PKEY *k = EVP_PKCS82PKEY(p8);

	if (k == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: a private key in the file is corrupted",
		                     r->label);
	if (pack_add(r->p, UCPKI_OBJ_KEY, k, enc, alias) != 0) {
		EVP_PKEY_free(k);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

static int read_bags(struct p12_read *r, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth,
                     struct ucpki_err *e);

/* Keep localKeyId and Java's trusted mark with the object just added. */
static int keep_attrs(struct p12_read *r, const PKCS12_SAFEBAG *bag, struct ucpki_err *e)
{
	const ASN1_TYPE *id = PKCS12_SAFEBAG_get0_attr(bag, NID_localKeyID);
	const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);
	ASN1_OBJECT *trust = OBJ_txt2obj(ORACLE_TRUSTED_KEY_USAGE, 1);
	const unsigned char *idp = NULL;
	size_t idlen = 0;
	int trusted = 0, rc;

	if (id && id->type == V_ASN1_OCTET_STRING) {
		idp = ASN1_STRING_get0_data(id->value.octet_string);
		idlen = (size_t)ASN1_STRING_length(id->value.octet_string);
	}
	if (trust && attrs && X509at_get_attr_by_OBJ(attrs, trust, -1) >= 0)
		trusted = 1;
	ASN1_OBJECT_free(trust);
	rc = pack_set_last_attrs(r->p, idp, idlen, trusted);
	return rc == 0 ? 0 : ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
}

static int bag_der(const PKCS12_SAFEBAG *bag, unsigned char **der, struct p12_read *r,
                   struct ucpki_err *e)
{
	int len = i2d_PKCS12_SAFEBAG((PKCS12_SAFEBAG *)bag, der);

	if (len <= 0)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: a bag of the file cannot be encoded",
		                     r->label);
	return len;
}

static int add_key_bag(struct p12_read *r, const PKCS12_SAFEBAG *bag, PKCS8_PRIV_KEY_INFO *p8,
                       enum ucpki_keyenc enc, const char *alias, struct ucpki_err *e)
{
	unsigned char *der = NULL;
	int len, rc;

	if (add_key(r, p8, enc, alias, e) != 0 || keep_attrs(r, bag, e) != 0)
		return -1;
	if ((len = bag_der(bag, &der, r, e)) < 0)
		return -1;
	rc = pack_set_last_bag(r->p, der, (size_t)len);
	OPENSSL_clear_free(der, (size_t)len);
	return rc == 0 ? 0 : ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
}

/* Bags that make no key or certificate, kept as they are so that a
 * rewrite never drops them. */
static const struct {
	int nid;
	const char *kind, *java_type;
} raw_bags[] = {
	{NID_secretBag, "a secret key", "SecretKeyEntry"},
	{NID_crlBag, "a CRL", "CRL bag"},
	{NID_certBag, "a certificate that is not X.509", "certificate bag"},
	{NID_undef, "a bag of an unknown type", "unknown bag"},
};

static int keep_raw(struct p12_read *r, const PKCS12_SAFEBAG *bag, const char *alias,
                    struct ucpki_err *e)
{
	int nid = PKCS12_SAFEBAG_get_nid(bag);
	size_t i = 0;
	unsigned char *der = NULL;
	int len, rc;

	while (raw_bags[i].nid != NID_undef && raw_bags[i].nid != nid)
		i++;
	if ((len = bag_der(bag, &der, r, e)) < 0)
		return -1;
	rc = pack_add_raw(r->p, der, (size_t)len, alias, raw_bags[i].kind, raw_bags[i].java_type);
	OPENSSL_clear_free(der, (size_t)len);
	return rc == 0 ? 0 : ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
}

static int read_bag(struct p12_read *r, const PKCS12_SAFEBAG *bag, int depth,
                    struct ucpki_err *e)
{
	char *alias = PKCS12_get_friendlyname((PKCS12_SAFEBAG *)bag);
	PKCS8_PRIV_KEY_INFO *p8;
	X509 *x;
	int rc = 0;

	switch (PKCS12_SAFEBAG_get_nid(bag)) {
	case NID_keyBag:
		rc = add_key_bag(r, bag, (PKCS8_PRIV_KEY_INFO *)PKCS12_SAFEBAG_get0_p8inf(bag),
		                 UCPKI_KEYENC_PKCS8, alias, e);
		break;
	case NID_pkcs8ShroudedKeyBag:
		if ((p8 = PKCS12_decrypt_skey(bag, r->pass, -1)) == NULL) {
			rc = note_failure(r);
			ucpki_err_set(e, UCPKI_E_PASSWORD,
			              "%s: cannot decrypt the private key (wrong key password?)", r->label);
			break;
		}
		rc = add_key_bag(r, bag, p8, UCPKI_KEYENC_PKCS8_ENCRYPTED, alias, e);
		PKCS8_PRIV_KEY_INFO_free(p8);
		break;
	case NID_certBag:
		if (PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate) {
			rc = keep_raw(r, bag, alias, e); /* SDSI certificates */
			break;
		}
		if ((x = PKCS12_SAFEBAG_get1_cert(bag)) == NULL) {
			rc = ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: a certificate in the file is corrupted",
			                   r->label);
			break;
		}
		if (pack_add(r->p, UCPKI_OBJ_CERT, x, UCPKI_KEYENC_NONE, alias) != 0) {
			X509_free(x);
			rc = ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			break;
		}
		rc = keep_attrs(r, bag, e);
		break;
	case NID_safeContentsBag:
		if (depth > 4)
			rc = ucpki_err_set(e, UCPKI_E_INPUT, "%s: safe contents nested too deep",
			                   r->label);
		else
			rc = read_bags(r, PKCS12_SAFEBAG_get0_safes(bag), depth + 1, e);
		break;
	default:
		rc = keep_raw(r, bag, alias, e); /* secret keys, CRLs */
		break;
	}
	OPENSSL_free(alias);
	return rc;
}

static int read_bags(struct p12_read *r, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth,
                     struct ucpki_err *e)
{
	for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++)
		if (read_bag(r, sk_PKCS12_SAFEBAG_value(bags, i), depth, e) != 0)
			return -1;
	return 0;
}

static int read_once(struct p12_read *r, PKCS12 *p12, struct ucpki_err *e)
{
	STACK_OF(PKCS7) *safes;
	int rc = 0;

	if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, r->pass, -1)) {
		note_failure(r);
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "%s: wrong password or corrupted PKCS#12 file", r->label);
	}
	if ((safes = PKCS12_unpack_authsafes(p12)) == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: damaged PKCS#12 contents", r->label);
	for (int i = 0; rc == 0 && i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags = NULL;

		switch (OBJ_obj2nid(p7->type)) {
		case NID_pkcs7_data:
			bags = PKCS12_unpack_p7data(p7);
			break;
		case NID_pkcs7_encrypted:
			bags = PKCS12_unpack_p7encdata(p7, r->pass, -1);
			break;
		default:
			continue; /* public-key enveloped data: not used by any product */
		}
		if (bags == NULL) {
			note_failure(r);
			rc = ucpki_err_set(e, UCPKI_E_PASSWORD,
			                   "%s: cannot decrypt the certificates (wrong password?)", r->label);
			break;
		}
		rc = read_bags(r, bags, 0, e);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return rc;
}

int read_pkcs12(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
                const char *password, struct ucpki_err *e)
{
	const unsigned char *q = data;
	PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)len);
	struct p12_read r = {p, password ? password : "", label, 0};
	int start = p->n, start_raw = p->nraw, rc;

	if (p12 == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: damaged PKCS#12 file", label);
	rc = read_once(&r, p12, e);
	if (rc != 0 && r.unsupported) {
		pack_truncate(p, start);
		pack_truncate_raw(p, start_raw);
		if (ucpki_legacy_provider(e) != 0) {
			ucpki_err_prefix(e, "%s: ", label);
		} else {
			r.unsupported = 0;
			rc = read_once(&r, p12, e);
		}
	}
	if (rc != 0) {
		pack_truncate(p, start);
		pack_truncate_raw(p, start_raw);
	}
	ERR_clear_error();
	PKCS12_free(p12);
	return rc;
}
