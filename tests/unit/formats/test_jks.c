/* The JKS / JCEKS codec against keystores written by keytool
 * (tests/vectors/formats/jks.tsv), plus round trips and damage. */
#include "testutil.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ucpki/file.h"
#include "ucpki/formats.h"
#include "ucpki/x509.h"

#define PASS "changeit"

static void load_vector(const char *name, unsigned char **data, size_t *len)
{
	char path[512], rel[256];
	struct ucpki_err e;

	snprintf(rel, sizeof(rel), "formats/%s", name);
	vector_path(rel, path, sizeof(path));
	if (ucpki_file_read(path, 0, data, len, &e) != 0)
		fail_msg("%s", e.msg);
}

static const struct ucpki_ksentry *find(const struct ucpki_ksentry *v, int n, const char *alias)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i].alias, alias) == 0)
			return &v[i];
	return NULL;
}

/* Every row of jks.tsv: alias, entry type, fingerprint; keys open and match. */
static void test_vectors(void **state)
{
	char path[512], line[1024], *f[8];
	FILE *fp = fopen(vector_path("formats/jks.tsv", path, sizeof(path)), "r");
	int rows = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		unsigned char *data;
		size_t len;
		struct ucpki_ksentry *v;
		struct ucpki_ksentry *en;
		enum ucpki_format fmt;
		struct ucpki_err e;
		char fpr[100];
		int n;

		if (split_fields(line, f, 8) != 5)
			continue;
		load_vector(f[0], &data, &len);
		if (ucpki_jks_decode(data, len, f[0], PASS, &v, &n, &fmt, &e) != 0)
			fail_msg("%s: %s", f[0], e.msg);
		assert_string_equal(ucpki_format_name(fmt), f[1]);
		en = (struct ucpki_ksentry *)find(v, n, f[2]);
		if (en == NULL)
			fail_msg("%s: alias %s missing", f[0], f[2]);
		assert_int_equal(en->type, strcmp(f[3], "key") == 0 ? UCPKI_KSE_KEY : UCPKI_KSE_TRUSTED);
		assert_true(en->date_ms > 1500000000000LL);
		ucpki_fingerprint(sk_X509_value(en->certs, 0), EVP_sha256(), fpr, sizeof(fpr));
		assert_string_equal(fpr, f[4]);
		if (en->type == UCPKI_KSE_KEY) {
			assert_null(en->key);
			assert_non_null(en->sealed);
			if (ucpki_jks_unseal(en, PASS, f[0], &e) != 0)
				fail_msg("%s: %s", f[0], e.msg);
			assert_true(ucpki_key_matches_cert(sk_X509_value(en->certs, 0), en->key));
		}
		ucpki_ksentries_free(v, n);
		free(data);
		rows++;
	}
	fclose(fp);
	assert_int_equal(rows, 3);
}

static void test_wrong_password(void **state)
{
	unsigned char *data;
	size_t len;
	struct ucpki_ksentry *v;
	struct ucpki_err e;
	int n;

	(void)state;
	load_vector("jks_keytool.jks", &data, &len);
	assert_int_equal(ucpki_jks_decode(data, len, "x.jks", "Changeit", &v, &n, NULL, &e), -1);
	assert_int_equal(e.code, UCPKI_E_PASSWORD);
	assert_string_equal(e.msg, "x.jks: wrong password or corrupted keystore");
	/* Without a password the entries are readable, the key is not. */
	assert_int_equal(ucpki_jks_decode(data, len, "x.jks", NULL, &v, &n, NULL, &e), 0);
	assert_int_equal(n, 2);
	for (int i = 0; i < n; i++)
		if (v[i].type == UCPKI_KSE_KEY) {
			assert_int_equal(ucpki_jks_unseal(&v[i], "nope", "x.jks", &e), -1);
			assert_int_equal(e.code, UCPKI_E_PASSWORD);
			assert_non_null(strstr(e.msg, "wrong password or corrupted keystore"));
		}
	ucpki_ksentries_free(v, n);
	free(data);
}

/* Decoding keytool's store and encoding it again (keys still sealed, same
 * dates, same password) gives keytool's bytes back. */
