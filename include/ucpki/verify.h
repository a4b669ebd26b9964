/*
 * ucpki/verify.h - "will this device accept this certificate?"
 *
 * A verifier holds what a device has loaded (trust anchors), the revocation
 * sources (CRLs given or fetched, an OCSP responder) and the time to judge
 * at. It is built once and used for any number of certificates; it keeps a
 * cache of signatures already checked on the CA certificates it has seen,
 * so verifying many leaves under the same CA costs one signature check each.
 * A verifier is not for concurrent use: give each thread its own.
 *
 * The levels are the phones' (guide 3.12.2.3, PRODUCTS.md phone-spe):
 *   none     nothing is checked; the certificate only encrypts.
 *   trusted  chain of trust to a loaded CA, expiry of every certificate,
 *            revocation (OCSP only if an OCSP server is defined; CRLs when
 *            the caller gives or asks to fetch them). No other field.
 *   full     trusted + identity (the FQDN, IPv4 or IPv6 address in a SAN, or
 *            in the CN when the SAN names no DNS name or address, RFC 6125)
 *            satisfying every name constraint on the path + correct use of
 *            every critical extension + the RFC 5280 profile of every
 *            certificate and CRL.
 *   webpki   full + the CA/Browser Forum rules for browser-facing servers
 *            (no CN identity, SAN and EKU required, key and signature
 *            algorithms of the Baseline Requirements).
 *
 * Every rejection names the rule that failed ("chain.nc-excluded"); the
 * rules are a table (ucpki_verify_rule_at()) with their source and the
 * levels they apply to.
 *
 * Every certificate of the trust store is an anchor (a device trusts what
 * it has loaded, even an intermediate CA). Verdicts list each check with
 * pass / fail / skip and, on rejection, one line naming the certificate
 * (subject and position in the chain: [0] is the leaf) and the failed
 * check.
 *
 * ucpki_verify() returns -1 only when it cannot judge: a usage error (full
 * without a host or IP, no trust anchors at trusted/full) or a revocation
 * source that could not be read (unreachable CRL URL, an OCSP URL answering
 * something that is not OCSP). A well-formed answer that does not check out
 * (bad signature, stale, for another certificate, revoked) is a rejection.
 */
#ifndef UCPKI_VERIFY_H
#define UCPKI_VERIFY_H

#include <stddef.h>
#include <time.h>

#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "ucpki/err.h"
#include "ucpki/net.h"

enum ucpki_level { UCPKI_LEVEL_NONE = 0, UCPKI_LEVEL_TRUSTED, UCPKI_LEVEL_FULL, UCPKI_LEVEL_WEBPKI };

/* "none", "trusted", "full", "webpki" ("strict" is its alias). */
int ucpki_level_parse(const char *text, enum ucpki_level *level, struct ucpki_err *e);
const char *ucpki_level_name(enum ucpki_level level);

/* What the certificate must be good for. ANY checks no EKU unless an EKU
 * extension is critical (then at full it must fit the certificate's use). */
enum ucpki_purpose { UCPKI_PURPOSE_ANY = 0, UCPKI_PURPOSE_SERVER, UCPKI_PURPOSE_CLIENT };
int ucpki_purpose_parse(const char *text, enum ucpki_purpose *p, struct ucpki_err *e);

/* --- The verifier ------------------------------------------------------- */

struct ucpki_verify_opts {
	time_t at;              /* judge at this time; 0 = now */
	const char *ocsp;       /* OCSP responder URL, "aia" for the leaf's AIA, NULL = none */
	int fetch_crls;         /* fetch CRLs from the CRL distribution points */
	int timeout_ms;         /* network timeout for CRL / OCSP; 0 = default */
	size_t max_fetch;       /* largest CRL / OCSP answer; 0 = default */
};

struct ucpki_verifier;

