/* Fuzz the user-typed spellings: DNs (both forms, templates), SAN lists,
 * key usages, key specs, times and serials. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ucpki/ca.h"
#include "ucpki/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1), out[128];
	struct ucpki_err e;
	struct ucpki_keyspec ks;
	X509_NAME *n;
	GENERAL_NAMES *g = NULL;
	STACK_OF(ASN1_OBJECT) *eku;
	unsigned bits;
	time_t t;

	if (s == NULL)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	n = ucpki_dn_parse(s, NULL, &e);
	if (n) {
		char *txt = ucpki_dn_string(n);
		free(txt);
	}
	X509_NAME_free(n);
	X509_NAME_free(ucpki_dn_parse(s, "host.example", &e));
	if (ucpki_san_add(&g, s, &e) == 0 && g) {
		char *txt = ucpki_san_string(g);
		free(txt);
	}
	GENERAL_NAMES_free(g);
	ucpki_ku_parse(s, &bits, &e);
	eku = ucpki_eku_parse(s, &e);
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	ucpki_keyspec_parse(s, &ks, NULL, &e);
	ucpki_time_parse(s, &t, &e);
	ucpki_serial_normalize(s, out, sizeof(out), &e);
	free(s);
	return 0;
}
