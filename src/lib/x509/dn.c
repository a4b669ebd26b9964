/*
 * Distinguished names as users type them: the guide's "C=US, ST=FL, CN=x"
 * (openssl's one-line order: most significant first) and openssl's
 * "/C=US/ST=FL/CN=x". Backslash escapes the separator; the guide form also
 * takes RFC 4514 double quotes around a value.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/objects.h>

#include "ucpki/x509.h"

#define DN_MAX 4096

/* Attribute spellings accepted, case-insensitively. */
static const struct {
	const char *name;
	int nid;
} attr_names[] = {
	{"C", NID_countryName},          {"countryName", NID_countryName},
	{"ST", NID_stateOrProvinceName}, {"S", NID_stateOrProvinceName},
	{"stateOrProvinceName", NID_stateOrProvinceName},
	{"L", NID_localityName},         {"localityName", NID_localityName},
	{"O", NID_organizationName},     {"organizationName", NID_organizationName},
	{"OU", NID_organizationalUnitName},
	{"organizationalUnitName", NID_organizationalUnitName},
	{"CN", NID_commonName},          {"commonName", NID_commonName},
	{"emailAddress", NID_pkcs9_emailAddress}, {"E", NID_pkcs9_emailAddress},
	{"email", NID_pkcs9_emailAddress},
	{"serialNumber", NID_serialNumber}, {"DC", NID_domainComponent},
	{"UID", NID_userId},             {"street", NID_streetAddress},
	{"title", NID_title},            {"GN", NID_givenName}, {"givenName", NID_givenName},
	{"SN", NID_surname},             {"surname", NID_surname},
	{"initials", NID_initials},      {"pseudonym", NID_pseudonym},
	{"dnQualifier", NID_dnQualifier},{"postalCode", NID_postalCode},
	{"name", NID_name},
};

static int attr_nid(const char *name)
{
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (strcasecmp(attr_names[i].name, name) == 0)
			return attr_names[i].nid;
	/* A dotted OID names any other attribute. */
	if (isdigit((unsigned char)name[0]))
		return OBJ_txt2nid(name);
	return NID_undef;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Split text into "attr=value" parts on unescaped sep. Unescapes in place;
 * a part's length is kept so that an escaped separator survives. Returns
 * the number of parts or -1. */
static int split(char *text, char sep, int quotes, char **parts, int max)
{
	int n = 0;
	char *out = text, *start = text;
	int in_quote = 0;

	for (char *p = text;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			*out++ = *++p;
			continue;
		}
		if (quotes && *p == '"') {
			in_quote = !in_quote;
			continue;
		}
		if (*p == '\0' || (*p == sep && !in_quote)) {
			int end = *p == '\0';
			*out = '\0';
			if (n == max)
				return -1;
			parts[n++] = start;
			if (end)
				break;
			start = out = p + 1;
			continue;
		}
		*out++ = *p;
	}
	return in_quote ? -1 : n;
}

static int check_value(int nid, const char *attr, const char *value, struct ucpki_err *e)
{
	if (value[0] == '\0')
		return ucpki_err_set(e, UCPKI_E_INPUT, "DN attribute %s has an empty value", attr);
	if (nid == NID_countryName &&
	    (strlen(value) != 2 || !isalpha((unsigned char)value[0]) ||
	     !isalpha((unsigned char)value[1])))
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "DN country '%s' must be a two-letter code like US", value);
	return 0;
}

static int add_part(X509_NAME *name, char *part, const char *cn, int *filled,
                    struct ucpki_err *e)
{
	char *eq = strchr(part, '='), *attr, *value;
	int nid;

	if (eq == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "DN part '%s' is not of the form ATTR=value",
		                     trim(part));
	*eq = '\0';
	attr = trim(part);
	value = trim(eq + 1);
	nid = attr_nid(attr);
	if (nid == NID_undef)
		return ucpki_err_set(e, UCPKI_E_INPUT, "unknown DN attribute '%s'", attr);
	if (strcmp(value, "?") == 0) {
		if (nid != NID_commonName)
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "template placeholder '?' is only allowed for CN");
		if (cn == NULL)
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "DN template has CN=? but no CN value was given");
		value = (char *)cn;
		*filled = 1;
	}
	if (check_value(nid, attr, value, e) != 0)
		return -1;
	if (!X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, (const unsigned char *)value,
	                                -1, -1, 0))
		return ucpki_err_ssl(e, UCPKI_E_INPUT, "DN attribute %s='%s' is not acceptable",
		                     attr, value);
	return 0;
}