/* Copies o. Free with ucpki_verifier_free(). */
struct ucpki_verifier *ucpki_verifier_new(const struct ucpki_verify_opts *o, struct ucpki_err *e);
void ucpki_verifier_free(struct ucpki_verifier *v);

/* Add trust anchors: every certificate of a file (PEM bundle, DER, PKCS#7,
 * PKCS#12, JKS truststore; password may be NULL). A file with no
 * certificate, or one that does not parse, is an error naming it. Keys in
 * the file are ignored. */
int ucpki_verifier_add_trust_file(struct ucpki_verifier *v, const char *path,
                                  const char *password, struct ucpki_err *e);
/* One anchor (the verifier takes its own reference). */
int ucpki_verifier_add_trust(struct ucpki_verifier *v, X509 *cert, struct ucpki_err *e);
int ucpki_verifier_trust_count(const struct ucpki_verifier *v);
/* The anchors (borrowed), e.g. for the CA names a test server sends. */
STACK_OF(X509) *ucpki_verifier_anchors(const struct ucpki_verifier *v);

/* Add CRLs from a file (PEM or DER, one or more). A file without a CRL is an
 * error naming it. Any CRL given makes revocation by CRL part of trusted. */
int ucpki_verifier_add_crl_file(struct ucpki_verifier *v, const char *path, struct ucpki_err *e);
int ucpki_verifier_add_crl(struct ucpki_verifier *v, X509_CRL *crl, struct ucpki_err *e);

/* --- One verification --------------------------------------------------- */

enum ucpki_check_id {
	UCPKI_CHECK_CHAIN = 0,  /* path to an anchor: issuers, signatures, CA flags, path length */
	UCPKI_CHECK_VALIDITY,   /* notBefore / notAfter of every certificate */
	UCPKI_CHECK_REVOCATION, /* CRL and OCSP */
	UCPKI_CHECK_IDENTITY,   /* host / IP against SAN and CN (full) */
	UCPKI_CHECK_EXTENSIONS, /* critical extensions known and used correctly (full) */
	UCPKI_CHECK_PURPOSE,    /* EKU / key usage fit the purpose asked */
	UCPKI_CHECK_PROFILE,    /* RFC 5280 (and at webpki CA/B Forum) certificate profile */
	UCPKI_CHECK_COUNT
};

enum ucpki_check_status { UCPKI_CHECK_SKIP = 0, UCPKI_CHECK_PASS, UCPKI_CHECK_FAIL };

const char *ucpki_check_name(enum ucpki_check_id id);           /* "chain" */
const char *ucpki_check_status_name(enum ucpki_check_status s); /* "pass" */

struct ucpki_check {
	enum ucpki_check_status status;
	int position;           /* certificate the finding is about; -1 none */
	char detail[400];       /* what was checked or why it failed */
	const char *rule;       /* the rule that failed ("revocation.ocsp-revoked"), or NULL */
};

struct ucpki_verify_req {
	X509 *leaf;                  /* borrowed */
	STACK_OF(X509) *untrusted;   /* intermediates offered with it (borrowed), or NULL */
	enum ucpki_level level;
	enum ucpki_purpose purpose;
	const char *host;            /* identity at full: DNS name ... */
	const char *ip;              /* ... or address (either may be given, or both) */
	int has_max_depth;           /* limit the path to max_depth intermediate CAs */
	int max_depth;
	unsigned key_usage;          /* keyUsage bits the leaf must allow, as ucpki_ku_parse()
	                              * gives them; 0 = none asked */
};

/* One failed rule of a verdict. */
struct ucpki_vfinding {
	const char *rule;            /* "chain.nc-excluded" (static) */
	enum ucpki_check_id check;
	int position;                /* certificate it is about; -1 none */
	char message[320];
};

#define UCPKI_MAX_VFINDINGS 24

