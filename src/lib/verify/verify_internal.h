/* Private structures of the verify module. */
#ifndef UCPKI_VERIFY_INTERNAL_H
#define UCPKI_VERIFY_INTERNAL_H

#include <openssl/x509.h>

#include "ucpki/verify.h"

/* A signature already checked: SHA-256 of the subject certificate and of
 * the issuer certificate. Only CA certificates are cached (a leaf is seen
 * once); only successes are kept. */
#define SIG_CACHE_MAX 256
struct sig_entry {
	unsigned char subject[32];
	unsigned char issuer[32];
};

/* A CRL with the issuer its signature was checked against. */
struct crl_entry {
	X509_CRL *crl;
	X509 *verified_by;  /* NULL until checked */
	char *source;       /* file or URL */
};

/* A CRL fetched from a distribution point, by URL. */
struct fetched {
	char *url;
	X509_CRL *crl;
};

struct ucpki_verifier {
	struct ucpki_verify_opts o;
	char *ocsp;                 /* copy of o.ocsp */
	X509_STORE *store;          /* anchors, partial chains allowed */
	STACK_OF(X509) *anchors;
	struct crl_entry *crls;
	int n_crls, cap_crls;
	int given_crls;             /* CRLs came from the caller */
	struct fetched *fetched;
	int n_fetched, cap_fetched;
	struct sig_entry cache[SIG_CACHE_MAX];
	int n_cache, next_cache;
};

/* One X509_verify_cert() run: where its callback collects findings. */
struct verify_call {
	struct ucpki_verifier *v;
	struct ucpki_verdict *vd;
	enum ucpki_level level;
	enum ucpki_purpose purpose;
};

/* Record a failed check (only the first finding per check is kept). */
void verdict_fail(struct ucpki_verdict *vd, enum ucpki_check_id id, int position,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void verdict_pass(struct ucpki_verdict *vd, enum ucpki_check_id id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The signature-and-time pass of X509_verify_cert(), with the cache. */
int cached_internal_verify(X509_STORE_CTX *ctx);

/* Revocation of vd->path (CRLs, then OCSP for the leaf). -1 when a source
 * could not be read. */
int revocation_check(struct ucpki_verifier *v, struct ucpki_verdict *vd, struct ucpki_err *e);

/* Add a CRL with its source. */
int verifier_add_crl(struct ucpki_verifier *v, X509_CRL *crl, const char *source, int given,
                     struct ucpki_err *e);

/* "CN=x" of a certificate, in the guide's form, into buf. */
const char *cert_subject(X509 *x, char *buf, size_t len);

#endif
