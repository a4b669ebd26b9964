/*
 * ucpki/ca.h - the CA engine: a state (database + passphrase), PKIs, CAs of
 * any depth, issuance, revocation and CRLs.
 *
 * A state is a directory holding ucpki.db. CA private keys live only inside
 * the database, encrypted as PKCS#8 (PBES2: scrypt N=16384 r=8 p=1,
 * AES-256-CBC) under the state passphrase. The passphrase comes from a file,
 * from the caller (e.g. $UCPKI_PASSPHRASE), or from DIR/passphrase, which
 * `init` writes 0600 when neither was given. A passphrase verifier in the
 * database turns a wrong passphrase into UCPKI_E_PASSWORD before any key is
 * touched.
 *
 * CAs are named "PKI/CA". Serial numbers are 16 random octets (127 random
 * bits after forcing a positive leading octet), unique per CA by a database
 * constraint; a collision is retried with a fresh serial.
 */
#ifndef UCPKI_CA_H
#define UCPKI_CA_H

#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "ucpki/err.h"
#include "ucpki/store.h"
#include "ucpki/x509.h"

struct ucpki_state;
struct ucpki_ca;

struct ucpki_state_opts {
	const char *dir;        /* state directory (holds ucpki.db) */
	const char *pass_file;  /* passphrase file, first line */
	const char *passphrase; /* passphrase text, used when pass_file is NULL */
	int lock_timeout_ms;    /* wait for another creator of the same new state:
	                         * 0 = UCPKI_LOCK_TIMEOUT_MS, < 0 = do not wait */
};

/* Create the state directory (0700), the database and the passphrase
 * verifier, all or nothing (ucpki_state_open_or_create() + publish).
 * Without a passphrase one is generated into DIR/passphrase (0600) and a
 * warning says so. *created is 0 when the state already existed (then
 * nothing changes; it is only checked to be a sound ucpki state). */
int ucpki_state_init(const struct ucpki_state_opts *o, int *created, struct ucpki_warnings *w,
                     struct ucpki_err *e);

/* Open the state at o->dir, or prepare a new one that exists only once the
 * caller's work succeeded ("create only at commit"). A new state (database
 * with schema, passphrase verifier, generated DIR/passphrase) is built in a
 * staging directory "DIR.tmp-PID-XXXXXX" beside DIR while holding the lock
 * DIR.lock (ucpki_lock_acquire(), o->lock_timeout_ms); the caller writes its
 * first rows through the returned state as usual, then calls
 * ucpki_state_publish(), which renames the staged state into place (into an
 * existing empty or database-less DIR the database moves last) and releases
 * the lock. ucpki_state_free() without a successful publish removes the
 * staging directory: a failed command leaves no state at all. A second
 * process creating the same state waits on the lock and then opens what the
 * first one published. Staging directories of dead processes are removed
 * by the next creator. For an existing state this is ucpki_state_open()
 * and publish is a no-op. Free with ucpki_state_free(). */
struct ucpki_state *ucpki_state_open_or_create(const struct ucpki_state_opts *o,
                                               struct ucpki_warnings *w, struct ucpki_err *e);
/* Make a state from ucpki_state_open_or_create() visible at its directory
 * (see above); 0 at once for a state that already existed. Call it outside
 * any store transaction. */
int ucpki_state_publish(struct ucpki_state *st, struct ucpki_err *e);
/* 1 while st is a new state not yet published. */
int ucpki_state_is_new(const struct ucpki_state *st);

/* Open an existing state. Free with ucpki_state_free(). */
struct ucpki_state *ucpki_state_open(const struct ucpki_state_opts *o, struct ucpki_err *e);
void ucpki_state_free(struct ucpki_state *st);

/* The state's store (borrowed; valid until ucpki_state_free()). */
struct ucpki_store *ucpki_state_store(struct ucpki_state *st);
const char *ucpki_state_dir(const struct ucpki_state *st);

/* Check the passphrase against the verifier now (otherwise done lazily). */
int ucpki_state_check_passphrase(struct ucpki_state *st, struct ucpki_err *e);

/* --- Checking and backing up a state -------------------------------------- */

struct ucpki_state_problem {
	const char *kind;    /* "integrity", "passphrase", "ca", "duplicate", "der",
	                      * "serial", "issuer", "signature", "not_after", "crl",
	                      * "undelivered", "store" */
	const char *ca;      /* "PKI/CA", or "" */
	const char *serial;  /* "" when not about one certificate */
	const char *message; /* one line naming the CA, serial and problem */
};
/* Called once per problem (the strings are valid during the call); a
 * non-zero return stops the check. */
typedef int (*ucpki_problem_cb)(void *arg, const struct ucpki_state_problem *p);

struct ucpki_state_counts {
	int cas, certs, crls;  /* rows checked */
	int problems;          /* problems reported, undelivered included */
	int undelivered;       /* certificates issued but never delivered */
};