struct ucpki_verdict {
	int accepted;
	enum ucpki_level level;
	time_t at;
	struct ucpki_check checks[UCPKI_CHECK_COUNT];
	STACK_OF(X509) *path;        /* [leaf, ..., anchor] as far as it was built; owned */
	int anchored;                /* the last certificate of path is a trust anchor */
	const char *rule;            /* the rule of the reason; NULL when accepted */
	char reason[UCPKI_ERR_MAX];  /* rejection in one line; "" when accepted */
	struct ucpki_vfinding findings[UCPKI_MAX_VFINDINGS]; /* every failed rule */
	int n_findings;
};

/* --- The rules ---------------------------------------------------------- */

struct ucpki_verify_rule {
	const char *id;              /* "profile.leaf-ca" */
	enum ucpki_check_id check;
	unsigned levels;             /* bit (1 << level) for each level it applies at */
	const char *source;          /* "RFC 5280 4.2.1.9" */
	const char *summary;         /* what it rejects, one line */
};

/* The rule table, for documentation and tests: NULL past the end. */
const struct ucpki_verify_rule *ucpki_verify_rule_at(int i);

/* Judge req->leaf. Returns 0 with *out (accepted or not), or -1 when it
 * cannot judge (see above). Free *out with ucpki_verdict_free(). */
int ucpki_verify(struct ucpki_verifier *v, const struct ucpki_verify_req *req,
                 struct ucpki_verdict **out, struct ucpki_err *e);
void ucpki_verdict_free(struct ucpki_verdict *vd);

/* Load what a user hands as the certificate to verify: a file with the
 * certificate alone or a bundle with its key and more certificates. The
 * leaf is the certificate matching the bundle's private key when there is
 * one, else the first certificate; every other certificate is appended to
 * untrusted. *leaf gets a new reference. */
int ucpki_verify_load_cert(const char *path, const char *password, X509 **leaf,
                           STACK_OF(X509) *untrusted, struct ucpki_err *e);
/* Append every certificate of a chain file to untrusted. A file holding no
 * certificate (e.g. only a key) is an error naming it. */
int ucpki_verify_load_chain(const char *path, const char *password, STACK_OF(X509) *untrusted,
                            struct ucpki_err *e);

/* One line of a batch: a certificate file name (as ucpki_verify_load_cert()),
 * or the certificate itself as base64 DER (what `openssl x509 -outform der
 * | base64 -w0` prints), which needs no file to be opened. */
int ucpki_verify_load_line(const char *line, const char *password, X509 **leaf,
                           STACK_OF(X509) *untrusted, struct ucpki_err *e);

/* The last CA certificate of a presented chain (the guide's 3.5.1 step:
 * the back-end's CA the Facade must trust), borrowed; NULL when the chain
 * holds no CA beyond its leaf. */
X509 *ucpki_chain_last_ca(STACK_OF(X509) *chain);

/* --- Identity (exposed for tests and lint) ------------------------------ */

/* When the subject CN may serve as identity. */
enum ucpki_cn_rule {
	UCPKI_CN_RFC6125 = 0,  /* only when the SAN names no DNS name and no address */
	UCPKI_CN_NEVER,        /* the SAN alone (CA/B Forum) */
};

/* Does cert name host (DNS, case-insensitive, a wildcard only as the whole
 * left-most label of a name with at least two more labels, never over a
 * public suffix) or ip (compared as an address)? Looks at SAN entries of
 * the matching type and, as cn allows, at the subject CN. Returns 1 and
 * describes the match in how, or 0 and describes the names seen. */
int ucpki_identity_match(X509 *cert, const char *host, const char *ip, enum ucpki_cn_rule cn,
                         char *how, size_t howlen);

/* Is name (DNS, no wildcard) a public suffix ("com", "co.uk")? Uses the
 * public suffix list of the system (/usr/share/publicsuffix, or the file
 * $UCPKI_PUBLIC_SUFFIX_LIST names) and, without one, a built-in list of
 * the common multi-label suffixes. */
int ucpki_is_public_suffix(const char *name);

/* --- Credentials ------------------------------------------------------- */

