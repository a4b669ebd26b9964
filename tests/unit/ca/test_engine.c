/* The CA engine through its library API: state, passphrase, hierarchy,
 * templates (criticality, 2038 clamp, CN into SAN), CSR checks and CRLs. */
#include "testutil.h"

#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "ucpki/ca.h"

static char *dir;
static struct ucpki_state *st;

static struct ucpki_state_opts opts(const char *pass)
{
	struct ucpki_state_opts o = {0};
	static char state_dir[600];

	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);
	o.dir = state_dir;
	o.passphrase = pass;
	return o;
}

static int setup(void **state)
{
	struct ucpki_state_opts o;
	struct ucpki_err e = {0};
	struct ucpki_ca_opts co = {0};
	int created;

	(void)state;
	dir = scratch_dir("ca");
	o = opts("s3cret passphrase");
	if (ucpki_state_init(&o, &created, NULL, &e) != 0 || !created)
		fail_msg("init: %s", e.msg);
	st = ucpki_state_open(&o, &e);
	assert_non_null(st);
	assert_int_equal(ucpki_pki_create(st, "acme", "test", &e), 0);
	co.ref = "acme/root";
	co.subject = "C=US, O=Acme, CN=Root";
	co.key = "ec:p256";
	co.pathlen = -1;
	if (ucpki_ca_create(st, &co, NULL, &e) != 0)
		fail_msg("root: %s", e.msg);
	co.ref = "acme/sub";
	co.subject = "C=US, O=Acme, CN=Sub";
	co.parent = "acme/root";
	if (ucpki_ca_create(st, &co, NULL, &e) != 0)
		fail_msg("sub: %s", e.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ucpki_state_free(st);
	rm_tree(dir);
	return 0;
}

static int verify_chain(struct ucpki_ca *ca, X509 *leaf)
{
	STACK_OF(X509) *chain = ucpki_ca_chain(ca);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	int n = sk_X509_num(chain), ok;

	X509_STORE_add_cert(store, sk_X509_value(chain, n - 1));
	for (int i = 0; i < n - 1; i++)
		sk_X509_push(untrusted, sk_X509_value(chain, i));
	X509_STORE_CTX_init(ctx, store, leaf, untrusted);
	ok = X509_verify_cert(ctx) == 1;
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_free(untrusted);
	return ok;
}

static struct ucpki_certspec *spec(struct ucpki_certspec_opts *o, struct ucpki_warnings *w)
{
	struct ucpki_err e = {0};
	struct ucpki_certspec *s;

	if (o->pathlen == 0)
		o->pathlen = -1;
	s = ucpki_certspec_new(o, w, &e);
	if (s == NULL)
		fail_msg("spec: %s", e.msg);
	return s;
}

static int ext_critical(X509 *x, int nid)
{
	int i = X509_get_ext_by_NID(x, nid, -1);
	assert_true(i >= 0);
	return X509_EXTENSION_get_critical(X509_get_ext(x, i));
}

static void test_issue_defaults_and_chain(void **state)
{
	struct ucpki_certspec_opts o = {0};
	struct ucpki_issued out;
	struct ucpki_err e = {0};
	struct ucpki_ca *ca = ucpki_ca_open(st, "acme/sub", &e);
	struct ucpki_certspec *s;
	GENERAL_NAMES *sans;

	(void)state;
	assert_non_null(ca);
	o.template_dn = "C=US, O=Acme, CN=?";
	o.cn = "10.0.0.7";
	o.key = "ec:p256";
	s = spec(&o, NULL);
	assert_int_equal(ucpki_ca_issue(ca, s, NULL, NULL, &out, NULL, &e), 0);
	assert_non_null(out.key);
	assert_true(verify_chain(ca, out.cert));
	assert_int_equal(ext_critical(out.cert, NID_key_usage), 0);
	assert_int_equal(ext_critical(out.cert, NID_basic_constraints), 0);
	assert_int_equal(X509_get_ext_by_NID(out.cert, NID_ext_key_usage, -1), -1);
	sans = X509_get_ext_d2i(out.cert, NID_subject_alt_name, NULL, NULL);
	assert_non_null(sans);
	assert_int_equal(sk_GENERAL_NAME_num(sans), 1);
	assert_int_equal(sk_GENERAL_NAME_value(sans, 0)->type, GEN_IPADD);
	GENERAL_NAMES_free(sans);
	assert_int_equal(strlen(out.serial), 32);
	ucpki_issued_clear(&out);
	ucpki_certspec_free(s);
	ucpki_ca_free(ca);
}

static void test_criticality_and_eku(void **state)
{
	struct ucpki_certspec_opts o = {0};
	struct ucpki_issued out;
	struct ucpki_err e = {0};
	struct ucpki_ca *ca = ucpki_ca_open(st, "acme/sub", &e);
	struct ucpki_certspec *s;

	(void)state;
	o.subject = "CN=host.acme.example";
	o.key = "ed25519";
	o.eku = "serverAuth,clientAuth";
	o.critical = "ku,eku";
	s = spec(&o, NULL);
	assert_int_equal(ucpki_ca_issue(ca, s, NULL, NULL, &out, NULL, &e), 0);
	assert_int_equal(ext_critical(out.cert, NID_key_usage), 1);
	assert_int_equal(ext_critical(out.cert, NID_ext_key_usage), 1);
	assert_int_equal(ext_critical(out.cert, NID_basic_constraints), 0);
	assert_int_equal(X509_get_extended_key_usage(out.cert), XKU_SSL_SERVER | XKU_SSL_CLIENT);
	ucpki_issued_clear(&out);
	ucpki_certspec_free(s);
	o.critical = "ski";
	assert_null(ucpki_certspec_new(&o, NULL, &e));
	assert_non_null(strstr(e.msg, "must not be critical"));
	ucpki_ca_free(ca);
}

static void test_2038_clamp_and_sha1(void **state)
{
	struct ucpki_certspec_opts o = {0};
	struct ucpki_warnings w = {0};
	struct ucpki_issued out;
	struct ucpki_err e = {0};
	struct ucpki_ca *ca = ucpki_ca_open(st, "acme/sub", &e);
	struct ucpki_certspec *s;
	time_t na;

	(void)state;
	o.subject = "CN=old.acme.example";
	o.key = "ec:p256";
	o.days = 7300;
	o.no_2038 = 1;
	o.hash = "sha1";
	s = spec(&o, &w);
	assert_int_equal(ucpki_ca_issue(ca, s, NULL, NULL, &out, &w, &e), 0);
	assert_int_equal(ucpki_asn1_time_to_t(X509_get0_notAfter(out.cert), &na), 0);
	assert_true(na <= UCPKI_2038_LIMIT);
	assert_int_equal(X509_get_signature_nid(out.cert), NID_ecdsa_with_SHA1);
	assert_true(w.n >= 2);
	ucpki_issued_clear(&out);
	ucpki_certspec_free(s);
	ucpki_ca_free(ca);
}

static void test_csr_signature_checked(void **state)
{
	struct ucpki_certspec_opts o = {0};
	struct ucpki_issued out;
	struct ucpki_err e = {0};
	struct ucpki_ca *ca = ucpki_ca_open(st, "acme/sub", &e);
	struct ucpki_keyspec ks = {UCPKI_KEY_EC, 256, NID_X9_62_prime256v1};
	EVP_PKEY *k = ucpki_key_generate(&ks, &e), *other = ucpki_key_generate(&ks, &e);
	X509_REQ *req = X509_REQ_new();
	struct ucpki_certspec *s;

	(void)state;
	X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_ASC,
	                           (const unsigned char *)"csr.example", -1, -1, 0);
	X509_REQ_set_pubkey(req, k);
	X509_REQ_sign(req, other, EVP_sha256()); /* signed by the wrong key */
	s = spec(&o, NULL);
	assert_int_equal(ucpki_ca_sign_csr(ca, s, req, "req.pem", &out, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "req.pem: the CSR signature does not verify"));
	X509_REQ_sign(req, k, EVP_sha256());
	assert_int_equal(ucpki_ca_sign_csr(ca, s, req, "req.pem", &out, NULL, &e), 0);
	assert_null(out.key);
	assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(out.cert), k), 1);
	ucpki_issued_clear(&out);
	ucpki_certspec_free(s);
	X509_REQ_free(req);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
	ucpki_ca_free(ca);
}

