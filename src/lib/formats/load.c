/*
 * Format detection and the PEM / DER / PKCS#12 / PKCS#7 readers.
 * Detection looks at the bytes only: keystore magics, PEM armour, then DER
 * structures tried from the most to the least specific, each of which must
 * consume the whole input.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>

#include "formats/formats_internal.h"
#include "ucpki/crypto.h"
#include "ucpki/file.h"

static int pw_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pw = u;
	size_t n;

	(void)rwflag;
	if (pw == NULL)
		return -1;
	n = strlen(pw);
	if (n > (size_t)size)
		return -1;
	memcpy(buf, pw, n);
	return (int)n;
}

static int is_unsupported_error(void)
{
	unsigned long err;

	while ((err = ERR_get_error()) != 0) {
		int r = ERR_GET_REASON(err);
		if (r == ERR_R_UNSUPPORTED || r == EVP_R_UNSUPPORTED_ALGORITHM ||
		    r == ERR_R_FETCH_FAILED || r == EVP_R_UNSUPPORTED_CIPHER)
			return 1;
	}
	return 0;
}

/* --- PEM ---------------------------------------------------------------- */

static void pem_style(struct ucpki_pack *p, const unsigned char *data, size_t len)
{
	const char *s = (const char *)data, *end = s + len;
	int inside = 0, seen_end = 0, blank_run = 0;

	if (memchr(data, '\r', len))
		p->style.crlf = 1;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		int blank = 1;

		for (size_t i = 0; i < n; i++)
			if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
				blank = 0;
		if (n >= 11 && memcmp(s, "-----BEGIN ", 11) == 0) {
			if (seen_end && blank_run)
				p->style.blank_between = 1;
			inside = 1;
		} else if (n >= 9 && memcmp(s, "-----END ", 9) == 0) {
			inside = 0;
			seen_end = 1;
			blank_run = 0;
		} else if (!inside) {
			if (blank)
				blank_run = 1;
			else
				p->style.junk_outside = 1;
		}
		s += n + (nl ? 1 : 0);
	}
}

