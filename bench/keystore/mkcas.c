/*
 * bench_mkcas N DIR: write N self-signed EC P-256 CA certificates as
 * DIR/ca-0001.pem ... and all of them in DIR/all.pem, plus a server key and
 * certificate issued by the first CA (DIR/server.pem, DIR/server.key).
 * Setup for bench/keystore/run.sh only: fast, not a CA.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

static EVP_PKEY *ec_key(void)
{
	return EVP_EC_gen("P-256");
}

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
                       long serial, int ca)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"Bench", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 365L * 86400);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256());
	X509_NAME_free(name);
	return x;
}

static void write_pem(const char *path, X509 *x, EVP_PKEY *k)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	if (x)
		PEM_write_X509(f, x);
	if (k)
		PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	fclose(f);
}

int main(int argc, char **argv)
{
	char path[4096], cn[64];
	FILE *all;
	X509 *first = NULL;
	EVP_PKEY *first_key = NULL;
	long n = 0;

	if (argc == 3)
		n = strtol(argv[1], NULL, 10);
	if (n < 1 || n > 100000) {
		fprintf(stderr, "usage: bench_mkcas N DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/all.pem", argv[2]);
	if ((all = fopen(path, "w")) == NULL) {
		perror(path);
		return 2;
	}
	for (int i = 1; i <= n; i++) {
		EVP_PKEY *k = ec_key();
		X509 *x;
		snprintf(cn, sizeof(cn), "Bench CA %04d", i);
		x = make_cert(cn, k, NULL, NULL, i, 1);
		snprintf(path, sizeof(path), "%s/ca-%04d.pem", argv[2], i);
		write_pem(path, x, NULL);
		PEM_write_X509(all, x);
		if (i == 1) {
			first = x;
			first_key = k;
		} else {
			X509_free(x);
			EVP_PKEY_free(k);
		}
	}
	fclose(all);
	{
		EVP_PKEY *k = ec_key();
		X509 *x = make_cert("bench.server.example", k, first, first_key, 100000, 0);
		snprintf(path, sizeof(path), "%s/server.pem", argv[2]);
		write_pem(path, x, NULL);
		snprintf(path, sizeof(path), "%s/server.key", argv[2]);
		write_pem(path, NULL, k);
		X509_free(x);
		EVP_PKEY_free(k);
	}
	X509_free(first);
	EVP_PKEY_free(first_key);
	return 0;
}
