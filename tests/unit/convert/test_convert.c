/* ucpki_convert_*: conversions in memory over tests/vectors/convert, the
 * outputs read back and compared object by object. */
#include "testutil.h"

#include "ucpki/convert.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"
#include "ucpki/keystore.h"
#include "ucpki/x509.h"

#define LEAF_SHA256                                                                            \
	"D2:6E:BC:A4:17:D5:AF:8C:E2:37:48:71:AB:36:84:0E:EA:88:E4:65:26:B2:A6:A4:6F:1D:E5:30:6C:" \
	"3C:0F:75"
#define ROOT_SHA256                                                                            \
	"9D:38:72:FD:87:7D:84:86:86:F1:C0:FD:24:24:4C:CA:76:15:CD:50:C5:3B:41:26:93:FB:18:11:A9:" \
	"78:60:3B"

static const char *vec(const char *name, char *buf, size_t len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "convert/%s", name);
	return vector_path(rel, buf, len);
}

static void load(const char *name, unsigned char **data, size_t *len)
{
	char path[512];
	struct ucpki_err e;

	if (ucpki_file_read(vec(name, path, sizeof(path)), 0, data, len, &e) != 0)
		fail_msg("%s", e.msg);
}

static void assert_sha256(X509 *x, const char *want)
{
	char fp[100];

	assert_non_null(x);
	ucpki_fingerprint(x, EVP_sha256(), fp, sizeof(fp));
	assert_string_equal(fp, want);
}

