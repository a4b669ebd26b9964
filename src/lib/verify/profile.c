/* The certificate profile at level full (RFC 5280) and webpki (CA/B Forum
 * Baseline Requirements): one small function per rule, run over every
 * certificate of the path. Some of these OpenSSL's strict mode reports as
 * well; a rule found twice for the same certificate is kept once. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "ucpki/x509.h"
#include "verify/verify_internal.h"

/* One certificate of the path, with what the rules ask about it. */
struct pcert {
	struct ucpki_verdict *vd;
	const struct ucpki_verify_req *req;
	X509 *x;
	X509 *issuer;       /* next in the path, or NULL */
	int pos, n;
	int is_leaf;        /* position 0 of a path longer than one */
	int is_ca;          /* acts as a CA in this path */
	int is_anchor;      /* the trust anchor ending the path */
	int self_issued;
	uint32_t flags;     /* X509_get_extension_flags() */
};

static int has_ext(X509 *x, int nid, int *critical)
{
	int idx = X509_get_ext_by_NID(x, nid, -1);

	if (critical)
		*critical = idx >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, idx));
	return idx >= 0;
}

static int is_ca_true(const struct pcert *c)
{
	return (c->flags & EXFLAG_BCONS) && (c->flags & EXFLAG_CA);
}

static int has_keycertsign(const struct pcert *c)
{
	return (c->flags & EXFLAG_KUSAGE) && (X509_get_key_usage(c->x) & KU_KEY_CERT_SIGN);
}

/* --- RFC 5280 ------------------------------------------------------------- */

static void rule_leaf_ca(const struct pcert *c)
{
	if (c->is_leaf && (is_ca_true(c) || has_keycertsign(c)))
		verdict_fail(c->vd, R_PRO_LEAF_CA, c->pos,
		             "a CA certificate (%s) presented as the TLS leaf",
		             is_ca_true(c) ? "cA=TRUE" : "keyCertSign");
}

static void rule_ca_constraints(const struct pcert *c)
{
	int crit;

	if (!c->is_ca)
		return;
	if (X509_get_version(c->x) == X509_VERSION_1)
		verdict_fail(c->vd, R_PRO_V1_CA, c->pos, "a version 1 certificate acting as a CA");
	else if (!has_ext(c->x, NID_basic_constraints, &crit))
		verdict_fail(c->vd, R_PRO_CA_BC, c->pos, "a CA without basicConstraints");
	else if (!crit)
		verdict_fail(c->vd, R_EXT_NOT_CRITICAL, c->pos,
		             "a CA whose basicConstraints is not marked critical");
	if (X509_get_version(c->x) != X509_VERSION_1 && !(c->flags & EXFLAG_KUSAGE))
		verdict_fail(c->vd, R_PRO_CA_KU, c->pos, "a CA without keyUsage");
	else if ((c->flags & EXFLAG_KUSAGE) && !has_keycertsign(c))
		verdict_fail(c->vd, R_PRO_CA_KU, c->pos, "a CA whose keyUsage lacks keyCertSign");
	if (!has_ext(c->x, NID_subject_key_identifier, NULL))
		verdict_fail(c->vd, R_PRO_SKI, c->pos, "a CA without subjectKeyIdentifier");
}

static void rule_pathlen(const struct pcert *c)
{
	if (X509_get_pathlen(c->x) >= 0 && (!is_ca_true(c) || !has_keycertsign(c)))
		verdict_fail(c->vd, R_PRO_PATHLEN_NON_CA, c->pos,
		             "a pathLenConstraint without cA=TRUE and keyCertSign");
}

static void rule_aki(const struct pcert *c)
{
	AUTHORITY_KEYID *aki;
	const ASN1_OCTET_STRING *ski;

	/* only version 3 certificates have extensions to carry one */
	if (c->self_issued || c->is_anchor || c->n == 1 || X509_get_version(c->x) != X509_VERSION_3)
		return;
	if ((aki = X509_get_ext_d2i(c->x, NID_authority_key_identifier, NULL, NULL)) == NULL) {
		verdict_fail(c->vd, R_PRO_AKI, c->pos,
		             "no authorityKeyIdentifier though it is not self-issued");
		return;
	}
	if ((aki->issuer == NULL) != (aki->serial == NULL))
		verdict_fail(c->vd, R_PRO_AKI, c->pos,
		             "its authorityKeyIdentifier has an issuer without a serial or the reverse");
	if (aki->keyid == NULL)
		verdict_fail(c->vd, R_WEB_AKI, c->pos, "its authorityKeyIdentifier has no keyIdentifier");
	ski = c->issuer ? X509_get0_subject_key_id(c->issuer) : NULL;
	if (aki->keyid && ski && ASN1_OCTET_STRING_cmp(aki->keyid, ski) != 0)
		verdict_fail(c->vd, R_PRO_AKI, c->pos,
		             "its authorityKeyIdentifier is not the subjectKeyIdentifier of its issuer");
	AUTHORITY_KEYID_free(aki);
}

