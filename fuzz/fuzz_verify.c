/* Fuzz path validation at every level: any bytes as a DER certificate
 * (judged against a fixed anchor, and trusted directly) or as a DER CRL
 * (used to check a certificate of that anchor). Every profile,
 * name-constraint and CRL rule runs on what the bytes hold. */
#include <stddef.h>
#include <stdint.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ucpki/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static X509 *anchor;

static void setup(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509_NAME *nm;
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	anchor = X509_new();
	X509_set_version(anchor, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(anchor), 4242);
	X509_gmtime_adj(X509_getm_notBefore(anchor), -86400);
	X509_gmtime_adj(X509_getm_notAfter(anchor), 86400 * 365);
	nm = X509_get_subject_name(anchor);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"fuzz", -1, -1, 0);
	X509_set_issuer_name(anchor, nm);
	X509_set_pubkey(anchor, key);
	X509V3_set_ctx(&v3, anchor, anchor, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
	X509_add_ext(anchor, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(anchor, key, EVP_sha256());
	EVP_PKEY_free(key);
}

static void judge(X509 *leaf, X509 *trust, X509_CRL *crl)
{
	struct ucpki_verify_opts o = {0};
	struct ucpki_verifier *v = ucpki_verifier_new(&o, NULL);
	struct ucpki_err e;

	if (v == NULL)
		return;
	ucpki_verifier_add_trust(v, trust, &e);
	if (crl)
		ucpki_verifier_add_crl(v, crl, &e);
	for (int level = UCPKI_LEVEL_TRUSTED; level <= UCPKI_LEVEL_WEBPKI; level++) {
		struct ucpki_verify_req req = {.leaf = leaf, .level = (enum ucpki_level)level,
		                               .purpose = UCPKI_PURPOSE_SERVER,
		                               .host = "a.fuzz.example.com", .ip = "192.0.2.1",
		                               .key_usage = 1, .has_max_depth = 1, .max_depth = 2};
		struct ucpki_verdict *vd = NULL;
		if (ucpki_verify(v, &req, &vd, &e) == 0)
			ucpki_verdict_free(vd);
	}
	ucpki_verifier_free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const unsigned char *p = data;
	X509 *x;
	X509_CRL *crl;

	if (anchor == NULL)
		setup();
	if ((x = d2i_X509(NULL, &p, (long)len)) != NULL) {
		judge(x, anchor, NULL);
		judge(x, x, NULL);
		X509_free(x);
	}
	p = data;
	if ((crl = d2i_X509_CRL(NULL, &p, (long)len)) != NULL) {
		judge(anchor, anchor, crl);
		X509_CRL_free(crl);
	}
	ERR_clear_error();
	return 0;
}
