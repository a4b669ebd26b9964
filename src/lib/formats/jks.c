/* JKS / JCEKS keystores. */
#include "formats/formats_internal.h"

int read_jks(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
             const char *password, struct ucpki_err *e)
{
	(void)p;
	(void)data;
	(void)len;
	(void)password;
	return ucpki_err_set(e, UCPKI_E_INPUT, "%s: Java keystores are not readable yet", label);
}
