/* Inventories: the issue's shape loads; each kind of bad input fails with
 * the inventory line and key. */
#include <dirent.h>

#include "testutil.h"

#include "ucpki/file.h"
#include "ucpki/solution.h"

static struct ucpki_profile_set *profiles(void)
{
	struct ucpki_err e = {0};
	struct ucpki_profile_set *set = ucpki_profiles_load(UCPKI_PROFILES_DIR, NULL, NULL, &e);

	if (set == NULL)
		fail_msg("profiles: %s", e.msg);
	return set;
}

/* The inventory of the issue, verbatim. */
static const char issue_shape[] =
    "solution: acme-hq\n"
    "version: 11                 # default product version (R4)\n"
    "pki: acme\n"
    "ca:\n"
    "  root:    {subject: \"C=US, ST=FL, O=Acme, OU=IT, CN=Acme Root CA\", key: rsa:4096, days: 3650}\n"
    "  issuing: {subject: \"C=US, ST=FL, O=Acme, OU=IT, CN=Acme UC CA\", key: rsa:2048, days: 1825}\n"
    "defaults: {subject: \"C=US, ST=FL, O=Acme, OU=UC, CN=?\", key: rsa:2048, days: 1095}\n"
    "nodes:\n"
    "  - {name: osv, product: osv, fqdn: [osv1.acme.example, osv2.acme.example], ip: [10.0.0.11, 10.0.0.12]}\n"
    "  - {name: rg1, product: rg8700, fqdn: rg1.acme.example, version: 5}\n"
    "  - {name: fe, product: uc-webclient, fqdn: [fe1.acme.example, fe2.acme.example]}\n"
    "  - {name: ofire, product: openfire, fqdn: openfire1.acme.example, password: default}\n";

struct seen {
	int n;
	char names[8][32], sans[8][160], hash[8][16], products[8][64];
};

static int collect(void *arg, const struct ucpki_plan_node *p)
{
	struct seen *s = arg;

	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", p->name);
		snprintf(s->sans[s->n], sizeof(s->sans[0]), "%s", p->sans);
		snprintf(s->hash[s->n], sizeof(s->hash[0]), "%s", p->hash);
		snprintf(s->products[s->n], sizeof(s->products[0]), "%s", p->products);
		assert_int_equal(p->action, UCPKI_ACTION_ISSUE);
	}
	s->n++;
	return 0;
}

static void test_issue_shape_plans(void **state)
{
	struct ucpki_profile_set *set = profiles();
	struct ucpki_err e = {0};
	struct ucpki_inventory *inv =
	    ucpki_inventory_parse("inv.yaml", issue_shape, strlen(issue_shape), NULL, set, NULL, &e);
	struct ucpki_solution_opts o = {0};
	struct seen s = {0};

	(void)state;
	if (inv == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(ucpki_inventory_solution(inv), "acme-hq");
	assert_string_equal(ucpki_inventory_pki(inv), "acme");
	assert_int_equal(ucpki_inventory_version(inv), 11);
	assert_int_equal(ucpki_inventory_node_count(inv), 4);
	assert_int_equal(ucpki_solution_plan(NULL, inv, &o, collect, &s, NULL, &e), 0);
	assert_int_equal(s.n, 4);
	/* R2: every FQDN and IP of the node in one certificate */
	assert_string_equal(s.sans[0], "DNS:osv1.acme.example,DNS:osv2.acme.example,IP:10.0.0.11,"
	                               "IP:10.0.0.12");
	/* R4: the version 5 node signs with SHA-1 */
	assert_string_equal(s.hash[1], "sha1");
	assert_string_equal(s.hash[0], "sha256");
	/* Openfire: the XMPP domain and conference.<domain> */
	assert_string_equal(s.sans[3], "DNS:openfire1.acme.example,DNS:conference.openfire1.acme.example");
	ucpki_inventory_free(inv);
	ucpki_profiles_free(set);
}

static void test_bad_inputs(void **state)
{
	struct ucpki_profile_set *set = profiles();
	char dir[512], path[1024];
	struct dirent *de;
	DIR *d;
	int checked = 0;

	(void)state;
	vector_path("solution/bad", dir, sizeof(dir));
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		struct ucpki_err e = {0};
		struct ucpki_inventory *inv;
		unsigned char *data;
		size_t len;
		char expect[256], *nl;

		if (strstr(de->d_name, ".yaml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(ucpki_file_read(path, 0, &data, &len, &e), 0);
		assert_true(strncmp((char *)data, "# expect: ", 10) == 0);
		snprintf(expect, sizeof(expect), "%s", (char *)data + 10);
		if ((nl = strchr(expect, '\n')) != NULL)
			*nl = '\0';
		free(data);
		inv = ucpki_inventory_load(path, set, NULL, &e);
		if (inv != NULL)
			fail_msg("%s loaded but should fail with '%s'", de->d_name, expect);
		if (strstr(e.msg, expect) == NULL)
			fail_msg("%s: error '%s' lacks '%s'", de->d_name, e.msg, expect);
		assert_int_equal(e.code, UCPKI_E_INPUT);
		assert_null(strchr(e.msg, '\n'));
		checked++;
	}
	closedir(d);
	assert_true(checked >= 15);
	ucpki_profiles_free(set);
}

/* A fuzzer input (a mapping key of 24 escaped quotes, then invalid UTF-8)
 * on which libfyaml leaked the buffer of the key's text: refused before its
 * text is read, with nothing left allocated (the ASan build checks). */
static void test_quoted_key_leak(void **state)
{
	struct ucpki_profile_set *set = profiles();
	struct ucpki_err e = {0};
	struct ucpki_inventory *inv;
	unsigned char *data;
	size_t len;
	char path[1024];

	(void)state;
	vector_path("../../fuzz/corpus/inventory/quoted-key-leak.yaml", path, sizeof(path));
	assert_int_equal(ucpki_file_read(path, 0, &data, &len, &e), 0);
	assert_int_equal(len, 55);
	inv = ucpki_inventory_parse("fuzz.yaml", (const char *)data, len, "/nonexistent", set, NULL,
	                            &e);
	assert_null(inv);
	assert_string_equal(e.msg, "fuzz.yaml:1: a single-quoted value spanning lines or with '' "
	                           "twice in a row is not supported: write it on one line, in "
	                           "double quotes if needed");
	free(data);
	/* a later find of the fuzzer: the escapes in a key, before an invalid byte */
	vector_path("../../fuzz/corpus/inventory/quoted-key-leak-2.yaml", path, sizeof(path));
	assert_int_equal(ucpki_file_read(path, 0, &data, &len, &e), 0);
	inv = ucpki_inventory_parse("fuzz2.yaml", (const char *)data, len, "/nonexistent", set, NULL,
	                            &e);
	assert_null(inv);
	assert_non_null(strstr(e.msg, "fuzz2.yaml:1: a single-quoted value"));
	free(data);
	ucpki_profiles_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_shape_plans),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_quoted_key_leak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
