/* ucpki_fileinfo_* and ucpki_match_files over tests/vectors/convert:
 * the descriptions hold the fields of each object. */
#include "testutil.h"

#include "ucpki/file.h"
#include "ucpki/inspect.h"

#define LEAF_SHA256                                                                            \
	"D2:6E:BC:A4:17:D5:AF:8C:E2:37:48:71:AB:36:84:0E:EA:88:E4:65:26:B2:A6:A4:6F:1D:E5:30:6C:" \
	"3C:0F:75"
#define LEAF_MODULUS_MD5 "53bce5e15fffb747bdfde76f096fcc41"

static const char *vec(const char *name, char *buf, size_t len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "convert/%s", name);
	return vector_path(rel, buf, len);
}

static void test_crl(void **state)
{
	char path[512];
	struct ucpki_err e;
	struct ucpki_fileinfo *fi;
	const struct ucpki_crlinfo *crl;

	(void)state;
	fi = ucpki_fileinfo_load(vec("root.crl", path, sizeof(path)), NULL, &e);
	if (fi == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(fi->n, 1);
	assert_string_equal(fi->obj[0].type_name, "CRL");
	crl = &fi->obj[0].crl;
	assert_string_equal(crl->issuer, "CN=Vector Root CA");
	assert_int_equal(crl->has_number, 1);
	assert_int_equal(crl->number, 1);
	assert_int_equal(crl->n_revoked, 1);
	assert_string_equal(crl->revoked[0].serial, "1001");
	assert_string_equal(crl->revoked[0].reason, "keyCompromise");
	assert_int_equal(strlen(crl->revoked[0].date), 20); /* 2026-12-02T00:53:32Z */
	assert_int_equal(crl->this_update[19], 'Z');
	ucpki_fileinfo_free(fi);
}

/* A PKCS#12: the key, then its certificate and the CA; the key says which
 * certificate it belongs to. */
static void test_pkcs12(void **state)
{
	char path[512];
	struct ucpki_err e;
	struct ucpki_fileinfo *fi;
	int key = -1, leaf = -1;

	(void)state;
	vec("leaf.p12", path, sizeof(path));
	assert_null(ucpki_fileinfo_load(path, "nope", &e));
	assert_int_equal(e.code, UCPKI_E_PASSWORD);
	fi = ucpki_fileinfo_load(path, "secret", &e);
	if (fi == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(fi->format_name, "PKCS#12");
	assert_int_equal(fi->n, 3);
	for (int i = 0; i < fi->n; i++) {
		if (fi->obj[i].type == UCPKI_OBJ_KEY)
			key = i;
		if (fi->obj[i].type == UCPKI_OBJ_CERT && strcmp(fi->obj[i].cert->sha256, LEAF_SHA256) == 0)
			leaf = i;
	}
	assert_true(key >= 0 && leaf >= 0);
	assert_string_equal(fi->obj[key].type_name, "private key");
	assert_string_equal(fi->obj[key].key.desc, "rsa:2048");
	assert_string_equal(fi->obj[key].key.modulus_md5, LEAF_MODULUS_MD5);
	assert_int_equal(fi->obj[key].key.matches, leaf + 1);
	assert_string_equal(fi->obj[leaf].cert->subject, "CN=sbc1.example.com");
	assert_string_equal(fi->obj[leaf].alias, "sbc1");
	ucpki_fileinfo_free(fi);
}

static void test_csr(void **state)
{
	char path[512];
	struct ucpki_err e;
	struct ucpki_fileinfo *fi;
	const struct ucpki_csrinfo *csr;

	(void)state;
	fi = ucpki_fileinfo_load(vec("leaf.csr", path, sizeof(path)), NULL, &e);
	if (fi == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(fi->n, 1);
	csr = &fi->obj[0].csr;
	assert_string_equal(csr->subject, "CN=sbc1.example.com");
	assert_string_equal(csr->key_desc, "rsa:2048");
	assert_int_equal(csr->signature_valid, 1);
	assert_null(csr->req_error);
	assert_int_equal(csr->req.n_ext, 1);
	assert_non_null(strstr(csr->req.ext[0].value, "DNS:sbc1.example.com"));
	ucpki_fileinfo_free(fi);
}

static void test_match(void **state)
{
	char cert[512], key[512], root[512];
	struct ucpki_matchinfo m;
	struct ucpki_err e;

	(void)state;
	vec("leaf.pem", cert, sizeof(cert));
	vec("leaf.key", key, sizeof(key));
	if (ucpki_match_files(cert, key, NULL, &m, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(m.match, 1);
	assert_string_equal(m.cert_modulus_md5, LEAF_MODULUS_MD5);
	assert_string_equal(m.key_modulus_md5, LEAF_MODULUS_MD5);
	assert_string_equal(m.cert_pubkey_sha256, m.key_pubkey_sha256);

	vec("root.pem", root, sizeof(root));
	if (ucpki_match_files(root, key, NULL, &m, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(m.match, 0);
	assert_string_equal(m.cert_modulus_md5, ""); /* EC */
	assert_string_not_equal(m.cert_pubkey_sha256, m.key_pubkey_sha256);

	assert_int_equal(ucpki_match_files(cert, root, NULL, &m, &e), -1);
	assert_non_null(strstr(e.msg, "root.pem: no private key in this file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crl),
		cmocka_unit_test(test_pkcs12),
		cmocka_unit_test(test_csr),
		cmocka_unit_test(test_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
