/* Identity at level full: the FQDN, IPv4 or IPv6 address the device
 * connects to, against the SAN entries and the subject CN (guide 3.12.2.3:
 * "in the Common Name or Subject Alternative fields"), with RFC 6125's
 * restriction: the CN counts only when the SAN names no DNS name and no
 * address (6.4.4), and never at level webpki. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509v3.h>

#include "ucpki/verify.h"
#include "ucpki/x509.h"

/* host without a trailing dot, into buf. */
static const char *dns_norm(const char *in, char *buf, size_t len)
{
	size_t n = strlen(in);

	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(buf, in, n);
	buf[n] = '\0';
	return buf;
}

/* A pattern from a certificate against a host name. A wildcard counts only
 * as the whole left-most label ("*.example.com") of a name with at least two
 * more labels that are not a public suffix ("*.co.uk"); it stands for
 * exactly one non-empty label. Every other use of '*' ("f*.example.com",
 * "a.*.example.com", "*.com", "xn--*.example.com") matches nothing. */
static int dns_match(const char *pattern_in, const char *host_in)
{
	char pattern[256], host[256];
	const char *rest, *dot;

	dns_norm(pattern_in, pattern, sizeof(pattern));
	dns_norm(host_in, host, sizeof(host));
	if (!ucpki_is_dns_name(pattern, 1) || !ucpki_is_dns_name(host, 0))
		return 0;
	if (strncmp(pattern, "*.", 2) != 0)
		return strchr(pattern, '*') == NULL && strcasecmp(pattern, host) == 0;
	rest = pattern + 2;
	if (strchr(rest, '.') == NULL || strchr(rest, '*') != NULL || ucpki_is_public_suffix(rest))
		return 0;
	dot = strchr(host, '.');
	if (dot == NULL || dot == host)
		return 0;
	return strcasecmp(dot + 1, rest) == 0;
}

static int ip_equal(const ASN1_OCTET_STRING *a, const unsigned char *ip, int iplen)
{
	return ASN1_STRING_length(a) == iplen && memcmp(ASN1_STRING_get0_data(a), ip, (size_t)iplen) == 0;
}

/* The CN of the subject as text (the last CN, the most specific), or NULL.
 * Free with free(). */
static char *subject_cn(X509 *cert)
{
	return ucpki_dn_cn(X509_get_subject_name(cert));
}

/* Does the SAN hold a DNS name or an address (then the CN does not count)? */
static int san_has_dns_or_ip(const GENERAL_NAMES *sans)
{
	for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); i++) {
		int type = sk_GENERAL_NAME_value(sans, i)->type;
		if (type == GEN_DNS || type == GEN_IPADD)
			return 1;
	}
	return 0;
}

/* The CN against the name asked: 1 when it names it. */
static int cn_names(const char *cn, const char *host, const unsigned char *addr, int alen)
{
	unsigned char cnaddr[16];
	int cnlen = 0;

	if (alen)
		return ucpki_parse_ip(cn, cnaddr, &cnlen) && cnlen == alen &&
		       memcmp(cnaddr, addr, (size_t)alen) == 0;
	return host && dns_match(cn, host);
}

int ucpki_identity_match(X509 *cert, const char *host, const char *ip, enum ucpki_cn_rule cn_rule,
                         char *how, size_t howlen)
{
	GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	unsigned char addr[16];
	int alen = 0, matched = 0, cn_ignored = 0;
	char *cn = subject_cn(cert), *sanstr = NULL;
	const char *want;

	/* One name per call: the host, else the address. A host written as an
	 * address is compared as an address. */
	if (host && *host) {
		want = host;
		if (ucpki_parse_ip(host, addr, &alen))
			host = NULL;
	} else {
		want = ip ? ip : "";
		host = NULL;
		if (!ucpki_parse_ip(want, addr, &alen))
			alen = 0;
	}
	for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans) && !matched; i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(sans, i);
		int type;
		const void *val = GENERAL_NAME_get0_value(gn, &type);
		if (type == GEN_DNS && host) {
			const ASN1_IA5STRING *s = val;
			char buf[256];
			int n = ASN1_STRING_length(s);
			if (n <= 0 || n >= (int)sizeof(buf) ||
			    memchr(ASN1_STRING_get0_data(s), '\0', (size_t)n) != NULL)
				continue;
			memcpy(buf, ASN1_STRING_get0_data(s), (size_t)n);
			buf[n] = '\0';
			if (dns_match(buf, host)) {
				snprintf(how, howlen, "%s matches SAN DNS:%s", host, buf);
				matched = 1;
			}
		} else if (type == GEN_IPADD && alen && ip_equal(val, addr, alen)) {
			snprintf(how, howlen, "%s matches a SAN IP Address", want);
			matched = 1;
		}
	}
	if (!matched && cn && cn_names(cn, host, addr, alen)) {
		if (cn_rule == UCPKI_CN_RFC6125 && !san_has_dns_or_ip(sans)) {
			snprintf(how, howlen, "%s matches the subject CN %s (the SAN names no DNS name or "
			         "address)", want, cn);
			matched = 1;
		} else {
			cn_ignored = 1;
		}
	}
	if (!matched) {
		sanstr = sans ? ucpki_san_string(sans) : NULL;
		snprintf(how, howlen, "%s is not named by the certificate (SAN: %s; CN: %s)%s", want,
		         sanstr && *sanstr ? sanstr : "none", cn ? cn : "none",
		         !cn_ignored ? ""
		         : cn_rule == UCPKI_CN_NEVER
		             ? "; the CN does not count at level webpki"
		             : "; the CN does not count when the SAN names DNS names or addresses "
		               "(RFC 6125 6.4.4)");
	}
	free(sanstr);
	free(cn);
	GENERAL_NAMES_free(sans);
	return matched;
}
