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
#include <stdint.h>

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
/* PKCS#12 bag attributes of the object: localKeyId (NULL when absent; the
 * pointer is borrowed) and the Java trusted-certificate mark (1 or 0). */
const unsigned char *ucpki_pack_keyid_at(const struct ucpki_pack *p, int i, size_t *len);
int ucpki_pack_trusted_at(const struct ucpki_pack *p, int i);

/* PKCS#12 bags the file held that made no object (secret keys, CRL bags,
 * ...): how many, and the i-th one's kind ("a secret key") and friendly
 * name (NULL when it has none). Borrowed from the pack. */
int ucpki_pack_unread_count(const struct ucpki_pack *p);
const char *ucpki_pack_unread_at(const struct ucpki_pack *p, int i, const char **alias);

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
/* A public key as SubjectPublicKeyInfo ("BEGIN PUBLIC KEY") or DER. */
int ucpki_write_pubkey(struct ucpki_buf *b, EVP_PKEY *key, int der, struct ucpki_err *e);

/* A private key in the given encoding: PKCS#8 (default), PKCS#1 (RSA only)
 * or SEC1 (EC only). With a password the key is encrypted: PKCS#8 with
 * PBES2 (PBKDF2-SHA256, 600000 iterations) and cipher, or PKCS#1/SEC1 with
 * the traditional Proc-Type header. cipher: "aes256" (default) or "des3". */
int ucpki_write_key(struct ucpki_buf *b, EVP_PKEY *key, enum ucpki_keyenc enc, int der,
                    const char *password, const char *cipher, struct ucpki_err *e);

/* PKCS#7 "certs only" (P7B): every certificate of certs, in order, DER or
 * PEM ("BEGIN PKCS7"). */
int ucpki_write_p7b(struct ucpki_buf *b, STACK_OF(X509) *certs, int der, struct ucpki_err *e);

/* --- Bundles -------------------------------------------------------------- */

/* The parts a bundle is made of (guide 5.1: "cert,key,chain,root"). */
enum ucpki_part {
	UCPKI_PART_CERT = 1, /* the end-entity certificate */
	UCPKI_PART_KEY,      /* its private key */
	UCPKI_PART_CHAIN,    /* intermediate CAs, from the issuer of cert upwards */
	UCPKI_PART_ROOT      /* self-signed CA certificates */
};
#define UCPKI_PARTS_MAX 8

/* Parse "cert,key,chain,root" (any order, each at most once; "ca" means
 * chain,root) into parts[]; returns the count or -1. */
int ucpki_parts_parse(const char *list, enum ucpki_part parts[UCPKI_PARTS_MAX],
                      struct ucpki_err *e);

/* The material of a bundle, sorted into parts. All pointers borrowed. */
struct ucpki_bundle {
	X509 *cert;              /* NULL when absent */
	EVP_PKEY *key;           /* NULL when absent */
	STACK_OF(X509) *chain;   /* intermediates, leaf's issuer first; may be NULL */
	STACK_OF(X509) *roots;   /* self-signed CAs; may be NULL */
};

/* Sort certificates (and an optional key) into a bundle: cert is the one
 * the key belongs to (a key with no matching certificate is an error, the
 * guide's "key does not match"), else the first certificate that is not a
 * CA, else the first one; chain follows issuers from cert upwards, then
 * any other non-self-signed certificates in input order; roots are the
 * self-signed ones. Fills b with borrowed pointers; free the two stacks
 * (not the certs) with ucpki_bundle_clear(). */
int ucpki_bundle_sort(struct ucpki_bundle *b, STACK_OF(X509) *certs, EVP_PKEY *key,
                      struct ucpki_err *e);
void ucpki_bundle_clear(struct ucpki_bundle *b);

/* Write parts of a bundle as PEM in the order given, LF line ends and no
 * blank line between blocks (rule R6). A part that is asked for but absent
 * is an error, except an empty chain. The key is written in keyenc (see
 * ucpki_write_key; UCPKI_KEYENC_NONE = PKCS#8), encrypted when password is
 * not NULL. */
int ucpki_write_bundle(struct ucpki_buf *out, const struct ucpki_bundle *b,
                       const enum ucpki_part *parts, int nparts, enum ucpki_keyenc keyenc,
                       const char *password, const char *cipher, struct ucpki_err *e);

/* --- Keystore entries: JKS, JCEKS, PKCS#12 ------------------------------- */

enum ucpki_kse_type {
	UCPKI_KSE_KEY = 1,   /* PrivateKeyEntry: key + chain */
	UCPKI_KSE_TRUSTED,   /* TrustedCertEntry: one certificate */
	UCPKI_KSE_OPAQUE     /* an entry ucpki does not model (a secret key, a
	                        key without certificate, a CRL bag): kept as
	                        stored in raw and written back byte for byte into
	                        a store of the same format, never dropped */
};

/* One keystore entry. Codecs fill arrays of these; the array owns every
 * pointer in it (free with ucpki_ksentries_free()). */
struct ucpki_ksentry {
	char *alias;
	enum ucpki_kse_type type;
	int64_t date_ms;           /* creation, ms since the epoch; 0 = unknown */
	EVP_PKEY *key;             /* KEY: the private key, NULL while sealed */
	unsigned char *sealed;     /* KEY from JKS/JCEKS: the protected key as stored */
	size_t sealed_len;
	STACK_OF(X509) *certs;     /* KEY: chain, leaf first; TRUSTED: one cert;
	                              OPAQUE: NULL */
	unsigned char *raw;        /* OPAQUE: the entry as stored (PKCS#12: the
	                              DER SafeBag) */
	size_t raw_len;
	enum ucpki_format raw_fmt; /* OPAQUE: the format raw belongs to */
	const char *kind;          /* OPAQUE: what it is, "a secret key" (static) */
	const char *java_type;     /* OPAQUE: keytool's name, "SecretKeyEntry" (static) */
};

