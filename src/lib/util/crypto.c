/* Loading OpenSSL's legacy provider on demand (see ucpki/crypto.h). */
#include <pthread.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/provider.h>

#include "ucpki/crypto.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static OSSL_PROVIDER *prov_default, *prov_legacy;

/* Runs before OpenSSL's own exit cleanup (registered later), which does not
 * release providers that were loaded explicitly. */
static void unload(void)
{
	if (prov_legacy)
		OSSL_PROVIDER_unload(prov_legacy);
	if (prov_default)
		OSSL_PROVIDER_unload(prov_default);
	prov_legacy = prov_default = NULL;
}

static void load(void)
{
	/* Loading one provider explicitly disables the implicit default, so
	 * load the default provider as well. */
	if ((prov_default = OSSL_PROVIDER_load(NULL, "default")) == NULL)
		return;
	atexit(unload);
	if ((prov_legacy = OSSL_PROVIDER_load(NULL, "legacy")) == NULL)
		return;
	loaded = 1;
}

int ucpki_legacy_provider(struct ucpki_err *e)
{
	pthread_once(&once, load);
	if (!loaded)
		return ucpki_err_ssl(e, UCPKI_E_INPUT,
		                     "this file needs OpenSSL's legacy provider (RC2/DES "
		                     "algorithms), which could not be loaded: install it "
		                     "(libssl3 ships legacy.so) or set OPENSSL_MODULES");
	ERR_clear_error();
	return 0;
}
