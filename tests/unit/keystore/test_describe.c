/* ucpki_ksinfo_new, ucpki_keystore_export and
 * ucpki_keystore_edit_import_ca_file over keytool's JKS vector
 * (tests/vectors/formats/jks.tsv) and tests/vectors/convert. */
#include "testutil.h"

#include "ucpki/file.h"
#include "ucpki/keystore.h"
#include "ucpki/x509.h"

#define SERVER_SHA256                                                                          \
	"F8:C7:91:8D:BA:7A:FB:AA:12:4C:BA:34:F7:59:89:C2:D8:70:0E:3A:34:56:7A:02:5C:FD:D2:57:32:" \
	"9F:FB:A6"
#define ROOTCA_SHA256                                                                          \
	"92:03:6A:66:DE:DC:A3:2E:D5:B2:B6:51:C4:AE:21:7E:04:A5:B8:A0:E7:47:48:1F:10:B7:8C:16:5A:" \
	"25:03:81"

static struct ucpki_keystore *load_jks(const char *storepass)
{
	char path[512];
	struct ucpki_keystore *ks;
	struct ucpki_err e;

	ks = ucpki_keystore_load(vector_path("formats/jks_keytool.jks", path, sizeof(path)),
	                         storepass, NULL, &e);
	if (ks == NULL)
		fail_msg("%s", e.msg);
	return ks;
}

static const struct ucpki_ksentry_info *entry(const struct ucpki_ksinfo *ki, const char *alias)
{
	for (int i = 0; i < ki->n; i++)
		if (strcmp(ki->entries[i].alias, alias) == 0)
			return &ki->entries[i];
	fail_msg("no entry '%s'", alias);
	return NULL;
}

static void test_list(void **state)
{
	struct ucpki_keystore *ks = load_jks("changeit");
	struct ucpki_ksinfo *ki;
	const struct ucpki_ksentry_info *en;
	struct ucpki_err e;

	(void)state;
	ki = ucpki_ksinfo_new(ks, &e);
	if (ki == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(ki->type_name, "JKS");
	assert_int_equal(ki->verified, 1);
	en = entry(ki, "server");
	assert_string_equal(en->type_name, "PrivateKeyEntry");
	assert_int_equal(en->key_unlocked, 1);
	assert_true(en->n_certs >= 1);
	assert_string_equal(en->certs[0]->sha256, SERVER_SHA256);
	assert_true(en->date_ms > 0);
	assert_int_equal(en->created[strlen(en->created) - 1], 'Z');
	en = entry(ki, "rootca");
	assert_string_equal(en->type_name, "trustedCertEntry");
	assert_int_equal(en->n_certs, 1);
	assert_string_equal(en->certs[0]->sha256, ROOTCA_SHA256);
	assert_int_equal(en->key_unlocked, 0);
	ucpki_ksinfo_free(ki);
	ucpki_keystore_free(ks);

	/* without the store password: listed, not verified, keys sealed */
	ks = load_jks(NULL);
	ki = ucpki_ksinfo_new(ks, &e);
	assert_non_null(ki);
	assert_int_equal(ki->verified, 0);
	assert_int_equal(entry(ki, "server")->key_unlocked, 0);
	ucpki_ksinfo_free(ki);
	ucpki_keystore_free(ks);
}

static void test_export(void **state)
{
	struct ucpki_keystore *ks = load_jks("changeit");
	struct ucpki_ksexport_opts o = {.order = "cert,key"};
	struct ucpki_buf out = {0};
	struct ucpki_pack *p;
	struct ucpki_err e;
	char fp[100];
	int secret;

	(void)state;
	if (ucpki_keystore_export(ks, "kt.jks", "SERVER", &o, &out, &secret, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(secret, 1);
	p = ucpki_pack_load_mem(out.data, out.len, "out", NULL, &e);
	assert_non_null(p);
	assert_int_equal(ucpki_pack_count(p), 2);
	ucpki_fingerprint(ucpki_pack_cert_at(p, 0), EVP_sha256(), fp, sizeof(fp));
	assert_string_equal(fp, SERVER_SHA256);
	assert_int_equal(ucpki_key_matches_cert(ucpki_pack_cert_at(p, 0), ucpki_pack_key_at(p, 1)), 1);
	ucpki_pack_free(p);
	ucpki_buf_free(&out);

	/* the certificate alone, as DER */
	o.order = NULL;
	o.der = 1;
	if (ucpki_keystore_export(ks, "kt.jks", "rootca", &o, &out, &secret, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(secret, 0);
	assert_int_equal(out.data[0], 0x30);
	ucpki_buf_free(&out);

	o.der = 0;
	o.order = "key";
	assert_int_equal(ucpki_keystore_export(ks, "kt.jks", "rootca", &o, &out, &secret, &e), -1);
	assert_int_equal(e.code, UCPKI_E_INPUT);
	assert_non_null(strstr(e.msg, "entry 'rootca' is a trusted certificate: it has no key"));
	assert_int_equal(ucpki_keystore_export(ks, "kt.jks", "nosuch", &o, &out, &secret, &e), -1);
	assert_int_equal(e.code, UCPKI_E_NOTFOUND);
	assert_string_equal(e.msg, "kt.jks: alias 'nosuch' does not exist");
	ucpki_buf_free(&out);
	ucpki_keystore_free(ks);
}

static void test_import_ca_file(void **state)
{
	char *dir = scratch_dir("ksdescribe"), store[600], root[512], leaf[512];
	struct ucpki_ksedit_opts o = {.storepass = "changeit", .create = 1};
	struct ucpki_ksedit_result r;
	struct ucpki_keystore *ks;
	struct ucpki_ksinfo *ki;
	struct ucpki_err e;

	(void)state;
	snprintf(store, sizeof(store), "%s/trust.jks", dir);
	vector_path("convert/root.pem", root, sizeof(root));
	if (ucpki_keystore_edit_import_ca_file(store, &o, root, NULL, &r, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(r.created, 1);
	assert_int_equal(r.changed, 1);
	assert_int_equal(r.entries, 1);
	ks = ucpki_keystore_load(store, "changeit", NULL, &e);
	assert_non_null(ks);
	ki = ucpki_ksinfo_new(ks, &e);
	assert_non_null(ki);
	assert_string_equal(ki->entries[0].alias, "vector root ca");
	assert_string_equal(ki->entries[0].type_name, "trustedCertEntry");
	assert_string_equal(ki->entries[0].certs[0]->subject, "CN=Vector Root CA");
	ucpki_ksinfo_free(ki);
	ucpki_keystore_free(ks);

	vector_path("convert/leaf.key", leaf, sizeof(leaf));
	assert_int_equal(ucpki_keystore_edit_import_ca_file(store, &o, leaf, "x", &r, &e), -1);
	assert_non_null(strstr(e.msg, "leaf.key: no certificate in this file"));
	rm_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_import_ca_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