static int add_pkcs8(struct ucpki_pack *p, const unsigned char *der, long len, const char *label,
                     struct ucpki_err *e)
{
	const unsigned char *q = der;
	PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &q, len);
	EVP_PKEY *k = p8 ? EVP_PKCS82PKEY(p8) : NULL;

	PKCS8_PRIV_KEY_INFO_free(p8);
	if (k == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: the private key is corrupted", label);
	if (pack_add(p, UCPKI_OBJ_KEY, k, UCPKI_KEYENC_PKCS8, NULL) != 0) {
		EVP_PKEY_free(k);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

static int add_encrypted_pkcs8(struct ucpki_pack *p, const unsigned char *der, long len,
                               const char *label, const char *password, struct ucpki_err *e)
{
	const unsigned char *q = der;
	X509_SIG *sig = d2i_X509_SIG(NULL, &q, len);
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	EVP_PKEY *k = NULL;

	if (sig == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: the encrypted key is corrupted", label);
	if (password == NULL) {
		X509_SIG_free(sig);
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "%s: the private key is encrypted: give its password file", label);
	}
	p8 = PKCS8_decrypt(sig, password, (int)strlen(password));
	if (p8 == NULL && is_unsupported_error() && ucpki_legacy_provider(NULL) == 0)
		p8 = PKCS8_decrypt(sig, password, (int)strlen(password));
	X509_SIG_free(sig);
	if (p8 == NULL) {
		ERR_clear_error();
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "%s: wrong password for the encrypted private key", label);
	}
	k = EVP_PKCS82PKEY(p8);
	PKCS8_PRIV_KEY_INFO_free(p8);
	if (k == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: the decrypted key is not valid", label);
	if (pack_add(p, UCPKI_OBJ_KEY, k, UCPKI_KEYENC_PKCS8_ENCRYPTED, NULL) != 0) {
		EVP_PKEY_free(k);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

/* "RSA PRIVATE KEY" / "EC PRIVATE KEY", possibly with a Proc-Type header. */
static int add_traditional(struct ucpki_pack *p, int type, unsigned char *der, long len,
                           const char *header, const char *label, const char *password,
                           struct ucpki_err *e)
{
	EVP_CIPHER_INFO cipher;
	const unsigned char *q;
	int encrypted = header && strstr(header, "ENCRYPTED") != NULL;
	enum ucpki_keyenc enc;
	EVP_PKEY *k;

	if (!PEM_get_EVP_CIPHER_INFO((char *)header, &cipher))
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: unreadable key encryption header", label);
	if (encrypted) {
		if (password == NULL)
			return ucpki_err_set(e, UCPKI_E_PASSWORD,
			                     "%s: the private key is encrypted: give its password file",
			                     label);
		if (!PEM_do_header(&cipher, der, &len, pw_cb, (void *)password)) {
			ERR_clear_error();
			return ucpki_err_set(e, UCPKI_E_PASSWORD,
			                     "%s: wrong password for the encrypted private key", label);
		}
	}
	q = der;
	k = d2i_PrivateKey(type, NULL, &q, len);
	if (k == NULL) {
		if (encrypted) {
			ERR_clear_error();
			return ucpki_err_set(e, UCPKI_E_PASSWORD,
			                     "%s: wrong password for the encrypted private key", label);
		}
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: the private key is corrupted", label);
	}
	if (type == EVP_PKEY_RSA)
		enc = encrypted ? UCPKI_KEYENC_PKCS1_ENCRYPTED : UCPKI_KEYENC_PKCS1;
	else
		enc = encrypted ? UCPKI_KEYENC_SEC1_ENCRYPTED : UCPKI_KEYENC_SEC1;
	if (pack_add(p, UCPKI_OBJ_KEY, k, enc, NULL) != 0) {
		EVP_PKEY_free(k);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

static int add_simple(struct ucpki_pack *p, enum ucpki_obj type, void *obj, const char *label,
                      const char *what, struct ucpki_err *e)
{
	if (obj == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: the %s is corrupted", label, what);
	if (pack_add(p, type, obj, UCPKI_KEYENC_NONE, NULL) != 0)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	return 0;
}

static int pem_block(struct ucpki_pack *p, const char *name, const char *header,
                     unsigned char *der, long len, const char *label, const char *password,
                     struct ucpki_err *e)
{
	const unsigned char *q = der;
	void *obj;
	int rc;

	if (strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "X509 CERTIFICATE") == 0) {
		X509 *x = d2i_X509(NULL, &q, len);
		rc = add_simple(p, UCPKI_OBJ_CERT, x, label, "certificate", e);
		if (rc != 0)
			X509_free(x);
		return rc;
	}
	if (strcmp(name, "TRUSTED CERTIFICATE") == 0) {
		X509 *x = d2i_X509_AUX(NULL, &q, len);
		rc = add_simple(p, UCPKI_OBJ_CERT, x, label, "certificate", e);
		if (rc != 0)
			X509_free(x);
		return rc;
	}
	if (strcmp(name, "X509 CRL") == 0) {
		obj = d2i_X509_CRL(NULL, &q, len);
		if ((rc = add_simple(p, UCPKI_OBJ_CRL, obj, label, "CRL", e)) != 0)
			X509_CRL_free(obj);
		return rc;
	}
	if (strcmp(name, "CERTIFICATE REQUEST") == 0 || strcmp(name, "NEW CERTIFICATE REQUEST") == 0) {
		obj = d2i_X509_REQ(NULL, &q, len);
		if ((rc = add_simple(p, UCPKI_OBJ_CSR, obj, label, "certificate request", e)) != 0)
			X509_REQ_free(obj);
		return rc;
	}
	if (strcmp(name, "PRIVATE KEY") == 0)
		return add_pkcs8(p, der, len, label, e);
	if (strcmp(name, "ENCRYPTED PRIVATE KEY") == 0)
		return add_encrypted_pkcs8(p, der, len, label, password, e);
	if (strcmp(name, "RSA PRIVATE KEY") == 0)
		return add_traditional(p, EVP_PKEY_RSA, der, len, header, label, password, e);
	if (strcmp(name, "EC PRIVATE KEY") == 0)
		return add_traditional(p, EVP_PKEY_EC, der, len, header, label, password, e);
	if (strcmp(name, "PUBLIC KEY") == 0) {
		obj = d2i_PUBKEY(NULL, &q, len);
		if ((rc = add_simple(p, UCPKI_OBJ_PUBKEY, obj, label, "public key", e)) != 0)
			EVP_PKEY_free(obj);
		return rc;
	}
	if (strcmp(name, "PKCS7") == 0 || strcmp(name, "CMS") == 0)
		return read_pkcs7(p, der, (size_t)len, label, e);
	return 0; /* parameters and other blocks carry nothing we use */
}

int read_pem(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
             const char *password, struct ucpki_err *e)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len);
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	long dlen;
	int rc = 0, blocks = 0;

	if (bio == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	pem_style(p, data, len);
	while (rc == 0 && PEM_read_bio(bio, &name, &header, &der, &dlen)) {
		blocks++;
		rc = pem_block(p, name, header, der, dlen, label, password, e);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_clear_free(der, (size_t)dlen);
		name = header = NULL;
		der = NULL;
	}
	if (rc == 0) {
		unsigned long err = ERR_peek_last_error();
		/* PEM_read_bio ends with "no start line" at the end of input. */
		if (err && ERR_GET_REASON(err) != PEM_R_NO_START_LINE)
			rc = ucpki_err_ssl(e, UCPKI_E_INPUT,
			                   "%s: PEM block %d is damaged (truncated or bad base64)", label,
			                   blocks + 1);
		else if (blocks == 0)
			rc = ucpki_err_set(e, UCPKI_E_INPUT, "%s: no PEM block found", label);
	}
	ERR_clear_error();
	BIO_free(bio);
	return rc;
}

/* --- PKCS#7 ------------------------------------------------------------- */

int read_pkcs7(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
               struct ucpki_err *e)
{
	const unsigned char *q = data;
	PKCS7 *p7 = d2i_PKCS7(NULL, &q, (long)len);
	STACK_OF(X509) *certs = NULL;
	STACK_OF(X509_CRL) *crls = NULL;
	int nid;

	if (p7 == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: damaged PKCS#7 structure", label);
	nid = OBJ_obj2nid(p7->type);
	if (nid == NID_pkcs7_signed && p7->d.sign) {
		certs = p7->d.sign->cert;
		crls = p7->d.sign->crl;
	} else if (nid == NID_pkcs7_signedAndEnveloped && p7->d.signed_and_enveloped) {
		certs = p7->d.signed_and_enveloped->cert;
		crls = p7->d.signed_and_enveloped->crl;
	}
	for (int i = 0; i < sk_X509_num(certs); i++) {
		X509 *x = X509_dup(sk_X509_value(certs, i));
		if (x == NULL || pack_add(p, UCPKI_OBJ_CERT, x, UCPKI_KEYENC_NONE, NULL) != 0) {
			X509_free(x);
			PKCS7_free(p7);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	for (int i = 0; i < sk_X509_CRL_num(crls); i++) {
		X509_CRL *c = X509_CRL_dup(sk_X509_CRL_value(crls, i));
		if (c == NULL || pack_add(p, UCPKI_OBJ_CRL, c, UCPKI_KEYENC_NONE, NULL) != 0) {
			X509_CRL_free(c);
			PKCS7_free(p7);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	PKCS7_free(p7);
	return 0;
}

/* --- DER ---------------------------------------------------------------- */

/* Try one DER decoder; it must consume all of the input. */
#define TRY_DER(type, d2i, freefn, objtype)                                                  \
	do {                                                                                 \
		const unsigned char *q = data;                                               \
		type *o = d2i(NULL, &q, (long)len);                                          \
		if (o != NULL && q == data + len) {                                          \
			ERR_clear_error();                                                   \
			if (pack_add(p, objtype, o, UCPKI_KEYENC_NONE, NULL) != 0) {         \
				freefn(o);                                                   \
				return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");  \
			}                                                                    \
			return 0;                                                            \
		}                                                                            \
		freefn(o);                                                                   \
	} while (0)

static int der_is(const unsigned char *data, size_t len, void *(*d2i)(void *, const unsigned char **, long),
                  void (*freefn)(void *))
{
	const unsigned char *q = data;
	void *o = d2i(NULL, &q, (long)len);
	int ok = o != NULL && q == data + len;

	freefn(o);
	return ok;
}

static void *d2i_sig(void *a, const unsigned char **q, long l)
{
	return d2i_X509_SIG(a, q, l);
}
static void free_sig(void *o)
{
	X509_SIG_free(o);
}
static void *d2i_p8(void *a, const unsigned char **q, long l)
{
	return d2i_PKCS8_PRIV_KEY_INFO(a, q, l);
}
static void free_p8(void *o)
{
	PKCS8_PRIV_KEY_INFO_free(o);
}
static void *d2i_p7(void *a, const unsigned char **q, long l)
{
	return d2i_PKCS7(a, q, l);
}
static void free_p7(void *o)
{
	PKCS7_free(o);
}

int read_der(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
             const char *password, struct ucpki_err *e)
{
	TRY_DER(X509, d2i_X509, X509_free, UCPKI_OBJ_CERT);
	TRY_DER(X509_CRL, d2i_X509_CRL, X509_CRL_free, UCPKI_OBJ_CRL);
	TRY_DER(X509_REQ, d2i_X509_REQ, X509_REQ_free, UCPKI_OBJ_CSR);
	if (der_is(data, len, d2i_sig, free_sig))
		return add_encrypted_pkcs8(p, data, (long)len, label, password, e);
	if (der_is(data, len, d2i_p8, free_p8))
		return add_pkcs8(p, data, (long)len, label, e);
	{
		const unsigned char *q = data;
		EVP_PKEY *k = d2i_PrivateKey(EVP_PKEY_RSA, NULL, &q, (long)len);
		int type = EVP_PKEY_RSA;
		if (k == NULL || q != data + len) {
			EVP_PKEY_free(k);
			q = data;
			k = d2i_PrivateKey(EVP_PKEY_EC, NULL, &q, (long)len);
			type = EVP_PKEY_EC;
		}
		if (k != NULL && q == data + len) {
			ERR_clear_error();
			if (pack_add(p, UCPKI_OBJ_KEY, k,
			             type == EVP_PKEY_RSA ? UCPKI_KEYENC_PKCS1 : UCPKI_KEYENC_SEC1,
			             NULL) != 0) {
				EVP_PKEY_free(k);
				return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			}
			return 0;
		}
		EVP_PKEY_free(k);
	}
	TRY_DER(EVP_PKEY, d2i_PUBKEY, EVP_PKEY_free, UCPKI_OBJ_PUBKEY);
	if (der_is(data, len, d2i_p7, free_p7)) {
		p->format = UCPKI_FMT_PKCS7;
		return read_pkcs7(p, data, len, label, e);
	}
	ERR_clear_error();
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "%s: not a certificate, key, CSR, CRL, PKCS#7, PKCS#12 or keystore "
	                     "(unrecognised or truncated DER)", label);
}

/* --- detection -------------------------------------------------------- */

static int looks_like_pkcs12(const unsigned char *data, size_t len)
{
	const unsigned char *q = data;
	PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)len);
	int ok = p12 != NULL && q == data + len;

	PKCS12_free(p12);
	ERR_clear_error();
	return ok;
}

static int has_pem_armour(const unsigned char *data, size_t len)
{
	static const char marker[] = "-----BEGIN ";
	size_t m = sizeof(marker) - 1;

	for (size_t i = 0; i + m <= len; i++)
		if (data[i] == '-' && memcmp(data + i, marker, m) == 0)
			return 1;
	return 0;
}

struct ucpki_pack *ucpki_pack_load_mem(const unsigned char *data, size_t len,
                                       const char *label, const char *password,
                                       struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_new(UCPKI_FMT_UNKNOWN);
	int rc;

	if (p == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if (len == 0) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: file is empty", label);
		ucpki_pack_free(p);
		return NULL;
	}
	if (len >= 4 && memcmp(data, "\xfe\xed\xfe\xed", 4) == 0) {
		p->format = UCPKI_FMT_JKS;
		rc = read_jks(p, data, len, label, password, e);
	} else if (len >= 4 && memcmp(data, "\xce\xce\xce\xce", 4) == 0) {
		p->format = UCPKI_FMT_JCEKS;
		rc = read_jks(p, data, len, label, password, e);
	} else if (has_pem_armour(data, len)) {
		p->format = UCPKI_FMT_PEM;
		rc = read_pem(p, data, len, label, password, e);
	} else if (data[0] == 0x30 && looks_like_pkcs12(data, len)) {
		p->format = UCPKI_FMT_PKCS12;
		rc = read_pkcs12(p, data, len, label, password, e);
	} else if (data[0] == 0x30) {
		p->format = UCPKI_FMT_DER;
		rc = read_der(p, data, len, label, password, e);
	} else {
		rc = ucpki_err_set(e, UCPKI_E_INPUT,
		                   "%s: not a certificate, key, CSR, CRL, PKCS#7, PKCS#12 or keystore "
		                   "(format not recognised)", label);
	}
	if (rc != 0) {
		ucpki_pack_free(p);
		return NULL;
	}
	return p;
}

struct ucpki_pack *ucpki_pack_load(const char *path, const char *password,
                                   struct ucpki_err *e)
{
	unsigned char *data;
	size_t len;
	struct ucpki_pack *p;

	if (ucpki_file_read(path, 0, &data, &len, e) != 0)
		return NULL;
	p = ucpki_pack_load_mem(data, len, path, password, e);
	ucpki_secure_free(data, len);
	return p;
}
