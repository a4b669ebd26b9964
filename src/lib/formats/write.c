/* Writers: certificates, CRLs, CSRs and keys as PEM or DER. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "formats/formats_internal.h"

/* PBKDF2 iterations for keys we encrypt (OWASP 2023 advice for SHA-256). */
#define KEY_PBKDF2_ITER 600000

void ucpki_buf_free(struct ucpki_buf *b)
{
	if (b == NULL || b->data == NULL)
		return;
	OPENSSL_cleanse(b->data, b->cap);
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int ucpki_buf_append(struct ucpki_buf *b, const void *data, size_t len, struct ucpki_err *e)
{
	if (b->len + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 1024;
		unsigned char *nb;
		while (ncap < b->len + len + 1)
			ncap *= 2;
		if ((nb = malloc(ncap)) == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		if (b->data) {
			memcpy(nb, b->data, b->len);
			OPENSSL_cleanse(b->data, b->cap);
			free(b->data);
		}
		b->data = nb;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

/* Move a memory BIO's contents to b. */
static int take_bio(struct ucpki_buf *b, BIO *bio, struct ucpki_err *e)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);
	int rc = ucpki_buf_append(b, data, (size_t)len, e);

	OPENSSL_cleanse(data, (size_t)len);
	return rc;
}

typedef int (*pem_writer)(BIO *, void *);
typedef int (*der_writer)(BIO *, void *);

static int write_obj(struct ucpki_buf *b, void *obj, int der, pem_writer pw, der_writer dw,
                     const char *what, struct ucpki_err *e)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int rc;

	if (bio == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (!(der ? dw(bio, obj) : pw(bio, obj))) {
		BIO_free(bio);
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encode the %s", what);
	}
	rc = take_bio(b, bio, e);
	BIO_free(bio);
	return rc;
}

static int pem_cert(BIO *b, void *o) { return PEM_write_bio_X509(b, o); }
static int der_cert(BIO *b, void *o) { return i2d_X509_bio(b, o); }
static int pem_crl(BIO *b, void *o) { return PEM_write_bio_X509_CRL(b, o); }
static int der_crl(BIO *b, void *o) { return i2d_X509_CRL_bio(b, o); }
static int pem_csr(BIO *b, void *o) { return PEM_write_bio_X509_REQ(b, o); }
static int der_csr(BIO *b, void *o) { return i2d_X509_REQ_bio(b, o); }

static int pem_pub(BIO *b, void *o) { return PEM_write_bio_PUBKEY(b, o); }
static int der_pub(BIO *b, void *o) { return i2d_PUBKEY_bio(b, o); }

int ucpki_write_pubkey(struct ucpki_buf *b, EVP_PKEY *key, int der, struct ucpki_err *e)
{
	return write_obj(b, key, der, pem_pub, der_pub, "public key", e);
}

int ucpki_write_cert(struct ucpki_buf *b, X509 *x, int der, struct ucpki_err *e)
{
	return write_obj(b, x, der, pem_cert, der_cert, "certificate", e);
}

int ucpki_write_crl(struct ucpki_buf *b, X509_CRL *crl, int der, struct ucpki_err *e)
{
	return write_obj(b, crl, der, pem_crl, der_crl, "CRL", e);
}

int ucpki_write_csr(struct ucpki_buf *b, X509_REQ *csr, int der, struct ucpki_err *e)
{
	return write_obj(b, csr, der, pem_csr, der_csr, "certificate request", e);
}

static const EVP_CIPHER *key_cipher(const char *name, struct ucpki_err *e)
{
	if (name == NULL || strcmp(name, "aes256") == 0 || strcmp(name, "aes-256-cbc") == 0)
		return EVP_aes_256_cbc();
	if (strcmp(name, "des3") == 0 || strcmp(name, "des-ede3-cbc") == 0)
		return EVP_des_ede3_cbc();
	ucpki_err_set(e, UCPKI_E_INPUT, "unknown key cipher '%s' (use aes256 or des3)", name);
	return NULL;
}

/* PKCS#8, encrypted with PBES2/PBKDF2-SHA256 when a password is given. */
static int write_pkcs8(BIO *bio, EVP_PKEY *key, int der, const char *pass,
                       const EVP_CIPHER *cipher, struct ucpki_err *e)
{
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
	X509_ALGOR *pbe = NULL;
	X509_SIG *sig = NULL;
	int ok;

	if (p8 == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encode the key as PKCS#8");
	if (pass == NULL) {
		ok = der ? i2d_PKCS8_PRIV_KEY_INFO_bio(bio, p8) : PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio, p8);
		PKCS8_PRIV_KEY_INFO_free(p8);
		return ok ? 0 : ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot write the key");
	}
	pbe = PKCS5_pbe2_set_iv(cipher, KEY_PBKDF2_ITER, NULL, 0, NULL, NID_hmacWithSHA256);
	if (pbe == NULL || (sig = PKCS8_set0_pbe(pass, (int)strlen(pass), p8, pbe)) == NULL) {
		X509_ALGOR_free(pbe);
		PKCS8_PRIV_KEY_INFO_free(p8);
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encrypt the key");
	}
	PKCS8_PRIV_KEY_INFO_free(p8);
	ok = der ? i2d_PKCS8_bio(bio, sig) : PEM_write_bio_PKCS8(bio, sig);
	X509_SIG_free(sig);
	return ok ? 0 : ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot write the key");
}

/* PKCS#1 / SEC1 ("type-specific"), optionally with a Proc-Type header. */
static int write_traditional(BIO *bio, EVP_PKEY *key, const char *structure, int der,
                             const char *pass, const EVP_CIPHER *cipher, struct ucpki_err *e)
{
	OSSL_ENCODER_CTX *ctx;
	int ok;

	if (der && pass)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "an encrypted PKCS#1/SEC1 key exists only as PEM");
	ctx = OSSL_ENCODER_CTX_new_for_pkey(key, OSSL_KEYMGMT_SELECT_ALL, der ? "DER" : "PEM",
	                                    structure, NULL);
	if (ctx == NULL || OSSL_ENCODER_CTX_get_num_encoders(ctx) == 0) {
		OSSL_ENCODER_CTX_free(ctx);
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "no %s encoder for this key", structure);
	}
	if (pass && (!OSSL_ENCODER_CTX_set_cipher(ctx, EVP_CIPHER_get0_name(cipher), NULL) ||
	             !OSSL_ENCODER_CTX_set_passphrase(ctx, (const unsigned char *)pass,
	                                              strlen(pass)))) {
		OSSL_ENCODER_CTX_free(ctx);
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot set up key encryption");
	}
	ok = OSSL_ENCODER_to_bio(ctx, bio);
	OSSL_ENCODER_CTX_free(ctx);
	return ok ? 0 : ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot write the key");
}

