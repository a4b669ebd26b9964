/* Identity matching (level full) against the vectors in
 * tests/vectors/verify/identity.tsv, on certificates built in memory. */
#include "testutil.h"

#include <openssl/x509v3.h>

#include "ucpki/verify.h"
#include "ucpki/x509.h"

/* A certificate with the given SAN entries (written without validation, so
 * malformed wildcards can be tested) and CN. */
static X509 *make_cert(char *sans, const char *cn)
{
	X509 *x = X509_new();
	GENERAL_NAMES *names = NULL;

	assert_non_null(x);
	if (strcmp(cn, "-") != 0) {
		X509_NAME *nm = X509_get_subject_name(x);
		assert_int_equal(X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
		                                            (const unsigned char *)cn, -1, -1, 0), 1);
	}
	if (strcmp(sans, "-") == 0)
		return x;
	names = GENERAL_NAMES_new();
	for (char *save = NULL, *it = strtok_r(sans, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		GENERAL_NAME *gn = GENERAL_NAME_new();
		if (strncmp(it, "DNS:", 4) == 0) {
			ASN1_IA5STRING *s = ASN1_IA5STRING_new();
			ASN1_STRING_set(s, it + 4, -1);
			GENERAL_NAME_set0_value(gn, GEN_DNS, s);
		} else {
			unsigned char addr[16];
			int len;
			ASN1_OCTET_STRING *o = ASN1_OCTET_STRING_new();
			assert_true(strncmp(it, "IP:", 3) == 0 && ucpki_parse_ip(it + 3, addr, &len));
			ASN1_OCTET_STRING_set(o, addr, len);
			GENERAL_NAME_set0_value(gn, GEN_IPADD, o);
		}
		sk_GENERAL_NAME_push(names, gn);
	}
	assert_int_equal(X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0, 0), 1);
	GENERAL_NAMES_free(names);
	return x;
}

static void test_identity_vectors(void **state)
{
	char path[512], line[1024], *f[5];
	FILE *fp = fopen(vector_path("verify/identity.tsv", path, sizeof(path)), "r");
	int checked = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		int nf = split_fields(line, f, 5), got, is_ip;
		unsigned char addr[16];
		char how[400];
		X509 *x;

		if (nf == 0)
			continue;
		assert_int_equal(nf, 4);
		x = make_cert(f[0], f[1]);
		is_ip = ucpki_parse_ip(f[2], addr, &got);
		/* the same answer whether the address comes as --host or --ip */
		got = ucpki_identity_match(x, f[2], NULL, UCPKI_CN_RFC6125, how, sizeof(how));
		if (got != atoi(f[3]))
			fail_msg("SAN %s CN %s asked %s: got %d (%s)", f[0], f[1], f[2], got, how);
		if (is_ip)
			assert_int_equal(ucpki_identity_match(x, NULL, f[2], UCPKI_CN_RFC6125, how, sizeof(how)),
			                 got);
		/* at webpki the CN never counts: only rows with a SAN can match */
		assert_int_equal(ucpki_identity_match(x, f[2], NULL, UCPKI_CN_NEVER, how, sizeof(how)),
		                 got && strcmp(f[0], "-") != 0);
		ucpki_identity_match(x, f[2], NULL, UCPKI_CN_RFC6125, how, sizeof(how));
		assert_non_null(strstr(how, got ? "matches" : "is not named"));
		X509_free(x);
		checked++;
	}
	fclose(fp);
	assert_true(checked >= 35);
}

static void test_levels_and_names(void **state)
{
	enum ucpki_level l;
	struct ucpki_err e = {0};

	(void)state;
	assert_int_equal(ucpki_level_parse("TRUSTED", &l, &e), 0);
	assert_int_equal(l, UCPKI_LEVEL_TRUSTED);
	assert_int_equal(ucpki_level_parse("strict", &l, &e), 0);
	assert_int_equal(l, UCPKI_LEVEL_WEBPKI);
	assert_int_equal(ucpki_level_parse("paranoid", &l, &e), -1);
	assert_non_null(strstr(e.msg, "none, trusted, full or webpki"));
	assert_string_equal(ucpki_level_name(UCPKI_LEVEL_WEBPKI), "webpki");
	assert_string_equal(ucpki_level_name(UCPKI_LEVEL_FULL), "full");
	assert_string_equal(ucpki_check_name(UCPKI_CHECK_REVOCATION), "revocation");
	assert_string_equal(ucpki_check_status_name(UCPKI_CHECK_SKIP), "skip");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_vectors),
		cmocka_unit_test(test_levels_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