void ucpki_ksentry_clear(struct ucpki_ksentry *en);
void ucpki_ksentries_free(struct ucpki_ksentry *v, int n);

/* Decode a JKS (0xFEEDFEED, version 1 or 2) or JCEKS (0xCECECECE) store.
 * storepass NULL skips the integrity check (as keytool does without
 * -storepass); a wrong one fails with UCPKI_E_PASSWORD "wrong password or
 * corrupted keystore". Private keys stay sealed: unseal them with
 * ucpki_jks_unseal(). *fmt is set to UCPKI_FMT_JKS or UCPKI_FMT_JCEKS. The
 * caller frees *out with ucpki_ksentries_free(*out, *n). */
int ucpki_jks_decode(const unsigned char *data, size_t len, const char *label,
                     const char *storepass, struct ucpki_ksentry **out, int *n,
                     enum ucpki_format *fmt, struct ucpki_err *e);
/* The same, with findings that do not stop the load in w (may be NULL):
 * bytes after the integrity digest are ignored with a warning, as keytool
 * ignores them. Two entries with the same alias (ignoring case) fail with
 * UCPKI_E_INPUT naming the alias. A JCEKS secret-key entry fails naming
 * its alias (it cannot be skipped without a Java deserialiser). */
int ucpki_jks_decode_w(const unsigned char *data, size_t len, const char *label,
                       const char *storepass, struct ucpki_ksentry **out, int *n,
                       enum ucpki_format *fmt, struct ucpki_warnings *w,
                       struct ucpki_err *e);

/* Decrypt a sealed key (Sun JKS key protector, or JCEKS's
 * PBEWithMD5AndTripleDES) into en->key. A no-op for an unsealed entry. */
int ucpki_jks_unseal(struct ucpki_ksentry *en, const char *keypass, const char *label,
                     struct ucpki_err *e);

/* Encode entries as a JKS version 2 store. Keys are protected with keypass
 * (NULL = storepass) using the Sun JKS key protector; a still-sealed key is
 * written as it was read. An opaque entry read from another format fails
 * with UCPKI_E_POLICY naming it. Aliases are written as given (the keystore
 * module lower-cases them). Entries with date 0 get the current time. */
int ucpki_jks_encode(struct ucpki_buf *b, const struct ucpki_ksentry *v, int n,
                     const char *storepass, const char *keypass, struct ucpki_err *e);

/* The Sun JKS key protector on its own (exposed for tests): seal a
 * PKCS#8 PrivateKeyInfo into an EncryptedPrivateKeyInfo with the given
 * 20-byte salt (NULL = random), or open one. Free outputs with
 * ucpki_secure_free(ptr, len). */
int ucpki_jks_protect(const unsigned char *p8, size_t p8len, const char *password,
                      const unsigned char *salt, unsigned char **out, size_t *outlen,
                      struct ucpki_err *e);
int ucpki_jks_recover(const unsigned char *epki, size_t len, const char *password,
                      unsigned char **p8, size_t *p8len, struct ucpki_err *e);

struct ucpki_p12_opts {
	int legacy;            /* PBE-SHA1-3DES keys, RC2-40 certs, SHA-1 MAC */
	int triple_des;        /* PBE-SHA1-3DES keys and certs, SHA-1 MAC: what Java
	                          before 8u301 and Windows Server 2016 and older read;
	                          needs no legacy provider */
	int iter;              /* PBKDF / MAC iterations; 0 = 10000 (legacy: 2048) */
	const char *ca_names;  /* friendly names of chain CA certificates, comma
	                          separated, in chain order; default: each CA's CN */
};

/* Encode entries as PKCS#12. Key entries: a shrouded key bag and the leaf
 * certificate bag share a localKeyId and carry the alias as friendlyName;
 * chain certificates follow. Trusted entries carry the alias and Java's
 * trusted-key-usage attribute (2.16.840.1.113894.746875.1.1), so keytool
 * lists them as trustedCertEntry. opts may be NULL (modern profile:
 * PBES2 AES-256-CBC / PBKDF2-HMAC-SHA256, SHA-256 MAC). The legacy profile
 * loads OpenSSL's legacy provider and says so when it is missing. Opaque
 * entries read from PKCS#12 go back as their SafeBag, byte for byte (their
 * contents stay under the password they were sealed with); opaque entries
 * of another format fail with UCPKI_E_POLICY naming them. */
int ucpki_p12_encode(struct ucpki_buf *b, const struct ucpki_ksentry *v, int n,
                     const char *password, const struct ucpki_p12_opts *opts,
                     struct ucpki_err *e);

/* Decode a PKCS#12 file into entries: each key with its certificate
 * (matched by localKeyId, else by public key) and chain (by issuer), alias
 * from the friendlyName; certificates that belong to no chain or carry the
 * trusted mark become trusted entries. Missing aliases are made up from the
 * entry number ("1", "2", ...) as keytool does. Bags that make no such
 * entry (secret keys, keys without a certificate, CRL and other bags)
 * become opaque entries holding the SafeBag as stored. */
int ucpki_p12_decode(const unsigned char *data, size_t len, const char *label,
                     const char *password, struct ucpki_ksentry **out, int *n,
                     struct ucpki_err *e);

#endif
