/* Fuzz the format detector and every reader behind it (PEM, DER, PKCS#12,
 * PKCS#7, JKS/JCEKS) with and without a password. */
#include <stddef.h>
#include <stdint.h>

#include "ucpki/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ucpki_err e;
	struct ucpki_pack *p;

	p = ucpki_pack_load_mem(data, len, "fuzz", NULL, &e);
	ucpki_pack_free(p);
	p = ucpki_pack_load_mem(data, len, "fuzz", "changeit", &e);
	ucpki_pack_free(p);
	return 0;
}
