/* Private structures of the CA engine. */
#ifndef UCPKI_CA_INTERNAL_H
#define UCPKI_CA_INTERNAL_H

#include "ucpki/ca.h"
#include "ucpki/file.h"

struct ucpki_state {
	char *dir;
	char *db_path;
	struct ucpki_store *store;
	char *pass;          /* NULL until resolved */
	int pass_checked;
	int pass_missing;    /* no source gave a passphrase */
	char *stage;         /* a new state's staging directory until published */
	int pass_generated;  /* the staging directory holds a generated passphrase */
	struct ucpki_lock *lock; /* held on DIR while a new state is staged */
};

struct ucpki_ca {
	struct ucpki_state *st;
	struct ucpki_ca_rec rec;
	char *ref;           /* "PKI/CA" */
	X509 *cert;
	STACK_OF(X509) *chain; /* [cert, parent, ..., root] */
	EVP_PKEY *key;       /* NULL until unlocked */
	/* The CA's own signer for issuance from this thread. */
	struct ucpki_ca_signer *signer;
};

/* A signing context initialised once per CA and digest and copied for each
 * certificate: OpenSSL 3 fetches algorithms on every DigestSignInit. One
 * per thread (see ucpki_ca_signer_new()). */
struct ucpki_ca_signer {
	const struct ucpki_ca *ca;
	const EVP_MD *md;
	EVP_MD_CTX *tmpl;
};

/* Sign cert with the CA key and md through sg (NULL: a one-off context). */
int signer_sign(struct ucpki_ca_signer *sg, const struct ucpki_ca *ca, X509 *cert,
                const EVP_MD *md, struct ucpki_err *e);

/* Sign cert with the CA key and md through the CA's own signer. */
int ca_sign_cert(struct ucpki_ca *ca, X509 *cert, const EVP_MD *md, struct ucpki_err *e);

/* Encrypt / decrypt a CA key under the state passphrase. */
int state_key_encrypt(struct ucpki_state *st, EVP_PKEY *key, unsigned char **der,
                      size_t *len, struct ucpki_err *e);
EVP_PKEY *state_key_decrypt(struct ucpki_state *st, const unsigned char *der, size_t len,
                            const char *label, struct ucpki_err *e);

/* Split "PKI/CA" into its parts (validated names). */
int ca_ref_split(const char *ref, char *pki, size_t pkilen, char *ca, size_t calen,
                 struct ucpki_err *e);
int ucpki_name_check(const char *what, const char *name, struct ucpki_err *e);

/* Random positive serial of UCPKI_SERIAL_LEN octets, and its hex. */
#define UCPKI_SERIAL_LEN 16
int serial_new(unsigned char serial[UCPKI_SERIAL_LEN], char hex[2 * UCPKI_SERIAL_LEN + 1],
               struct ucpki_err *e);
/* Upper-case hex of a certificate's serial (no colons) into buf. */
int serial_hex_of(const X509 *cert, char *buf, size_t len);

/* Record a certificate in the cert table. */
int record_cert(struct ucpki_state *st, int64_t ca_id, X509 *cert, const char *serial,
                const char *profile, struct ucpki_err *e);

/* The signature digest to use with key (NULL for Ed25519). */
const EVP_MD *sig_md_for(EVP_PKEY *key, const EVP_MD *wanted, struct ucpki_warnings *w);

/* A CA about to be stored: its certificate, key and where it hangs. */
struct new_ca {
	int64_t pki_id;
	const char *name;
	X509 *cert;
	EVP_PKEY *key;
	int64_t parent_id;
	const unsigned char *chain; /* PEM above it (imports) */
	size_t chain_len;
	int64_t signer_id;          /* issuer of cert; 0 = the new CA, -1 = not ours */
	const char *serial;
};

/* Write the CA row and its certificate row, in the caller's transaction. */
int store_new_ca(struct ucpki_state *st, const struct new_ca *n, struct ucpki_err *e);
int lookup_pki(struct ucpki_state *st, const char *pki, int64_t *id, struct ucpki_err *e);

#define NAME_MAX_LEN 64

#endif
