/* Subject alternative names, key usages and extended key usages. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/objects.h>

#include "ucpki/x509.h"

int ucpki_is_dns_name(const char *s, int allow_wildcard)
{
	size_t len = strlen(s), label = 0;
	int labels = 0;

	if (len == 0 || len > 253)
		return 0;
	if (allow_wildcard && s[0] == '*' && s[1] == '.')
		s += 2;
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return 0;
			labels++;
			label = 0;
			if (*p == '\0')
				break;
			continue;
		}
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
			return 0;
		if (label == 0 && *p == '-')
			return 0;
		label++;
	}
	return labels >= 1;
}

int ucpki_parse_ip(const char *s, unsigned char out[16], int *len)
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*len = 4;
		return 1;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*len = 16;
		return 1;
	}
	return 0;
}

static GENERAL_NAME *make_name(int type, const char *value, struct ucpki_err *e)
{
	GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_IA5STRING *ia5 = NULL;
	ASN1_OCTET_STRING *ip = NULL;
	unsigned char addr[16];
	int alen;

	if (gn == NULL)
		goto oom;
	if (type == GEN_IPADD) {
		if (!ucpki_parse_ip(value, addr, &alen)) {
			ucpki_err_set(e, UCPKI_E_INPUT, "SAN IP '%s' is not an IPv4 or IPv6 address",
			              value);
			goto fail;
		}
		if ((ip = ASN1_OCTET_STRING_new()) == NULL ||
		    !ASN1_OCTET_STRING_set(ip, addr, alen))
			goto oom;
		GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
		return gn;
	}
	if ((ia5 = ASN1_IA5STRING_new()) == NULL ||
	    !ASN1_STRING_set(ia5, value, (int)strlen(value)))
		goto oom;
	GENERAL_NAME_set0_value(gn, type, ia5);
	return gn;
oom:
	ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
fail:
	ASN1_OCTET_STRING_free(ip);
	ASN1_IA5STRING_free(ia5);
	GENERAL_NAME_free(gn);
	return NULL;
}

static int check_san_value(int type, const char *v, struct ucpki_err *e)
{
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "SAN value '%s' has a space or a non-ASCII character", v);
	switch (type) {
	case GEN_DNS:
		if (!ucpki_is_dns_name(v, 1))
			return ucpki_err_set(e, UCPKI_E_INPUT, "SAN DNS '%s' is not a valid DNS name", v);
		break;
	case GEN_EMAIL: {
		const char *at = strchr(v, '@');
		if (at == NULL || at == v || !ucpki_is_dns_name(at + 1, 0))
			return ucpki_err_set(e, UCPKI_E_INPUT, "SAN email '%s' is not an address", v);
		break;
	}
	case GEN_URI: {
		const char *colon = strchr(v, ':');
		if (colon == NULL || colon == v || !isalpha((unsigned char)v[0]))
			return ucpki_err_set(e, UCPKI_E_INPUT, "SAN URI '%s' has no scheme", v);
		break;
	}
	default:
		break;
	}
	return 0;
}

static int san_type(const char *tag)
{
	static const struct {
		const char *tag;
		int type;
	} tags[] = {
		{"DNS", GEN_DNS}, {"IP", GEN_IPADD}, {"IP Address", GEN_IPADD},
		{"URI", GEN_URI}, {"email", GEN_EMAIL}, {"RFC822", GEN_EMAIL},
	};
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strcasecmp(tags[i].tag, tag) == 0)
			return tags[i].type;
	return -1;
}

int ucpki_san_add(GENERAL_NAMES **names, const char *list, struct ucpki_err *e)
{
	char *copy, *save = NULL, *item;
	int created = 0, rc = 0;

	if (list == NULL || *list == '\0')
		return 0;
	if ((copy = strdup(list)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (*names == NULL) {
		if ((*names = GENERAL_NAMES_new()) == NULL) {
			free(copy);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
		created = 1;
	}
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *colon, *tag, *value;
		GENERAL_NAME *gn;
		int type, dup = 0;

		while (isspace((unsigned char)*item))
			item++;
		if (*item == '\0')
			continue;
		colon = strchr(item, ':');
		if (colon == NULL) {
			rc = ucpki_err_set(e, UCPKI_E_INPUT,
			                   "SAN entry '%s' needs a type: DNS:, IP:, URI: or email:", item);
			break;
		}
		*colon = '\0';
		tag = item;
		value = colon + 1;
		for (char *end = value + strlen(value); end > value && isspace((unsigned char)end[-1]);)
			*--end = '\0';
		if ((type = san_type(tag)) < 0) {
			rc = ucpki_err_set(e, UCPKI_E_INPUT,
			                   "SAN type '%s' is unknown (use DNS, IP, URI or email)", tag);
			break;
		}
		if ((rc = check_san_value(type, value, e)) != 0)
			break;
		if ((gn = make_name(type, value, e)) == NULL) {
			rc = -1;
			break;
		}
		for (int i = 0; i < sk_GENERAL_NAME_num(*names); i++)
			if (GENERAL_NAME_cmp(sk_GENERAL_NAME_value(*names, i), gn) == 0)
				dup = 1;
		if (dup) {
			GENERAL_NAME_free(gn);
			continue;
		}
		if (!sk_GENERAL_NAME_push(*names, gn)) {
			GENERAL_NAME_free(gn);
			rc = ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			break;
		}
	}
	free(copy);
	if (rc != 0 && created) {
		GENERAL_NAMES_free(*names);
		*names = NULL;
	}
	return rc;
}

char *ucpki_san_string(const GENERAL_NAMES *names)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long len;

	if (bio == NULL)
		return NULL;
	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		if (i > 0)
			BIO_puts(bio, ", ");
		GENERAL_NAME_print(bio, sk_GENERAL_NAME_value(names, i));
	}
	len = BIO_get_mem_data(bio, &data);
	if (len < 0)
		len = 0;
	if ((out = malloc((size_t)len + 1)) != NULL) {
		if (len > 0) /* an empty BIO has no data pointer */
			memcpy(out, data, (size_t)len);
		out[len] = '\0';
	}
	BIO_free(bio);
	return out;
}

