/* Loading product profiles: the shipped set, schema errors that name the
 * file, line and key, user profiles replacing shipped ones. */
#include <dirent.h>

#include "testutil.h"

#include "ucpki/file.h"
#include "ucpki/profiles.h"

/* Every row of PRODUCTS.md, with "xpr-smtpapi, xpr-webapi" split in two. */
static const char *const product_ids[] = {
	"osv", "uc-assistant", "uc-bcom", "uc-cmp", "uc-spml", "uc-ucma", "uc-webclient",
	"uc-apache", "media-server", "facade-uc", "facade-mobile", "openfire", "mobile-ca",
	"mobile-client", "mobile-wp8", "xpr-ipapi", "xpr-smtpapi", "xpr-webapi", "trace-manager",
	"webcollab", "dls-web", "dls-pki", "phone-spe", "phone-wbm", "phone-secure-mode",
	"branch-sbc", "hipath4000", "rg8700", "mediatrix", "asc", "oscc-app", "oscc-clients",
	"oscc-openfire", "oscc-webcollab", "oscc-network", "oscc-media", "oscc-facebook",
	"oscc-twitter", "browser",
};
#define N_IDS (sizeof(product_ids) / sizeof(product_ids[0]))

static void test_shipped_set_has_every_product(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_profile_set *set = ucpki_profiles_load(UCPKI_PROFILES_DIR, NULL, NULL, &e);

	(void)state;
	if (set == NULL)
		fail_msg("shipped profiles do not load: %s", e.msg);
	assert_int_equal(ucpki_profiles_count(set), (int)N_IDS);
	for (size_t i = 0; i < N_IDS; i++) {
		const struct ucpki_profile *p = ucpki_profiles_find(set, product_ids[i], &e);
		if (p == NULL)
			fail_msg("profile %s missing", product_ids[i]);
		/* a product ships files, or changes stores on its host (facade-uc) */
		assert_true(p->n_files > 0 || p->n_stores > 0);
		assert_true(p->n_steps > 0);
	}
	assert_null(ucpki_profiles_find(set, "no-such-product", &e));
	assert_non_null(strstr(e.msg, "unknown product 'no-such-product'"));
	ucpki_profiles_free(set);
}

/* Spot checks of rules the guide states, as loaded. */
static void test_profile_rules(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_profile_set *set = ucpki_profiles_load(UCPKI_PROFILES_DIR, NULL, NULL, &e);
	const struct ucpki_profile *osv, *rg, *mx, *sbc, *apache, *of;
	const struct ucpki_profile_file *f;

	(void)state;
	assert_non_null(set);
	osv = ucpki_profiles_find(set, "osv", &e);
	assert_string_equal(ucpki_profile_hash(osv, 5), "sha1");
	assert_string_equal(ucpki_profile_hash(osv, 8), "sha256");
	assert_non_null(ucpki_profile_version_warning(osv, 7));
	assert_null(ucpki_profile_version_warning(osv, 9));
	assert_string_equal(osv->forbid_ext[0], "nsCertType");
	f = ucpki_profile_file_find(osv, "server.pem");
	assert_int_equal(f->key_form, UCPKI_KEYFORM_PKCS1);
	assert_true(f->key_form_required);
	assert_int_equal(f->n_content, 4);
	assert_int_equal(f->content[3], UCPKI_ITEM_ROOT);
	assert_string_equal(ucpki_profile_file_find(osv, "client.pem")->copy_of, "server.pem");

	rg = ucpki_profiles_find(set, "rg8700", &e);
	f = ucpki_profile_file_find(rg, "server.pem");
	assert_int_equal(f->content[0], UCPKI_ITEM_KEY);
	assert_int_equal(f->content[1], UCPKI_ITEM_CERT);

	mx = ucpki_profiles_find(set, "mediatrix", &e);
	assert_int_equal(mx->n_require_eku, 2);

	sbc = ucpki_profiles_find(set, "branch-sbc", &e);
	assert_int_equal(sbc->n_critical_ok, 1);
	assert_string_equal(sbc->critical_ok[0], "basicConstraints");
	assert_true(sbc->critical_whole_chain);

	apache = ucpki_profiles_find(set, "uc-apache", &e);
	assert_false(ucpki_profile_supports(apache, 5));
	assert_true(ucpki_profile_supports(apache, 6));
	assert_true(ucpki_profile_supports(apache, 7));
	assert_false(ucpki_profile_supports(apache, 8));
	assert_true(ucpki_profile_file_find(apache, "sen_key.pem")->encrypted);

	of = ucpki_profiles_find(set, "openfire", &e);
	assert_string_equal(of->san_extra[1], "DNS:conference.{domain}");
	assert_string_equal(of->cn, "hostname");

	assert_string_equal(
	    ucpki_profile_password_find(ucpki_profiles_find(set, "uc-assistant", &e), "store")
	        ->product_default,
	    "importkey");
	assert_string_equal(
	    ucpki_profile_password_find(ucpki_profiles_find(set, "facade-mobile", &e), "store")
	        ->product_default,
	    "qe13.eq31");
	ucpki_profiles_free(set);
}