/* Positive, at most 20 octets as encoded (a leading zero octet counts). */
static void rule_serial(const struct pcert *c)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(c->x);
	const unsigned char *d = ASN1_STRING_get0_data(sn);
	int len = ASN1_STRING_length(sn), zero = 1;

	/* an anchor above the leaf is configuration; the certificate presented
	 * is judged even when it is trusted directly */
	if (c->is_anchor && c->pos > 0)
		return;
	for (int i = 0; i < len; i++)
		zero &= d[i] == 0;
	if (ASN1_STRING_type(sn) == V_ASN1_NEG_INTEGER || zero)
		verdict_fail(c->vd, R_PRO_SERIAL, c->pos, "its serial number is %s",
		             zero ? "zero" : "negative");
	else if (len + (len > 0 && (d[0] & 0x80)) > 20)
		verdict_fail(c->vd, R_PRO_SERIAL, c->pos, "its serial number is longer than 20 octets");
}

static void rule_names(const struct pcert *c)
{
	int san_crit, has_san = has_ext(c->x, NID_subject_alt_name, &san_crit);
	int empty_subject = X509_NAME_entry_count(X509_get_subject_name(c->x)) == 0;

	if (X509_NAME_entry_count(X509_get_issuer_name(c->x)) == 0)
		verdict_fail(c->vd, R_PRO_EMPTY_NAME, c->pos, "an empty issuer name");
	if (empty_subject && c->is_ca)
		verdict_fail(c->vd, R_PRO_EMPTY_NAME, c->pos, "a CA with an empty subject");
	else if (empty_subject && (!has_san || !san_crit))
		verdict_fail(c->vd, R_PRO_EMPTY_NAME, c->pos,
		             "an empty subject without a critical subjectAltName");
	if (has_san && san_crit && !empty_subject)
		verdict_fail(c->vd, R_WEB_SAN_CRITICAL, c->pos,
		             "a critical subjectAltName while the subject is not empty");
}

static void rule_signature_algorithm(const struct pcert *c)
{
	const X509_ALGOR *outer = NULL;

	X509_get0_signature(NULL, &outer, c->x);
	if (outer && X509_ALGOR_cmp(outer, X509_get0_tbs_sigalg(c->x)) != 0)
		verdict_fail(c->vd, R_PRO_SIGALG, c->pos,
		             "its outer signatureAlgorithm differs from the signature field it signs");
}

static void rule_version(const struct pcert *c)
{
	if (X509_get_version(c->x) != X509_VERSION_3 && X509_get_ext_count(c->x) > 0)
		verdict_fail(c->vd, R_PRO_VERSION, c->pos,
		             "extensions in a version %ld certificate", X509_get_version(c->x) + 1);
}

/* 1 unless the extension is one OpenSSL knows and its value does not
 * decode. */
static int known_extension_decodes(X509_EXTENSION *ext)
{
	const X509V3_EXT_METHOD *m = X509V3_EXT_get(ext);
	void *v;

	if (m == NULL)
		return 1;
	if ((v = X509V3_EXT_d2i(ext)) == NULL)
		return 0;
	if (m->it)
		ASN1_item_free(v, ASN1_ITEM_ptr(m->it));
	else if (m->ext_free)
		m->ext_free(v);
	return 1;
}

/* Duplicated extensions, known extensions that do not decode, and those
 * that must not be critical. */
static void rule_extensions(const struct pcert *c)
{
	static const int never_critical[] = {NID_authority_key_identifier,
	                                     NID_subject_key_identifier, NID_info_access};
	int count = X509_get_ext_count(c->x);

	for (int i = 0; i < count; i++) {
		X509_EXTENSION *ext = X509_get_ext(c->x, i);
		ASN1_OBJECT *obj = X509_EXTENSION_get_object(ext);
		int nid = OBJ_obj2nid(obj);
		char oid[80];

		OBJ_obj2txt(oid, sizeof(oid), obj, 0);
		if (X509_get_ext_by_OBJ(c->x, obj, i) >= 0)
			verdict_fail(c->vd, R_EXT_INVALID, c->pos, "the extension %s appears twice", oid);
		if (!known_extension_decodes(ext))
			verdict_fail(c->vd, R_EXT_INVALID, c->pos, "its %s extension is malformed", oid);
		else if (nid == NID_key_usage && X509_get_key_usage(c->x) == 0)
			verdict_fail(c->vd, R_EXT_INVALID, c->pos,
			             "its keyUsage sets no bit (RFC 5280 4.2.1.3: at least one)");
		for (size_t k = 0; k < sizeof(never_critical) / sizeof(never_critical[0]); k++)
			if (nid == never_critical[k] && X509_EXTENSION_get_critical(ext))
				verdict_fail(c->vd, R_EXT_CRITICAL, c->pos, "its %s is marked critical",
				             OBJ_nid2ln(nid));
	}
}

