/*
 * ucpki/x509.h - names, key specs and certificate templates.
 *
 * Everything here is pure: no state, no files. Inputs are the spellings
 * users type (DNs in the guide's "C=US, ST=FL, CN=x" form or openssl's
 * "/C=US/ST=FL/CN=x" form, "DNS:a,IP:b" SAN lists, "rsa:2048" key specs);
 * outputs are OpenSSL objects the caller owns and frees with the usual
 * OpenSSL destructor named in each comment.
 */
#ifndef UCPKI_X509_H
#define UCPKI_X509_H

#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ucpki/err.h"

/* --- Distinguished names ------------------------------------------------ */

/* Parse a DN in either form. When the DN holds "CN=?" (a template, guide
 * 3.12.1.2) cn fills it; cn given for a DN without "?" or a "?" left unfilled
 * is an error. Free the result with X509_NAME_free(). */
X509_NAME *ucpki_dn_parse(const char *text, const char *cn, struct ucpki_err *e);

/* "C=US, ST=FL, O=Acme, CN=x" (the guide's form). Free with free(). */
char *ucpki_dn_string(const X509_NAME *name);

/* The last CN of the name, or NULL. Free with free(). */
char *ucpki_dn_cn(const X509_NAME *name);

/* --- Names, usages ------------------------------------------------------ */

/* 1 if s is a syntactically valid DNS name (optionally with one left-most
 * "*." wildcard label when allow_wildcard), else 0. */
int ucpki_is_dns_name(const char *s, int allow_wildcard);

/* 1 if s parses as an IPv4 or IPv6 address; fills out (4 or 16 bytes). */
int ucpki_parse_ip(const char *s, unsigned char out[16], int *len);

/* Add the entries of "DNS:a,IP:1.2.3.4,IP:fd00::1,URI:https://x,email:a@b"
 * to names (created if *names is NULL). Duplicates are dropped. */
int ucpki_san_add(GENERAL_NAMES **names, const char *list, struct ucpki_err *e);

/* "DNS:a, IP Address:1.2.3.4" style text of a SAN list. Free with free(). */
char *ucpki_san_string(const GENERAL_NAMES *names);

/* keyUsage by name (digitalSignature, nonRepudiation, keyEncipherment,
 * dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly,
 * decipherOnly), comma separated, into a mask of (1 << bit number) using the
 * UCPKI_KU_* values below. */
#define UCPKI_KU_DIGITAL_SIGNATURE (1u << 0)
#define UCPKI_KU_NON_REPUDIATION   (1u << 1)
#define UCPKI_KU_KEY_ENCIPHERMENT  (1u << 2)
#define UCPKI_KU_DATA_ENCIPHERMENT (1u << 3)
#define UCPKI_KU_KEY_AGREEMENT     (1u << 4)
#define UCPKI_KU_KEY_CERT_SIGN     (1u << 5)
#define UCPKI_KU_CRL_SIGN          (1u << 6)
#define UCPKI_KU_ENCIPHER_ONLY     (1u << 7)
#define UCPKI_KU_DECIPHER_ONLY     (1u << 8)
int ucpki_ku_parse(const char *list, unsigned *bits, struct ucpki_err *e);

/* extendedKeyUsage by name (serverAuth, clientAuth, codeSigning,
 * emailProtection, timeStamping, OCSPSigning) or dotted OID. Free with
 * sk_ASN1_OBJECT_pop_free(..., ASN1_OBJECT_free). */
STACK_OF(ASN1_OBJECT) *ucpki_eku_parse(const char *list, struct ucpki_err *e);

/* --- Keys and hashes ---------------------------------------------------- */

enum ucpki_keytype { UCPKI_KEY_RSA = 1, UCPKI_KEY_EC, UCPKI_KEY_ED25519 };

struct ucpki_keyspec {
	enum ucpki_keytype type;
	int bits;        /* RSA modulus bits, EC field bits, 255 for Ed25519 */
	int curve_nid;   /* EC only */
};

/* "rsa:1024".."rsa:4096", "ec:p256", "ec:p384", "ed25519". rsa:1024 warns. */
int ucpki_keyspec_parse(const char *text, struct ucpki_keyspec *ks,
                        struct ucpki_warnings *w, struct ucpki_err *e);
