/* Fuzz the keystore loader (JKS, JCEKS, and PKCS#12 grouped into entries)
 * and re-encoding what it accepted. */
#include <stddef.h>
#include <stdint.h>

#include "ucpki/keystore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ucpki_err e;
	struct ucpki_keystore *ks = ucpki_keystore_load_mem(data, len, "fuzz", "changeit", NULL, &e);
	struct ucpki_buf b = {0};

	if (ks == NULL)
		return 0;
	for (int i = 0; i < ucpki_keystore_count(ks); i++)
		ucpki_keystore_unlock(ks, i, NULL, &e);
	if (ucpki_keystore_type(ks) != UCPKI_KS_JCEKS)
		ucpki_keystore_encode(ks, &b, "changeit", NULL, NULL, &e);
	ucpki_buf_free(&b);
	ucpki_keystore_free(ks);
	return 0;
}
