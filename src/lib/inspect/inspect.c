/* Descriptions of files and key/certificate matches (see ucpki/inspect.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "ucpki/ca.h"
#include "ucpki/inspect.h"

static const char *obj_name(enum ucpki_obj t)
{
	switch (t) {
	case UCPKI_OBJ_CERT:
		return "certificate";
	case UCPKI_OBJ_KEY:
		return "private key";
	case UCPKI_OBJ_CSR:
		return "certificate request";
	case UCPKI_OBJ_CRL:
		return "CRL";
	case UCPKI_OBJ_PUBKEY:
		return "public key";
	}
	return "object";
}

static void describe_key(const EVP_PKEY *k, char *desc, size_t len)
{
	struct ucpki_keyspec ks;
	char spec[32];

	if (ucpki_keyspec_of(k, &ks))
		snprintf(desc, len, "%s", ucpki_keyspec_string(&ks, spec, sizeof(spec)));
	else
		snprintf(desc, len, "%s", OBJ_nid2sn(EVP_PKEY_get_base_id(k)));
}

/* The first certificate of the pack that this key belongs to (1-based). */
static int matching_cert(const struct ucpki_pack *p, EVP_PKEY *k)
{
	for (int i = 0; i < ucpki_pack_count(p); i++) {
		X509 *x = ucpki_pack_cert_at(p, i);
		if (x && EVP_PKEY_eq(X509_get0_pubkey(x), k) == 1)
			return i + 1;
	}
	ERR_clear_error();
	return 0;
}

static void key_info(const struct ucpki_pack *p, int i, struct ucpki_keyinfo *ki)
{
	EVP_PKEY *k = ucpki_pack_key_at(p, i);

	describe_key(k, ki->desc, sizeof(ki->desc));
	ki->enc = ucpki_pack_type(p, i) == UCPKI_OBJ_KEY ? ucpki_pack_keyenc_at(p, i)
	                                                 : UCPKI_KEYENC_NONE;
	ucpki_modulus_md5(k, ki->modulus_md5);
	ucpki_pubkey_sha256(k, ki->pubkey_sha256);
	ki->matches = matching_cert(p, k);
}

static int csr_info(X509_REQ *req, const char *label, struct ucpki_csrinfo *ci,
                    struct ucpki_err *e)
{
	EVP_PKEY *k = X509_REQ_get0_pubkey(req);
	struct ucpki_err rerr = {0};

	ci->subject = ucpki_dn_string(X509_REQ_get_subject_name(req));
	ci->signature_valid = k && X509_REQ_verify(req, k) == 1;
	ERR_clear_error();
	snprintf(ci->key_desc, sizeof(ci->key_desc), "?");
	if (k)
		describe_key(k, ci->key_desc, sizeof(ci->key_desc));
	if (ucpki_csr_request_read(req, label, &ci->req, &rerr) != 0 &&
	    (ci->req_error = strdup(rerr.msg)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	return 0;
}

static void time_text(const ASN1_TIME *a, char *buf, size_t len)
{
	time_t t = 0;

	ucpki_asn1_time_to_t(a, &t);
	ucpki_time_string(t, buf, len);
}

static int revoked_info(X509_REVOKED *r, struct ucpki_revinfo *ri)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(r), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	ASN1_ENUMERATED *re = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, NULL, NULL);

	ri->serial = strdup(hex ? hex : "?");
	ri->reason = re ? ucpki_reason_name((int)ASN1_ENUMERATED_get(re)) : "unspecified";
	time_text(X509_REVOKED_get0_revocationDate(r), ri->date, sizeof(ri->date));
	OPENSSL_free(hex);
	BN_free(bn);
	ASN1_ENUMERATED_free(re);
	return ri->serial ? 0 : -1;
}

static int crl_info(X509_CRL *crl, struct ucpki_crlinfo *ci, struct ucpki_err *e)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(crl);
	ASN1_INTEGER *num = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
	int n = sk_X509_REVOKED_num(rev);

	ci->issuer = ucpki_dn_string(X509_CRL_get_issuer(crl));
	time_text(X509_CRL_get0_lastUpdate(crl), ci->this_update, sizeof(ci->this_update));
	time_text(X509_CRL_get0_nextUpdate(crl), ci->next_update, sizeof(ci->next_update));
	if (num) {
		ci->has_number = 1;
		ci->number = ASN1_INTEGER_get(num);
		ASN1_INTEGER_free(num);
	}
	ERR_clear_error();
	if (n > 0 && (ci->revoked = calloc((size_t)n, sizeof(*ci->revoked))) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < n; i++, ci->n_revoked++)
		if (revoked_info(sk_X509_REVOKED_value(rev, i), &ci->revoked[i]) != 0)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	return 0;
}