int ucpki_write_key(struct ucpki_buf *b, EVP_PKEY *key, enum ucpki_keyenc enc, int der,
                    const char *password, const char *cipher, struct ucpki_err *e)
{
	const EVP_CIPHER *c = NULL;
	int type = EVP_PKEY_get_base_id(key), rc;
	BIO *bio;

	if (password && (c = key_cipher(cipher, e)) == NULL)
		return -1;
	if ((enc == UCPKI_KEYENC_PKCS1 || enc == UCPKI_KEYENC_PKCS1_ENCRYPTED) && type != EVP_PKEY_RSA)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "only RSA keys have a PKCS#1 encoding (this key is %s)",
		                     OBJ_nid2sn(type));
	if ((enc == UCPKI_KEYENC_SEC1 || enc == UCPKI_KEYENC_SEC1_ENCRYPTED) && type != EVP_PKEY_EC)
		return ucpki_err_set(e, UCPKI_E_INPUT, "only EC keys have a SEC1 encoding");
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	switch (enc) {
	case UCPKI_KEYENC_PKCS1:
	case UCPKI_KEYENC_PKCS1_ENCRYPTED:
	case UCPKI_KEYENC_SEC1:
	case UCPKI_KEYENC_SEC1_ENCRYPTED:
		rc = write_traditional(bio, key, "type-specific", der, password, c, e);
		break;
	default:
		rc = write_pkcs8(bio, key, der, password, c, e);
	}
	if (rc == 0)
		rc = take_bio(b, bio, e);
	BIO_free(bio);
	return rc;
}
