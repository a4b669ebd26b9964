/* The verifier: trust anchors, CRLs, options; and loading what users hand. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ucpki/formats.h"
#include "ucpki/x509.h"
#include "verify/verify_internal.h"

int ucpki_level_parse(const char *text, enum ucpki_level *level, struct ucpki_err *e)
{
	static const struct {
		const char *name;
		enum ucpki_level level;
	} names[] = {
		{"none", UCPKI_LEVEL_NONE},     {"trusted", UCPKI_LEVEL_TRUSTED},
		{"full", UCPKI_LEVEL_FULL},     {"webpki", UCPKI_LEVEL_WEBPKI},
		{"strict", UCPKI_LEVEL_WEBPKI},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(text, names[i].name) == 0) {
			*level = names[i].level;
			return 0;
		}
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "unknown level '%s' (none, trusted, full or webpki)", text);
}

const char *ucpki_level_name(enum ucpki_level level)
{
	switch (level) {
	case UCPKI_LEVEL_NONE:
		return "none";
	case UCPKI_LEVEL_TRUSTED:
		return "trusted";
	case UCPKI_LEVEL_FULL:
		return "full";
	case UCPKI_LEVEL_WEBPKI:
		return "webpki";
	}
	return "?";
}

int ucpki_purpose_parse(const char *text, enum ucpki_purpose *p, struct ucpki_err *e)
{
	if (strcasecmp(text, "server") == 0)
		*p = UCPKI_PURPOSE_SERVER;
	else if (strcasecmp(text, "client") == 0)
		*p = UCPKI_PURPOSE_CLIENT;
	else if (strcasecmp(text, "any") == 0)
		*p = UCPKI_PURPOSE_ANY;
	else
		return ucpki_err_set(e, UCPKI_E_INPUT, "unknown purpose '%s' (server, client or any)",
		                     text);
	return 0;
}

const char *ucpki_check_name(enum ucpki_check_id id)
{
	static const char *const names[UCPKI_CHECK_COUNT] = {
		"chain", "validity", "revocation", "identity", "extensions", "purpose", "profile",
	};
	return (unsigned)id < UCPKI_CHECK_COUNT ? names[id] : "?";
}

const char *ucpki_check_status_name(enum ucpki_check_status s)
{
	switch (s) {
	case UCPKI_CHECK_PASS:
		return "pass";
	case UCPKI_CHECK_FAIL:
		return "fail";
	default:
		return "skip";
	}
}

const char *cert_subject(X509 *x, char *buf, size_t len)
{
	char *s = x ? ucpki_dn_string(X509_get_subject_name(x)) : NULL;

	snprintf(buf, len, "%s", s && *s ? s : "(empty subject)");
	free(s);
	return buf;
}

struct ucpki_verifier *ucpki_verifier_new(const struct ucpki_verify_opts *o, struct ucpki_err *e)
{
	struct ucpki_verifier *v = calloc(1, sizeof(*v));

	if (v == NULL)
		goto oom;
	v->o = *o;
	if (o->ocsp && (v->ocsp = strdup(o->ocsp)) == NULL)
		goto oom;
	v->o.ocsp = v->ocsp;
	if (v->o.at == 0)
		v->o.at = time(NULL);
	if ((v->store = X509_STORE_new()) == NULL || (v->anchors = sk_X509_new_null()) == NULL)
		goto oom;
	/* A device trusts whatever CA it has loaded, root or not. */
	X509_STORE_set_flags(v->store, X509_V_FLAG_PARTIAL_CHAIN);
	X509_STORE_set_verify(v->store, cached_internal_verify);
	return v;
oom:
	ucpki_verifier_free(v);
	ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	return NULL;
}