static void test_reencode_identical(void **state)
{
	const char *files[] = {"jks_keytool.jks"};

	(void)state;
	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		unsigned char *data;
		size_t len;
		struct ucpki_ksentry *v;
		struct ucpki_buf b = {0};
		struct ucpki_err e;
		int n;

		load_vector(files[k], &data, &len);
		assert_int_equal(ucpki_jks_decode(data, len, files[k], PASS, &v, &n, NULL, &e), 0);
		if (ucpki_jks_encode(&b, v, n, PASS, PASS, &e) != 0)
			fail_msg("%s", e.msg);
		assert_int_equal(b.len, len);
		assert_memory_equal(b.data, data, len);
		ucpki_buf_free(&b);
		ucpki_ksentries_free(v, n);
		free(data);
	}
}

/* Every truncation and every flipped byte fails cleanly. */
static void test_damage(void **state)
{
	unsigned char *data;
	size_t len;

	(void)state;
	load_vector("jks_keytool.jks", &data, &len);
	for (size_t cut = 0; cut < len; cut++) {
		struct ucpki_ksentry *v;
		struct ucpki_err e;
		int n;
		assert_int_equal(ucpki_jks_decode(data, cut, "t", PASS, &v, &n, NULL, &e), -1);
		assert_true(e.code == UCPKI_E_INPUT || e.code == UCPKI_E_PASSWORD);
		assert_int_equal(ucpki_jks_decode(data, cut, "t", NULL, &v, &n, NULL, &e), -1);
	}
	for (size_t i = 0; i < len; i++) {
		struct ucpki_ksentry *v;
		struct ucpki_err e;
		int n;
		data[i] ^= 0x01;
		assert_int_equal(ucpki_jks_decode(data, len, "t", PASS, &v, &n, NULL, &e), -1);
		if (ucpki_jks_decode(data, len, "t", NULL, &v, &n, NULL, &e) == 0)
			ucpki_ksentries_free(v, n);
		data[i] ^= 0x01;
	}
	ERR_clear_error();
	free(data);
}

