/*
 * ucpki/formats.h - reading what users hand us: PEM (any kind, several
 * blocks), DER certificates / keys / CSRs / CRLs, PKCS#12, PKCS#7.
 *
 * ucpki_pack_load() detects the format from the bytes (never from the file
 * name) and returns everything the file held, in file order. Encrypted keys
 * and PKCS#12 files need a password; a wrong one fails with
 * UCPKI_E_PASSWORD and a message naming the file.
 */
#ifndef UCPKI_FORMATS_H
#define UCPKI_FORMATS_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ucpki/err.h"

enum ucpki_format {
	UCPKI_FMT_UNKNOWN = 0,
	UCPKI_FMT_PEM,
	UCPKI_FMT_DER,      /* a single DER object */
	UCPKI_FMT_PKCS12,
	UCPKI_FMT_PKCS7,    /* DER PKCS#7 (PEM PKCS#7 reports UCPKI_FMT_PEM) */
	UCPKI_FMT_JKS,
	UCPKI_FMT_JCEKS
};

/* What one object in the file is. */
enum ucpki_obj {
	UCPKI_OBJ_CERT = 1,
	UCPKI_OBJ_KEY,
	UCPKI_OBJ_CSR,
	UCPKI_OBJ_CRL,
	UCPKI_OBJ_PUBKEY
};

/* How a private key was encoded in the file. */
enum ucpki_keyenc {
	UCPKI_KEYENC_NONE = 0,
	UCPKI_KEYENC_PKCS1,           /* BEGIN RSA PRIVATE KEY */
	UCPKI_KEYENC_PKCS1_ENCRYPTED, /* same, with Proc-Type: 4,ENCRYPTED */
	UCPKI_KEYENC_SEC1,            /* BEGIN EC PRIVATE KEY */
	UCPKI_KEYENC_SEC1_ENCRYPTED,
	UCPKI_KEYENC_PKCS8,           /* BEGIN PRIVATE KEY */
	UCPKI_KEYENC_PKCS8_ENCRYPTED  /* BEGIN ENCRYPTED PRIVATE KEY */
};

struct ucpki_pack;

/* Load a file. password may be NULL; label names the source in messages
 * (the path for _load). Free with ucpki_pack_free(). */
struct ucpki_pack *ucpki_pack_load(const char *path, const char *password,
                                   struct ucpki_err *e);
struct ucpki_pack *ucpki_pack_load_mem(const unsigned char *data, size_t len,
                                       const char *label, const char *password,
                                       struct ucpki_err *e);
void ucpki_pack_free(struct ucpki_pack *p);

enum ucpki_format ucpki_pack_format(const struct ucpki_pack *p);
const char *ucpki_format_name(enum ucpki_format f);
const char *ucpki_keyenc_name(enum ucpki_keyenc k);

/* Objects in file order; the pointers are borrowed from the pack. */
int ucpki_pack_count(const struct ucpki_pack *p);
enum ucpki_obj ucpki_pack_type(const struct ucpki_pack *p, int i);
X509 *ucpki_pack_cert_at(const struct ucpki_pack *p, int i);
EVP_PKEY *ucpki_pack_key_at(const struct ucpki_pack *p, int i);   /* KEY or PUBKEY */
X509_REQ *ucpki_pack_csr_at(const struct ucpki_pack *p, int i);
X509_CRL *ucpki_pack_crl_at(const struct ucpki_pack *p, int i);
enum ucpki_keyenc ucpki_pack_keyenc_at(const struct ucpki_pack *p, int i);
/* Alias / friendly name of the object, or NULL. */
const char *ucpki_pack_alias_at(const struct ucpki_pack *p, int i);

/* Shortcuts: the first object of a kind, or NULL. */
X509 *ucpki_pack_first_cert(const struct ucpki_pack *p);
EVP_PKEY *ucpki_pack_first_key(const struct ucpki_pack *p);
X509_REQ *ucpki_pack_first_csr(const struct ucpki_pack *p);
X509_CRL *ucpki_pack_first_crl(const struct ucpki_pack *p);
/* Every certificate, in file order. Free the stack (not the certs) with
 * sk_X509_free(). */
STACK_OF(X509) *ucpki_pack_certs(const struct ucpki_pack *p);

/* PEM text properties, for lint (rule R6): CR characters seen, blank lines
 * between blocks, text outside blocks. */
struct ucpki_pem_style {
	int crlf;
	int blank_between;
	int junk_outside;
};
void ucpki_pack_pem_style(const struct ucpki_pack *p, struct ucpki_pem_style *s);

/* Add objects to a pack being built by a reader (used by format readers). */
struct ucpki_pack *ucpki_pack_new(enum ucpki_format f);
int ucpki_pack_add_cert(struct ucpki_pack *p, X509 *x, const char *alias);   /* takes x */
int ucpki_pack_add_key(struct ucpki_pack *p, EVP_PKEY *k, enum ucpki_keyenc enc,
                       const char *alias);                                    /* takes k */

/* --- Writing ------------------------------------------------------------ */

/* A growable output buffer; writers append to it. Free with
 * ucpki_buf_free(), which wipes it (it may hold a key). */
struct ucpki_buf {
	unsigned char *data;
	size_t len, cap;
};

void ucpki_buf_free(struct ucpki_buf *b);
int ucpki_buf_append(struct ucpki_buf *b, const void *data, size_t len, struct ucpki_err *e);

/* PEM ("BEGIN CERTIFICATE", LF line ends) or DER. */
int ucpki_write_cert(struct ucpki_buf *b, X509 *x, int der, struct ucpki_err *e);
int ucpki_write_crl(struct ucpki_buf *b, X509_CRL *crl, int der, struct ucpki_err *e);
int ucpki_write_csr(struct ucpki_buf *b, X509_REQ *csr, int der, struct ucpki_err *e);

/* A private key in the given encoding: PKCS#8 (default), PKCS#1 (RSA only)
 * or SEC1 (EC only). With a password the key is encrypted: PKCS#8 with
 * PBES2 (PBKDF2-SHA256, 600000 iterations) and cipher, or PKCS#1/SEC1 with
 * the traditional Proc-Type header. cipher: "aes256" (default) or "des3". */
int ucpki_write_key(struct ucpki_buf *b, EVP_PKEY *key, enum ucpki_keyenc enc, int der,
                    const char *password, const char *cipher, struct ucpki_err *e);

#endif
