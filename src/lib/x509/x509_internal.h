/* Private helpers of the x509 module. */
#ifndef UCPKI_X509_INTERNAL_H
#define UCPKI_X509_INTERNAL_H

#include <openssl/x509.h>

#include "ucpki/x509.h"

/* X509_set_pubkey(), fast for RSA and EC keys (see pubkey.c). */
int ucpki_x509_set_pubkey(X509 *cert, EVP_PKEY *key);

/* Describe every extension of exts into *out (calloc'ed, *n entries; on
 * failure what was filled is left for x509_ext_infos_free()). */
int x509_ext_infos(const STACK_OF(X509_EXTENSION) *exts, struct ucpki_ext_info **out, int *n);
void x509_ext_infos_free(struct ucpki_ext_info *v, int n);

#endif
