/* Key specs, key generation, hashes, key fingerprints and key matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "ucpki/x509.h"

static const struct {
	const char *spec;
	enum ucpki_keytype type;
	int bits;
	int nid;
	int weak;
} key_specs[] = {
	{"rsa:1024", UCPKI_KEY_RSA, 1024, NID_undef, 1},
	{"rsa:2048", UCPKI_KEY_RSA, 2048, NID_undef, 0},
	{"rsa:3072", UCPKI_KEY_RSA, 3072, NID_undef, 0},
	{"rsa:4096", UCPKI_KEY_RSA, 4096, NID_undef, 0},
	{"rsa", UCPKI_KEY_RSA, 2048, NID_undef, 0},
	{"ec:p256", UCPKI_KEY_EC, 256, NID_X9_62_prime256v1, 0},
	{"ec:prime256v1", UCPKI_KEY_EC, 256, NID_X9_62_prime256v1, 0},
	{"ec:secp256r1", UCPKI_KEY_EC, 256, NID_X9_62_prime256v1, 0},
	{"ec:p384", UCPKI_KEY_EC, 384, NID_secp384r1, 0},
	{"ec:secp384r1", UCPKI_KEY_EC, 384, NID_secp384r1, 0},
	{"ec", UCPKI_KEY_EC, 256, NID_X9_62_prime256v1, 0},
	{"ed25519", UCPKI_KEY_ED25519, 255, NID_undef, 0},
};

int ucpki_keyspec_parse(const char *text, struct ucpki_keyspec *ks, struct ucpki_warnings *w,
                        struct ucpki_err *e)
{
	for (size_t i = 0; i < sizeof(key_specs) / sizeof(key_specs[0]); i++) {
		if (strcasecmp(key_specs[i].spec, text) != 0)
			continue;
		ks->type = key_specs[i].type;
		ks->bits = key_specs[i].bits;
		ks->curve_nid = key_specs[i].nid;
		if (key_specs[i].weak)
			ucpki_warn(w, "key %s is weak: use rsa:2048 or stronger unless the product "
			              "requires it", text);
		return 0;
	}
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "bad key spec '%s' (use rsa:1024, rsa:2048, rsa:3072, rsa:4096, "
	                     "ec:p256, ec:p384 or ed25519)", text);
}

const char *ucpki_keyspec_string(const struct ucpki_keyspec *ks, char *buf, size_t len)
{
	switch (ks->type) {
	case UCPKI_KEY_RSA:
		snprintf(buf, len, "rsa:%d", ks->bits);
		break;
	case UCPKI_KEY_EC:
		snprintf(buf, len, "ec:p%d", ks->bits);
		break;
	case UCPKI_KEY_ED25519:
		snprintf(buf, len, "ed25519");
		break;
	default:
		snprintf(buf, len, "unknown");
	}
	return buf;
}

int ucpki_keyspec_of(const EVP_PKEY *key, struct ucpki_keyspec *ks)
{
	memset(ks, 0, sizeof(*ks));
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA:
		ks->type = UCPKI_KEY_RSA;
		ks->bits = EVP_PKEY_get_bits(key);
		return 1;
	case EVP_PKEY_EC: {
		char group[64];
		size_t glen;
		ks->type = UCPKI_KEY_EC;
		ks->bits = EVP_PKEY_get_bits(key);
		if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
		                                   sizeof(group), &glen))
			ks->curve_nid = OBJ_sn2nid(group);
		return 1;
	}
	case EVP_PKEY_ED25519:
		ks->type = UCPKI_KEY_ED25519;
		ks->bits = 255;
		return 1;
	default:
		return 0;
	}
}

EVP_PKEY *ucpki_key_generate(const struct ucpki_keyspec *ks, struct ucpki_err *e)
{
	EVP_PKEY *key = NULL;

	switch (ks->type) {
	case UCPKI_KEY_RSA:
		key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)ks->bits);
		break;
	case UCPKI_KEY_EC:
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", OBJ_nid2sn(ks->curve_nid));
		break;
	case UCPKI_KEY_ED25519:
		key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	}
	if (key == NULL)
		ucpki_err_ssl(e, UCPKI_E_INTERNAL, "key generation failed");
	return key;
}

int ucpki_hash_parse(const char *text, const EVP_MD **md, struct ucpki_warnings *w,
                     struct ucpki_err *e)
{
	static const struct {
		const char *name;
		int nid;
	} hashes[] = {
		{"sha256", NID_sha256}, {"sha384", NID_sha384}, {"sha512", NID_sha512},
		{"sha1", NID_sha1},     {"sha-256", NID_sha256}, {"sha-384", NID_sha384},
		{"sha-512", NID_sha512}, {"sha-1", NID_sha1},
	};
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		if (strcasecmp(hashes[i].name, text) != 0)
			continue;
		*md = EVP_get_digestbynid(hashes[i].nid);
		if (hashes[i].nid == NID_sha1)
			ucpki_warn(w, "SHA-1 signatures are weak; use them only for products that "
			              "accept nothing else (solution V4-V6, rule R4)");
		return 0;
	}
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "unknown hash '%s' (use sha256, sha384, sha512 or sha1)", text);
}

int ucpki_modulus_md5(const EVP_PKEY *key, char out[33])
{
	BIGNUM *n = NULL;
	BIO *bio;
	char *data;
	long len;
	unsigned char md[16];
	unsigned int mdlen = 0;

	out[0] = '\0';
	if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n))
		return -1;
	/* Exactly the line `openssl x509 -modulus -noout` prints. */
	if ((bio = BIO_new(BIO_s_mem())) == NULL) {
		BN_free(n);
		return -1;
	}
	BIO_puts(bio, "Modulus=");
	BN_print(bio, n);
	BIO_puts(bio, "\n");
	BN_free(n);
	len = BIO_get_mem_data(bio, &data);
	if (!EVP_Digest(data, (size_t)len, md, &mdlen, EVP_md5(), NULL)) {
		ERR_clear_error();
		BIO_free(bio);
		return -1;
	}
	BIO_free(bio);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int ucpki_pubkey_sha256(const EVP_PKEY *key, char out[65])
{
	unsigned char *der = NULL, md[32];
	unsigned int mdlen = 0;
	int len = i2d_PUBKEY((EVP_PKEY *)key, &der);

	out[0] = '\0';
	if (len <= 0)
		return -1;
	if (!EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL)) {
		OPENSSL_free(der);
		return -1;
	}
	OPENSSL_free(der);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int ucpki_key_matches_cert(X509 *cert, EVP_PKEY *key)
{
	int ok = X509_check_private_key(cert, key) == 1;

	ERR_clear_error();
	return ok;
}

int ucpki_fingerprint(const X509 *cert, const EVP_MD *md, char *out, size_t outlen)
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	size_t pos = 0;

	out[0] = '\0';
	if (!X509_digest(cert, md, buf, &len))
		return -1;
	for (unsigned i = 0; i < len && pos + 4 <= outlen; i++) {
		snprintf(out + pos, outlen - pos, i ? ":%02X" : "%02X", buf[i]);
		pos += i ? 3 : 2;
	}
	return 0;
}
