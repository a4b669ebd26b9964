/*
 * ucpki/inspect.h - describe what a file holds, object by object, and
 * whether a key belongs to a certificate: the data `ucpki show` and
 * `ucpki match` print, for any caller to print or serve.
 *
 * A description is plain data: every string in it is owned by the
 * description and freed with it; nothing points back into the file or the
 * pack it was made from.
 */
#ifndef UCPKI_INSPECT_H
#define UCPKI_INSPECT_H

#include <stddef.h>

#include "ucpki/err.h"
#include "ucpki/formats.h"
#include "ucpki/x509.h"

/* A private or public key. */
struct ucpki_keyinfo {
	char desc[64];            /* "rsa:2048", "ec:p256", "ed25519", else the
	                             algorithm's short name */
	enum ucpki_keyenc enc;    /* private key: its encoding in the file;
	                             public key: UCPKI_KEYENC_NONE */
	char modulus_md5[33];     /* "" when the key is not RSA */
	char pubkey_sha256[65];   /* SHA-256 of the SubjectPublicKeyInfo, hex */
	int matches;              /* 1-based index of the first object of the same
	                             file that is this key's certificate; 0 = none */
};

/* A certificate request. */
struct ucpki_csrinfo {
	char *subject;            /* guide form; NULL when it does not print */
	char key_desc[64];        /* as ucpki_keyinfo.desc; "?" without a key */
	int signature_valid;      /* the request's self-signature verifies */
	struct ucpki_csr_request req; /* requested extensions (when req_error is NULL) */
	char *req_error;          /* why they do not decode, or NULL */
};

/* One revoked certificate of a CRL. */
struct ucpki_revinfo {
	char *serial;             /* upper-case hex, no colons */
	char date[32];            /* RFC 3339 UTC */
	const char *reason;       /* "keyCompromise", ...; "unspecified" when absent (static) */
};

/* A CRL. */
struct ucpki_crlinfo {
	char *issuer;             /* guide form; NULL when it does not print */
	char this_update[32], next_update[32]; /* RFC 3339 UTC */
	int has_number;           /* a cRLNumber extension is present */
	long number;
	int n_revoked;
	struct ucpki_revinfo *revoked;
};

/* One object of the file; the member of its type is filled. */
struct ucpki_objinfo {
	enum ucpki_obj type;
	const char *type_name;    /* "certificate", "private key", "certificate
	                             request", "CRL", "public key" (static) */
	char *alias;              /* alias / friendly name, or NULL */
	struct ucpki_certinfo *cert; /* UCPKI_OBJ_CERT */
	struct ucpki_keyinfo key; /* UCPKI_OBJ_KEY, UCPKI_OBJ_PUBKEY */
	struct ucpki_csrinfo csr; /* UCPKI_OBJ_CSR */
	struct ucpki_crlinfo crl; /* UCPKI_OBJ_CRL */
};

struct ucpki_fileinfo {
	enum ucpki_format format;
	const char *format_name;  /* static */
	int n;
	struct ucpki_objinfo *obj; /* n objects, in file order */
};

/* Describe every object of a loaded pack; label names the source in
 * messages. Free with ucpki_fileinfo_free(). */
struct ucpki_fileinfo *ucpki_fileinfo_new(const struct ucpki_pack *p, const char *label,
                                          struct ucpki_err *e);
/* Load (see ucpki_pack_load: password opens encrypted keys and PKCS#12)
 * and describe a file or bytes. */
struct ucpki_fileinfo *ucpki_fileinfo_load(const char *path, const char *password,
                                           struct ucpki_err *e);
struct ucpki_fileinfo *ucpki_fileinfo_load_mem(const unsigned char *data, size_t len,
                                               const char *label, const char *password,
                                               struct ucpki_err *e);
void ucpki_fileinfo_free(struct ucpki_fileinfo *fi);

/* Does the first private key of key_path belong to the first certificate
 * of cert_path? password opens either file. Fills m and returns 0 whether
 * they match or not; -1 (e filled) when a file cannot be read or holds no
 * certificate / no private key. */
struct ucpki_matchinfo {
	int match;
	char cert_modulus_md5[33], key_modulus_md5[33]; /* "" when not RSA */
	char cert_pubkey_sha256[65], key_pubkey_sha256[65];
};
int ucpki_match_files(const char *cert_path, const char *key_path, const char *password,
                      struct ucpki_matchinfo *m, struct ucpki_err *e);

#endif
