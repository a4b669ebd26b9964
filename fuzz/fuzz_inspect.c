/* Fuzz the descriptions behind `show` (every object of any input: CRL
 * entries, CSR requests, keys and the certificate they match) and the
 * conversions behind `convert` (to a PEM bundle, DER and a JKS store). */
#include <stddef.h>
#include <stdint.h>

#include "ucpki/convert.h"
#include "ucpki/inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void convert(const uint8_t *data, size_t len, enum ucpki_conv_to to, const char *order)
{
	struct ucpki_convert_opts o = {.to = to, .password = "changeit", .order = order,
	                               .out_password = "changeit"};
	struct ucpki_convert_result r;
	struct ucpki_buf out = {0};
	struct ucpki_err e;

	ucpki_convert_mem(data, len, "fuzz", &o, &out, &r, &e);
	ucpki_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ucpki_err e;

	ucpki_fileinfo_free(ucpki_fileinfo_load_mem(data, len, "fuzz", NULL, &e));
	ucpki_fileinfo_free(ucpki_fileinfo_load_mem(data, len, "fuzz", "changeit", &e));
	convert(data, len, UCPKI_TO_PEM, NULL);
	convert(data, len, UCPKI_TO_DER, "cert");
	convert(data, len, UCPKI_TO_PEM, "cert,key,chain,root");
	convert(data, len, UCPKI_TO_JKS, NULL);
	return 0;
}
