/*
 * Library side of bench/issue: issue N leaf certificates under a fresh CA in
 * a fresh state, the way `ucpki issue` does (template, random serial, record
 * in the database), in one batch transaction.
 *
 *   bench_issue STATE_DIR KEYSPEC N THREADS
 *
 * Prints lines "name seconds count" for: keygen (N keys on THREADS threads),
 * issue_new_keys (keygen + sign + record, end to end), sign_pubkeys (sign +
 * record with pre-generated keys), sign_csrs (CSR signature check + sign +
 * record).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "ucpki/ca.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct ucpki_err *e)
{
	fprintf(stderr, "bench_issue: %s: %s\n", what, e->msg);
	exit(2);
}

static struct ucpki_state *state;

static struct ucpki_ca *setup(const char *dir, const char *keyspec)
{
	struct ucpki_state_opts o = {dir, NULL, "bench passphrase", 0};
	struct ucpki_ca_opts co = {0};
	struct ucpki_err e = {0};
	struct ucpki_state *st;
	struct ucpki_ca *ca;
	int created;

	if (ucpki_state_init(&o, &created, NULL, &e) != 0)
		die("init", &e);
	if ((st = ucpki_state_open(&o, &e)) == NULL)
		die("open", &e);
	if (ucpki_pki_create(st, "bench", NULL, &e) != 0)
		die("pki", &e);
	co.ref = "bench/ca";
	co.subject = "C=US, O=Bench, CN=Bench CA";
	co.key = strncmp(keyspec, "rsa", 3) == 0 ? "rsa:2048" : "ec:p256";
	co.pathlen = -1;
	if (ucpki_ca_create(st, &co, NULL, &e) != 0)
		die("ca", &e);
	if ((ca = ucpki_ca_open(st, "bench/ca", &e)) == NULL || ucpki_ca_unlock(ca, &e) != 0)
		die("ca open", &e);
	state = st;
	return ca;
}

static struct ucpki_certspec *server_spec(const char *keyspec, int i)
{
	static char san[64];
	struct ucpki_certspec_opts o = {0};
	struct ucpki_err e = {0};
	struct ucpki_certspec *s;

	snprintf(san, sizeof(san), "DNS:host%d.bench.example", i);
	o.subject = "C=US, ST=FL, O=Bench, OU=UC, CN=server.bench.example";
	o.san = san;
	o.key = keyspec;
	o.pathlen = -1;
	if ((s = ucpki_certspec_new(&o, NULL, &e)) == NULL)
		die("spec", &e);
	return s;
}

static void issue_all(struct ucpki_ca *ca, struct ucpki_certspec *spec, EVP_PKEY **keys,
                      X509_REQ **reqs, int n)
{
	struct ucpki_err e = {0};

	if (ucpki_ca_batch_begin(ca, &e) != 0)
		die("begin", &e);
	for (int i = 0; i < n; i++) {
		struct ucpki_issued out;
		int rc = reqs ? ucpki_ca_sign_csr(ca, spec, reqs[i], "csr", &out, NULL, &e)
		              : ucpki_ca_issue(ca, spec, keys[i], NULL, &out, NULL, &e);
		if (rc != 0)
			die("issue", &e);
		ucpki_issued_clear(&out);
	}
	if (ucpki_ca_batch_commit(ca, &e) != 0)
		die("commit", &e);
}

int main(int argc, char **argv)
{
	struct ucpki_keyspec ks;
	struct ucpki_err e = {0};
	struct ucpki_certspec *spec;
	struct ucpki_ca *ca;
	EVP_PKEY **keys;
	X509_REQ **reqs;
	int n, threads;
	double t0, t1, t2;

	if (argc != 5) {
		fprintf(stderr, "usage: bench_issue STATE_DIR KEYSPEC N THREADS\n");
		return 2;
	}
	n = (int)strtol(argv[3], NULL, 10);
	threads = (int)strtol(argv[4], NULL, 10);
	if (n <= 0 || ucpki_keyspec_parse(argv[2], &ks, NULL, &e) != 0)
		die("arguments", &e);
	ca = setup(argv[1], argv[2]);
	spec = server_spec(argv[2], 1);
	keys = calloc((size_t)n, sizeof(*keys));
	reqs = calloc((size_t)n, sizeof(*reqs));

	/* End to end: keys generated on all threads, then signed and recorded. */
	t0 = now();
	if (ucpki_keys_generate(&ks, n, threads, keys, &e) != 0)
		die("keygen", &e);
	t1 = now();
	issue_all(ca, spec, keys, NULL, n);
	t2 = now();
	printf("keygen %.6f %d\n", t1 - t0, n);
	printf("issue_new_keys %.6f %d\n", t2 - t0, n);

	/* Signing only, with the keys generated above. */
	t0 = now();
	issue_all(ca, spec, keys, NULL, n);
	printf("sign_pubkeys %.6f %d\n", now() - t0, n);

	/* CSRs made beforehand (not timed); signing checks each CSR. */
	for (int i = 0; i < n; i++) {
		reqs[i] = X509_REQ_new();
		X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(reqs[i]), "CN", MBSTRING_ASC,
		                           (const unsigned char *)"csr.bench.example", -1, -1, 0);
		X509_REQ_set_pubkey(reqs[i], keys[i]);
		X509_REQ_sign(reqs[i], keys[i], ks.type == UCPKI_KEY_ED25519 ? NULL : EVP_sha256());
	}
	t0 = now();
	issue_all(ca, spec, NULL, reqs, n);
	printf("sign_csrs %.6f %d\n", now() - t0, n);

	for (int i = 0; i < n; i++) {
		EVP_PKEY_free(keys[i]);
		X509_REQ_free(reqs[i]);
	}
	free(keys);
	free(reqs);
	ucpki_certspec_free(spec);
	ucpki_ca_free(ca);
	ucpki_state_free(state);
	return 0;
}