/* Each bad vector starts with "# expect: TEXT"; loading it must fail with a
 * message containing TEXT (file name, line, key). */
static void test_schema_errors(void **state)
{
	char dir[512], path[1024];
	struct dirent *de;
	DIR *d;
	int checked = 0;

	(void)state;
	vector_path("profiles/bad", dir, sizeof(dir));
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		struct ucpki_err e = {0};
		unsigned char *data;
		size_t len;
		char expect[256], id[128], *nl;
		struct ucpki_profile_set *set;

		if (strstr(de->d_name, ".yaml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(ucpki_file_read(path, 0, &data, &len, &e), 0);
		assert_true(strncmp((char *)data, "# expect: ", 10) == 0);
		snprintf(expect, sizeof(expect), "%s", (char *)data + 10);
		if ((nl = strchr(expect, '\n')) != NULL)
			*nl = '\0';
		snprintf(id, sizeof(id), "%.*s", (int)(strlen(de->d_name) - 5), de->d_name);
		set = ucpki_profiles_parse(path, id, (char *)data, len, &e);
		free(data);
		if (set != NULL)
			fail_msg("%s loaded but should fail with '%s'", de->d_name, expect);
		if (strstr(e.msg, expect) == NULL)
			fail_msg("%s: error '%s' lacks '%s'", de->d_name, e.msg, expect);
		assert_int_equal(e.code, UCPKI_E_INPUT);
		checked++;
	}
	closedir(d);
	assert_true(checked >= 15);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_user_dir_adds_and_replaces(void **state)
{
	char *dir = scratch_dir("profiles");
	char path[600];
	struct ucpki_err e = {0};
	struct ucpki_warnings w = {0};
	struct ucpki_profile_set *set;
	const struct ucpki_profile *p;

	(void)state;
	snprintf(path, sizeof(path), "%s/osv.yaml", dir);
	write_file(path, "id: osv\nname: Site OSV\nguide: \"3.2\"\n"
	                 "certificate: {identity: host}\n"
	                 "files: [{name: s.pem, content: [cert, key]}]\n"
	                 "install: {steps: [{ui: upload}]}\n");
	snprintf(path, sizeof(path), "%s/acme-gw.yaml", dir);
	write_file(path, "id: acme-gw\nname: Acme gateway\nguide: \"-\"\n"
	                 "certificate: {identity: host, eku: [serverAuth]}\n"
	                 "files: [{name: gw.pem, content: [cert, key, chain]}]\n"
	                 "install: {steps: [{ui: upload}]}\n");
	set = ucpki_profiles_load(UCPKI_PROFILES_DIR, dir, &w, &e);
	if (set == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(ucpki_profiles_count(set), (int)N_IDS + 1);
	p = ucpki_profiles_find(set, "osv", &e);
	assert_string_equal(p->name, "Site OSV");
	assert_non_null(ucpki_profiles_find(set, "acme-gw", &e));
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "replaces the shipped profile 'osv'"));
	ucpki_profiles_free(set);

	/* a broken user profile fails the load, naming it */
	snprintf(path, sizeof(path), "%s/broken.yaml", dir);
	write_file(path, "id: broken\nname: B\nguide: x\nfiles: 3\ninstall: {steps: [{ui: u}]}\n");
	set = ucpki_profiles_load(UCPKI_PROFILES_DIR, dir, NULL, &e);
	assert_null(set);
	assert_non_null(strstr(e.msg, "broken.yaml:4: files: expected a list"));
	rm_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_set_has_every_product),
		cmocka_unit_test(test_profile_rules),
		cmocka_unit_test(test_schema_errors),
		cmocka_unit_test(test_user_dir_adds_and_replaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
