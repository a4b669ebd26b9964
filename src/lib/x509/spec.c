/*
 * Certificate templates: what goes into a certificate, parsed once from the
 * user's spellings, then stamped onto as many certificates as needed.
 *
 * The base profiles reproduce the guide's section 6 configuration files
 * (rule R9) extension for extension, in the same order openssl writes them:
 *   ca.cnf     keyUsage keyCertSign,cRLSign; SKI hash; AKI keyid:always,
 *              issuer:always; basicConstraints CA:true; 3650 days
 *   server.cnf keyUsage keyEncipherment,digitalSignature,nonRepudiation; SKI;
 *              AKI keyid:always,issuer:always; basicConstraints CA:false;
 *              subjectAltName; 1825 days
 * One deliberate difference: a CA's basicConstraints is marked critical, as
 * RFC 5280 4.2.1.9 requires (and as every product in the guide accepts,
 * OpenScape Branch/SBC V8 included); --non-critical bc restores the guide's
 * exact encoding.
 *
 * The guide's server.cnf is written for RSA keys. An EC or Ed25519/Ed448
 * key cannot encipher a key (RFC 5480 3, RFC 8410 5), so an end entity with
 * such a key gets keyUsage digitalSignature by default, and an explicit
 * keyEncipherment or dataEncipherment for it is refused.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>

#include "ucpki/x509.h"
#include "x509/x509_internal.h"

struct base_profile {
	const char *name;
	int is_ca;
	unsigned ku;
	const char *eku;
	int days;
	unsigned critical;
};

static const struct base_profile bases[] = {
	{"server", 0, UCPKI_KU_KEY_ENCIPHERMENT | UCPKI_KU_DIGITAL_SIGNATURE | UCPKI_KU_NON_REPUDIATION,
	 NULL, 1825, 0},
	{"client", 0, UCPKI_KU_DIGITAL_SIGNATURE | UCPKI_KU_KEY_ENCIPHERMENT, "clientAuth", 1825, 0},
	{"ca", 1, UCPKI_KU_KEY_CERT_SIGN | UCPKI_KU_CRL_SIGN, NULL, 3650, UCPKI_EXT_BC},
};

struct ucpki_certspec {
	const struct base_profile *base;
	X509_NAME *subject;
	GENERAL_NAMES *sans;
	STACK_OF(ASN1_OBJECT) *eku; /* NULL = no EKU extension */
	unsigned ku;
	int ku_given;               /* ku is the caller's, not the base's default */
	unsigned critical;
	int days, pathlen, no_2038, no_cn_san, aki_keyid_only;
	struct ucpki_keyspec ks;
	const EVP_MD *md;
	char *profile;
};

static const struct base_profile *find_base(const char *name)
{
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (strcmp(bases[i].name, name) == 0)
			return &bases[i];
	return NULL;
}

void ucpki_certspec_free(struct ucpki_certspec *s)
{
	if (s == NULL)
		return;
	X509_NAME_free(s->subject);
	GENERAL_NAMES_free(s->sans);
	sk_ASN1_OBJECT_pop_free(s->eku, ASN1_OBJECT_free);
	free(s->profile);
	free(s);
}

static int parse_subject(struct ucpki_certspec *s, const struct ucpki_certspec_opts *o,
                         struct ucpki_err *e)
{
	if (o->subject && o->template_dn)
		return ucpki_err_set(e, UCPKI_E_INPUT, "give either a subject or a template, not both");
	if (o->template_dn) {
		if (o->cn == NULL)
			return ucpki_err_set(e, UCPKI_E_INPUT, "a DN template needs a CN value");
		s->subject = ucpki_dn_parse(o->template_dn, o->cn, e);
		return s->subject ? 0 : -1;
	}
	if (o->cn && !o->subject)
		return ucpki_err_set(e, UCPKI_E_INPUT, "a CN value fills a DN template: the template is missing");
	if (o->subject) {
		s->subject = ucpki_dn_parse(o->subject, NULL, e);
		return s->subject ? 0 : -1;
	}
	return 0;
}

static int parse_criticality(struct ucpki_certspec *s, const struct ucpki_certspec_opts *o,
                             struct ucpki_err *e)
{
	unsigned on = 0, off = 0;

