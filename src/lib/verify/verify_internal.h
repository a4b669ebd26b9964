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
	int entries_ok;     /* its entries were checked and are sound */
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

/* The rules, in the order of the table in rules.c. */
enum vrule {
	R_CHAIN_ISSUER_MISSING, R_CHAIN_SELF_SIGNED, R_CHAIN_UNTRUSTED, R_CHAIN_SIGNATURE,
	R_CHAIN_ISSUER_KEY, R_CHAIN_NOT_CA, R_CHAIN_KEYCERTSIGN, R_CHAIN_PATHLEN, R_CHAIN_MAX_DEPTH,
	R_CHAIN_POLICY, R_CHAIN_NC_PERMITTED, R_CHAIN_NC_EXCLUDED, R_CHAIN_NC_MALFORMED,
	R_CHAIN_NO_ANCHOR, R_CHAIN_OTHER,
	R_VALIDITY_EXPIRED, R_VALIDITY_NOT_YET, R_VALIDITY_MALFORMED,
	R_REV_REVOKED, R_REV_CRL_MISSING, R_REV_CRL_SIGNATURE, R_REV_CRL_ISSUER_USAGE,
	R_REV_CRL_CRITICAL, R_REV_CRL_NUMBER, R_REV_CRL_EXPIRED, R_REV_CRL_NOT_YET,
	R_REV_CRL_NEXT_UPDATE, R_REV_CRL_VERSION, R_REV_CRL_SCOPE, R_REV_CRL_DUPLICATE,
	R_REV_OCSP_REVOKED, R_REV_OCSP_UNKNOWN, R_REV_OCSP_INVALID,
	R_ID_MISMATCH, R_ID_NAME_CONSTRAINTS,
	R_EXT_UNKNOWN_CRITICAL, R_EXT_INVALID, R_EXT_KEY_USAGE, R_EXT_EKU, R_EXT_CRITICAL,
	R_EXT_NOT_CRITICAL, R_EXT_NC_NOT_CRITICAL,
	R_PUR_EKU, R_PUR_CA_EKU, R_PUR_KEY_USAGE,
	R_PRO_LEAF_CA, R_PRO_CA_BC, R_PRO_V1_CA, R_PRO_CA_KU, R_PRO_PATHLEN_NON_CA, R_PRO_AKI,
	R_PRO_SKI, R_PRO_SERIAL, R_PRO_EMPTY_NAME, R_PRO_SAN_EMPTY, R_PRO_SIGALG, R_PRO_VERSION,
	R_PRO_NC_ON_LEAF, R_PRO_NC_EMPTY, R_PRO_WEAK_KEY, R_PRO_EXPLICIT_CURVE, R_PRO_WEAK_SIG,
	R_WEB_SAN, R_WEB_EKU, R_WEB_KEY, R_WEB_SAN_CRITICAL, R_WEB_AKI,
	R_COUNT
};

/* Does the rule apply at the verdict's level? */
int rule_applies(enum vrule r, enum ucpki_level level);
const struct ucpki_verify_rule *rule_get(enum vrule r);
enum vrule rule_by_id(const char *id);

/* Record a failed rule about the certificate at position (-1: none). A rule
 * that does not apply at the verdict's level is ignored; the same rule on
 * the same certificate is kept once. */
void verdict_fail(struct ucpki_verdict *vd, enum vrule rule, int position, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
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

/* The RFC 5280 / CA/B profile of every certificate of vd->path (profile.c). */
void profile_check(const struct ucpki_verify_req *req, struct ucpki_verdict *vd);

/* Name constraints: their form (malformed or empty constraints, on a leaf)
 * and the identity actually used against every constraint on the path
 * (names.c). */
void nc_form_check(struct ucpki_verdict *vd);
void nc_identity_check(struct ucpki_verdict *vd, const char *host, const char *ip);

/* "CN=x" of a certificate, in the guide's form, into buf. */
const char *cert_subject(X509 *x, char *buf, size_t len);

#endif