/* A SAN entry that is no name of its type (".example.com", a 5-octet
 * address, "a@b@example.com"). A '*' placement is not malformed here: it
 * just never matches. */
static const char *san_entry_problem(const GENERAL_NAME *gn)
{
	char buf[256];
	int n;

	switch (gn->type) {
	case GEN_DNS:
		n = ASN1_STRING_length(gn->d.dNSName);
		if (n <= 0 || n >= (int)sizeof(buf))
			return "an empty or overlong DNS name";
		memcpy(buf, ASN1_STRING_get0_data(gn->d.dNSName), (size_t)n);
		buf[n] = '\0';
		if (memchr(buf, '\0', (size_t)n) || (!strchr(buf, '*') && !ucpki_is_dns_name(buf, 0)))
			return "a DNS name that is not one";
		return NULL;
	case GEN_IPADD:
		n = ASN1_STRING_length(gn->d.iPAddress);
		return n == 4 || n == 16 ? NULL : "an iPAddress that is not 4 or 16 octets";
	case GEN_EMAIL: {
		const char *s = (const char *)ASN1_STRING_get0_data(gn->d.rfc822Name);
		const char *at = memchr(s, '@', (size_t)ASN1_STRING_length(gn->d.rfc822Name));
		n = ASN1_STRING_length(gn->d.rfc822Name);
		if (at == NULL || at == s || memchr(at + 1, '@', (size_t)(n - (at + 1 - s))))
			return "a malformed email address";
		return NULL;
	}
	default:
		return NULL;
	}
}

static void rule_san(const struct pcert *c)
{
	GENERAL_NAMES *sans;
	int idx = X509_get_ext_by_NID(c->x, NID_subject_alt_name, -1), dns_or_ip = 0;

	if (idx < 0) {
		if (c->pos == 0)
			verdict_fail(c->vd, R_WEB_SAN, 0, "a leaf without subjectAltName");
		return;
	}
	if ((sans = X509V3_EXT_d2i(X509_get_ext(c->x, idx))) == NULL)
		return; /* reported by rule_extensions */
	if (sk_GENERAL_NAME_num(sans) == 0)
		verdict_fail(c->vd, R_PRO_SAN_EMPTY, c->pos, "a subjectAltName without names");
	for (int i = 0; i < sk_GENERAL_NAME_num(sans); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(sans, i);
		const char *why = c->pos == 0 ? san_entry_problem(gn) : NULL;
		dns_or_ip |= gn->type == GEN_DNS || gn->type == GEN_IPADD;
		if (why)
			verdict_fail(c->vd, R_EXT_INVALID, c->pos, "its subjectAltName holds %s", why);
	}
	if (c->pos == 0 && !dns_or_ip)
		verdict_fail(c->vd, R_WEB_SAN, 0, "a leaf whose subjectAltName names no DNS name or address");
	GENERAL_NAMES_free(sans);
}

/* --- Keys and signatures --------------------------------------------------- */

static void rule_key(const struct pcert *c)
{
	EVP_PKEY *pk = X509_get0_pubkey(c->x);
	char group[64] = "";
	size_t glen = 0;
	int bits;

	if (pk == NULL)
		return;
	bits = EVP_PKEY_get_bits(pk);
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		if (bits < 2048)
			verdict_fail(c->vd, R_PRO_WEAK_KEY, c->pos, "an RSA key of %d bits (under 2048)", bits);
		if (bits % 8)
			verdict_fail(c->vd, R_WEB_KEY, c->pos, "an RSA modulus of %d bits, not a multiple of 8",
			             bits);
		break;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_group_name(pk, group, sizeof(group), &glen)) {
			verdict_fail(c->vd, R_PRO_EXPLICIT_CURVE, c->pos,
			             "an EC key with explicit curve parameters");
			break;
		}
		if (bits < 256)
			verdict_fail(c->vd, R_PRO_WEAK_KEY, c->pos, "an EC key on %s (%d bits, under 256)",
			             group, bits);
		if (strcmp(group, "prime256v1") && strcmp(group, "secp384r1") && strcmp(group, "secp521r1"))
			verdict_fail(c->vd, R_WEB_KEY, c->pos, "an EC key on %s (not P-256, P-384 or P-521)",
			             group);
		break;
	case EVP_PKEY_DSA:
		verdict_fail(c->vd, R_PRO_WEAK_KEY, c->pos, "a DSA key");
		break;
	default:
		verdict_fail(c->vd, R_WEB_KEY, c->pos, "a %s key (not RSA or ECDSA)",
		             OBJ_nid2sn(EVP_PKEY_get_base_id(pk)));
	}
}

