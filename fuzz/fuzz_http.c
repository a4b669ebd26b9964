/* Fuzz the HTTP response parser of the CRL / OCSP client. */
#include <stddef.h>
#include <stdint.h>

#include "ucpki/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ucpki_http_response r;
	struct ucpki_err e;

	if (ucpki_http_parse_response(data, len, "fuzz", &r, &e) == 0)
		ucpki_http_response_clear(&r);
	return 0;
}