void ucpki_verifier_free(struct ucpki_verifier *v)
{
	if (v == NULL)
		return;
	X509_STORE_free(v->store);
	sk_X509_pop_free(v->anchors, X509_free);
	for (int i = 0; i < v->n_crls; i++) {
		X509_CRL_free(v->crls[i].crl);
		X509_free(v->crls[i].verified_by);
		free(v->crls[i].source);
	}
	free(v->crls);
	for (int i = 0; i < v->n_fetched; i++) {
		free(v->fetched[i].url);
		X509_CRL_free(v->fetched[i].crl);
	}
	free(v->fetched);
	free(v->ocsp);
	free(v);
}

int ucpki_verifier_add_trust(struct ucpki_verifier *v, X509 *cert, struct ucpki_err *e)
{
	for (int i = 0; i < sk_X509_num(v->anchors); i++)
		if (X509_cmp(sk_X509_value(v->anchors, i), cert) == 0)
			return 0;
	if (X509_STORE_add_cert(v->store, cert) != 1 || !X509_up_ref(cert))
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot add a trust anchor");
	if (!sk_X509_push(v->anchors, cert)) {
		X509_free(cert);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

int ucpki_verifier_add_trust_file(struct ucpki_verifier *v, const char *path,
                                  const char *password, struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_load(path, password, e);
	int n = 0, rc = 0;

	if (p == NULL)
		return -1;
	for (int i = 0; i < ucpki_pack_count(p) && rc == 0; i++) {
		X509 *x = ucpki_pack_cert_at(p, i);
		if (x == NULL)
			continue;
		rc = ucpki_verifier_add_trust(v, x, e);
		n++;
	}
	ucpki_pack_free(p);
	if (rc == 0 && n == 0)
		rc = ucpki_err_set(e, UCPKI_E_INPUT, "%s: no certificate in this trust file", path);
	return rc;
}

int ucpki_verifier_trust_count(const struct ucpki_verifier *v)
{
	return sk_X509_num(v->anchors);
}

STACK_OF(X509) *ucpki_verifier_anchors(const struct ucpki_verifier *v)
{
	return v->anchors;
}

int verifier_add_crl(struct ucpki_verifier *v, X509_CRL *crl, const char *source, int given,
                     struct ucpki_err *e)
{
	struct crl_entry *ce;

	if (v->n_crls == v->cap_crls) {
		int cap = v->cap_crls ? v->cap_crls * 2 : 8;
		struct crl_entry *n = realloc(v->crls, (size_t)cap * sizeof(*n));
		if (n == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		v->crls = n;
		v->cap_crls = cap;
	}
	ce = &v->crls[v->n_crls];
	memset(ce, 0, sizeof(*ce));
	if ((ce->source = strdup(source)) == NULL || !X509_CRL_up_ref(crl)) {
		free(ce->source);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	ce->crl = crl;
	v->n_crls++;
	v->given_crls |= given;
	return 0;
}

int ucpki_verifier_add_crl(struct ucpki_verifier *v, X509_CRL *crl, struct ucpki_err *e)
{
	return verifier_add_crl(v, crl, "CRL", 1, e);
}

int ucpki_verifier_add_crl_file(struct ucpki_verifier *v, const char *path, struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_load(path, NULL, e);
	int n = 0, rc = 0;

	if (p == NULL)
		return -1;
	for (int i = 0; i < ucpki_pack_count(p) && rc == 0; i++) {
		X509_CRL *crl = ucpki_pack_crl_at(p, i);
		if (crl == NULL)
			continue;
		rc = verifier_add_crl(v, crl, path, 1, e);
		n++;
	}
	ucpki_pack_free(p);
	if (rc == 0 && n == 0)
		rc = ucpki_err_set(e, UCPKI_E_INPUT, "%s: no CRL in this file", path);
	return rc;
}

static int push_ref(STACK_OF(X509) *sk, X509 *x, struct ucpki_err *e)
{
	if (!X509_up_ref(x))
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (!sk_X509_push(sk, x)) {
		X509_free(x);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

static int count_type(const struct ucpki_pack *p, enum ucpki_obj t)
{
	int n = 0;

	for (int i = 0; i < ucpki_pack_count(p); i++)
		n += ucpki_pack_type(p, i) == t;
	return n;
}

int ucpki_verify_load_cert(const char *path, const char *password, X509 **leaf,
                           STACK_OF(X509) *untrusted, struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_load(path, password, e);
	EVP_PKEY *key;
	X509 *chosen = NULL;
	int rc = 0;

	*leaf = NULL;
	if (p == NULL)
		return -1;
	if (ucpki_pack_first_cert(p) == NULL) {
		rc = ucpki_err_set(e, UCPKI_E_INPUT, "%s: no certificate in this file%s", path,
		                   count_type(p, UCPKI_OBJ_KEY) ? " (only a private key)" : "");
		goto out;
	}
	key = ucpki_pack_first_key(p);
	for (int i = 0; key && i < ucpki_pack_count(p) && chosen == NULL; i++) {
		X509 *x = ucpki_pack_cert_at(p, i);
		if (x && ucpki_key_matches_cert(x, key))
			chosen = x;
	}
	ERR_clear_error();
	if (key && chosen == NULL) {
		rc = ucpki_err_set(e, UCPKI_E_INPUT,
		                   "%s: the private key in this bundle belongs to none of its "
		                   "certificates", path);
		goto out;
	}
	if (chosen == NULL)
		chosen = ucpki_pack_first_cert(p);
	for (int i = 0; i < ucpki_pack_count(p) && rc == 0; i++) {
		X509 *x = ucpki_pack_cert_at(p, i);
		if (x && x != chosen)
			rc = push_ref(untrusted, x, e);
	}
	if (rc == 0 && X509_up_ref(chosen))
		*leaf = chosen;
out:
	ucpki_pack_free(p);
	return rc;
}

int ucpki_verify_load_chain(const char *path, const char *password, STACK_OF(X509) *untrusted,
                            struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_load(path, password, e);
	int rc = 0, n = 0;

	if (p == NULL)
		return -1;
	for (int i = 0; i < ucpki_pack_count(p) && rc == 0; i++) {
		X509 *x = ucpki_pack_cert_at(p, i);
		if (x) {
			rc = push_ref(untrusted, x, e);
			n++;
		}
	}
	if (rc == 0 && n == 0)
		rc = ucpki_err_set(e, UCPKI_E_INPUT, "%s: no certificate in this chain file%s", path,
		                   count_type(p, UCPKI_OBJ_KEY) ? " (only a private key)" : "");
	ucpki_pack_free(p);
	return rc;
}

/* A line holding base64 DER: only base64 characters, long enough for a
 * certificate, starting as a DER SEQUENCE does ("MI"). */
static int is_base64_der(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

	return s[0] == 'M' && s[1] == 'I' && n > 64 && s[n] == '\0';
}

int ucpki_verify_load_line(const char *line, const char *password, X509 **leaf,
                           STACK_OF(X509) *untrusted, struct ucpki_err *e)
{
	size_t len = strlen(line);
	unsigned char *der;
	const unsigned char *p;
	int n;

	if (!is_base64_der(line))
		return ucpki_verify_load_cert(line, password, leaf, untrusted, e);
	if ((der = malloc(len)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	/* EVP_DecodeBlock counts the padding as zero octets; DER knows its length */
	n = EVP_DecodeBlock(der, (const unsigned char *)line, (int)len);
	p = der;
	*leaf = n > 0 ? d2i_X509(NULL, &p, n) : NULL;
	free(der);
	ERR_clear_error();
	if (*leaf == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "line %.40s...: not a base64 DER certificate",
		                     line);
	return 0;
}

X509 *ucpki_chain_last_ca(STACK_OF(X509) *chain)
{
	for (int i = sk_X509_num(chain) - 1; i >= 1; i--)
		if (X509_check_ca(sk_X509_value(chain, i)) > 0)
			return sk_X509_value(chain, i);
	return NULL;
}