static void objinfo_clear(struct ucpki_objinfo *o)
{
	free(o->alias);
	ucpki_certinfo_free(o->cert);
	free(o->csr.subject);
	free(o->csr.req_error);
	ucpki_csr_request_clear(&o->csr.req);
	free(o->crl.issuer);
	for (int i = 0; i < o->crl.n_revoked; i++)
		free(o->crl.revoked[i].serial);
	free(o->crl.revoked);
}

void ucpki_fileinfo_free(struct ucpki_fileinfo *fi)
{
	if (fi == NULL)
		return;
	for (int i = 0; i < fi->n; i++)
		objinfo_clear(&fi->obj[i]);
	free(fi->obj);
	free(fi);
}

static int obj_info(const struct ucpki_pack *p, int i, const char *label,
                    struct ucpki_objinfo *o, struct ucpki_err *e)
{
	const char *alias = ucpki_pack_alias_at(p, i);

	o->type = ucpki_pack_type(p, i);
	o->type_name = obj_name(o->type);
	if (alias && (o->alias = strdup(alias)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	switch (o->type) {
	case UCPKI_OBJ_CERT:
		return (o->cert = ucpki_certinfo_new(ucpki_pack_cert_at(p, i), e)) ? 0 : -1;
	case UCPKI_OBJ_KEY:
	case UCPKI_OBJ_PUBKEY:
		key_info(p, i, &o->key);
		return 0;
	case UCPKI_OBJ_CSR:
		return csr_info(ucpki_pack_csr_at(p, i), label, &o->csr, e);
	case UCPKI_OBJ_CRL:
		return crl_info(ucpki_pack_crl_at(p, i), &o->crl, e);
	}
	return 0;
}

struct ucpki_fileinfo *ucpki_fileinfo_new(const struct ucpki_pack *p, const char *label,
                                          struct ucpki_err *e)
{
	struct ucpki_fileinfo *fi = calloc(1, sizeof(*fi));
	int n = ucpki_pack_count(p);

	if (fi == NULL || (n > 0 && (fi->obj = calloc((size_t)n, sizeof(*fi->obj))) == NULL)) {
		free(fi);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	fi->format = ucpki_pack_format(p);
	fi->format_name = ucpki_format_name(fi->format);
	for (; fi->n < n; fi->n++)
		if (obj_info(p, fi->n, label, &fi->obj[fi->n], e) != 0) {
			fi->n++; /* clear the partly filled one too */
			ucpki_fileinfo_free(fi);
			return NULL;
		}
	return fi;
}

struct ucpki_fileinfo *ucpki_fileinfo_load_mem(const unsigned char *data, size_t len,
                                               const char *label, const char *password,
                                               struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_load_mem(data, len, label, password, e);
	struct ucpki_fileinfo *fi = p ? ucpki_fileinfo_new(p, label, e) : NULL;

	ucpki_pack_free(p);
	return fi;
}

struct ucpki_fileinfo *ucpki_fileinfo_load(const char *path, const char *password,
                                           struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_load(path, password, e);
	struct ucpki_fileinfo *fi = p ? ucpki_fileinfo_new(p, path, e) : NULL;

	ucpki_pack_free(p);
	return fi;
}

int ucpki_match_files(const char *cert_path, const char *key_path, const char *password,
                      struct ucpki_matchinfo *m, struct ucpki_err *e)
{
	struct ucpki_pack *cp = NULL, *kp = NULL;
	X509 *cert;
	EVP_PKEY *key;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	if ((cp = ucpki_pack_load(cert_path, password, e)) == NULL ||
	    (kp = ucpki_pack_load(key_path, password, e)) == NULL)
		goto out;
	if ((cert = ucpki_pack_first_cert(cp)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: no certificate in this file", cert_path);
		goto out;
	}
	if ((key = ucpki_pack_first_key(kp)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: no private key in this file", key_path);
		goto out;
	}
	m->match = ucpki_key_matches_cert(cert, key);
	ucpki_modulus_md5(X509_get0_pubkey(cert), m->cert_modulus_md5);
	ucpki_modulus_md5(key, m->key_modulus_md5);
	ucpki_pubkey_sha256(X509_get0_pubkey(cert), m->cert_pubkey_sha256);
	ucpki_pubkey_sha256(key, m->key_pubkey_sha256);
	rc = 0;
out:
	ucpki_pack_free(cp);
	ucpki_pack_free(kp);
	return rc;
}