/* A certificate, the private key that belongs to it and the certificates
 * sent with it (MTLS clients, test servers). */
struct ucpki_credentials {
	X509 *cert;
	EVP_PKEY *key;
	STACK_OF(X509) *chain;
};

/* From a bundle holding the key (key_path NULL: PEM with key and chain,
 * PKCS#12) or a certificate file and a key file. key_pass NULL = cert_pass.
 * A key that does not belong to the certificate is an error naming both
 * files. Free with ucpki_credentials_clear(). */
int ucpki_credentials_load(const char *cert_path, const char *key_path, const char *cert_pass,
                           const char *key_pass, struct ucpki_credentials *out, struct ucpki_err *e);
void ucpki_credentials_clear(struct ucpki_credentials *cr);

/* --- Live endpoints ----------------------------------------------------- */

/* Probe one endpoint and judge what it presents: the call `solution probe`
 * makes per node. servername NULL = host when it is a DNS name. The
 * identity checked at full is identity_ip, else identity_host, else
 * servername, else host. */
struct ucpki_endpoint_opts {
	const char *host;
	int port;
	const char *servername;
	int no_sni;                       /* send no SNI (identity: servername, else host) */
	const char *identity_host;        /* identity to check instead (NULL: as above) */
	const char *identity_ip;          /* an IP address identity; wins over identity_host */
	enum ucpki_level level;
	enum ucpki_purpose purpose;       /* as for ucpki_verify() */
	int has_max_depth, max_depth;     /* as for ucpki_verify() */
	unsigned key_usage;
	X509 *client_cert;                /* MTLS (borrowed), or NULL */
	EVP_PKEY *client_key;
	STACK_OF(X509) *client_chain;
	int connect_timeout_ms, handshake_timeout_ms;
};

#define UCPKI_ENDPOINT_PATH_MAX 16
#define UCPKI_ENDPOINT_WARN_MAX 8

struct ucpki_endpoint_report {
	struct ucpki_tls_info *tls;       /* what the handshake showed; owned */
	char leaf_serial[80];             /* upper-case hex as the state stores it */
	char leaf_subject[256];
	time_t leaf_not_after;
	struct ucpki_verdict *verdict;    /* owned; NULL when no verifier was given */
	/* How the presented chain relates to the path the verdict built:
	 * path_presented[i] is the presented position of verdict->path[i], or
	 * -1 when it came from the trust store. Warnings name presented
	 * certificates out of issuer order (TLS 1.3 allows any order; TLS 1.2
	 * stacks and old phones may not) and those not needed for the path. */
	int path_presented[UCPKI_ENDPOINT_PATH_MAX];
	char warnings[UCPKI_ENDPOINT_WARN_MAX][320];
	int n_warnings;
};

/* v may be NULL (no judgement, level none). Returns -1 with e when the
 * endpoint could not be reached or does not speak TLS. Free *out with
 * ucpki_endpoint_report_free(). */
int ucpki_probe_endpoint(const struct ucpki_endpoint_opts *o, struct ucpki_verifier *v,
                         struct ucpki_endpoint_report **out, struct ucpki_err *e);
void ucpki_endpoint_report_free(struct ucpki_endpoint_report *r);

/* --- OCSP answers (exposed for the fuzz target) ------------------------- */

/* Judge DER bytes as the OCSP answer about cert (issued by issuer; more
 * certificates that may help find the responder's in untrusted) to req,
 * whose nonce must come back when the responder echoes one (req NULL: no
 * nonce was sent). Fills check with the verdict; returns -1 with e only when
 * the bytes are not an OCSP response. */
int ucpki_ocsp_judge(struct ucpki_verifier *v, const unsigned char *der, size_t len,
                     const char *label, X509 *cert, X509 *issuer, STACK_OF(X509) *untrusted,
                     OCSP_REQUEST *req, struct ucpki_check *check, struct ucpki_err *e);

#endif
