/* What `ucpki show` reports about a certificate, as data. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "ucpki/x509.h"
#include "x509/x509_internal.h"

static char *bio_string(BIO *bio)
{
	char *data, *out;
	long len = BIO_get_mem_data(bio, &data);

	if (len < 0)
		len = 0;
	if ((out = malloc((size_t)len + 1)) == NULL)
		return NULL;
	if (len > 0) /* an empty BIO has no data pointer */
		memcpy(out, data, (size_t)len);
	out[len] = '\0';
	/* openssl prints multi-line values with indentation; fold to one line */
	for (char *p = out; *p; p++)
		if (*p == '\n')
			*p = (p[1] == '\0') ? '\0' : ' ';
	return out;
}

static char *serial_hex(const X509 *cert)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	int n = bn ? BN_num_bytes(bn) : 0;
	unsigned char buf[64];
	char *out;

	if (bn == NULL || n > (int)sizeof(buf)) {
		BN_free(bn);
		return strdup("?");
	}
	if (n == 0) {
		BN_free(bn);
		return strdup("00");
	}
	BN_bn2bin(bn, buf);
	BN_free(bn);
	if ((out = malloc((size_t)n * 3 + 1)) == NULL)
		return NULL;
	for (int i = 0; i < n; i++)
		snprintf(out + 3 * i, 4, i + 1 < n ? "%02X:" : "%02X", buf[i]);
	return out;
}

static char *key_desc(EVP_PKEY *key)
{
	struct ucpki_keyspec ks;
	char buf[64];

	if (key == NULL || !ucpki_keyspec_of(key, &ks))
		return strdup("unknown");
	switch (ks.type) {
	case UCPKI_KEY_RSA:
		snprintf(buf, sizeof(buf), "RSA %d", ks.bits);
		break;
	case UCPKI_KEY_EC:
		snprintf(buf, sizeof(buf), "EC %s",
		         ks.curve_nid ? OBJ_nid2sn(ks.curve_nid) : "unknown curve");
		if (ks.curve_nid == NID_X9_62_prime256v1)
			snprintf(buf, sizeof(buf), "EC P-256");
		else if (ks.curve_nid == NID_secp384r1)
			snprintf(buf, sizeof(buf), "EC P-384");
		else if (ks.curve_nid == NID_secp521r1)
			snprintf(buf, sizeof(buf), "EC P-521");
		break;
	default:
		snprintf(buf, sizeof(buf), "ED25519");
	}
	return strdup(buf);
}

/* One extension as `openssl x509 -text` prints it. */
static int ext_info(struct ucpki_ext_info *x, const X509_EXTENSION *ex)
{
	ASN1_OBJECT *obj = X509_EXTENSION_get_object((X509_EXTENSION *)ex);
	int nid = OBJ_obj2nid(obj);
	char name[128];
	BIO *bio = BIO_new(BIO_s_mem());

	if (bio == NULL)
		return -1;
	x->critical = X509_EXTENSION_get_critical(ex);
	if (nid != NID_undef) {
		/* openssl's own long names ("X509v3 Key Usage", "Netscape Cert Type") */
		snprintf(name, sizeof(name), "%s", OBJ_nid2ln(nid));
		x->oid = strdup(OBJ_nid2sn(nid));
	} else {
		OBJ_obj2txt(name, sizeof(name), obj, 1);
		x->oid = strdup(name);
	}
	x->name = strdup(name);
	if (!X509V3_EXT_print(bio, (X509_EXTENSION *)ex, 0, 0)) {
		ERR_clear_error();
		ASN1_STRING_print(bio, X509_EXTENSION_get_data((X509_EXTENSION *)ex));
	}
	x->value = bio_string(bio);
	BIO_free(bio);
	return x->name && x->oid && x->value ? 0 : -1;
}

int x509_ext_infos(const STACK_OF(X509_EXTENSION) *exts, struct ucpki_ext_info **out, int *n)
{
	int count = sk_X509_EXTENSION_num(exts);

	*out = NULL;
	*n = 0;
	if (count <= 0)
		return 0;
	if ((*out = calloc((size_t)count, sizeof(**out))) == NULL)
		return -1;
	for (int i = 0; i < count; i++) {
		(*n)++;
		if (ext_info(&(*out)[i], sk_X509_EXTENSION_value(exts, i)) != 0)
			return -1;
	}
	return 0;
}

void x509_ext_infos_free(struct ucpki_ext_info *v, int n)
{
	for (int i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].oid);
		free(v[i].value);
	}
	free(v);
}

struct ucpki_certinfo *ucpki_certinfo_new(X509 *cert, struct ucpki_err *e)
{
	struct ucpki_certinfo *ci = calloc(1, sizeof(*ci));
	EVP_PKEY *key = X509_get0_pubkey(cert);
	GENERAL_NAMES *sans;
	char buf[64];

	if (ci == NULL)
		goto oom;
	ci->version = (int)X509_get_version(cert) + 1;
	ci->serial = serial_hex(cert);
	ci->subject = ucpki_dn_string(X509_get_subject_name(cert));
	ci->issuer = ucpki_dn_string(X509_get_issuer_name(cert));
	ucpki_asn1_time_to_t(X509_get0_notBefore(cert), &ci->not_before_t);
	ucpki_asn1_time_to_t(X509_get0_notAfter(cert), &ci->not_after_t);
	ci->not_before = strdup(ucpki_time_string(ci->not_before_t, buf, sizeof(buf)));
	ci->not_after = strdup(ucpki_time_string(ci->not_after_t, buf, sizeof(buf)));
	ci->sig_alg = strdup(OBJ_nid2ln(X509_get_signature_nid(cert)));
	ci->key_desc = key_desc(key);
	sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	ci->sans = sans ? ucpki_san_string(sans) : strdup("");
	GENERAL_NAMES_free(sans);
	ci->is_ca = X509_check_ca(cert) > 0;
	ci->pathlen = (int)X509_get_pathlen(cert);
	ci->self_signed = X509_self_signed(cert, 0) == 1;
	ERR_clear_error();
	ucpki_fingerprint(cert, EVP_sha1(), ci->sha1, sizeof(ci->sha1));
	ucpki_fingerprint(cert, EVP_sha256(), ci->sha256, sizeof(ci->sha256));
	ucpki_modulus_md5(key, ci->modulus_md5);
	if (!ci->serial || !ci->subject || !ci->issuer || !ci->not_before || !ci->not_after ||
	    !ci->sig_alg || !ci->key_desc || !ci->sans ||
	    x509_ext_infos(X509_get0_extensions(cert), &ci->ext, &ci->n_ext) != 0)
		goto oom;
	return ci;
oom:
	ucpki_certinfo_free(ci);
	ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	return NULL;
}

void ucpki_certinfo_free(struct ucpki_certinfo *ci)
{
	if (ci == NULL)
		return;
	free(ci->serial);
	free(ci->subject);
	free(ci->issuer);
	free(ci->not_before);
	free(ci->not_after);
	free(ci->sig_alg);
	free(ci->key_desc);
	free(ci->sans);
	x509_ext_infos_free(ci->ext, ci->n_ext);
	free(ci);
}