/* Key usage follows the certified key: EC and Ed25519 leaves sign only. */
static void test_key_usage_by_key_type(void **state)
{
	static const struct {
		const char *key;
		uint32_t ku;
	} cases[] = {
		{"ec:p256", KU_DIGITAL_SIGNATURE},
		{"ed25519", KU_DIGITAL_SIGNATURE},
		{"rsa:2048", KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION | KU_KEY_ENCIPHERMENT},
	};
	struct ucpki_err e = {0};
	struct ucpki_ca *ca = ucpki_ca_open(st, "acme/sub", &e);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ucpki_certspec_opts o = {0};
		struct ucpki_issued out;
		struct ucpki_certspec *s;
		o.subject = "CN=ku.acme.example";
		o.key = cases[i].key;
		s = spec(&o, NULL);
		assert_int_equal(ucpki_ca_issue(ca, s, NULL, NULL, &out, NULL, &e), 0);
		assert_int_equal(X509_get_key_usage(out.cert), cases[i].ku);
		ucpki_issued_clear(&out);
		ucpki_certspec_free(s);
	}
	{
		struct ucpki_certspec_opts o = {0};
		struct ucpki_issued out;
		struct ucpki_certspec *s;
		o.subject = "CN=ku.acme.example";
		o.key = "ec:p256";
		o.ku = "digitalSignature,keyEncipherment";
		s = spec(&o, NULL);
		assert_int_equal(ucpki_ca_issue(ca, s, NULL, NULL, &out, NULL, &e), -1);
		assert_int_equal(e.code, UCPKI_E_INPUT);
		assert_non_null(strstr(e.msg, "keyEncipherment is not for an EC key"));
		assert_null(out.cert);
		ucpki_certspec_free(s);
	}
	ucpki_ca_free(ca);
}

