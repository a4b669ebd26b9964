/*
 * Writing PKCS#12 from keystore entries, in the modern profile (PBES2
 * AES-256-CBC with PBKDF2-HMAC-SHA256 for keys and certificates, SHA-256
 * MAC) or the legacy one old Java and IBM Java need (PBE-SHA1-3DES keys,
 * PBE-SHA1-RC2-40 certificates, SHA-1 MAC).
 *
 * Built bag by bag rather than with PKCS12_create() so that a file can hold
 * several key entries and Java-style trusted certificate entries.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "formats/formats_internal.h"
#include "ucpki/crypto.h"
#include "ucpki/x509.h"

#define P12_ITER_MODERN 10000
#define P12_ITER_LEGACY 2048

struct p12_profile {
	int key_nid, cert_nid;
	const EVP_MD *(*mac_md)(void);
	int iter;
};

static int set_name(PKCS12_SAFEBAG *bag, const char *name)
{
	return name == NULL || name[0] == '\0' || PKCS12_add_friendlyname_utf8(bag, name, -1);
}

/* localKeyId = SHA-1 of the leaf certificate, as openssl does. */
static int set_keyid(PKCS12_SAFEBAG *bag, X509 *leaf)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	return X509_digest(leaf, EVP_sha1(), md, &len) &&
	       PKCS12_add_localkeyid(bag, md, (int)len);
}

/* Java's mark for a trusted certificate entry: the attribute's value is the
 * set of extended key usages the certificate is trusted for (any). */
static int set_trusted(PKCS12_SAFEBAG *bag)
{
	ASN1_OBJECT *any = OBJ_nid2obj(NID_anyExtendedKeyUsage);

	return PKCS12_add1_attr_by_txt(bag, ORACLE_TRUSTED_KEY_USAGE, V_ASN1_OBJECT,
	                               (const unsigned char *)any, -1);
}

/* The n-th name of a comma-separated list (into buf), or NULL. */
static const char *nth_name(const char *list, int n, char *buf, size_t len)
{
	const char *s = list;

	for (int i = 0; s && i < n; i++) {
		s = strchr(s, ',');
		if (s)
			s++;
	}
	if (s == NULL || *s == '\0' || *s == ',')
		return NULL;
	{
		size_t k = strcspn(s, ",");
		if (k >= len)
			k = len - 1;
		memcpy(buf, s, k);
		buf[k] = '\0';
	}
	return buf;
}

static char *ca_default_name(X509 *x)
{
	return ucpki_dn_cn(X509_get_subject_name(x));
}

static int add_key_entry(STACK_OF(PKCS12_SAFEBAG) **keys, STACK_OF(PKCS12_SAFEBAG) **certs,
                         const struct ucpki_ksentry *en, const char *pass,
                         const struct p12_profile *pr, const struct ucpki_p12_opts *o,
                         int *ca_index, struct ucpki_err *e)
{
	X509 *leaf = sk_X509_value(en->certs, 0);
	PKCS12_SAFEBAG *bag;

	if (en->key == NULL)
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "entry '%s': the private key is still sealed (give its key password)",
		                     en->alias);
	if (leaf == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "entry '%s' has no certificate", en->alias);
	if (!ucpki_key_matches_cert(leaf, en->key))
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "entry '%s': the private key does not match the certificate",
		                     en->alias);
	bag = PKCS12_add_key(keys, en->key, 0, pr->iter, pr->key_nid, pass);
	if (bag == NULL || !set_name(bag, en->alias) || !set_keyid(bag, leaf))
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "entry '%s': cannot add the key", en->alias);
	bag = PKCS12_add_cert(certs, leaf);
	if (bag == NULL || !set_name(bag, en->alias) || !set_keyid(bag, leaf))
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "entry '%s': cannot add the certificate",
		                     en->alias);
	for (int i = 1; i < sk_X509_num(en->certs); i++) {
		X509 *ca = sk_X509_value(en->certs, i);
		char buf[256], *cn = NULL;
		const char *name = o ? nth_name(o->ca_names, (*ca_index)++, buf, sizeof(buf)) : NULL;
		int ok;

		if (name == NULL)
			name = cn = ca_default_name(ca);
		bag = PKCS12_add_cert(certs, ca);
		ok = bag != NULL && set_name(bag, name);
		free(cn);
		if (!ok)
			return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "entry '%s': cannot add a chain certificate",
			                     en->alias);
	}
	return 0;
}

static int add_trusted_entry(STACK_OF(PKCS12_SAFEBAG) **certs, const struct ucpki_ksentry *en,
                             struct ucpki_err *e)
{
	PKCS12_SAFEBAG *bag = PKCS12_add_cert(certs, sk_X509_value(en->certs, 0));

	if (bag == NULL || !set_name(bag, en->alias) || !set_trusted(bag))
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "entry '%s': cannot add the certificate",
		                     en->alias);
	return 0;
}