/* Check the whole state: PRAGMA integrity_check; the passphrase against the
 * verifier and each CA key against its certificate; per CA, serials unique
 * (compared as numbers), every certificate row's DER parses and its serial,
 * issuer, signature and notAfter agree with the row; CRL rows parse, carry
 * their number, are signed by the CA, increase in number and time, the CA's
 * counter is not behind them, and every certificate revoked before the
 * latest CRL is in it; rows left "pending" by an interrupted issue are
 * reported as "undelivered". Returns 0 when the check ran (problems are
 * then in n->problems), -1 when it could not run. */
int ucpki_state_check(struct ucpki_state *st, ucpki_problem_cb cb, void *arg,
                      struct ucpki_state_counts *n, struct ucpki_err *e);

/* A consistent online copy of the state database into path (SQLite backup
 * API, written to "path.tmp-PID-XXXXXX", fsync'ed, mode 0600, then renamed);
 * an existing path is refused with UCPKI_E_EXISTS unless force. The copy
 * is a complete ucpki.db: put it into a directory as ucpki.db to open it. */
int ucpki_state_backup(struct ucpki_state *st, const char *path, int force,
                       struct ucpki_err *e);

/* --- PKIs and CAs ------------------------------------------------------- */

int ucpki_pki_create(struct ucpki_state *st, const char *name, const char *description,
                     struct ucpki_err *e);

struct ucpki_ca_opts {
	const char *ref;         /* "PKI/CA" */
	const char *subject;     /* DN */
	const char *key;         /* key spec, default rsa:2048 */
	const char *hash;        /* default sha256 */
	const char *parent;      /* "PKI/CA" of the signing CA; NULL = self-signed root */
	const char *critical, *noncritical;
	int days;                /* default 3650 */
	int pathlen;             /* -1 = none (or the parent's limit minus one) */
	int no_2038;
};

int ucpki_ca_create(struct ucpki_state *st, const struct ucpki_ca_opts *o,
                    struct ucpki_warnings *w, struct ucpki_err *e);

/* Import a CA certificate with its key (and chain) from PKCS#12 bytes;
 * label names the source in messages. */
int ucpki_ca_import_p12(struct ucpki_state *st, const char *ref, const unsigned char *p12,
                        size_t len, const char *password, const char *label,
                        struct ucpki_warnings *w, struct ucpki_err *e);

struct ucpki_ca_summary {
	const char *pki, *name, *parent; /* parent "" for a root or import */
	const char *subject;
	time_t not_after;
	int depth;                       /* 0 = root (or import) */
	int pathlen;                     /* -1 = none */
	const char *key;                 /* "rsa:2048" */
	int imported;
};
typedef int (*ucpki_ca_summary_cb)(void *arg, const struct ucpki_ca_summary *s);

int ucpki_ca_list(struct ucpki_state *st, ucpki_ca_summary_cb cb, void *arg,
                  struct ucpki_err *e);

/* Load a CA. The key is decrypted on first use. Free with ucpki_ca_free(). */
struct ucpki_ca *ucpki_ca_open(struct ucpki_state *st, const char *ref, struct ucpki_err *e);
void ucpki_ca_free(struct ucpki_ca *ca);

/* Borrowed: the CA certificate and its chain [ca, parent, ..., root]. */
X509 *ucpki_ca_cert(const struct ucpki_ca *ca);
STACK_OF(X509) *ucpki_ca_chain(const struct ucpki_ca *ca);
const char *ucpki_ca_ref(const struct ucpki_ca *ca);

/* PEM text of the CA certificate, or of its whole chain up to the root.
 * Free with free(). */
int ucpki_ca_export_pem(const struct ucpki_ca *ca, int with_chain, char **pem, size_t *len,
                        struct ucpki_err *e);

/* Load and decrypt the CA key now (to fail early on a wrong passphrase). */
int ucpki_ca_unlock(struct ucpki_ca *ca, struct ucpki_err *e);

/* --- Issuance ----------------------------------------------------------- */

struct ucpki_issued {
	X509 *cert;       /* owned */
	EVP_PKEY *key;    /* owned; NULL when the caller supplied the public key */
	char serial[64];  /* upper-case hex */
	char *csr_sans;   /* owned; the CSR's requested subjectAltName when it was
	                   * copied into the certificate ("DNS:a, IP Address:b"),
	                   * else NULL */
};

/* Issue a certificate for pubkey (NULL: generate a key of the spec's key
 * type into out->key). subject overrides the spec's subject. Records the
 * certificate in the state. */
int ucpki_ca_issue(struct ucpki_ca *ca, const struct ucpki_certspec *spec, EVP_PKEY *pubkey,
                   const X509_NAME *subject, struct ucpki_issued *out,
                   struct ucpki_warnings *w, struct ucpki_err *e);

