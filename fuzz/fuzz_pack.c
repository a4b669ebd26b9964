/* Fuzz the format detector and every reader behind it (PEM, DER, PKCS#12,
 * PKCS#7, JKS/JCEKS) with and without a password, and the reader of a
 * CSR's requested extensions. */
#include <stddef.h>
#include <stdint.h>

#include "ucpki/formats.h"
#include "ucpki/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ucpki_err e;
	struct ucpki_pack *p;

	p = ucpki_pack_load_mem(data, len, "fuzz", NULL, &e);
	for (int i = 0; p && i < ucpki_pack_count(p); i++) {
		struct ucpki_csr_request r;
		if (ucpki_pack_type(p, i) == UCPKI_OBJ_CSR &&
		    ucpki_csr_request_read(ucpki_pack_csr_at(p, i), "fuzz", &r, &e) == 0)
			ucpki_csr_request_clear(&r);
	}
	ucpki_pack_free(p);
	p = ucpki_pack_load_mem(data, len, "fuzz", "changeit", &e);
	ucpki_pack_free(p);
	return 0;
}
