/* Private helpers of the x509 module. */
#ifndef UCPKI_X509_INTERNAL_H
#define UCPKI_X509_INTERNAL_H

#include <openssl/x509.h>

/* X509_set_pubkey(), fast for RSA and EC keys (see pubkey.c). */
int ucpki_x509_set_pubkey(X509 *cert, EVP_PKEY *key);

#endif
