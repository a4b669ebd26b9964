/* Fuzz the judgement of OCSP answers: any bytes, as the answer about a
 * certificate, with and without a nonce in the request. */
#include <stddef.h>
#include <stdint.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "ucpki/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static X509 *cert;
static struct ucpki_verifier *verifier;
static OCSP_REQUEST *req;

/* One self-signed certificate: issuer and subject of the question. */
static void setup(void)
{
	struct ucpki_verify_opts o = {0};
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509_NAME *nm;

	cert = X509_new();
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 4242);
	X509_gmtime_adj(X509_getm_notBefore(cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
	nm = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"fuzz", -1, -1, 0);
	X509_set_issuer_name(cert, nm);
	X509_set_pubkey(cert, key);
	X509_sign(cert, key, EVP_sha256());
	EVP_PKEY_free(key);
	verifier = ucpki_verifier_new(&o, NULL);
	ucpki_verifier_add_trust(verifier, cert, NULL);
	req = OCSP_REQUEST_new();
	OCSP_request_add0_id(req, OCSP_cert_to_id(NULL, cert, cert));
	OCSP_request_add1_nonce(req, NULL, -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ucpki_check c;
	struct ucpki_err e;

	if (cert == NULL)
		setup();
	ucpki_ocsp_judge(verifier, data, len, "fuzz", cert, cert, NULL, NULL, &c, &e);
	ucpki_ocsp_judge(verifier, data, len, "fuzz", cert, cert, NULL, req, &c, &e);
	ERR_clear_error();
	return 0;
}