/* A CSR for key k requesting extensions exts ("subjectAltName=...", ...). */
static X509_REQ *csr_with(EVP_PKEY *k, const char *const *exts, int n)
{
	X509_REQ *req = X509_REQ_new();
	STACK_OF(X509_EXTENSION) *sk = sk_X509_EXTENSION_new_null();
	X509V3_CTX ctx;

	X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN", MBSTRING_ASC,
	                           (const unsigned char *)"req.acme.example", -1, -1, 0);
	X509_REQ_set_pubkey(req, k);
	X509V3_set_ctx(&ctx, NULL, NULL, req, NULL, 0);
	for (int i = 0; i < n; i++) {
		char name[64], value[200];
		const char *eq = strchr(exts[i], '=');
		snprintf(name, sizeof(name), "%.*s", (int)(eq - exts[i]), exts[i]);
		snprintf(value, sizeof(value), "%s", eq + 1);
		sk_X509_EXTENSION_push(sk, X509V3_EXT_nconf(NULL, &ctx, name, value));
	}
	X509_REQ_add_extensions(req, sk);
	sk_X509_EXTENSION_pop_free(sk, X509_EXTENSION_free);
	X509_REQ_sign(req, k, EVP_sha256());
	return req;
}

static char *cert_sans(X509 *x)
{
	GENERAL_NAMES *g = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	char *s = ucpki_san_string(g);

	GENERAL_NAMES_free(g);
	return s;
}

