/* The verifier on chains built in memory: the signature cache never lets a
 * tampered CA certificate through, levels and errors behave as documented. */
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "ucpki/verify.h"

struct pki {
	EVP_PKEY *root_key, *sub_key, *leaf_key;
	X509 *root, *sub, *leaf;
};

static void add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, v3, nid, value);

	assert_non_null(ext);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
}

/* A certificate of the RFC 5280 profile (so it passes level full). */
static X509 *make(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, int ca,
                  long serial)
{
	X509 *x = X509_new();
	X509V3_CTX v3;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 30);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
	                           (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(x));
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
	add_ext(x, &v3, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
	add_ext(x, &v3, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
	add_ext(x, &v3, NID_subject_key_identifier, "hash");
	if (issuer)
		add_ext(x, &v3, NID_authority_key_identifier, "keyid:always");
	if (!ca)
		add_ext(x, &v3, NID_subject_alt_name, "DNS:sip.example.com");
	assert_true(X509_sign(x, issuer_key, EVP_sha256()) > 0);
	return x;
}

static void pki_make(struct pki *p)
{
	p->root_key = EVP_EC_gen("P-256");
	p->sub_key = EVP_EC_gen("P-256");
	p->leaf_key = EVP_EC_gen("P-256");
	p->root = make("Root", p->root_key, NULL, p->root_key, 1, 1);
	p->sub = make("Sub", p->sub_key, p->root, p->root_key, 1, 2);
	p->leaf = make("sip.example.com", p->leaf_key, p->sub, p->sub_key, 0, 3);
}

static void pki_free(struct pki *p)
{
	X509_free(p->root);
	X509_free(p->sub);
	X509_free(p->leaf);
	EVP_PKEY_free(p->root_key);
	EVP_PKEY_free(p->sub_key);
	EVP_PKEY_free(p->leaf_key);
}

/* A copy of x with one bit of its signature flipped. */
static X509 *tampered(X509 *x)
{
	unsigned char *der = NULL;
	const unsigned char *q;
	int n = i2d_X509(x, &der);
	X509 *y;

	der[n - 1] ^= 0x01;
	q = der;
	y = d2i_X509(NULL, &q, n);
	OPENSSL_free(der);
	assert_non_null(y);
	return y;
}

static int verify_with(struct ucpki_verifier *v, X509 *leaf, X509 *sub, enum ucpki_level level,
                       const char *host, char *reason, size_t len)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	struct ucpki_verify_req req = {.leaf = leaf, .untrusted = chain, .level = level, .host = host};
	struct ucpki_verdict *vd = NULL;
	struct ucpki_err e = {0};
	int accepted;

	if (sub)
		sk_X509_push(chain, sub);
	assert_int_equal(ucpki_verify(v, &req, &vd, &e), 0);
	accepted = vd->accepted;
	snprintf(reason, len, "%s", vd->reason);
	ucpki_verdict_free(vd);
	sk_X509_free(chain);
	return accepted;
}

static void test_cache_never_trusts_a_tampered_ca(void **state)
{
	struct ucpki_verify_opts o = {0};
	struct ucpki_err e = {0};
	struct ucpki_verifier *v = ucpki_verifier_new(&o, &e);
	struct pki p;
	X509 *bad;
	char reason[UCPKI_ERR_MAX];

	(void)state;
	pki_make(&p);
	bad = tampered(p.sub);
	assert_int_equal(ucpki_verifier_add_trust(v, p.root, &e), 0);
	/* the good link is verified and cached ... */
	for (int i = 0; i < 3; i++)
		assert_true(verify_with(v, p.leaf, p.sub, UCPKI_LEVEL_FULL, "sip.example.com", reason,
		                        sizeof(reason)));
	/* ... and a tampered copy of the same CA is still checked */
	assert_false(verify_with(v, p.leaf, bad, UCPKI_LEVEL_TRUSTED, NULL, reason, sizeof(reason)));
	assert_non_null(strstr(reason, "chain.signature: certificate [1] \"CN=Sub\": its signature does not verify"));
	/* and the good one is still accepted afterwards */
	assert_true(verify_with(v, p.leaf, p.sub, UCPKI_LEVEL_TRUSTED, NULL, reason, sizeof(reason)));
	X509_free(bad);
	ucpki_verifier_free(v);
	pki_free(&p);
}

static void test_levels_and_usage_errors(void **state)
{
	struct ucpki_verify_opts o = {0};
	struct ucpki_err e = {0};
	struct ucpki_verifier *v = ucpki_verifier_new(&o, &e);
	struct ucpki_verdict *vd = NULL;
	struct pki p;
	char reason[UCPKI_ERR_MAX];

	(void)state;
	pki_make(&p);
	{
		struct ucpki_verify_req req = {.leaf = p.leaf, .level = UCPKI_LEVEL_TRUSTED};
		assert_int_equal(ucpki_verify(v, &req, &vd, &e), -1);
		assert_non_null(strstr(e.msg, "needs the CA certificates the device has loaded"));
		req.level = UCPKI_LEVEL_NONE;
		assert_int_equal(ucpki_verify(v, &req, &vd, &e), 0);
		assert_true(vd->accepted);
		assert_int_equal(vd->checks[UCPKI_CHECK_CHAIN].status, UCPKI_CHECK_SKIP);
		ucpki_verdict_free(vd);
	}
	assert_int_equal(ucpki_verifier_add_trust(v, p.root, &e), 0);
	assert_int_equal(ucpki_verifier_add_trust(v, p.root, &e), 0); /* once only */
	assert_int_equal(ucpki_verifier_trust_count(v), 1);
	{
		/* full without a name: judged, identity not checked (and said so) */
		struct ucpki_verify_req req = {.leaf = p.leaf, .level = UCPKI_LEVEL_FULL};
		assert_int_equal(ucpki_verify(v, &req, &vd, &e), 0);
		assert_int_equal(vd->checks[UCPKI_CHECK_IDENTITY].status, UCPKI_CHECK_SKIP);
		assert_non_null(strstr(vd->checks[UCPKI_CHECK_IDENTITY].detail, "no host name"));
		ucpki_verdict_free(vd);
	}
	assert_false(verify_with(v, p.leaf, NULL, UCPKI_LEVEL_TRUSTED, NULL, reason, sizeof(reason)));
	assert_non_null(strstr(reason, "missing intermediate"));
	assert_false(verify_with(v, p.leaf, p.sub, UCPKI_LEVEL_FULL, "sap.example.com", reason,
	                         sizeof(reason)));
	assert_non_null(strstr(reason, "identity.mismatch: certificate [0]"));
	ucpki_verifier_free(v);
	pki_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_never_trusts_a_tampered_ca),
		cmocka_unit_test(test_levels_and_usage_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
