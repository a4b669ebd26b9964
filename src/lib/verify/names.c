/* Name constraints beyond OpenSSL's check of the certificates' own names:
 * the form of every constraint (RFC 5280 4.2.1.10), and the name actually
 * used as identity against every constraint on the path. The second
 * matters because the identity may come from the CN (which OpenSSL checks
 * only as a host name, and only without a DNS SAN) or be the one name a
 * wildcard SAN stood for ("*.example.com" names bar.example.com, which a CA
 * may exclude even though the wildcard itself is not inside its excluded
 * subtree). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509v3.h>

#include "ucpki/x509.h"
#include "verify/verify_internal.h"

/* --- The form of a constraint -------------------------------------------- */

/* An iPAddress constraint: address and mask of the same family (8 or 32
 * octets), the mask contiguous ones then zeros. */
static int ip_constraint_ok(const ASN1_OCTET_STRING *o)
{
	const unsigned char *p = ASN1_STRING_get0_data(o);
	int len = ASN1_STRING_length(o), half = len / 2, zero = 0;

	if (len != 8 && len != 32)
		return 0;
	for (int i = half; i < len; i++)
		for (int b = 7; b >= 0; b--) {
			int one = (p[i] >> b) & 1;
			if (one && zero)
				return 0;
			zero |= !one;
		}
	return 1;
}

static int copy_ia5(const ASN1_STRING *s, char *buf, size_t len)
{
	int n = ASN1_STRING_length(s);

	if (n < 0 || (size_t)n >= len || memchr(ASN1_STRING_get0_data(s), '\0', (size_t)n))
		return -1;
	memcpy(buf, ASN1_STRING_get0_data(s), (size_t)n);
	buf[n] = '\0';
	return 0;
}

/* A mailbox ("a@example.com"), a host ("example.com") or a domain
 * (".example.com"). */
static int email_constraint_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (at) {
		if (at == s || strchr(at + 1, '@'))
			return 0;
		return ucpki_is_dns_name(at + 1, 0);
	}
	return ucpki_is_dns_name(s[0] == '.' ? s + 1 : s, 0);
}

/* Why the subtree is malformed, or NULL. */
static const char *subtree_problem(const GENERAL_SUBTREE *st)
{
	const GENERAL_NAME *gn = st->base;
	char buf[256];

	if ((st->minimum && ASN1_INTEGER_get(st->minimum) != 0) || st->maximum)
		return "sets minimum or maximum (RFC 5280: minimum 0, maximum absent)";
	switch (gn->type) {
	case GEN_DNS:
		if (copy_ia5(gn->d.dNSName, buf, sizeof(buf)) != 0)
			return "has an unreadable dNSName";
		if (buf[0] == '\0')
			return NULL;
		if (buf[0] == '.')
			return "has a dNSName with a leading dot (not a DNS constraint form)";
		if (strchr(buf, '*'))
			return "has a dNSName with a wildcard";
		return ucpki_is_dns_name(buf, 0) ? NULL : "has a dNSName that is not a DNS name";
	case GEN_IPADD:
		return ip_constraint_ok(gn->d.iPAddress) ? NULL
		       : "has an iPAddress that is not an address with a contiguous mask";
	case GEN_EMAIL:
		if (copy_ia5(gn->d.rfc822Name, buf, sizeof(buf)) != 0 || !email_constraint_ok(buf))
			return "has a malformed rfc822Name";
		return NULL;
	default:
		return NULL;
	}
}

static void subtrees_form(struct ucpki_verdict *vd, int pos, STACK_OF(GENERAL_SUBTREE) *sts,
                          const char *which)
{
	for (int k = 0; k < sk_GENERAL_SUBTREE_num(sts); k++) {
		const char *why = subtree_problem(sk_GENERAL_SUBTREE_value(sts, k));
		if (why)
			verdict_fail(vd, R_CHAIN_NC_MALFORMED, pos, "its nameConstraints: a %s subtree %s",
			             which, why);
	}
}

void nc_form_check(struct ucpki_verdict *vd)
{
	int n = sk_X509_num(vd->path);

	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(vd->path, i);
		int idx = X509_get_ext_by_NID(x, NID_name_constraints, -1), crit = 0;
		NAME_CONSTRAINTS *nc;

		if (idx < 0)
			continue;
		if (i == 0 && n > 1)
			verdict_fail(vd, R_PRO_NC_ON_LEAF, 0,
			             "a leaf carrying nameConstraints (only CA certificates may)");
		if (!X509_EXTENSION_get_critical(X509_get_ext(x, idx)))
			verdict_fail(vd, R_EXT_NC_NOT_CRITICAL, i, "its nameConstraints is not critical");
		nc = X509_get_ext_d2i(x, NID_name_constraints, &crit, NULL);
		if (nc == NULL) {
			verdict_fail(vd, R_PRO_NC_EMPTY, i, "its nameConstraints cannot be read");
			continue;
		}
		if (sk_GENERAL_SUBTREE_num(nc->permittedSubtrees) <= 0 &&
		    sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) <= 0)
			verdict_fail(vd, R_PRO_NC_EMPTY, i,
			             "its nameConstraints has neither permitted nor excluded subtrees");
		subtrees_form(vd, i, nc->permittedSubtrees, "permitted");
		subtrees_form(vd, i, nc->excludedSubtrees, "excluded");
		NAME_CONSTRAINTS_free(nc);
	}
}