static const struct {
	const char *name;
	unsigned bit;
} ku_names[] = {
	/* bit numbers of the KeyUsage BIT STRING (RFC 5280 4.2.1.3) */
	{"digitalSignature", 0},
	{"nonRepudiation", 1},
	{"contentCommitment", 1},
	{"keyEncipherment", 2},
	{"dataEncipherment", 3},
	{"keyAgreement", 4},
	{"keyCertSign", 5},
	{"cRLSign", 6},
	{"encipherOnly", 7},
	{"decipherOnly", 8},
};

int ucpki_ku_parse(const char *list, unsigned *bits, struct ucpki_err *e)
{
	char *copy, *save = NULL, *item;
	int rc = 0;

	*bits = 0;
	if ((copy = strdup(list)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (item = strtok_r(copy, ", ", &save); item; item = strtok_r(NULL, ", ", &save)) {
		size_t i;
		for (i = 0; i < sizeof(ku_names) / sizeof(ku_names[0]); i++)
			if (strcasecmp(ku_names[i].name, item) == 0)
				break;
		if (i == sizeof(ku_names) / sizeof(ku_names[0])) {
			rc = ucpki_err_set(e, UCPKI_E_INPUT,
			                   "unknown key usage '%s' (e.g. digitalSignature, "
			                   "keyEncipherment, keyCertSign)", item);
			break;
		}
		*bits |= 1u << ku_names[i].bit;
	}
	free(copy);
	return rc;
}

static const struct {
	const char *name;
	int nid;
} eku_names[] = {
	{"serverAuth", NID_server_auth},       {"clientAuth", NID_client_auth},
	{"codeSigning", NID_code_sign},        {"emailProtection", NID_email_protect},
	{"timeStamping", NID_time_stamp},      {"OCSPSigning", NID_OCSP_sign},
	{"ipsecIKE", NID_ipsec_IKE},           {"anyExtendedKeyUsage", NID_anyExtendedKeyUsage},
};

STACK_OF(ASN1_OBJECT) *ucpki_eku_parse(const char *list, struct ucpki_err *e)
{
	STACK_OF(ASN1_OBJECT) *sk = sk_ASN1_OBJECT_new_null();
	char *copy = strdup(list), *save = NULL, *item;

	if (sk == NULL || copy == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	for (item = strtok_r(copy, ", ", &save); item; item = strtok_r(NULL, ", ", &save)) {
		ASN1_OBJECT *obj = NULL;
		for (size_t i = 0; i < sizeof(eku_names) / sizeof(eku_names[0]); i++)
			if (strcasecmp(eku_names[i].name, item) == 0)
				obj = OBJ_nid2obj(eku_names[i].nid);
		if (obj == NULL && isdigit((unsigned char)item[0]))
			obj = OBJ_txt2obj(item, 1);
		else if (obj != NULL)
			obj = OBJ_dup(obj);
		if (obj == NULL) {
			ucpki_err_set(e, UCPKI_E_INPUT,
			              "unknown extended key usage '%s' (e.g. serverAuth, clientAuth)", item);
			goto fail;
		}
		if (!sk_ASN1_OBJECT_push(sk, obj)) {
			ASN1_OBJECT_free(obj);
			ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
			goto fail;
		}
	}
	free(copy);
	return sk;
fail:
	free(copy);
	sk_ASN1_OBJECT_pop_free(sk, ASN1_OBJECT_free);
	return NULL;
}

int ucpki_ext_mask_parse(const char *list, unsigned *mask, struct ucpki_err *e)
{
	static const struct {
		const char *name;
		unsigned bit;
	} exts[] = {
		{"bc", UCPKI_EXT_BC},   {"basicConstraints", UCPKI_EXT_BC},
		{"ku", UCPKI_EXT_KU},   {"keyUsage", UCPKI_EXT_KU},
		{"eku", UCPKI_EXT_EKU}, {"extendedKeyUsage", UCPKI_EXT_EKU},
		{"san", UCPKI_EXT_SAN}, {"subjectAltName", UCPKI_EXT_SAN},
		{"ski", UCPKI_EXT_SKI}, {"subjectKeyIdentifier", UCPKI_EXT_SKI},
		{"aki", UCPKI_EXT_AKI}, {"authorityKeyIdentifier", UCPKI_EXT_AKI},
	};
	char *copy, *save = NULL, *item;
	int rc = 0;

	*mask = 0;
	if (list == NULL)
		return 0;
	if ((copy = strdup(list)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (item = strtok_r(copy, ", ", &save); item; item = strtok_r(NULL, ", ", &save)) {
		size_t i;
		for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
			if (strcasecmp(exts[i].name, item) == 0)
				break;
		if (i == sizeof(exts) / sizeof(exts[0])) {
			rc = ucpki_err_set(e, UCPKI_E_INPUT,
			                   "unknown extension '%s' (use bc, ku, eku, san)", item);
			break;
		}
		*mask |= exts[i].bit;
	}
	free(copy);
	return rc;
}
