/*
 * ucpki/crypto.h - process-wide OpenSSL set-up the library needs.
 */
#ifndef UCPKI_CRYPTO_H
#define UCPKI_CRYPTO_H

#include "ucpki/err.h"

/* Make OpenSSL's legacy provider (RC2, DES, RC4: old PKCS#12 files) usable
 * next to the default one. Idempotent and thread-safe. Fails with a message
 * saying the provider is missing when it cannot be loaded. */
int ucpki_legacy_provider(struct ucpki_err *e);

#endif
