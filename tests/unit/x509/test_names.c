/* SAN lists, key usages, key specs and hashes. */
#include "testutil.h"

#include "ucpki/x509.h"

static void test_san_vectors(void **state)
{
	char path[512], line[1024], *f[3];
	FILE *fp = fopen(vector_path("x509/san.tsv", path, sizeof(path)), "r");
	int checked = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		struct ucpki_err e = {0};
		GENERAL_NAMES *g = NULL;
		int nf = split_fields(line, f, 3), rc;

		if (nf == 0)
			continue;
		assert_int_equal(nf, 2);
		rc = ucpki_san_add(&g, f[0], &e);
		if (strncmp(f[1], "ERR:", 4) == 0) {
			if (rc == 0)
				fail_msg("'%s' accepted but should fail with '%s'", f[0], f[1] + 4);
			if (strstr(e.msg, f[1] + 4) == NULL)
				fail_msg("'%s': error '%s' lacks '%s'", f[0], e.msg, f[1] + 4);
			assert_null(g);
		} else {
			char *s;
			if (rc != 0)
				fail_msg("'%s' failed: %s", f[0], e.msg);
			s = ucpki_san_string(g);
			assert_string_equal(s, f[1]);
			free(s);
			GENERAL_NAMES_free(g);
		}
		checked++;
	}
	fclose(fp);
	assert_true(checked >= 15);
}

static void test_keyspecs(void **state)
{
	static const struct {
		const char *in;
		int ok, bits, warns;
		const char *canon;
	} v[] = {
		{"rsa:1024", 1, 1024, 1, "rsa:1024"}, {"rsa:2048", 1, 2048, 0, "rsa:2048"},
		{"RSA:4096", 1, 4096, 0, "rsa:4096"}, {"ec:p256", 1, 256, 0, "ec:p256"},
		{"ec:secp384r1", 1, 384, 0, "ec:p384"}, {"ed25519", 1, 255, 0, "ed25519"},
		{"rsa:512", 0, 0, 0, NULL}, {"rsa:8192", 0, 0, 0, NULL}, {"dsa:1024", 0, 0, 0, NULL},
		{"ec:p521x", 0, 0, 0, NULL}, {"", 0, 0, 0, NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct ucpki_keyspec ks;
		struct ucpki_warnings w = {0};
		struct ucpki_err e = {0};
		char buf[32];
		int rc = ucpki_keyspec_parse(v[i].in, &ks, &w, &e);
		if (!v[i].ok) {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(e.msg, "bad key spec"));
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(ks.bits, v[i].bits);
		assert_int_equal(w.n, v[i].warns);
		assert_string_equal(ucpki_keyspec_string(&ks, buf, sizeof(buf)), v[i].canon);
	}
}

static void test_key_generation_matches_spec(void **state)
{
	const char *specs[] = {"ec:p256", "ec:p384", "ed25519", "rsa:2048"};
	(void)state;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct ucpki_keyspec ks, got;
		struct ucpki_err e;
		EVP_PKEY *k;
		assert_int_equal(ucpki_keyspec_parse(specs[i], &ks, NULL, &e), 0);
		k = ucpki_key_generate(&ks, &e);
		assert_non_null(k);
		assert_int_equal(ucpki_keyspec_of(k, &got), 1);
		assert_int_equal(got.type, ks.type);
		assert_int_equal(got.bits, ks.bits);
		EVP_PKEY_free(k);
	}
}

static void test_hashes(void **state)
{
	struct ucpki_warnings w = {0};
	struct ucpki_err e;
	const EVP_MD *md;

	(void)state;
	assert_int_equal(ucpki_hash_parse("sha384", &md, &w, &e), 0);
	assert_int_equal(EVP_MD_get_type(md), NID_sha384);
	assert_int_equal(w.n, 0);
	assert_int_equal(ucpki_hash_parse("sha1", &md, &w, &e), 0);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "SHA-1"));
	assert_int_equal(ucpki_hash_parse("md5", &md, &w, &e), -1);
	assert_int_equal(e.code, UCPKI_E_INPUT);
}

static void test_key_usage_and_eku(void **state)
{
	struct ucpki_err e;
	unsigned bits;
	STACK_OF(ASN1_OBJECT) *eku;

	(void)state;
	assert_int_equal(ucpki_ku_parse("keyEncipherment, digitalSignature,nonRepudiation", &bits, &e), 0);
	assert_int_equal(bits, UCPKI_KU_KEY_ENCIPHERMENT | UCPKI_KU_DIGITAL_SIGNATURE |
	                           UCPKI_KU_NON_REPUDIATION);
	assert_int_equal(ucpki_ku_parse("keyCertSign,bogus", &bits, &e), -1);
	eku = ucpki_eku_parse("serverAuth,clientAuth,1.3.6.1.5.5.7.3.9", &e);
	assert_non_null(eku);
	assert_int_equal(sk_ASN1_OBJECT_num(eku), 3);
	assert_int_equal(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 1)), NID_client_auth);
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	assert_null(ucpki_eku_parse("serverAuth,nope", &e));
}

static void test_time_parse(void **state)
{
	struct ucpki_err e;
	time_t t;
	char buf[32];

	(void)state;
	assert_int_equal(ucpki_time_parse("2037-12-31T23:59:59Z", &t, &e), 0);
	assert_int_equal(t, UCPKI_2038_LIMIT);
	assert_int_equal(ucpki_time_parse("2026-01-02T05:04:05+02:00", &t, &e), 0);
	assert_string_equal(ucpki_time_string(t, buf, sizeof(buf)), "2026-01-02T03:04:05Z");
	assert_int_equal(ucpki_time_parse("2026-01-02", &t, &e), 0);
	assert_int_equal(ucpki_time_parse("yesterday", &t, &e), -1);
	assert_int_equal(ucpki_time_parse("2026-13-01T00:00:00Z", &t, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_san_vectors),
		cmocka_unit_test(test_keyspecs),
		cmocka_unit_test(test_key_generation_matches_spec),
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_key_usage_and_eku),
		cmocka_unit_test(test_time_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
