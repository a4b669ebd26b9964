/* Fuzz the JKS / JCEKS codec: decode with and without a password, open
 * every sealed key, and check that what decodes also re-encodes and decodes
 * to the same number of entries. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ucpki/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ucpki_ksentry *v = NULL, *w = NULL;
	struct ucpki_buf b = {0};
	struct ucpki_err e;
	int n = 0, m = 0;

	if (ucpki_jks_decode(data, len, "fuzz", "changeit", &v, &n, NULL, &e) == 0)
		ucpki_ksentries_free(v, n);
	if (ucpki_jks_decode(data, len, "fuzz", NULL, &v, &n, NULL, &e) != 0)
		return 0;
	for (int i = 0; i < n; i++)
		ucpki_jks_unseal(&v[i], "changeit", "fuzz", &e);
	if (ucpki_jks_encode(&b, v, n, "changeit", NULL, &e) == 0) {
		if (ucpki_jks_decode(b.data, b.len, "fuzz", "changeit", &w, &m, NULL, &e) != 0 || m != n)
			abort();
		ucpki_ksentries_free(w, m);
	}
	ucpki_buf_free(&b);
	ucpki_ksentries_free(v, n);
	return 0;
}