static void test_csr_requested_extensions(void **state)
{
	static const char *const san_req[] = {"subjectAltName=DNS:a.acme.example,IP:10.0.0.9",
	                                      "keyUsage=digitalSignature"};
	static const char *const ca_req[] = {"basicConstraints=critical,CA:TRUE"};
	struct ucpki_certspec_opts o = {0};
	struct ucpki_issued out;
	struct ucpki_err e = {0};
	struct ucpki_csr_request r;
	struct ucpki_ca *ca = ucpki_ca_open(st, "acme/sub", &e);
	struct ucpki_keyspec ks = {UCPKI_KEY_EC, 256, NID_X9_62_prime256v1};
	EVP_PKEY *k = ucpki_key_generate(&ks, &e);
	X509_REQ *req = csr_with(k, san_req, 2), *careq = csr_with(k, ca_req, 1);
	struct ucpki_certspec *s = spec(&o, NULL), *s_san;
	char *got;

	(void)state;
	assert_int_equal(ucpki_csr_request_read(req, "req.pem", &r, &e), 0);
	assert_int_equal(r.n_ext, 2);
	assert_int_equal(r.ca, 0);
	assert_int_equal(sk_GENERAL_NAME_num(r.sans), 2);
	assert_string_equal(r.ext[0].oid, "subjectAltName");
	assert_string_equal(r.ext[0].name, "X509v3 Subject Alternative Name");
	ucpki_csr_request_clear(&r);

	/* no --san: the request's names, reported */
	assert_int_equal(ucpki_ca_sign_csr(ca, s, req, "req.pem", &out, NULL, &e), 0);
	assert_non_null(out.csr_sans);
	assert_string_equal(out.csr_sans, "DNS:a.acme.example, IP Address:10.0.0.9");
	got = cert_sans(out.cert);
	assert_non_null(strstr(got, "DNS:a.acme.example"));
	assert_non_null(strstr(got, "IP Address:10.0.0.9"));
	free(got);
	ucpki_issued_clear(&out);

	/* an explicit SAN wins */
	o.san = "DNS:b.acme.example";
	s_san = spec(&o, NULL);
	assert_int_equal(ucpki_ca_sign_csr(ca, s_san, req, "req.pem", &out, NULL, &e), 0);
	assert_null(out.csr_sans);
	got = cert_sans(out.cert);
	assert_null(strstr(got, "a.acme.example"));
	assert_non_null(strstr(got, "DNS:b.acme.example"));
	free(got);
	ucpki_issued_clear(&out);

	/* a CA request is refused */
	assert_int_equal(ucpki_csr_request_read(careq, "ca.pem", &r, &e), 0);
	assert_int_equal(r.ca, 1);
	assert_int_equal(r.ext[0].critical, 1);
	ucpki_csr_request_clear(&r);
	assert_int_equal(ucpki_ca_sign_csr(ca, s, careq, "ca.pem", &out, NULL, &e), -1);
	assert_int_equal(e.code, UCPKI_E_POLICY);
	assert_non_null(strstr(e.msg, "ca.pem: the CSR requests a CA certificate"));
	assert_null(out.cert);
	assert_null(out.csr_sans);

	ucpki_certspec_free(s);
	ucpki_certspec_free(s_san);
	X509_REQ_free(req);
	X509_REQ_free(careq);
	EVP_PKEY_free(k);
	ucpki_ca_free(ca);
}

static void test_wrong_passphrase(void **state)
{
	struct ucpki_state_opts o = opts("not it");
	struct ucpki_err e = {0};
	struct ucpki_state *bad = ucpki_state_open(&o, &e);
	struct ucpki_ca *ca;

	(void)state;
	assert_non_null(bad);
	ca = ucpki_ca_open(bad, "acme/sub", &e);
	assert_non_null(ca); /* certificates are public */
	assert_int_equal(ucpki_ca_unlock(ca, &e), -1);
	assert_int_equal(e.code, UCPKI_E_PASSWORD);
	assert_non_null(strstr(e.msg, "wrong passphrase"));
	ucpki_ca_free(ca);
	ucpki_state_free(bad);
}

