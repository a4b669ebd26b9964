/*
 * Setting a certificate's public key quickly.
 *
 * With OpenSSL 3.0, X509_set_pubkey() on a provider key encodes the key with
 * an OSSL_ENCODER and decodes it back with an OSSL_DECODER, building both
 * chains from scratch each time: about two million instructions, seven times
 * the cost of the ECDSA signature itself. For a key that also exists in the
 * legacy form (RSA and EC), OpenSSL encodes it directly. This file is the one
 * place that uses those deprecated accessors, for that reason only; the
 * result is an ordinary certificate whose public key is fully usable.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "x509/x509_internal.h"

static EVP_PKEY *legacy_copy(EVP_PKEY *key)
{
	EVP_PKEY *l = NULL;

	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_EC: {
		EC_KEY *ec = EVP_PKEY_get1_EC_KEY(key);
		if (ec == NULL || (l = EVP_PKEY_new()) == NULL || !EVP_PKEY_assign_EC_KEY(l, ec)) {
			EC_KEY_free(ec);
			EVP_PKEY_free(l);
			return NULL;
		}
		return l;
	}
	case EVP_PKEY_RSA: {
		RSA *rsa = EVP_PKEY_get1_RSA(key);
		if (rsa == NULL || (l = EVP_PKEY_new()) == NULL || !EVP_PKEY_assign_RSA(l, rsa)) {
			RSA_free(rsa);
			EVP_PKEY_free(l);
			return NULL;
		}
		return l;
	}
	default:
		return NULL;
	}
}

int ucpki_x509_set_pubkey(X509 *cert, EVP_PKEY *key)
{
	EVP_PKEY *l = legacy_copy(key);
	int ok;

	if (l == NULL) {
		ERR_clear_error();
		return X509_set_pubkey(cert, key);
	}
	ok = X509_set_pubkey(cert, l);
	EVP_PKEY_free(l);
	return ok;
}