X509_NAME *ucpki_dn_parse(const char *text, const char *cn, struct ucpki_err *e)
{
	char buf[DN_MAX], *s, *parts[64];
	X509_NAME *name = NULL;
	int n, filled = 0, slash;

	if (text == NULL || strlen(text) >= sizeof(buf)) {
		ucpki_err_set(e, UCPKI_E_INPUT, "DN is missing or too long");
		return NULL;
	}
	memcpy(buf, text, strlen(text) + 1);
	s = trim(buf);
	if (*s == '\0') {
		ucpki_err_set(e, UCPKI_E_INPUT, "DN is empty");
		return NULL;
	}
	slash = (*s == '/');
	n = split(slash ? s + 1 : s, slash ? '/' : ',', !slash, parts, 64);
	if (n <= 0) {
		ucpki_err_set(e, UCPKI_E_INPUT, "malformed DN '%s' (unbalanced quote or too many parts)",
		              text);
		return NULL;
	}
	if ((name = X509_NAME_new()) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		if (slash && i == n - 1 && *trim(parts[i]) == '\0')
			break; /* tolerate a trailing slash */
		if (add_part(name, parts[i], cn, &filled, e) != 0) {
			ucpki_err_prefix(e, "malformed DN '%s': ", text);
			X509_NAME_free(name);
			return NULL;
		}
	}
	if (cn != NULL && !filled) {
		ucpki_err_set(e, UCPKI_E_INPUT,
		              "a CN value was given but the DN '%s' has no CN=? placeholder", text);
		X509_NAME_free(name);
		return NULL;
	}
	return name;
}

/* Append s to a growing string, escaping DN separators. */
static int append(char **buf, size_t *len, size_t *cap, const char *s, int escape)
{
	for (;; s++) {
		if (*len + 3 >= *cap) {
			size_t ncap = *cap ? *cap * 2 : 128;
			char *nb = realloc(*buf, ncap);
			if (nb == NULL)
				return -1;
			*buf = nb;
			*cap = ncap;
		}
		if (*s == '\0')
			break;
		if (escape && (*s == ',' || *s == '+' || *s == '\\' || *s == '"' || *s == '/'))
			(*buf)[(*len)++] = '\\';
		(*buf)[(*len)++] = *s;
	}
	(*buf)[*len] = '\0';
	return 0;
}

char *ucpki_dn_string(const X509_NAME *name)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int n = X509_NAME_entry_count(name);

	if (append(&buf, &len, &cap, "", 0) != 0)
		return NULL;
	for (int i = 0; i < n; i++) {
		const X509_NAME_ENTRY *ent = X509_NAME_get_entry(name, i);
		ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(ent);
		int nid = OBJ_obj2nid(obj);
		unsigned char *utf8 = NULL;
		char oid[80];
		const char *sn = nid != NID_undef ? OBJ_nid2sn(nid) : NULL;
		int ok;

		if (sn == NULL) {
			OBJ_obj2txt(oid, sizeof(oid), obj, 1);
			sn = oid;
		}
		if (ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(ent)) < 0) {
			free(buf);
			return NULL;
		}
		ok = (i == 0 || append(&buf, &len, &cap, ", ", 0) == 0) &&
		     append(&buf, &len, &cap, sn, 0) == 0 && append(&buf, &len, &cap, "=", 0) == 0 &&
		     append(&buf, &len, &cap, (char *)utf8, 1) == 0;
		OPENSSL_free(utf8);
		if (!ok) {
			free(buf);
			return NULL;
		}
	}
	return buf;
}

char *ucpki_dn_cn(const X509_NAME *name)
{
	int i = -1, last = -1;
	unsigned char *utf8 = NULL;
	char *out;

	while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return NULL;
	if (ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last))) <
	    0)
		return NULL;
	out = strdup((char *)utf8);
	OPENSSL_free(utf8);
	return out;
}