/* Sign a CSR after checking its self-signature; the spec's subject (if any)
 * replaces the CSR's. A spec without subjectAltName entries takes the ones
 * the CSR requests (out->csr_sans says so); the spec's own win. A CSR that
 * requests a CA certificate (basicConstraints CA:TRUE) is refused with
 * UCPKI_E_POLICY before anything is recorded. Other requested extensions
 * are not copied: the spec decides. label names the CSR in messages. */
int ucpki_ca_sign_csr(struct ucpki_ca *ca, const struct ucpki_certspec *spec, X509_REQ *csr,
                      const char *label, struct ucpki_issued *out, struct ucpki_warnings *w,
                      struct ucpki_err *e);

void ucpki_issued_clear(struct ucpki_issued *out);

/* A signing context for one thread: OpenSSL 3 fetches the algorithms on
 * every signature set-up, so a thread that signs many certificates keeps
 * one prepared context per CA and digest. Free with ucpki_ca_signer_free(). */
struct ucpki_ca_signer;
struct ucpki_ca_signer *ucpki_ca_signer_new(void);
void ucpki_ca_signer_free(struct ucpki_ca_signer *sg);

/* Build and sign a certificate for pubkey without recording it, with a
 * fresh serial and validity from now (0 = time(NULL)). Several threads may
 * call it at once on one CA once ucpki_ca_unlock() succeeded, each with its
 * own signer (or NULL); record the result with ucpki_ca_record() from the
 * thread that owns the state. */
int ucpki_ca_sign_unrecorded(const struct ucpki_ca *ca, struct ucpki_ca_signer *sg,
                             const struct ucpki_certspec *spec, EVP_PKEY *pubkey,
                             const X509_NAME *subject, time_t now, struct ucpki_issued *out,
                             struct ucpki_warnings *w, struct ucpki_err *e);
/* Record a certificate made by ucpki_ca_sign_unrecorded() in the state
 * (UCPKI_E_EXISTS if its serial is already taken). */
int ucpki_ca_record(struct ucpki_ca *ca, const struct ucpki_issued *in, const char *profile,
                    struct ucpki_err *e);

/* Note where a certificate's files went (the delivery column, see
 * struct ucpki_cert_rec): UCPKI_DELIVERY_PENDING in the transaction that
 * records it, then "written: FILES" once they are renamed into place. A
 * row left pending was issued but never delivered ('ucpki state check'
 * reports it); its key was never kept, so revoke it. */
int ucpki_ca_set_delivery(struct ucpki_ca *ca, const char *serial, const char *delivery,
                          struct ucpki_err *e);

/* The CA's private key, unlocked (borrowed; valid until ucpki_ca_free()).
 * For handing a subordinate CA to a product that runs its own PKI (the DLS
 * internal CA, guide 3.12.1.1). */
EVP_PKEY *ucpki_ca_key(struct ucpki_ca *ca, struct ucpki_err *e);

/* Issue many certificates in one transaction (faster; all or nothing). */
int ucpki_ca_batch_begin(struct ucpki_ca *ca, struct ucpki_err *e);
int ucpki_ca_batch_commit(struct ucpki_ca *ca, struct ucpki_err *e);
void ucpki_ca_batch_abort(struct ucpki_ca *ca);

/* --- Revocation --------------------------------------------------------- */

/* RFC 5280 5.3.1 CRLReason names: unspecified, keyCompromise, cACompromise,
 * affiliationChanged, superseded, cessationOfOperation, certificateHold,
 * privilegeWithdrawn, aACompromise. */
int ucpki_reason_parse(const char *name, int *reason, struct ucpki_err *e);
const char *ucpki_reason_name(int reason);

/* Normalise a serial typed by a user ("0A:1B..", "0x0a1b", "a1b") to the
 * stored upper-case hex. */
int ucpki_serial_normalize(const char *text, char *out, size_t len, struct ucpki_err *e);

int ucpki_ca_revoke(struct ucpki_ca *ca, const char *serial, int reason, time_t when,
                    struct ucpki_err *e);

/* A signed v2 CRL with every revoked certificate of the CA, the next CRL
 * number, AKI, thisUpdate = now, nextUpdate = now + days. The number and
 * the CRL itself (crl table) are written in one transaction; inside the
 * caller's transaction (ucpki_store_begin()) they stay undone until the
 * caller commits, so a CRL that could not be delivered consumes no number.
 * Free with X509_CRL_free(). */
X509_CRL *ucpki_ca_crl(struct ucpki_ca *ca, int days, const char *hash,
                       struct ucpki_warnings *w, struct ucpki_err *e);

/* --- Listing ------------------------------------------------------------ */

typedef int (*ucpki_issued_cb)(void *arg, const char *ca_ref, const struct ucpki_cert_rec *r);

/* Certificates issued by ca_ref (NULL = all CAs); expiring_days >= 0 keeps
 * those whose notAfter is within that many days from now. */
int ucpki_certs_list(struct ucpki_state *st, const char *ca_ref, int expiring_days,
                     ucpki_issued_cb cb, void *arg, struct ucpki_err *e);

#endif