static void rule_signature(const struct pcert *c)
{
	int mdnid = NID_undef;

	if (c->is_anchor || !X509_get_signature_info(c->x, &mdnid, NULL, NULL, NULL))
		return;
	if (mdnid == NID_md5 || mdnid == NID_sha1 || mdnid == NID_md4 || mdnid == NID_md2 ||
	    mdnid == NID_md5_sha1)
		verdict_fail(c->vd, R_PRO_WEAK_SIG, c->pos, "signed with %s", OBJ_nid2sn(mdnid));
}

/* --- CA/B Forum --------------------------------------------------------- */

/* CA/B BR 7.1.2.7.10: serverAuth (clientAuth may be beside it), never
 * anyExtendedKeyUsage, code or e-mail signing, time stamping, OCSP signing
 * or the CT precertificate purpose; the extension not critical. */
static const char *webpki_eku_problem(const struct pcert *c)
{
	static const char *const forbidden[] = {"2.5.29.37.0", "1.3.6.1.5.5.7.3.3",
	                                        "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.8",
	                                        "1.3.6.1.5.5.7.3.9", "1.3.6.1.4.1.11129.2.4.4"};
	EXTENDED_KEY_USAGE *eku;
	int crit, server = 0;
	const char *why = NULL;
	char oid[80];

	if ((eku = X509_get_ext_d2i(c->x, NID_ext_key_usage, &crit, NULL)) == NULL)
		return crit == -1 ? "a leaf without extendedKeyUsage" : NULL;
	for (int i = 0; i < sk_ASN1_OBJECT_num(eku) && why == NULL; i++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		server |= strcmp(oid, "1.3.6.1.5.5.7.3.1") == 0;
		for (size_t k = 0; k < sizeof(forbidden) / sizeof(forbidden[0]); k++)
			if (strcmp(oid, forbidden[k]) == 0)
				why = "a leaf whose extendedKeyUsage holds a purpose a TLS server certificate "
				      "must not have (anyExtendedKeyUsage, code or e-mail signing, time "
				      "stamping, OCSP signing, CT precertificate)";
	}
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	if (why == NULL && crit)
		why = "a leaf whose extendedKeyUsage is marked critical";
	if (why == NULL && !server && c->req->purpose != UCPKI_PURPOSE_CLIENT)
		why = "a leaf whose extendedKeyUsage lacks serverAuth";
	return why;
}

static void rule_webpki_eku(const struct pcert *c)
{
	const char *why = c->pos == 0 ? webpki_eku_problem(c) : NULL;

	if (why)
		verdict_fail(c->vd, R_WEB_EKU, 0, "%s", why);
	if (c->is_anchor && c->self_issued && c->n > 1 && has_ext(c->x, NID_ext_key_usage, NULL))
		verdict_fail(c->vd, R_WEB_EKU, c->pos, "a root CA with extendedKeyUsage");
}

static void (*const cert_rules[])(const struct pcert *) = {
	rule_leaf_ca, rule_ca_constraints, rule_pathlen, rule_aki, rule_serial, rule_names,
	rule_signature_algorithm, rule_version, rule_extensions, rule_san, rule_key,
	rule_signature, rule_webpki_eku,
};

void profile_check(const struct ucpki_verify_req *req, struct ucpki_verdict *vd)
{
	int n = sk_X509_num(vd->path);

	for (int i = 0; i < n; i++) {
		struct pcert c = {vd, req, sk_X509_value(vd->path, i), NULL, i, n, 0, 0, 0, 0, 0};
		c.issuer = i + 1 < n ? sk_X509_value(vd->path, i + 1) : NULL;
		c.is_leaf = i == 0 && n > 1;
		c.is_ca = i > 0;
		c.is_anchor = i == n - 1 && vd->anchored;
		c.self_issued = X509_NAME_cmp(X509_get_subject_name(c.x), X509_get_issuer_name(c.x)) == 0;
		c.flags = X509_get_extension_flags(c.x);
		for (size_t k = 0; k < sizeof(cert_rules) / sizeof(cert_rules[0]); k++)
			cert_rules[k](&c);
	}
}