	if (ucpki_ext_mask_parse(o->critical, &on, e) != 0 ||
	    ucpki_ext_mask_parse(o->noncritical, &off, e) != 0)
		return -1;
	if (on & off)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "an extension is listed as both critical and non-critical");
	if (on & (UCPKI_EXT_SKI | UCPKI_EXT_AKI))
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "subject/authority key identifiers must not be critical "
		                     "(RFC 5280 4.2.1.1, 4.2.1.2)");
	s->critical = (s->base->critical | on) & ~off;
	return 0;
}

struct ucpki_certspec *ucpki_certspec_new(const struct ucpki_certspec_opts *o,
                                          struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct ucpki_certspec *s = calloc(1, sizeof(*s));
	const char *eku;

	if (s == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if ((s->base = find_base(o->base ? o->base : "server")) == NULL) {
		ucpki_err_set(e, UCPKI_E_INPUT, "unknown base profile '%s' (server, client, ca)",
		              o->base);
		goto fail;
	}
	if (parse_subject(s, o, e) != 0 || parse_criticality(s, o, e) != 0)
		goto fail;
	if (o->san && s->base->is_ca) {
		ucpki_err_set(e, UCPKI_E_INPUT, "CA certificates take no subject alternative names");
		goto fail;
	}
	if (ucpki_san_add(&s->sans, o->san, e) != 0)
		goto fail;
	s->ku = s->base->ku;
	if (o->ku && ucpki_ku_parse(o->ku, &s->ku, e) != 0)
		goto fail;
	s->ku_given = o->ku != NULL;
	eku = o->eku ? o->eku : s->base->eku;
	if (eku && *eku && (s->eku = ucpki_eku_parse(eku, e)) == NULL)
		goto fail;
	if (ucpki_keyspec_parse(o->key ? o->key : "rsa:2048", &s->ks, w, e) != 0)
		goto fail;
	if (ucpki_hash_parse(o->hash ? o->hash : "sha256", &s->md, w, e) != 0)
		goto fail;
	if (o->days < 0 || o->days > 36500) {
		ucpki_err_set(e, UCPKI_E_INPUT, "a validity of %d days is out of range (1..36500)", o->days);
		goto fail;
	}
	s->days = o->days ? o->days : s->base->days;
	if (!s->base->is_ca && o->pathlen >= 0 && o->pathlen != 0) {
		ucpki_err_set(e, UCPKI_E_INPUT, "a path length applies to CA certificates only");
		goto fail;
	}
	s->pathlen = s->base->is_ca ? o->pathlen : -1;
	s->no_2038 = o->no_2038;
	s->no_cn_san = o->no_cn_san;
	s->aki_keyid_only = o->aki_keyid_only;
	if ((s->profile = strdup(o->profile ? o->profile : s->base->name)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	if (s->ku & UCPKI_KU_KEY_CERT_SIGN && !s->base->is_ca)
		ucpki_warn(w, "keyCertSign in a certificate that is not a CA");
	return s;
fail:
	ucpki_certspec_free(s);
	return NULL;
}

/* A copy of s (for one certificate that differs from the others). */
static struct ucpki_certspec *spec_dup(const struct ucpki_certspec *s)
{
	struct ucpki_certspec *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	*d = *s;
	d->subject = NULL;
	d->sans = NULL;
	d->eku = NULL;
	d->profile = NULL;
	if ((s->subject && (d->subject = X509_NAME_dup(s->subject)) == NULL) ||
	    (s->sans && (d->sans = sk_GENERAL_NAME_deep_copy(s->sans, GENERAL_NAME_dup,
	                                                     GENERAL_NAME_free)) == NULL) ||
	    (s->eku && (d->eku = sk_ASN1_OBJECT_deep_copy(s->eku, OBJ_dup, ASN1_OBJECT_free)) ==
	                   NULL) ||
	    (d->profile = strdup(s->profile)) == NULL) {
		ucpki_certspec_free(d);
		return NULL;
	}
	return d;
}

struct ucpki_certspec *ucpki_certspec_with_sans(const struct ucpki_certspec *s,
                                                const GENERAL_NAMES *sans, struct ucpki_err *e)
{
	struct ucpki_certspec *d;

	if (s->base->is_ca && sans && sk_GENERAL_NAME_num(sans) > 0) {
		ucpki_err_set(e, UCPKI_E_INPUT, "CA certificates take no subject alternative names");
		return NULL;
	}
	if ((d = spec_dup(s)) == NULL)
		goto oom;
	GENERAL_NAMES_free(d->sans);
	d->sans = NULL;
	if (sans && (d->sans = sk_GENERAL_NAME_deep_copy(sans, GENERAL_NAME_dup,
	                                                 GENERAL_NAME_free)) == NULL)
		goto oom;
	return d;
oom:
	ucpki_certspec_free(d);
	ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	return NULL;
}

int ucpki_certspec_has_sans(const struct ucpki_certspec *s)
{
	return s->sans && sk_GENERAL_NAME_num(s->sans) > 0;
}

int ucpki_certspec_is_ca(const struct ucpki_certspec *s)
{
	return s->base->is_ca;
}

const struct ucpki_keyspec *ucpki_certspec_keyspec(const struct ucpki_certspec *s)
{
	return &s->ks;
}

const EVP_MD *ucpki_certspec_md(const struct ucpki_certspec *s)
{
	return s->md;
}

int ucpki_certspec_days(const struct ucpki_certspec *s)
{
	return s->days;
}

const X509_NAME *ucpki_certspec_subject(const struct ucpki_certspec *s)
{
	return s->subject;
}

const char *ucpki_certspec_profile(const struct ucpki_certspec *s)
{
	return s->profile;
}

/* --- building --------------------------------------------------------- */

static int add_ext(X509 *cert, int nid, void *value, int critical, struct ucpki_err *e)
{
	if (X509_add1_ext_i2d(cert, nid, value, critical, X509V3_ADD_APPEND) != 1)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot add extension %s", OBJ_nid2sn(nid));
	return 0;
}

static int add_key_usage(X509 *cert, unsigned ku, int critical, struct ucpki_err *e)
{
	ASN1_BIT_STRING *bits = ASN1_BIT_STRING_new();
	int rc;

	if (bits == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < 9; i++)
		if ((ku & (1u << i)) && !ASN1_BIT_STRING_set_bit(bits, i, 1)) {
			ASN1_BIT_STRING_free(bits);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	rc = add_ext(cert, NID_key_usage, bits, critical, e);
	ASN1_BIT_STRING_free(bits);
	return rc;
}

static ASN1_OCTET_STRING *key_id(const X509 *cert, struct ucpki_err *e)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	ASN1_OCTET_STRING *oct;

	/* RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
	if (!X509_pubkey_digest(cert, EVP_sha1(), md, &len)) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot hash the public key");
		return NULL;
	}
	if ((oct = ASN1_OCTET_STRING_new()) == NULL || !ASN1_OCTET_STRING_set(oct, md, (int)len)) {
		ASN1_OCTET_STRING_free(oct);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	return oct;
}

static int add_ski(X509 *cert, struct ucpki_err *e)
{
	ASN1_OCTET_STRING *oct = key_id(cert, e);
	int rc;

	if (oct == NULL)
		return -1;
	rc = add_ext(cert, NID_subject_key_identifier, oct, 0, e);
	ASN1_OCTET_STRING_free(oct);
	return rc;
}

/* AKI keyid:always,issuer:always: the issuer's key id, plus the issuer's
 * own issuer name and serial (for a self-issued certificate: its own). The
 * name and serial are borrowed for the encoding, not copied: copying an
 * X509_NAME re-parses it, which costs as much as building the rest. */
static int add_aki(X509 *cert, const X509 *issuer, int keyid_only, struct ucpki_err *e)
{
	const X509 *iss = issuer ? issuer : cert;
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id((X509 *)iss);
	AUTHORITY_KEYID aki = {0};
	GENERAL_NAME gn;
	STACK_OF(GENERAL_NAME) *names = NULL;
	ASN1_OCTET_STRING *own = NULL;
	int rc = -1;

	if (ski == NULL || issuer == NULL) {
		if ((own = key_id(iss, e)) == NULL)
			return -1;
		ski = own;
	}
	aki.keyid = (ASN1_OCTET_STRING *)ski;
	if (!keyid_only) {
		gn.type = GEN_DIRNAME;
		gn.d.directoryName = X509_get_issuer_name(iss);
		if ((names = sk_GENERAL_NAME_new_null()) == NULL || !sk_GENERAL_NAME_push(names, &gn)) {
			ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			goto out;
		}
		aki.issuer = names;
		aki.serial = (ASN1_INTEGER *)X509_get0_serialNumber(iss);
	}
	rc = add_ext(cert, NID_authority_key_identifier, &aki, 0, e);
out:
	sk_GENERAL_NAME_free(names); /* the stack only: its entry is on our stack frame */
	ASN1_OCTET_STRING_free(own);
	return rc;
}

static int add_basic_constraints(X509 *cert, int is_ca, int pathlen, int critical,
                                 struct ucpki_err *e)
{
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
	int rc;

	if (bc == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	bc->ca = is_ca ? 0xff : 0;
	if (is_ca && pathlen >= 0) {
		if ((bc->pathlen = ASN1_INTEGER_new()) == NULL ||
		    !ASN1_INTEGER_set(bc->pathlen, pathlen)) {
			BASIC_CONSTRAINTS_free(bc);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	rc = add_ext(cert, NID_basic_constraints, bc, critical, e);
	BASIC_CONSTRAINTS_free(bc);
	return rc;
}

/* The SANs to write: the spec's, with an FQDN or IP common name put first
 * when it is not already listed (guide 3.12.1.2, rule R11). */
static GENERAL_NAMES *final_sans(const struct ucpki_certspec *s, const X509_NAME *subject,
                                 struct ucpki_err *e)
{
	GENERAL_NAMES *out =
	    s->sans ? sk_GENERAL_NAME_deep_copy(s->sans, GENERAL_NAME_dup, GENERAL_NAME_free) : NULL;
	GENERAL_NAMES *cn_names = NULL;
	char *cn = NULL, item[300];
	unsigned char ip[16];
	int iplen;

	if (s->sans && out == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if (s->base->is_ca || s->no_cn_san || (cn = ucpki_dn_cn(subject)) == NULL)
		return out ? out : GENERAL_NAMES_new();
	if (ucpki_parse_ip(cn, ip, &iplen))
		snprintf(item, sizeof(item), "IP:%s", cn);
	else if (strchr(cn, '.') && ucpki_is_dns_name(cn, 1) && strlen(cn) < 256)
		snprintf(item, sizeof(item), "DNS:%s", cn);
	else
		item[0] = '\0';
	free(cn);
	if (item[0] && ucpki_san_add(&cn_names, item, NULL) == 0 && cn_names) {
		GENERAL_NAME *gn = sk_GENERAL_NAME_value(cn_names, 0);
		int dup = 0;
		if (out == NULL)
			out = GENERAL_NAMES_new();
		for (int i = 0; out && i < sk_GENERAL_NAME_num(out); i++)
			if (GENERAL_NAME_cmp(sk_GENERAL_NAME_value(out, i), gn) == 0)
				dup = 1;
		if (out && !dup && sk_GENERAL_NAME_insert(out, gn, 0))
			sk_GENERAL_NAME_set(cn_names, 0, NULL);
	}
	GENERAL_NAMES_free(cn_names);
	if (out == NULL)
		out = GENERAL_NAMES_new();
	return out;
}

static int set_validity(X509 *cert, const struct ucpki_certspec *s, time_t now,
                        time_t not_after_max, struct ucpki_warnings *w, struct ucpki_err *e)
{
	time_t not_after = now + (time_t)s->days * 86400;
	char buf[32];

	if (not_after_max && not_after > not_after_max) {
		/* A certificate must not outlive its issuer; say so unless the
		 * difference is only the moments between the two issuances. */
		if (not_after - not_after_max > 86400)
			ucpki_warn(w, "validity shortened to end with the issuing CA (%s)",
			           ucpki_time_string(not_after_max, buf, sizeof(buf)));
		not_after = not_after_max;
	}
	if (s->no_2038 && not_after > UCPKI_2038_LIMIT) {
		not_after = UCPKI_2038_LIMIT;
		ucpki_warn(w, "validity clamped to %s: the product's 32-bit clock ends in 2038 "
		              "(rule R5, guide 3.1.5)", ucpki_time_string(not_after, buf, sizeof(buf)));
	}
	if (not_after <= now)
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "the certificate would already be expired (issuing CA expired?)");
	if (ASN1_TIME_set(X509_getm_notBefore(cert), now) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(cert), not_after) == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot set the validity");
	return 0;
}

static int set_serial(X509 *cert, const unsigned char *serial, size_t len, struct ucpki_err *e)
{
	BIGNUM *bn = BN_bin2bn(serial, (int)len, NULL);
	ASN1_INTEGER *ai = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
	int ok = ai && X509_set_serialNumber(cert, ai);

	ASN1_INTEGER_free(ai);
	BN_free(bn);
	return ok ? 0 : ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot set the serial number");
}

/* Key types that only sign (or agree on keys): no keyEncipherment or
 * dataEncipherment in an end entity's keyUsage. */
static const struct {
	int type;
	const char *name, *ref;
} sign_only_keys[] = {
	{EVP_PKEY_EC, "an EC", "RFC 5480 3"},
	{EVP_PKEY_ED25519, "an Ed25519", "RFC 8410 5"},
	{EVP_PKEY_ED448, "an Ed448", "RFC 8410 5"},
};

#define KU_ENCIPHERMENT (UCPKI_KU_KEY_ENCIPHERMENT | UCPKI_KU_DATA_ENCIPHERMENT)

/* The keyUsage bits for this certificate's key: the spec's, except that a
 * sign-only key of an end entity gets digitalSignature by default and
 * refuses an explicit encipherment bit. */
static int key_usage_for(const struct ucpki_certspec *s, EVP_PKEY *pubkey, unsigned *ku,
                         struct ucpki_err *e)
{
	int type = pubkey ? EVP_PKEY_get_base_id(pubkey) : EVP_PKEY_NONE;

	*ku = s->ku;
	if (s->base->is_ca)
		return 0;
	for (size_t i = 0; i < sizeof(sign_only_keys) / sizeof(sign_only_keys[0]); i++) {
		if (sign_only_keys[i].type != type)
			continue;
		if (!s->ku_given) {
			*ku = UCPKI_KU_DIGITAL_SIGNATURE;
			return 0;
		}
		if (s->ku & KU_ENCIPHERMENT)
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "keyUsage %s is not for %s key (%s): use digitalSignature",
			                     s->ku & UCPKI_KU_KEY_ENCIPHERMENT ? "keyEncipherment"
			                                                       : "dataEncipherment",
			                     sign_only_keys[i].name, sign_only_keys[i].ref);
	}
	return 0;
}

static int add_extensions(X509 *cert, const struct ucpki_certspec *s, EVP_PKEY *pubkey,
                          const X509_NAME *subject, const X509 *issuer, struct ucpki_err *e)
{
	GENERAL_NAMES *sans;
	unsigned ku;
	int rc;

	if (key_usage_for(s, pubkey, &ku, e) != 0)
		return -1;
	if (ku && add_key_usage(cert, ku, !!(s->critical & UCPKI_EXT_KU), e) != 0)
		return -1;
	if (s->eku && add_ext(cert, NID_ext_key_usage, s->eku, !!(s->critical & UCPKI_EXT_EKU),
	                      e) != 0)
		return -1;
	if (add_ski(cert, e) != 0 || add_aki(cert, issuer, s->aki_keyid_only, e) != 0)
		return -1;
	if (add_basic_constraints(cert, s->base->is_ca, s->pathlen,
	                          !!(s->critical & UCPKI_EXT_BC), e) != 0)
		return -1;
	if ((sans = final_sans(s, subject, e)) == NULL)
		return -1;
	rc = 0;
	if (sk_GENERAL_NAME_num(sans) > 0)
		rc = add_ext(cert, NID_subject_alt_name, sans, !!(s->critical & UCPKI_EXT_SAN), e);
	GENERAL_NAMES_free(sans);
	return rc;
}

X509 *ucpki_cert_build(const struct ucpki_certspec *s, EVP_PKEY *pubkey,
                       const X509_NAME *subject, const X509 *issuer,
                       const unsigned char *serial, size_t serial_len, time_t now,
                       time_t not_after_max, struct ucpki_warnings *w, struct ucpki_err *e)
{
	X509 *cert = X509_new();

	if (subject == NULL)
		subject = s->subject;
	if (subject == NULL || X509_NAME_entry_count(subject) == 0) {
		ucpki_err_set(e, UCPKI_E_INPUT, "no subject given (a DN, or a template and its CN)");
		ucpki_err_hint(e, UCPKI_HINT_SUBJECT);
		goto fail;
	}
	if (cert == NULL || !X509_set_version(cert, X509_VERSION_3) ||
	    !X509_set_subject_name(cert, subject) ||
	    !X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : subject) ||
	    !ucpki_x509_set_pubkey(cert, pubkey)) {
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot build the certificate");
		goto fail;
	}
	if (set_serial(cert, serial, serial_len, e) != 0 ||
	    set_validity(cert, s, now, not_after_max, w, e) != 0 ||
	    add_extensions(cert, s, pubkey, subject, issuer, e) != 0)
		goto fail;
	return cert;
fail:
	X509_free(cert);
	return NULL;
}
