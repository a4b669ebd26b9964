/* Loading OpenSSL's legacy provider on demand (see ucpki/crypto.h). */
#include <pthread.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/provider.h>

#include "ucpki/crypto.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static OSSL_PROVIDER *legacy;

/* Providers loaded by hand stay referenced until unloaded: do it at exit so
 * that leak checkers see a clean process. */
static void unload(void)
{
	OSSL_PROVIDER_unload(legacy);
	legacy = NULL;
}

static void load(void)
{
	/* retain_fallbacks = 1 keeps the default provider available too. */
	legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
	if (legacy != NULL)
		atexit(unload);
}

int ucpki_legacy_provider(struct ucpki_err *e)
{
	pthread_once(&once, load);
	if (legacy == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INPUT,
		                     "this file needs OpenSSL's legacy provider (RC2/DES "
		                     "algorithms), which could not be loaded: install it "
		                     "(libssl3 ships legacy.so) or set OPENSSL_MODULES");
	ERR_clear_error();
	return 0;
}