/* Entries built here survive encode + decode: aliases, dates, chain, key. */
static void test_roundtrip(void **state)
{
	unsigned char *data;
	size_t len;
	struct ucpki_ksentry *v, *w;
	struct ucpki_buf b = {0};
	struct ucpki_err e;
	int n, m;

	(void)state;
	load_vector("jks_keytool.jks", &data, &len);
	assert_int_equal(ucpki_jks_decode(data, len, "v", PASS, &v, &n, NULL, &e), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(ucpki_jks_unseal(&v[i], PASS, "v", &e), 0);
	/* A non-ASCII alias and different key password. */
	free(v[0].alias);
	v[0].alias = strdup("s\xc3\xa9rveur-\xf0\x9f\x94\x91");
	assert_int_equal(ucpki_jks_encode(&b, v, n, "store \xc3\xa9", "key-pass", &e), 0);
	assert_int_equal(ucpki_jks_decode(b.data, b.len, "b", "store \xc3\xa9", &w, &m, NULL, &e), 0);
	assert_int_equal(m, n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(w[i].alias, v[i].alias);
		assert_int_equal(w[i].type, v[i].type);
		assert_true(w[i].date_ms == v[i].date_ms);
		assert_int_equal(sk_X509_num(w[i].certs), sk_X509_num(v[i].certs));
		assert_int_equal(X509_cmp(sk_X509_value(w[i].certs, 0), sk_X509_value(v[i].certs, 0)), 0);
		if (w[i].type == UCPKI_KSE_KEY) {
			assert_int_equal(ucpki_jks_unseal(&w[i], "store \xc3\xa9", "b", &e), -1);
			assert_int_equal(ucpki_jks_unseal(&w[i], "key-pass", "b", &e), 0);
			assert_int_equal(EVP_PKEY_eq(w[i].key, v[i].key), 1);
		}
	}
	ucpki_ksentries_free(w, m);
	ucpki_ksentries_free(v, n);
	ucpki_buf_free(&b);
	free(data);
}

/* The key protector alone: fixed salt is deterministic, round trips, and
 * rejects a wrong password or a changed byte. */
static void test_protector(void **state)
{
	const unsigned char p8[] = "a stand-in for a PKCS#8 PrivateKeyInfo, 50 bytes..";
	unsigned char salt[20], *s1, *s2, *plain;
	size_t l1, l2, pl;
	struct ucpki_err e;

	(void)state;
	for (int i = 0; i < 20; i++)
		salt[i] = (unsigned char)i;
	assert_int_equal(ucpki_jks_protect(p8, sizeof(p8) - 1, "changeit", salt, &s1, &l1, &e), 0);
	assert_int_equal(ucpki_jks_protect(p8, sizeof(p8) - 1, "changeit", salt, &s2, &l2, &e), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(s1, s2, l1);
	assert_int_equal(ucpki_jks_recover(s1, l1, "changeit", &plain, &pl, &e), 0);
	assert_int_equal(pl, sizeof(p8) - 1);
	assert_memory_equal(plain, p8, pl);
	ucpki_secure_free(plain, pl);
	assert_int_equal(ucpki_jks_recover(s1, l1, "changeiT", &plain, &pl, &e), -1);
	assert_int_equal(e.code, UCPKI_E_PASSWORD);
	s1[l1 - 30] ^= 0x80;
	assert_int_equal(ucpki_jks_recover(s1, l1, "changeit", &plain, &pl, &e), -1);
	ucpki_secure_free(s1, l1);
	ucpki_secure_free(s2, l2);
}

/* Two entries under one alias (any case) are refused naming it; bytes
 * after the digest are ignored with a warning, with or without a password,
 * and a wrong password is still told. */
static void test_duplicates_and_trailing(void **state)
{
	unsigned char *data;
	size_t len;
	struct ucpki_ksentry *v, *w, two[2];
	struct ucpki_buf b = {0};
	struct ucpki_warnings warn = {0};
	struct ucpki_err e;
	int n, m;

	(void)state;
	load_vector("jks_keytool.jks", &data, &len);
	assert_int_equal(ucpki_jks_decode(data, len, "v", PASS, &v, &n, NULL, &e), 0);
	memset(two, 0, sizeof(two));
	for (int i = 0; i < 2; i++) {
		two[i].type = UCPKI_KSE_TRUSTED;
		two[i].alias = strdup(i ? "Twin" : "twin");
		two[i].certs = sk_X509_new_null();
		X509_up_ref(sk_X509_value(v[0].certs, 0));
		sk_X509_push(two[i].certs, sk_X509_value(v[0].certs, 0));
	}
	assert_int_equal(ucpki_jks_encode(&b, two, 2, PASS, NULL, &e), 0);
	assert_int_equal(ucpki_jks_decode(b.data, b.len, "dup.jks", PASS, &w, &m, NULL, &e), -1);
	assert_int_equal(e.code, UCPKI_E_INPUT);
	assert_true(strstr(e.msg, "dup.jks: alias 'twin' appears twice") ||
	            strstr(e.msg, "dup.jks: alias 'Twin' appears twice"));
	assert_int_equal(ucpki_jks_decode(b.data, b.len, "dup.jks", NULL, &w, &m, NULL, &e), -1);
	ucpki_buf_free(&b);

	assert_int_equal(ucpki_jks_encode(&b, v, n, PASS, NULL, &e), 0);
	assert_int_equal(ucpki_buf_append(&b, "junk!", 5, &e), 0);
	assert_int_equal(ucpki_jks_decode_w(b.data, b.len, "t.jks", PASS, &w, &m, NULL, &warn, &e), 0);
	assert_int_equal(m, n);
	assert_int_equal(warn.n, 1);
	assert_non_null(strstr(warn.msg[0], "t.jks: 5 bytes after the keystore's integrity digest"));
	ucpki_ksentries_free(w, m);
	memset(&warn, 0, sizeof(warn));
	assert_int_equal(ucpki_jks_decode_w(b.data, b.len, "t.jks", NULL, &w, &m, NULL, &warn, &e), 0);
	assert_int_equal(m, n);
	assert_int_equal(warn.n, 1);
	ucpki_ksentries_free(w, m);
	assert_int_equal(ucpki_jks_decode(b.data, b.len, "t.jks", "changeiT", &w, &m, NULL, &e), -1);
	assert_int_equal(e.code, UCPKI_E_PASSWORD);

	ucpki_buf_free(&b);
	ucpki_ksentry_clear(&two[0]);
	ucpki_ksentry_clear(&two[1]);
	ucpki_ksentries_free(v, n);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),      cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_reencode_identical), cmocka_unit_test(test_damage),
		cmocka_unit_test(test_roundtrip),    cmocka_unit_test(test_protector),
		cmocka_unit_test(test_duplicates_and_trailing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
