/* Fuzz the inventory parser (YAML, names, addresses, versions, keys). */
#include <stddef.h>
#include <stdint.h>

#include "ucpki/solution.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct ucpki_profile_set *profiles;
	struct ucpki_err e;
	struct ucpki_inventory *inv;

	if (profiles == NULL &&
	    (profiles = ucpki_profiles_load(UCPKI_PROFILES_DIR, NULL, NULL, &e)) == NULL)
		return 0;
	inv = ucpki_inventory_parse("fuzz.yaml", (const char *)data, len, "/nonexistent",
	                            profiles, NULL, &e);
	if (inv) {
		struct ucpki_solution_opts o = {0};
		(void)o;
		(void)ucpki_inventory_node_count(inv);
	}
	ucpki_inventory_free(inv);
	return 0;
}
