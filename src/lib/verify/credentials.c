/* Credentials for MTLS and the test server: a certificate, the private key
 * that belongs to it and the chain sent with it, from one bundle (PEM with
 * key and chain, PKCS#12) or a certificate file and a key file. */
#include <string.h>

#include <openssl/err.h>

#include "ucpki/formats.h"
#include "ucpki/x509.h"
#include "verify/verify_internal.h"

void ucpki_credentials_clear(struct ucpki_credentials *cr)
{
	if (cr == NULL)
		return;
	X509_free(cr->cert);
	EVP_PKEY_free(cr->key);
	sk_X509_pop_free(cr->chain, X509_free);
	memset(cr, 0, sizeof(*cr));
}

int ucpki_credentials_load(const char *cert_path, const char *key_path, const char *cert_pass,
                           const char *key_pass, struct ucpki_credentials *cr, struct ucpki_err *e)
{
	const char *kpath = key_path ? key_path : cert_path;
	struct ucpki_pack *kp = NULL;
	EVP_PKEY *key;
	int rc = -1;

	memset(cr, 0, sizeof(*cr));
	if ((cr->chain = sk_X509_new_null()) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto out;
	}
	if (ucpki_verify_load_cert(cert_path, cert_pass, &cr->cert, cr->chain, e) != 0)
		goto out;
	if ((kp = ucpki_pack_load(kpath, key_pass ? key_pass : cert_pass, e)) == NULL)
		goto out;
	if ((key = ucpki_pack_first_key(kp)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: no private key in this file%s", kpath,
		              key_path ? "" : " (name the key file too)");
		goto out;
	}
	if (!ucpki_key_matches_cert(cr->cert, key)) {
		ERR_clear_error();
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: the private key does not belong to the certificate in %s",
		              kpath, cert_path);
		goto out;
	}
	if (!EVP_PKEY_up_ref(key)) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto out;
	}
	cr->key = key;
	rc = 0;
out:
	if (rc != 0)
		ucpki_credentials_clear(cr);
	ucpki_pack_free(kp);
	return rc;
}
