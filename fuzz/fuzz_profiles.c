/* Fuzz the product profile parser (YAML schema checks). */
#include <stddef.h>
#include <stdint.h>

#include "ucpki/profiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ucpki_err e;
	struct ucpki_profile_set *set =
	    ucpki_profiles_parse("fuzz.yaml", NULL, (const char *)data, len, &e);

	if (set) {
		const struct ucpki_profile *p = ucpki_profiles_at(set, 0);
		char buf[64];
		ucpki_profile_versions_string(p, buf, sizeof(buf));
		(void)ucpki_profile_hash(p, 5);
		(void)ucpki_profile_version_warning(p, 7);
	}
	ucpki_profiles_free(set);
	return 0;
}