/* Canonical spelling ("rsa:2048", "ec:p256", "ed25519") into buf. */
const char *ucpki_keyspec_string(const struct ucpki_keyspec *ks, char *buf, size_t len);
/* Describe an existing key the same way; 0 if it is none of the kinds. */
int ucpki_keyspec_of(const EVP_PKEY *key, struct ucpki_keyspec *ks);
/* Generate a new key. Free with EVP_PKEY_free(). */
EVP_PKEY *ucpki_key_generate(const struct ucpki_keyspec *ks, struct ucpki_err *e);

/* Generate n keys of one spec on up to threads threads (key generation is
 * the slow part of bulk issuance). Fills out[0..n); on failure frees what
 * it made and leaves out zeroed. Free each with EVP_PKEY_free(). */
int ucpki_keys_generate(const struct ucpki_keyspec *ks, int n, int threads, EVP_PKEY **out,
                        struct ucpki_err *e);

/* "sha256", "sha384", "sha512", "sha1" (warns). */
int ucpki_hash_parse(const char *text, const EVP_MD **md, struct ucpki_warnings *w,
                     struct ucpki_err *e);

/* --- Certificate templates ---------------------------------------------- */

/* Extensions whose criticality a template controls. */
enum ucpki_ext {
	UCPKI_EXT_BC = 0x01,   /* basicConstraints */
	UCPKI_EXT_KU = 0x02,   /* keyUsage */
	UCPKI_EXT_EKU = 0x04,  /* extendedKeyUsage */
	UCPKI_EXT_SAN = 0x08,  /* subjectAltName */
	UCPKI_EXT_SKI = 0x10,  /* subjectKeyIdentifier (never critical) */
	UCPKI_EXT_AKI = 0x20   /* authorityKeyIdentifier (never critical) */
};

/* Parse "bc,ku,eku,san" (or the long names) into a mask of enum ucpki_ext. */
int ucpki_ext_mask_parse(const char *list, unsigned *mask, struct ucpki_err *e);

/* What a caller asks for, as users spell it. Unset (NULL / 0 / -1) fields
 * take the defaults of the base profile: "server" (the guide's section 6
 * server.cnf) or "ca" (section 6 ca.cnf). */
struct ucpki_certspec_opts {
	const char *base;        /* "server" (default), "client", "ca" */
	const char *subject;     /* DN, either form */
	const char *template_dn; /* DN with CN=?, filled by cn */
	const char *cn;
	const char *san;         /* "DNS:a,IP:b,..." */
	const char *eku;         /* "serverAuth,clientAuth"; "" = none */
	const char *ku;          /* "digitalSignature,..."; NULL = base default */
	const char *key;         /* key spec; NULL = rsa:2048 */
	const char *hash;        /* NULL = sha256 */
	const char *critical;    /* extensions to mark critical */
	const char *noncritical; /* extensions to mark non-critical */
	const char *profile;     /* recorded with the certificate */
	int days;                /* 0 = base default (1825 server, 3650 ca) */
	int pathlen;             /* CA only; -1 = no limit */
	int no_2038;             /* clamp notAfter before 2038 (rule R5) */
	int no_cn_san;           /* don't copy an FQDN/IP CN into the SAN */
	int aki_keyid_only;      /* AKI without issuer name + serial */
};

struct ucpki_certspec;

/* Parse and check everything once; reuse the spec for many certificates.
 * Free with ucpki_certspec_free(). */
struct ucpki_certspec *ucpki_certspec_new(const struct ucpki_certspec_opts *o,
                                          struct ucpki_warnings *w, struct ucpki_err *e);
void ucpki_certspec_free(struct ucpki_certspec *spec);

/* A copy of spec whose subjectAltName entries are sans (copied; NULL =
 * none), e.g. the names a CSR requests. Free with ucpki_certspec_free(). */
struct ucpki_certspec *ucpki_certspec_with_sans(const struct ucpki_certspec *spec,
                                                const GENERAL_NAMES *sans, struct ucpki_err *e);
/* 1 if the spec names subjectAltName entries of its own (--san). */
int ucpki_certspec_has_sans(const struct ucpki_certspec *spec);

int ucpki_certspec_is_ca(const struct ucpki_certspec *spec);
const struct ucpki_keyspec *ucpki_certspec_keyspec(const struct ucpki_certspec *spec);
/* Signature hash (ignored for Ed25519 issuers) and validity in days. */
const EVP_MD *ucpki_certspec_md(const struct ucpki_certspec *spec);
int ucpki_certspec_days(const struct ucpki_certspec *spec);
/* The subject the spec names, or NULL (then a CSR must supply it). */
const X509_NAME *ucpki_certspec_subject(const struct ucpki_certspec *spec);
const char *ucpki_certspec_profile(const struct ucpki_certspec *spec);

