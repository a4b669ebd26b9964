/* DN parsing in the guide's and openssl's forms, from tests/vectors/x509/dn.tsv. */
#include "testutil.h"

#include "ucpki/x509.h"

static void test_dn_vectors(void **state)
{
	char path[512], line[1024], *f[4];
	FILE *fp = fopen(vector_path("x509/dn.tsv", path, sizeof(path)), "r");
	int checked = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		struct ucpki_err e = {0};
		X509_NAME *n;
		int nf = split_fields(line, f, 4);

		if (nf == 0)
			continue;
		assert_int_equal(nf, 3);
		n = ucpki_dn_parse(f[0], strcmp(f[1], "-") ? f[1] : NULL, &e);
		if (strncmp(f[2], "ERR:", 4) == 0) {
			if (n != NULL)
				fail_msg("'%s' parsed but should fail with '%s'", f[0], f[2] + 4);
			if (strstr(e.msg, f[2] + 4) == NULL)
				fail_msg("'%s': error '%s' lacks '%s'", f[0], e.msg, f[2] + 4);
			assert_int_equal(e.code, UCPKI_E_INPUT);
		} else {
			char *s;
			if (n == NULL)
				fail_msg("'%s' failed: %s", f[0], e.msg);
			s = ucpki_dn_string(n);
			assert_string_equal(s, f[2]);
			free(s);
			X509_NAME_free(n);
		}
		checked++;
	}
	fclose(fp);
	assert_true(checked >= 15);
}

static void test_country_is_printable_string(void **state)
{
	struct ucpki_err e;
	X509_NAME *n = ucpki_dn_parse("C=US, CN=x", NULL, &e);
	X509_NAME_ENTRY *c;

	(void)state;
	assert_non_null(n);
	c = X509_NAME_get_entry(n, 0);
	assert_int_equal(ASN1_STRING_type(X509_NAME_ENTRY_get_data(c)), V_ASN1_PRINTABLESTRING);
	X509_NAME_free(n);
}

static void test_cn_of_template(void **state)
{
	struct ucpki_err e;
	X509_NAME *n = ucpki_dn_parse("C=US, CN=?, OU=x", "dev.example", &e);
	char *cn;

	(void)state;
	assert_non_null(n);
	cn = ucpki_dn_cn(n);
	assert_string_equal(cn, "dev.example");
	free(cn);
	X509_NAME_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dn_vectors),
		cmocka_unit_test(test_country_is_printable_string),
		cmocka_unit_test(test_cn_of_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