static void test_crl_lists_revoked(void **state)
{
	struct ucpki_certspec_opts o = {0};
	struct ucpki_issued out;
	struct ucpki_err e = {0};
	struct ucpki_ca *ca = ucpki_ca_open(st, "acme/sub", &e);
	struct ucpki_certspec *s;
	X509_CRL *crl;
	X509_REVOKED *rev = NULL;

	(void)state;
	o.subject = "CN=gone.acme.example";
	o.key = "ec:p256";
	s = spec(&o, NULL);
	assert_int_equal(ucpki_ca_issue(ca, s, NULL, NULL, &out, NULL, &e), 0);
	assert_int_equal(ucpki_ca_revoke(ca, out.serial, 5, time(NULL), &e), 0);
	crl = ucpki_ca_crl(ca, 7, NULL, NULL, &e);
	assert_non_null(crl);
	assert_int_equal(X509_CRL_get_version(crl), X509_CRL_VERSION_2);
	assert_int_equal(X509_CRL_verify(crl, X509_get0_pubkey(ucpki_ca_cert(ca))), 1);
	assert_int_equal(X509_CRL_get0_by_cert(crl, &rev, out.cert), 1);
	assert_non_null(rev);
	X509_CRL_free(crl);
	ucpki_issued_clear(&out);
	ucpki_certspec_free(s);
	ucpki_ca_free(ca);
}

static void test_create_only_on_publish(void **state)
{
	struct ucpki_state_opts o = {0};
	struct ucpki_err e = {0};
	struct ucpki_state *ns;
	struct ucpki_state_counts n;
	char sdir[700], db[800];
	struct stat sb;

	(void)state;
	snprintf(sdir, sizeof(sdir), "%s/lazy", dir);
	snprintf(db, sizeof(db), "%s/ucpki.db", sdir);
	o.dir = sdir;
	o.passphrase = "lazy passphrase";
	/* Work that fails: nothing remains. */
	ns = ucpki_state_open_or_create(&o, NULL, &e);
	assert_non_null(ns);
	assert_int_equal(ucpki_state_is_new(ns), 1);
	assert_int_equal(ucpki_pki_create(ns, "p", NULL, &e), 0);
	assert_int_not_equal(stat(sdir, &sb), 0);
	ucpki_state_free(ns);
	assert_int_not_equal(stat(sdir, &sb), 0);
	/* Work that succeeds: published with its rows. */
	ns = ucpki_state_open_or_create(&o, NULL, &e);
	assert_non_null(ns);
	assert_int_equal(ucpki_pki_create(ns, "p", NULL, &e), 0);
	assert_int_equal(ucpki_state_publish(ns, &e), 0);
	assert_int_equal(ucpki_state_is_new(ns), 0);
	assert_int_equal(stat(db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(ucpki_pki_create(ns, "q", NULL, &e), 0);
	ucpki_state_free(ns);
	ns = ucpki_state_open_or_create(&o, NULL, &e);
	assert_non_null(ns);
	assert_int_equal(ucpki_state_is_new(ns), 0);
	assert_int_equal(ucpki_pki_create(ns, "p", NULL, &e), -1);
	assert_int_equal(e.code, UCPKI_E_EXISTS);
	assert_int_equal(ucpki_state_check(ns, NULL, NULL, &n, &e), 0);
	assert_int_equal(n.problems, 0);
	ucpki_state_free(ns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_defaults_and_chain),
		cmocka_unit_test(test_criticality_and_eku),
		cmocka_unit_test(test_2038_clamp_and_sha1),
		cmocka_unit_test(test_csr_signature_checked),
		cmocka_unit_test(test_key_usage_by_key_type),
		cmocka_unit_test(test_csr_requested_extensions),
		cmocka_unit_test(test_wrong_passphrase),
		cmocka_unit_test(test_crl_lists_revoked),
		cmocka_unit_test(test_create_only_on_publish),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