/* Build an unsigned certificate for pubkey. issuer NULL means self-issued
 * (the subject is the issuer). subject overrides the spec's subject (for a
 * CSR). serial is big-endian. notBefore = now; notAfter = now + days,
 * clamped to not_after_max when that is non-zero and earlier (warned), and
 * before 2038 when the spec asks. Free with X509_free(). */
X509 *ucpki_cert_build(const struct ucpki_certspec *spec, EVP_PKEY *pubkey,
                       const X509_NAME *subject, const X509 *issuer,
                       const unsigned char *serial, size_t serial_len, time_t now,
                       time_t not_after_max, struct ucpki_warnings *w, struct ucpki_err *e);

/* The latest notAfter the guide tolerates for 32-bit clocks (section 3.1.5:
 * "not into or past 2038"): 2037-12-31T23:59:59Z. */
#define UCPKI_2038_LIMIT ((time_t)2145916799)

/* --- Inspection --------------------------------------------------------- */

struct ucpki_ext_info {
	char *name;      /* "X509v3 Key Usage" */
	char *oid;       /* short name or dotted OID */
	int critical;
	char *value;     /* as openssl x509 -text prints it */
};

struct ucpki_certinfo {
	int version;                 /* 1..3 */
	char *serial;                /* upper-case hex, colon separated */
	char *subject, *issuer;      /* guide form */
	char *not_before, *not_after;/* RFC 3339 UTC */
	time_t not_before_t, not_after_t;
	char *sig_alg;
	char *key_desc;              /* "RSA 2048", "EC P-256", "ED25519" */
	char *sans;                  /* "" when none */
	int is_ca, pathlen, self_signed;
	char sha1[60], sha256[96];   /* colon-separated upper-case hex */
	char modulus_md5[33];        /* "" when the key is not RSA */
	int n_ext;
	struct ucpki_ext_info *ext;
};

/* Describe cert. Free with ucpki_certinfo_free(). */
struct ucpki_certinfo *ucpki_certinfo_new(X509 *cert, struct ucpki_err *e);
void ucpki_certinfo_free(struct ucpki_certinfo *ci);

/* What a certificate request asks for in its extensionRequest attribute
 * (RFC 2985 5.4.2): the requested names and CA flag as data, every
 * requested extension as show prints it. Requests are only requests: the
 * issuer decides what goes into the certificate: ucpki_ca_sign_csr(). */
struct ucpki_csr_request {
	GENERAL_NAMES *sans;         /* requested subjectAltName, or NULL; owned */
	int ca;                      /* basicConstraints with CA:TRUE requested */
	int n_ext;
	struct ucpki_ext_info *ext;  /* every requested extension, in request order */
};

/* Read req's requested extensions into r (zeroed first). label names the
 * request in messages. Fails with UCPKI_E_INPUT when the attribute does not
 * decode. Release with ucpki_csr_request_clear(). */
int ucpki_csr_request_read(X509_REQ *req, const char *label, struct ucpki_csr_request *r,
                           struct ucpki_err *e);
void ucpki_csr_request_clear(struct ucpki_csr_request *r);

/* Hex digest "AB:CD:..." of the DER certificate into out (3 * size). */
int ucpki_fingerprint(const X509 *cert, const EVP_MD *md, char *out, size_t outlen);

/* MD5 of openssl's "Modulus=HEX\n" line, as the guide computes it with
 * `openssl x509 -modulus -noout | openssl md5` (section 3.5.1). Returns -1
 * (and leaves out empty) when the key is not RSA. */
int ucpki_modulus_md5(const EVP_PKEY *key, char out[33]);

/* SHA-256 of the DER SubjectPublicKeyInfo, hex; works for every key type. */
int ucpki_pubkey_sha256(const EVP_PKEY *key, char out[65]);

/* 1 if key is the private key of cert's public key, else 0. */
int ucpki_key_matches_cert(X509 *cert, EVP_PKEY *key);

/* RFC 3339 UTC text of t into buf ("2026-01-02T03:04:05Z"). */
const char *ucpki_time_string(time_t t, char *buf, size_t len);
/* Parse RFC 3339 UTC ("2026-01-02T03:04:05Z", also with an offset or a plain
 * date "2026-01-02"). */
int ucpki_time_parse(const char *text, time_t *t, struct ucpki_err *e);
/* ASN1_TIME -> time_t. */
int ucpki_asn1_time_to_t(const ASN1_TIME *a, time_t *t);

#endif
