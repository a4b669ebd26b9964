/* Where the shipped profiles are found: $UCPKI_PROFILES first, else (for a
 * program in a build tree, as this one is) the source tree's profiles/. */
#include <limits.h>
#include <stdlib.h>

#include "testutil.h"

#include "ucpki/profiles.h"

static void test_env_wins(void **state)
{
	struct ucpki_err e = {0};
	char dir[PATH_MAX];

	(void)state;
	setenv("UCPKI_PROFILES", "/somewhere/else", 1);
	assert_int_equal(ucpki_profiles_shipped_dir(dir, sizeof(dir), &e), 0);
	assert_string_equal(dir, "/somewhere/else");
	/* taken as given: the load names the missing directory */
	assert_null(ucpki_profiles_load_shipped(NULL, NULL, &e));
	assert_non_null(strstr(e.msg, "/somewhere/else"));
	/* a name longer than the buffer is refused, not cut */
	assert_int_equal(ucpki_profiles_shipped_dir(dir, 8, &e), -1);
	assert_non_null(strstr(e.msg, "too long: /somewhere/else"));
	unsetenv("UCPKI_PROFILES");
}

static void test_build_tree_uses_source_profiles(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_profile_set *set;
	char dir[PATH_MAX];

	(void)state;
	setenv("UCPKI_PROFILES", "", 1); /* empty counts as unset */
	assert_int_equal(ucpki_profiles_shipped_dir(dir, sizeof(dir), &e), 0);
	assert_string_equal(dir, UCPKI_PROFILES_DIR);
	set = ucpki_profiles_load_shipped(NULL, NULL, &e);
	if (set == NULL)
		fail_msg("shipped profiles do not load: %s", e.msg);
	assert_non_null(ucpki_profiles_find(set, "osv", &e));
	ucpki_profiles_free(set);
	unsetenv("UCPKI_PROFILES");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_wins),
		cmocka_unit_test(test_build_tree_uses_source_profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