/* --- The identity against the constraints -------------------------------- */

/* RFC 5280 4.2.1.10: a DNS name satisfies a constraint when it is the
 * constraint or ends with "." and the constraint (whole labels). */
static int dns_within(const char *name, const char *base)
{
	size_t n = strlen(name), b = strlen(base);

	if (b == 0)
		return 1;
	if (base[0] == '.')
		return n > b && strcasecmp(name + n - b, base) == 0;
	if (n == b)
		return strcasecmp(name, base) == 0;
	return n > b && name[n - b - 1] == '.' && strcasecmp(name + n - b, base) == 0;
}

static int ip_within(const unsigned char *addr, int alen, const ASN1_OCTET_STRING *o)
{
	const unsigned char *p = ASN1_STRING_get0_data(o);

	if (ASN1_STRING_length(o) != 2 * alen)
		return 0;
	for (int i = 0; i < alen; i++)
		if ((addr[i] & p[alen + i]) != (p[i] & p[alen + i]))
			return 0;
	return 1;
}

/* The identity asked: a DNS name (host) or an address. */
struct ident {
	char dns[256];
	unsigned char addr[16];
	int alen;
	const char *text;
};

/* Does the subtree constrain this kind of name (1), and does the name lie
 * inside it (*in)? */
static int subtree_applies(const GENERAL_SUBTREE *st, const struct ident *id, int *in)
{
	const GENERAL_NAME *gn = st->base;
	char buf[256];

	if (gn->type == GEN_DNS && id->alen == 0) {
		if (copy_ia5(gn->d.dNSName, buf, sizeof(buf)) != 0)
			return 0;
		*in = dns_within(id->dns, buf);
		return 1;
	}
	if (gn->type == GEN_IPADD && id->alen && ASN1_STRING_length(gn->d.iPAddress) == 2 * id->alen) {
		*in = ip_within(id->addr, id->alen, gn->d.iPAddress);
		return 1;
	}
	return 0;
}

/* 0 when the name passes the CA's constraints; else the rule broken. */
static const char *nc_verdict(const NAME_CONSTRAINTS *nc, const struct ident *id)
{
	int constrained = 0, permitted = 0, in;

	for (int k = 0; k < sk_GENERAL_SUBTREE_num(nc->excludedSubtrees); k++)
		if (subtree_applies(sk_GENERAL_SUBTREE_value(nc->excludedSubtrees, k), id, &in) && in)
			return "excluded by";
	for (int k = 0; k < sk_GENERAL_SUBTREE_num(nc->permittedSubtrees); k++)
		if (subtree_applies(sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, k), id, &in)) {
			constrained = 1;
			permitted |= in;
		}
	return constrained && !permitted ? "outside the permitted subtrees of" : NULL;
}

static int ident_parse(const char *host, const char *ip, struct ident *id)
{
	memset(id, 0, sizeof(*id));
	id->text = host ? host : ip;
	if (ucpki_parse_ip(id->text, id->addr, &id->alen))
		return 0;
	id->alen = 0;
	snprintf(id->dns, sizeof(id->dns), "%s", host);
	{
		size_t n = strlen(id->dns);
		if (n > 1 && id->dns[n - 1] == '.')
			id->dns[n - 1] = '\0';
	}
	return 0;
}

static void nc_one_identity(struct ucpki_verdict *vd, const char *host, const char *ip)
{
	struct ident id;

	ident_parse(host, ip, &id);
	for (int i = 1; i < sk_X509_num(vd->path); i++) {
		X509 *x = sk_X509_value(vd->path, i);
		NAME_CONSTRAINTS *nc = X509_get_ext_d2i(x, NID_name_constraints, NULL, NULL);
		const char *why = nc ? nc_verdict(nc, &id) : NULL;
		char subj[256];
		if (why)
			verdict_fail(vd, R_ID_NAME_CONSTRAINTS, 0,
			             "%s, the name it is identified by, is %s the name constraints of "
			             "certificate [%d] \"%.200s\"", id.text, why, i,
			             cert_subject(x, subj, sizeof(subj)));
		NAME_CONSTRAINTS_free(nc);
	}
}

void nc_identity_check(struct ucpki_verdict *vd, const char *host, const char *ip)
{
	if (host)
		nc_one_identity(vd, host, NULL);
	if (ip)
		nc_one_identity(vd, NULL, ip);
}