/* PKCS#12 to a PEM bundle in the order cert,key,chain,root. */
static void test_p12_to_pem_bundle(void **state)
{
	struct ucpki_convert_opts o = {.to = UCPKI_TO_PEM, .password = "secret",
	                               .order = "cert,key,chain,root"};
	struct ucpki_convert_result r;
	struct ucpki_buf out = {0};
	struct ucpki_pack *p;
	struct ucpki_err e;
	unsigned char *data;
	size_t len;

	(void)state;
	load("leaf.p12", &data, &len);
	if (ucpki_convert_mem(data, len, "leaf.p12", &o, &out, &r, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(r.secret, 1);
	assert_int_equal(r.count, 3);
	assert_int_equal(r.store, 0);
	assert_non_null(strstr((char *)out.data, "-----BEGIN CERTIFICATE-----"));
	p = ucpki_pack_load_mem(out.data, out.len, "out", NULL, &e);
	assert_non_null(p);
	assert_int_equal(ucpki_pack_count(p), 3);
	assert_int_equal(ucpki_pack_type(p, 0), UCPKI_OBJ_CERT);
	assert_int_equal(ucpki_pack_type(p, 1), UCPKI_OBJ_KEY);
	assert_int_equal(ucpki_pack_type(p, 2), UCPKI_OBJ_CERT);
	assert_sha256(ucpki_pack_cert_at(p, 0), LEAF_SHA256);
	assert_sha256(ucpki_pack_cert_at(p, 2), ROOT_SHA256);
	assert_int_equal(ucpki_key_matches_cert(ucpki_pack_cert_at(p, 0), ucpki_pack_key_at(p, 1)), 1);
	assert_int_equal(ucpki_pack_keyenc_at(p, 1), UCPKI_KEYENC_PKCS8);
	ucpki_pack_free(p);
	ucpki_buf_free(&out);
	free(data);
}

/* DER takes one object: a whole PKCS#12 is refused, its certificate is not. */
static void test_p12_to_der(void **state)
{
	struct ucpki_convert_opts o = {.to = UCPKI_TO_DER, .password = "secret"};
	struct ucpki_convert_result r;
	struct ucpki_buf out = {0};
	struct ucpki_pack *p;
	struct ucpki_err e;
	char path[512];

	(void)state;
	assert_int_equal(ucpki_convert_file(vec("leaf.p12", path, sizeof(path)), &o, &out, &r, &e), -1);
	assert_int_equal(e.code, UCPKI_E_INPUT);
	assert_non_null(strstr(e.msg, "DER holds one object but this selects 3"));
	assert_null(strstr(e.msg, "--"));
	ucpki_buf_free(&out);

	o.order = "cert";
	if (ucpki_convert_file(path, &o, &out, &r, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(r.secret, 0);
	assert_int_equal(out.data[0], 0x30);
	p = ucpki_pack_load_mem(out.data, out.len, "out", NULL, &e);
	assert_non_null(p);
	assert_int_equal(ucpki_pack_format(p), UCPKI_FMT_DER);
	assert_sha256(ucpki_pack_first_cert(p), LEAF_SHA256);
	ucpki_pack_free(p);
	ucpki_buf_free(&out);
}

/* PEM certificate + key file + chain file to a JKS keystore with an alias. */
static void test_pem_to_jks(void **state)
{
	char leaf[512], key[512], root[512];
	struct ucpki_convert_opts o = {.to = UCPKI_TO_JKS, .out_password = "changeit",
	                               .alias = "SBC1"};
	struct ucpki_convert_result r;
	struct ucpki_buf out = {0};
	struct ucpki_keystore *ks;
	const struct ucpki_ksentry *en;
	struct ucpki_err e;

	(void)state;
	o.key_file = vec("leaf.key", key, sizeof(key));
	o.chain_files = vec("root.pem", root, sizeof(root));
	if (ucpki_convert_file(vec("leaf.pem", leaf, sizeof(leaf)), &o, &out, &r, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(r.store, 1);
	assert_string_equal(r.store_type, "JKS");
	assert_int_equal(r.count, 1);
	assert_int_equal(r.secret, 1);
	ks = ucpki_keystore_load_mem(out.data, out.len, "out.jks", "changeit", NULL, &e);
	assert_non_null(ks);
	assert_int_equal(ucpki_keystore_count(ks), 1);
	en = ucpki_keystore_entry(ks, 0);
	assert_string_equal(en->alias, "sbc1"); /* JKS lower-cases as keytool does */
	assert_int_equal(en->type, UCPKI_KSE_KEY);
	assert_non_null(en->key);
	assert_int_equal(sk_X509_num(en->certs), 2);
	assert_sha256(sk_X509_value(en->certs, 0), LEAF_SHA256);
	assert_sha256(sk_X509_value(en->certs, 1), ROOT_SHA256);
	ucpki_keystore_free(ks);
	ucpki_buf_free(&out);
}

/* Certificates of a PKCS#12 as a P7B; a keystore output needs a password. */
static void test_p7b_and_store_password(void **state)
{
	struct ucpki_convert_opts o = {.to = UCPKI_TO_P7B, .password = "secret"};
	struct ucpki_convert_result r;
	struct ucpki_buf out = {0};
	struct ucpki_pack *p;
	struct ucpki_err e;
	char path[512];

	(void)state;
	vec("leaf.p12", path, sizeof(path));
	if (ucpki_convert_file(path, &o, &out, &r, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(r.secret, 0);
	p = ucpki_pack_load_mem(out.data, out.len, "out.p7b", NULL, &e);
	assert_non_null(p);
	assert_int_equal(ucpki_pack_format(p), UCPKI_FMT_PKCS7);
	assert_int_equal(ucpki_pack_count(p), 2);
	assert_null(ucpki_pack_first_key(p));
	ucpki_pack_free(p);
	ucpki_buf_free(&out);

	o.to = UCPKI_TO_P12;
	assert_int_equal(ucpki_convert_file(path, &o, &out, &r, &e), -1);
	assert_int_equal(e.code, UCPKI_E_PASSWORD);
	assert_non_null(strstr(e.msg, "needs the output password"));
	assert_null(strstr(e.msg, "--"));
	ucpki_buf_free(&out);
}

/* Failures name the file: wrong password, a key of another certificate,
 * PKCS#1 of an EC key, an unknown alias. */
static void test_failures(void **state)
{
	char p12[512], root[512], key[512];
	struct ucpki_convert_opts o = {.to = UCPKI_TO_PEM, .password = "wrong"};
	struct ucpki_convert_result r;
	struct ucpki_buf out = {0};
	struct ucpki_err e;
	enum ucpki_conv_to to;

	(void)state;
	vec("leaf.p12", p12, sizeof(p12));
	assert_int_equal(ucpki_convert_file(p12, &o, &out, &r, &e), -1);
	assert_int_equal(e.code, UCPKI_E_PASSWORD);
	assert_non_null(strstr(e.msg, "leaf.p12"));

	o.password = NULL;
	o.key_file = vec("leaf.key", key, sizeof(key));
	assert_int_equal(ucpki_convert_file(vec("root.pem", root, sizeof(root)), &o, &out, &r, &e), -1);
	assert_int_equal(e.code, UCPKI_E_POLICY);
	assert_non_null(strstr(e.msg, "leaf.key: the private key does not match the certificate"));

	o.key_file = NULL;
	o.password = "secret";
	o.to = UCPKI_TO_P12;
	o.out_password = "x";
	o.alias = "nosuch";
	assert_int_equal(ucpki_convert_file(p12, &o, &out, &r, &e), -1);
	assert_int_equal(e.code, UCPKI_E_NOTFOUND);
	assert_non_null(strstr(e.msg, "alias 'nosuch' does not exist"));

	assert_int_equal(ucpki_conv_to_parse("pfx", &to, &e), 0);
	assert_int_equal(to, UCPKI_TO_P12);
	assert_int_equal(ucpki_conv_to_parse("zip", &to, &e), -1);
	assert_non_null(strstr(e.msg, "'zip'"));
	ucpki_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_p12_to_pem_bundle),
		cmocka_unit_test(test_p12_to_der),
		cmocka_unit_test(test_pem_to_jks),
		cmocka_unit_test(test_p7b_and_store_password),
		cmocka_unit_test(test_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