/* An opaque entry goes back as the SafeBag it was read as. */
static int add_opaque_entry(STACK_OF(PKCS12_SAFEBAG) **keys, const struct ucpki_ksentry *en,
                            struct ucpki_err *e)
{
	const unsigned char *q = en->raw;
	PKCS12_SAFEBAG *bag;

	if (en->raw_fmt != UCPKI_FMT_PKCS12 || en->raw == NULL)
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "entry '%s' is %s, which ucpki cannot write into a PKCS#12 file",
		                     en->alias, en->kind ? en->kind : "of a kind ucpki does not know");
	bag = d2i_PKCS12_SAFEBAG(NULL, &q, (long)en->raw_len);
	if (bag == NULL || q != en->raw + en->raw_len) {
		PKCS12_SAFEBAG_free(bag);
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "entry '%s': its stored bag is corrupted",
		                     en->alias);
	}
	if ((*keys == NULL && (*keys = sk_PKCS12_SAFEBAG_new_null()) == NULL) ||
	    !sk_PKCS12_SAFEBAG_push(*keys, bag)) {
		PKCS12_SAFEBAG_free(bag);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

static int finish(struct ucpki_buf *b, STACK_OF(PKCS12_SAFEBAG) *keys,
                  STACK_OF(PKCS12_SAFEBAG) *certs, const char *pass, const struct p12_profile *pr,
                  struct ucpki_err *e)
{
	STACK_OF(PKCS7) *safes = NULL;
	PKCS12 *p12 = NULL;
	unsigned char *der = NULL;
	int len = 0, rc = -1;

	if (certs && !PKCS12_add_safe(&safes, certs, pr->cert_nid, pr->iter, pass))
		goto ssl;
	if (keys && !PKCS12_add_safe(&safes, keys, -1, 0, NULL))
		goto ssl;
	if (safes == NULL && (safes = sk_PKCS7_new_null()) == NULL)
		goto ssl;
	if ((p12 = PKCS12_add_safes(safes, 0)) == NULL)
		goto ssl;
	if (!PKCS12_set_mac(p12, pass, -1, NULL, 0, pr->iter, pr->mac_md()))
		goto ssl;
	if ((len = i2d_PKCS12(p12, &der)) <= 0)
		goto ssl;
	rc = ucpki_buf_append(b, der, (size_t)len, e);
	goto out;
ssl:
	ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot build the PKCS#12 file");
out:
	OPENSSL_clear_free(der, len > 0 ? (size_t)len : 0);
	PKCS12_free(p12);
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return rc;
}

int ucpki_p12_encode(struct ucpki_buf *b, const struct ucpki_ksentry *v, int n,
                     const char *password, const struct ucpki_p12_opts *opts,
                     struct ucpki_err *e)
{
	struct p12_profile pr = {NID_aes_256_cbc, NID_aes_256_cbc, EVP_sha256, P12_ITER_MODERN};
	STACK_OF(PKCS12_SAFEBAG) *keys = NULL, *certs = NULL;
	int rc = 0, ca_index = 0;

	if (password == NULL || password[0] == '\0')
		return ucpki_err_set(e, UCPKI_E_PASSWORD, "a PKCS#12 file needs a password");
	if (opts && opts->legacy) {
		if (ucpki_legacy_provider(e) != 0)
			return -1;
		pr.key_nid = NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
		pr.cert_nid = NID_pbe_WithSHA1And40BitRC2_CBC;
		pr.mac_md = EVP_sha1;
		pr.iter = P12_ITER_LEGACY;
	}
	if (opts && opts->triple_des) {
		pr.key_nid = pr.cert_nid = NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
		pr.mac_md = EVP_sha1;
		pr.iter = P12_ITER_LEGACY;
	}
	if (opts && opts->iter > 0)
		pr.iter = opts->iter;
	for (int i = 0; rc == 0 && i < n; i++) {
		if (v[i].type == UCPKI_KSE_KEY)
			rc = add_key_entry(&keys, &certs, &v[i], password, &pr, opts, &ca_index, e);
		else if (v[i].type == UCPKI_KSE_OPAQUE)
			rc = add_opaque_entry(&keys, &v[i], e);
		else if (sk_X509_num(v[i].certs) == 1)
			rc = add_trusted_entry(&certs, &v[i], e);
		else
			rc = ucpki_err_set(e, UCPKI_E_INPUT, "entry '%s' needs exactly one certificate",
			                   v[i].alias);
	}
	if (rc == 0)
		rc = finish(b, keys, certs, password, &pr, e);
	sk_PKCS12_SAFEBAG_pop_free(keys, PKCS12_SAFEBAG_free);
	sk_PKCS12_SAFEBAG_pop_free(certs, PKCS12_SAFEBAG_free);
	ERR_clear_error();
	return rc;
}
