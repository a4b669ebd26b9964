/* Make the verify benchmark's material in one process: a state with an
 * RSA-2048 root and issuing CA, and N leaf certificates issued by it in one
 * batch transaction, written as DIR/leaves/NNNNN.pem, plus DIR/root.pem,
 * DIR/sub.pem, DIR/list.txt (one leaf path per line) and DIR/der.txt (each
 * leaf as one line of base64 DER, for verify --batch without files).
 *
 * usage: bench_verify_setup DIR [N]   (N defaults to 10000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "ucpki/ca.h"
#include "ucpki/formats.h"

static int die(const struct ucpki_err *e)
{
	fprintf(stderr, "bench_verify_setup: %s\n", e->msg);
	return 2;
}

/* Plain stdio: these are scratch files, an fsync per leaf would dominate. */
static int write_pem(const char *path, X509 *x, struct ucpki_err *e)
{
	struct ucpki_buf b = {0};
	FILE *f;
	int rc = -1;

	if (ucpki_write_cert(&b, x, 0, e) == 0 && (f = fopen(path, "w")) != NULL) {
		rc = fwrite(b.data, 1, b.len, f) == b.len ? 0 : -1;
		if (fclose(f) != 0)
			rc = -1;
		if (rc != 0)
			ucpki_err_set(e, UCPKI_E_IO, "%s: cannot write", path);
	}
	ucpki_buf_free(&b);
	return rc;
}

/* One line of base64 DER. */
static void write_der_line(FILE *f, X509 *x)
{
	unsigned char *d = NULL, *b64;
	int n = i2d_X509(x, &d);

	if (n > 0 && (b64 = malloc(((size_t)n + 2) / 3 * 4 + 1)) != NULL) {
		EVP_EncodeBlock(b64, d, n);
		fprintf(f, "%s\n", b64);
		free(b64);
	}
	OPENSSL_free(d);
}

int main(int argc, char **argv)
{
	struct ucpki_err e = {0};
	struct ucpki_state_opts so = {0};
	struct ucpki_ca_opts root = {0}, sub = {0};
	struct ucpki_certspec_opts co = {0};
	struct ucpki_certspec *spec;
	struct ucpki_state *st;
	struct ucpki_ca *ca;
	struct ucpki_keyspec ks;
	EVP_PKEY *leafkey;
	char path[4096], state[4096];
	FILE *list, *der;
	int n = argc > 2 ? atoi(argv[2]) : 10000, created;

	if (argc < 2 || n <= 0) {
		fprintf(stderr, "usage: bench_verify_setup DIR [N]\n");
		return 2;
	}
	snprintf(state, sizeof(state), "%s/state", argv[1]);
	snprintf(path, sizeof(path), "%s/leaves", argv[1]);
	mkdir(argv[1], 0755);
	mkdir(path, 0755);
	so.dir = state;
	so.passphrase = "bench passphrase";
	if (ucpki_state_init(&so, &created, NULL, &e) != 0 || (st = ucpki_state_open(&so, &e)) == NULL)
		return die(&e);
	root.ref = "bench/root";
	root.subject = "C=US, O=Bench, CN=Bench Root";
	root.key = "rsa:2048";
	root.pathlen = -1;
	sub.ref = "bench/sub";
	sub.subject = "C=US, O=Bench, CN=Bench Issuing CA";
	sub.key = "rsa:2048";
	sub.parent = "bench/root";
	sub.pathlen = -1;
	if (ucpki_pki_create(st, "bench", "verify benchmark", &e) != 0 ||
	    ucpki_ca_create(st, &root, NULL, &e) != 0 || ucpki_ca_create(st, &sub, NULL, &e) != 0 ||
	    (ca = ucpki_ca_open(st, "bench/sub", &e)) == NULL)
		return die(&e);
	co.base = "server";
	co.subject = "CN=leaf.bench.example.com";
	co.pathlen = -1;
	if ((spec = ucpki_certspec_new(&co, NULL, &e)) == NULL)
		return die(&e);
	/* one key pair for every leaf: the benchmark is about verifying the
	 * CA's signatures, and generating 10,000 keys would dominate set-up */
	if (ucpki_keyspec_parse("ec:p256", &ks, NULL, &e) != 0 || (leafkey = ucpki_key_generate(&ks, &e)) == NULL)
		return die(&e);
	snprintf(path, sizeof(path), "%s/root.pem", argv[1]);
	if (write_pem(path, sk_X509_value(ucpki_ca_chain(ca), 1), &e) != 0)
		return die(&e);
	snprintf(path, sizeof(path), "%s/sub.pem", argv[1]);
	if (write_pem(path, ucpki_ca_cert(ca), &e) != 0)
		return die(&e);
	snprintf(path, sizeof(path), "%s/list.txt", argv[1]);
	if ((list = fopen(path, "w")) == NULL)
		return 2;
	snprintf(path, sizeof(path), "%s/der.txt", argv[1]);
	if ((der = fopen(path, "w")) == NULL || ucpki_ca_batch_begin(ca, &e) != 0)
		return 2;
	for (int i = 0; i < n; i++) {
		struct ucpki_issued out = {0};
		char cn[64];
		X509_NAME *subject;

		snprintf(cn, sizeof(cn), "CN=leaf%05d.bench.example.com", i);
		if ((subject = ucpki_dn_parse(cn, NULL, &e)) == NULL ||
		    ucpki_ca_issue(ca, spec, leafkey, subject, &out, NULL, &e) != 0) {
			ucpki_ca_batch_abort(ca);
			return die(&e);
		}
		snprintf(path, sizeof(path), "%s/leaves/%05d.pem", argv[1], i);
		if (write_pem(path, out.cert, &e) != 0)
			return die(&e);
		fprintf(list, "%s\n", path);
		write_der_line(der, out.cert);
		ucpki_issued_clear(&out);
		X509_NAME_free(subject);
	}
	if (ucpki_ca_batch_commit(ca, &e) != 0)
		return die(&e);
	fclose(list);
	fclose(der);
	EVP_PKEY_free(leafkey);
	ucpki_certspec_free(spec);
	ucpki_ca_free(ca);
	ucpki_state_free(st);
	printf("%d leaves under %s\n", n, argv[1]);
	return 0;
}
