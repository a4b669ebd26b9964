/*
 * Java keystores, natively: JKS read and write, JCEKS read.
 *
 * Layout (all integers big-endian), from the format's public description:
 *   u32 magic (0xFEEDFEED JKS, 0xCECECECE JCEKS), u32 version (1 or 2),
 *   u32 count, then count entries:
 *     u32 tag: 1 private key, 2 trusted certificate, 3 secret key (JCEKS)
 *     UTF alias, u64 creation date in ms since the epoch
 *     tag 1: u32 length + EncryptedPrivateKeyInfo, u32 chain length, certs
 *     tag 2: one cert
 *   cert = [version 2: UTF type, "X.509"] u32 length + DER
 *   then a SHA-1 digest over UTF-16BE(store password) || "Mighty Aphrodite"
 *   || every byte before the digest.
 * UTF = u16 byte length + Java's "modified UTF-8". Private keys are sealed
 * with Sun's JKS key protector (a SHA-1 keystream; see jks_keystream) or,
 * in JCEKS, with PBEWithMD5AndTripleDES.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "formats/formats_internal.h"
#include "ucpki/file.h"

#define JKS_MAGIC 0xFEEDFEEDu
#define JCEKS_MAGIC 0xCECECECEu
#define JKS_DIGEST_LEN 20
#define JKS_SALT_LEN 20
#define JKS_KEY_PROTECTOR_OID "1.3.6.1.4.1.42.2.17.1.1"
#define JCEKS_KEY_PROTECTOR_OID "1.3.6.1.4.1.42.2.19.1"
#define JCEKS_MAX_ITER 5000000 /* the JDK's own upper bound */
#define JKS_MAX_CHAIN 64

static const char WHITENER[] = "Mighty Aphrodite";

/* --- text: UTF-8 <-> UTF-16 code units <-> modified UTF-8 ---------------- */

/* UTF-8 to UTF-16 code units; bytes that are not valid UTF-8 count as
 * Latin-1 characters (so any password file is usable). */
static uint16_t *utf8_units(const char *s, size_t *nunits)
{
	size_t len = strlen(s), n = 0;
	uint16_t *u = malloc((len + 1) * sizeof(*u) * 2);
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	if (u == NULL)
		return NULL;
	while (p < end) {
		uint32_t cp = *p;
		int extra = cp >= 0xF0 && cp < 0xF8 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC2 ? 1 : 0;
		int ok = cp < 0x80 || extra > 0;

		if (cp >= 0x80 && extra > 0 && (size_t)(end - p) > (size_t)extra) {
			cp &= 0x3Fu >> extra;
			for (int i = 1; i <= extra; i++) {
				if ((p[i] & 0xC0) != 0x80)
					ok = 0;
				cp = (cp << 6) | (p[i] & 0x3F);
			}
			if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
				ok = 0;
		} else if (cp >= 0x80) {
			ok = 0;
		}
		if (!ok || cp < 0x80) {
			u[n++] = *p++;
			continue;
		}
		p += extra + 1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			u[n++] = (uint16_t)(0xD800 + (cp >> 10));
			u[n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
		} else {
			u[n++] = (uint16_t)cp;
		}
	}
	*nunits = n;
	return u;
}

/* The password as Java hands it to the JKS digests: UTF-16BE. */
static unsigned char *pass_bytes(const char *pw, size_t *len)
{
	size_t n;
	uint16_t *u = utf8_units(pw, &n);
	unsigned char *b;

	if (u == NULL)
		return NULL;
	if ((b = malloc(2 * n + 1)) != NULL) {
		for (size_t i = 0; i < n; i++) {
			b[2 * i] = (unsigned char)(u[i] >> 8);
			b[2 * i + 1] = (unsigned char)(u[i] & 0xFF);
		}
		*len = 2 * n;
	}
	OPENSSL_cleanse(u, n * sizeof(*u));
	free(u);
	return b;
}

/* Java modified UTF-8 to UTF-8 (NUL-terminated); NULL if malformed. */
static char *mutf8_decode(const unsigned char *s, size_t len)
{
	uint16_t *u = malloc((len + 1) * sizeof(*u));
	char *out = malloc(len * 2 + 1);
	size_t n = 0, o = 0;

	if (u == NULL || out == NULL)
		goto bad;
	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		if (c != 0 && c < 0x80) {
			u[n++] = (uint16_t)c;
			i++;
		} else if ((c & 0xE0) == 0xC0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
			u[n++] = (uint16_t)(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
			i += 2;
		} else if ((c & 0xF0) == 0xE0 && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
		           (s[i + 2] & 0xC0) == 0x80) {
			u[n++] = (uint16_t)(((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) |
			                    (s[i + 2] & 0x3F));
			i += 3;
		} else {
			goto bad;
		}
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = u[i];
		if (cp == 0)
			goto bad; /* an alias never holds NUL */
		if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 &&
		    u[i + 1] <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (u[i + 1] - 0xDC00);
			i++;
		}
		if (cp < 0x80) {
			out[o++] = (char)cp;
		} else if (cp < 0x800) {
			out[o++] = (char)(0xC0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			out[o++] = (char)(0xE0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | (cp >> 18));
			out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[o] = '\0';
	free(u);
	return out;
bad:
	free(u);
	free(out);
	return NULL;
}

/* --- reading ------------------------------------------------------------ */

struct rd {
	const unsigned char *p;
	size_t len, pos;
	const char *label;
	struct ucpki_err *e;
};

/* Returns -1 itself rather than ucpki_err_set()'s result: the readers below
 * fill their output only on 0, and the compiler must see that a failed read
 * never returns 0 (gcc -O3 otherwise warns that get_u64 may combine unset
 * halves). */
static int truncated(struct rd *r)
{
	ucpki_err_set(r->e, UCPKI_E_INPUT, "%s: keystore is truncated or corrupted (at byte %zu)",
	              r->label, r->pos);
	return -1;
}

static int get_u16(struct rd *r, unsigned *v)
{
	if (r->len - r->pos < 2)
		return truncated(r);
	*v = ((unsigned)r->p[r->pos] << 8) | r->p[r->pos + 1];
	r->pos += 2;
	return 0;
}

static int get_u32(struct rd *r, uint32_t *v)
{
	if (r->len - r->pos < 4)
		return truncated(r);
	*v = ((uint32_t)r->p[r->pos] << 24) | ((uint32_t)r->p[r->pos + 1] << 16) |
	     ((uint32_t)r->p[r->pos + 2] << 8) | r->p[r->pos + 3];
	r->pos += 4;
	return 0;
}

static int get_u64(struct rd *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (get_u32(r, &hi) != 0 || get_u32(r, &lo) != 0)
		return -1;
	*v = ((uint64_t)hi << 32) | lo;
	return 0;
}

static int get_span(struct rd *r, size_t n, const unsigned char **out)
{
	if (r->len - r->pos < n)
		return truncated(r);
	*out = r->p + r->pos;
	r->pos += n;
	return 0;
}

static int get_utf(struct rd *r, char **out)
{
	const unsigned char *s = NULL;
	unsigned n = 0;

	if (get_u16(r, &n) != 0 || get_span(r, n, &s) != 0)
		return -1;
	if ((*out = mutf8_decode(s, n)) == NULL)
		return ucpki_err_set(r->e, UCPKI_E_INPUT, "%s: keystore holds a malformed name",
		                     r->label);
	return 0;
}

static int get_cert(struct rd *r, uint32_t version, const char *alias, X509 **out)
{
	const unsigned char *der = NULL, *q;
	uint32_t n = 0;

	if (version == 2) {
		char *type;
		if (get_utf(r, &type) != 0)
			return -1;
		if (strcmp(type, "X.509") != 0) {
			ucpki_err_set(r->e, UCPKI_E_INPUT,
			              "%s: entry '%s' holds a '%.40s' certificate, which ucpki cannot read "
			              "(only X.509)",
			              r->label, alias, type);
			free(type);
			return -1;
		}
		free(type);
	}
	if (get_u32(r, &n) != 0 || get_span(r, n, &der) != 0)
		return -1;
	q = der;
	*out = d2i_X509(NULL, &q, (long)n);
	if (*out == NULL || q != der + n) {
		X509_free(*out);
		*out = NULL;
		return ucpki_err_ssl(r->e, UCPKI_E_INPUT, "%s: a certificate in the keystore is corrupted",
		                     r->label);
	}
	return 0;
}

static int get_entry(struct rd *r, uint32_t version, struct ucpki_ksentry *en)
{
	uint32_t tag = 0, nchain = 0, klen = 0;
	uint64_t date = 0;
	const unsigned char *k = NULL;

	if (get_u32(r, &tag) != 0)
		return -1;
	if (tag < 1 || tag > 3)
		return ucpki_err_set(r->e, UCPKI_E_INPUT,
		                     "%s: keystore is corrupted (unknown entry tag %u)", r->label, tag);
	if (get_utf(r, &en->alias) != 0 || get_u64(r, &date) != 0)
		return -1;
	/* A JCEKS secret key is a serialised Java object with no length in
	 * front: it cannot be skipped, so the store cannot be read at all. */
	if (tag == 3)
		return ucpki_err_set(r->e, UCPKI_E_INPUT,
		                     "%s: entry '%s' is a secret key, which ucpki cannot read",
		                     r->label, en->alias);
	en->date_ms = (int64_t)(date & 0x7FFFFFFFFFFFFFFFull);
	if ((en->certs = sk_X509_new_null()) == NULL)
		return ucpki_err_set(r->e, UCPKI_E_INTERNAL, "out of memory");
	if (tag == 2) {
		X509 *x;
		en->type = UCPKI_KSE_TRUSTED;
		if (get_cert(r, version, en->alias, &x) != 0)
			return -1;
		if (!sk_X509_push(en->certs, x)) {
			X509_free(x);
			return ucpki_err_set(r->e, UCPKI_E_INTERNAL, "out of memory");
		}
		return 0;
	}
	en->type = UCPKI_KSE_KEY;
	if (get_u32(r, &klen) != 0 || get_span(r, klen, &k) != 0 || get_u32(r, &nchain) != 0)
		return -1;
	if (klen == 0 || nchain > JKS_MAX_CHAIN)
		return ucpki_err_set(r->e, UCPKI_E_INPUT,
		                     "%s: keystore is corrupted (key entry '%s')", r->label, en->alias);
	if ((en->sealed = malloc(klen)) == NULL)
		return ucpki_err_set(r->e, UCPKI_E_INTERNAL, "out of memory");
	memcpy(en->sealed, k, klen);
	en->sealed_len = klen;
	for (uint32_t i = 0; i < nchain; i++) {
		X509 *x;
		if (get_cert(r, version, en->alias, &x) != 0)
			return -1;
		if (!sk_X509_push(en->certs, x)) {
			X509_free(x);
			return ucpki_err_set(r->e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	return 0;
}

/* SHA-1(UTF-16BE(password) || "Mighty Aphrodite" || data). */
static int store_digest(const char *password, const unsigned char *data, size_t len,
                        unsigned char out[JKS_DIGEST_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t plen = 0;
	unsigned char *pb = pass_bytes(password, &plen);
	int ok = ctx && pb && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
	         EVP_DigestUpdate(ctx, pb, plen) &&
	         EVP_DigestUpdate(ctx, WHITENER, sizeof(WHITENER) - 1) &&
	         EVP_DigestUpdate(ctx, data, len) && EVP_DigestFinal_ex(ctx, out, NULL);

	EVP_MD_CTX_free(ctx);
	ucpki_secure_free(pb, plen);
	return ok ? 0 : -1;
}

static int parse_entries(struct rd *r, uint32_t version, uint32_t count,
                         struct ucpki_ksentry **out, int *n)
{
	struct ucpki_ksentry *v = NULL;
	int nv = 0, cap = 0;

	for (uint32_t i = 0; i < count; i++) {
		struct ucpki_ksentry en = {0};
		if (get_entry(r, version, &en) != 0) {
			ucpki_ksentry_clear(&en);
			ucpki_ksentries_free(v, nv);
			return -1;
		}
		if (ksentry_push(&v, &nv, &cap, &en) != 0) {
			ucpki_ksentry_clear(&en);
			ucpki_ksentries_free(v, nv);
			return ucpki_err_set(r->e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	*out = v;
	*n = nv;
	return 0;
}

static int alias_cmp(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* keytool keeps one entry per alias (ignoring case) and would silently
 * drop all but the last of two; refuse instead. */
static int check_unique(const struct ucpki_ksentry *v, int n, const char *label,
                        struct ucpki_err *e)
{
	char **names;
	int rc = 0;

	if (n < 2)
		return 0;
	if ((names = malloc((size_t)n * sizeof(*names))) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < n; i++)
		names[i] = v[i].alias;
	qsort(names, (size_t)n, sizeof(*names), alias_cmp);
	for (int i = 1; rc == 0 && i < n; i++)
		if (strcasecmp(names[i - 1], names[i]) == 0)
			rc = ucpki_err_set(e, UCPKI_E_INPUT,
			                   "%s: alias '%s' appears twice in the keystore (entries must "
			                   "have distinct aliases)",
			                   label, names[i]);
	free(names);
	return rc;
}

int ucpki_jks_decode(const unsigned char *data, size_t len, const char *label,
                     const char *storepass, struct ucpki_ksentry **out, int *n,
                     enum ucpki_format *fmt, struct ucpki_err *e)
{
	return ucpki_jks_decode_w(data, len, label, storepass, out, n, fmt, NULL, e);
}

int ucpki_jks_decode_w(const unsigned char *data, size_t len, const char *label,
                       const char *storepass, struct ucpki_ksentry **out, int *n,
                       enum ucpki_format *fmt, struct ucpki_warnings *w,
                       struct ucpki_err *e)
{
	struct rd r = {data, len, 0, label, e};
	struct ucpki_ksentry *v = NULL;
	uint32_t magic, version, count;
	unsigned char want[JKS_DIGEST_LEN];
	int nv = 0, tail_ok = 0;
	size_t extra = 0;

	*out = NULL;
	*n = 0;
	if (len < 12 + JKS_DIGEST_LEN)
		return truncated(&r);
	get_u32(&r, &magic);
	get_u32(&r, &version);
	get_u32(&r, &count);
	if (magic != JKS_MAGIC && magic != JCEKS_MAGIC)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: not a JKS or JCEKS keystore", label);
	if (version != 1 && version != 2)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: unsupported keystore version %u", label,
		                     version);
	if (magic == JCEKS_MAGIC && version != 2)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: unsupported JCEKS version %u", label,
		                     version);
	if (fmt)
		*fmt = magic == JKS_MAGIC ? UCPKI_FMT_JKS : UCPKI_FMT_JCEKS;
	if (count > (len - 12) / 14) /* the smallest entry takes 14 bytes */
		return truncated(&r);
	/* The digest normally ends the file. Check the password against it
	 * first: a wrong one must not be reported as a corrupted entry. */
	if (storepass != NULL) {
		if (store_digest(storepass, data, len - JKS_DIGEST_LEN, want) != 0)
			return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "%s: cannot compute the store digest",
			                     label);
		tail_ok = CRYPTO_memcmp(want, data + len - JKS_DIGEST_LEN, JKS_DIGEST_LEN) == 0;
	}
	if (tail_ok) {
		r.len = len - JKS_DIGEST_LEN;
		if (parse_entries(&r, version, count, &v, &nv) != 0)
			return -1;
		if (r.pos != r.len) {
			ucpki_ksentries_free(v, nv);
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "%s: keystore is corrupted (%zu stray bytes after the entries)",
			                     label, r.len - r.pos);
		}
	} else {
		/* Entries first, then the digest where they end; keytool ignores
		 * whatever follows it. */
		int parsed = parse_entries(&r, version, count, &v, &nv) == 0;

		if (!parsed || len - r.pos < JKS_DIGEST_LEN) {
			if (storepass != NULL)
				ucpki_err_set(e, UCPKI_E_PASSWORD, "%s: wrong password or corrupted keystore",
				              label);
			else if (parsed)
				truncated(&r);
			ucpki_ksentries_free(v, nv);
			return -1;
		}
		if (storepass != NULL &&
		    (store_digest(storepass, data, r.pos, want) != 0 ||
		     CRYPTO_memcmp(want, data + r.pos, JKS_DIGEST_LEN) != 0)) {
			ucpki_ksentries_free(v, nv);
			ERR_clear_error();
			return ucpki_err_set(e, UCPKI_E_PASSWORD, "%s: wrong password or corrupted keystore",
			                     label);
		}
		extra = len - r.pos - JKS_DIGEST_LEN;
	}
	if (check_unique(v, nv, label, e) != 0) {
		ucpki_ksentries_free(v, nv);
		return -1;
	}
	if (extra > 0)
		ucpki_warn(w, "%s: %zu byte%s after the keystore's integrity digest ignored (as keytool "
		           "does); a rewrite drops them",
		           label, extra, extra == 1 ? "" : "s");
	*out = v;
	*n = nv;
	return 0;
}

/* --- key protectors ----------------------------------------------------- */

/* Sun's JKS key protector: keystream blocks d_i = SHA-1(pw || d_{i-1}),
 * d_0 = salt; the plaintext is checked by SHA-1(pw || plaintext). */
static int jks_keystream(const unsigned char *pw, size_t pwlen, const unsigned char *salt,
                         unsigned char *buf, size_t len)
{
	unsigned char d[JKS_DIGEST_LEN];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx != NULL;

	memcpy(d, salt, JKS_SALT_LEN);
	for (size_t off = 0; ok && off < len; off += JKS_DIGEST_LEN) {
		size_t take = len - off < JKS_DIGEST_LEN ? len - off : JKS_DIGEST_LEN;
		ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) && EVP_DigestUpdate(ctx, pw, pwlen) &&
		     EVP_DigestUpdate(ctx, d, sizeof(d)) && EVP_DigestFinal_ex(ctx, d, NULL);
		for (size_t i = 0; ok && i < take; i++)
			buf[off + i] ^= d[i];
	}
	EVP_MD_CTX_free(ctx);
	OPENSSL_cleanse(d, sizeof(d));
	return ok ? 0 : -1;
}

static int jks_check(const unsigned char *pw, size_t pwlen, const unsigned char *plain,
                     size_t len, unsigned char out[JKS_DIGEST_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
	         EVP_DigestUpdate(ctx, pw, pwlen) && EVP_DigestUpdate(ctx, plain, len) &&
	         EVP_DigestFinal_ex(ctx, out, NULL);

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int ucpki_jks_protect(const unsigned char *p8, size_t p8len, const char *password,
                      const unsigned char *salt, unsigned char **out, size_t *outlen,
                      struct ucpki_err *e)
{
	size_t pwlen = 0, dlen = JKS_SALT_LEN + p8len + JKS_DIGEST_LEN;
	unsigned char *pw = pass_bytes(password, &pwlen), *d = malloc(dlen), *der = NULL;
	X509_SIG *sig = X509_SIG_new();
	X509_ALGOR *alg;
	ASN1_OCTET_STRING *oct;
	ASN1_OBJECT *oid = OBJ_txt2obj(JKS_KEY_PROTECTOR_OID, 1);
	int derlen = -1;

	if (pw == NULL || d == NULL || sig == NULL || oid == NULL)
		goto fail;
	if (salt)
		memcpy(d, salt, JKS_SALT_LEN);
	else if (RAND_bytes(d, JKS_SALT_LEN) != 1)
		goto fail;
	memcpy(d + JKS_SALT_LEN, p8, p8len);
	if (jks_check(pw, pwlen, p8, p8len, d + JKS_SALT_LEN + p8len) != 0 ||
	    jks_keystream(pw, pwlen, d, d + JKS_SALT_LEN, p8len) != 0)
		goto fail;
	X509_SIG_getm(sig, &alg, &oct);
	if (!X509_ALGOR_set0(alg, oid, V_ASN1_NULL, NULL))
		goto fail;
	oid = NULL;
	if (!ASN1_OCTET_STRING_set(oct, d, (int)dlen))
		goto fail;
	if ((derlen = i2d_X509_SIG(sig, &der)) <= 0)
		goto fail;
	*out = der;
	*outlen = (size_t)derlen;
	ucpki_secure_free(pw, pwlen);
	ucpki_secure_free(d, dlen);
	X509_SIG_free(sig);
	return 0;
fail:
	ucpki_secure_free(pw, pwlen);
	ucpki_secure_free(d, dlen);
	X509_SIG_free(sig);
	ASN1_OBJECT_free(oid);
	return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot seal the private key");
}

static int jks_recover_data(const unsigned char *d, size_t dlen, const char *password,
                            unsigned char **p8, size_t *p8len, struct ucpki_err *e)
{
	size_t pwlen = 0, klen;
	unsigned char *pw, *plain, check[JKS_DIGEST_LEN];
	int ok;

	if (dlen < JKS_SALT_LEN + JKS_DIGEST_LEN + 1)
		return ucpki_err_set(e, UCPKI_E_INPUT, "sealed key is truncated");
	klen = dlen - JKS_SALT_LEN - JKS_DIGEST_LEN;
	if ((pw = pass_bytes(password, &pwlen)) == NULL || (plain = malloc(klen)) == NULL) {
		ucpki_secure_free(pw, pwlen);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	memcpy(plain, d + JKS_SALT_LEN, klen);
	ok = jks_keystream(pw, pwlen, d, plain, klen) == 0 &&
	     jks_check(pw, pwlen, plain, klen, check) == 0 &&
	     CRYPTO_memcmp(check, d + JKS_SALT_LEN + klen, JKS_DIGEST_LEN) == 0;
	ucpki_secure_free(pw, pwlen);
	if (!ok) {
		ucpki_secure_free(plain, klen);
		return ucpki_err_set(e, UCPKI_E_PASSWORD, "wrong password or corrupted keystore");
	}
	*p8 = plain;
	*p8len = klen;
	return 0;
}

/* JCEKS: PBEWithMD5AndTripleDES as the JDK implements it. Each half of the
 * 8-byte salt (the first reversed when both are equal) is hashed with the
 * ASCII password iter times; the two MD5 outputs give the 3DES key and IV. */
static int jceks_recover_data(const unsigned char *d, size_t dlen, const X509_ALGOR *alg,
                              const char *password, unsigned char **p8, size_t *p8len,
                              struct ucpki_err *e)
{
	const ASN1_OBJECT *aobj;
	const void *pval;
	int ptype;
	PBEPARAM *pbe = NULL;
	unsigned char salt[8], kiv[32], *plain = NULL;
	size_t pwlen = strlen(password);
	long iter;
	EVP_CIPHER_CTX *cctx = NULL;
	EVP_MD_CTX *mctx = NULL;
	int outl = 0, fin = 0, ok = 0;

	X509_ALGOR_get0(&aobj, &ptype, &pval, alg);
	if (ptype == V_ASN1_SEQUENCE)
		pbe = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM),
		                                (const ASN1_TYPE *)alg->parameter);
	if (pbe == NULL || ASN1_STRING_length(pbe->salt) != 8 ||
	    (iter = ASN1_INTEGER_get(pbe->iter)) < 1 || iter > JCEKS_MAX_ITER || dlen % 8 != 0 ||
	    dlen == 0) {
		PBEPARAM_free(pbe);
		ERR_clear_error();
		return ucpki_err_set(e, UCPKI_E_INPUT, "sealed key has bad PBE parameters");
	}
	for (size_t i = 0; i < pwlen; i++)
		if ((unsigned char)password[i] < 0x20 || (unsigned char)password[i] > 0x7E) {
			PBEPARAM_free(pbe);
			return ucpki_err_set(e, UCPKI_E_PASSWORD,
			                     "JCEKS key passwords are printable ASCII only");
		}
	memcpy(salt, ASN1_STRING_get0_data(pbe->salt), 8);
	PBEPARAM_free(pbe);
	if (memcmp(salt, salt + 4, 4) == 0)
		for (int i = 0; i < 2; i++) {
			unsigned char t = salt[i];
			salt[i] = salt[3 - i];
			salt[3 - i] = t;
		}
	if ((mctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	for (int h = 0; h < 2; h++) {
		unsigned char buf[16];
		size_t blen = 4;
		memcpy(buf, salt + 4 * h, 4);
		for (long i = 0; i < iter; i++) {
			if (!EVP_DigestInit_ex(mctx, EVP_md5(), NULL) ||
			    !EVP_DigestUpdate(mctx, buf, blen) ||
			    !EVP_DigestUpdate(mctx, password, pwlen) ||
			    !EVP_DigestFinal_ex(mctx, buf, NULL))
				goto out;
			blen = 16;
		}
		memcpy(kiv + 16 * h, buf, 16);
	}
	if ((plain = malloc(dlen + 8)) == NULL || (cctx = EVP_CIPHER_CTX_new()) == NULL ||
	    !EVP_DecryptInit_ex(cctx, EVP_des_ede3_cbc(), NULL, kiv, kiv + 24) ||
	    !EVP_DecryptUpdate(cctx, plain, &outl, d, (int)dlen))
		goto out;
	if (!EVP_DecryptFinal_ex(cctx, plain + outl, &fin)) {
		ERR_clear_error();
		ucpki_secure_free(plain, dlen + 8);
		plain = NULL;
		ok = -1;
		goto out;
	}
	ok = 1;
out:
	EVP_CIPHER_CTX_free(cctx);
	EVP_MD_CTX_free(mctx);
	OPENSSL_cleanse(kiv, sizeof(kiv));
	if (ok == 1) {
		*p8 = plain;
		*p8len = (size_t)(outl + fin);
		return 0;
	}
	ucpki_secure_free(plain, dlen + 8);
	if (ok == -1)
		return ucpki_err_set(e, UCPKI_E_PASSWORD, "wrong password or corrupted keystore");
	return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot decrypt the JCEKS key");
}

int ucpki_jks_recover(const unsigned char *epki, size_t len, const char *password,
                      unsigned char **p8, size_t *p8len, struct ucpki_err *e)
{
	const unsigned char *q = epki;
	X509_SIG *sig = d2i_X509_SIG(NULL, &q, (long)len);
	const X509_ALGOR *alg;
	const ASN1_OCTET_STRING *oct;
	char oid[64];
	int rc;

	if (sig == NULL || q != epki + len) {
		X509_SIG_free(sig);
		ERR_clear_error();
		return ucpki_err_set(e, UCPKI_E_INPUT, "sealed key is corrupted");
	}
	X509_SIG_get0(sig, &alg, &oct);
	OBJ_obj2txt(oid, sizeof(oid), alg->algorithm, 1);
	if (strcmp(oid, JKS_KEY_PROTECTOR_OID) == 0)
		rc = jks_recover_data(ASN1_STRING_get0_data(oct), (size_t)ASN1_STRING_length(oct),
		                      password, p8, p8len, e);
	else if (strcmp(oid, JCEKS_KEY_PROTECTOR_OID) == 0)
		rc = jceks_recover_data(ASN1_STRING_get0_data(oct), (size_t)ASN1_STRING_length(oct),
		                        alg, password, p8, p8len, e);
	else
		rc = ucpki_err_set(e, UCPKI_E_INPUT, "key sealed with an unknown algorithm (%s)", oid);
	X509_SIG_free(sig);
	return rc;
}

int ucpki_jks_unseal(struct ucpki_ksentry *en, const char *keypass, const char *label,
                     struct ucpki_err *e)
{
	unsigned char *p8der = NULL;
	const unsigned char *q;
	size_t p8len = 0;
	PKCS8_PRIV_KEY_INFO *p8;

	if (en->key != NULL || en->type != UCPKI_KSE_KEY)
		return 0;
	if (en->sealed == NULL)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: entry '%s' holds no key", label, en->alias);
	if (keypass == NULL)
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "%s: the key of entry '%s' needs its password", label, en->alias);
	if (ucpki_jks_recover(en->sealed, en->sealed_len, keypass, &p8der, &p8len, e) != 0) {
		if (e && e->code == UCPKI_E_PASSWORD)
			return ucpki_err_set(e, UCPKI_E_PASSWORD,
			                     "%s: wrong password or corrupted keystore (key of entry '%s')",
			                     label, en->alias);
		ucpki_err_prefix(e, "%s: entry '%s': ", label, en->alias);
		return -1;
	}
	q = p8der;
	p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &q, (long)p8len);
	en->key = p8 ? EVP_PKCS82PKEY(p8) : NULL;
	PKCS8_PRIV_KEY_INFO_free(p8);
	ucpki_secure_free(p8der, p8len);
	if (en->key == NULL) {
		ERR_clear_error();
		/* JCEKS has no check value: a wrong password can decrypt to junk. */
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "%s: wrong password or corrupted keystore (key of entry '%s')",
		                     label, en->alias);
	}
	return 0;
}

/* --- writing ------------------------------------------------------------ */

static int put_u32(struct ucpki_buf *b, uint32_t v, struct ucpki_err *e)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 8), (unsigned char)v};
	return ucpki_buf_append(b, x, 4, e);
}

static int put_u64(struct ucpki_buf *b, uint64_t v, struct ucpki_err *e)
{
	if (put_u32(b, (uint32_t)(v >> 32), e) != 0)
		return -1;
	return put_u32(b, (uint32_t)v, e);
}

/* UTF-8 to Java modified UTF-8 with its u16 length. */
static int put_utf(struct ucpki_buf *b, const char *s, struct ucpki_err *e)
{
	size_t n, o = 0;
	uint16_t *u = utf8_units(s, &n);
	unsigned char *m = malloc(n * 3 + 2);
	int rc;

	if (u == NULL || m == NULL) {
		free(u);
		free(m);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		unsigned c = u[i];
		if (c != 0 && c < 0x80) {
			m[2 + o++] = (unsigned char)c;
		} else if (c < 0x800) {
			m[2 + o++] = (unsigned char)(0xC0 | (c >> 6));
			m[2 + o++] = (unsigned char)(0x80 | (c & 0x3F));
		} else {
			m[2 + o++] = (unsigned char)(0xE0 | (c >> 12));
			m[2 + o++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			m[2 + o++] = (unsigned char)(0x80 | (c & 0x3F));
		}
	}
	free(u);
	if (o > 0xFFFF) {
		free(m);
		return ucpki_err_set(e, UCPKI_E_INPUT, "alias is too long for a Java keystore");
	}
	m[0] = (unsigned char)(o >> 8);
	m[1] = (unsigned char)o;
	rc = ucpki_buf_append(b, m, o + 2, e);
	free(m);
	return rc;
}

static int put_cert(struct ucpki_buf *b, X509 *x, struct ucpki_err *e)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der), rc;

	if (len <= 0)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encode a certificate");
	rc = put_utf(b, "X.509", e);
	if (rc == 0)
		rc = put_u32(b, (uint32_t)len, e);
	if (rc == 0)
		rc = ucpki_buf_append(b, der, (size_t)len, e);
	OPENSSL_free(der);
	return rc;
}

/* The entry's key as stored: sealed anew with keypass, or as it was read. */
static int put_key(struct ucpki_buf *b, const struct ucpki_ksentry *en, const char *keypass,
                   struct ucpki_err *e)
{
	PKCS8_PRIV_KEY_INFO *p8;
	unsigned char *der = NULL, *sealed = NULL;
	size_t slen = 0;
	int len, rc;

	if (en->key == NULL) {
		if (en->sealed == NULL)
			return ucpki_err_set(e, UCPKI_E_INPUT, "entry '%s' has no private key", en->alias);
		if (put_u32(b, (uint32_t)en->sealed_len, e) != 0)
			return -1;
		return ucpki_buf_append(b, en->sealed, en->sealed_len, e);
	}
	if ((p8 = EVP_PKEY2PKCS8(en->key)) == NULL)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encode the key of '%s'", en->alias);
	len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
	PKCS8_PRIV_KEY_INFO_free(p8);
	if (len <= 0)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encode the key of '%s'", en->alias);
	rc = ucpki_jks_protect(der, (size_t)len, keypass, NULL, &sealed, &slen, e);
	OPENSSL_clear_free(der, (size_t)len);
	if (rc != 0)
		return -1;
	rc = put_u32(b, (uint32_t)slen, e);
	if (rc == 0)
		rc = ucpki_buf_append(b, sealed, slen, e);
	OPENSSL_clear_free(sealed, slen);
	return rc;
}

static int put_entry(struct ucpki_buf *b, const struct ucpki_ksentry *en, const char *keypass,
                     int64_t now_ms, struct ucpki_err *e)
{
	int ncerts = sk_X509_num(en->certs);

	if (en->alias == NULL || en->alias[0] == '\0')
		return ucpki_err_set(e, UCPKI_E_INPUT, "a keystore entry has no alias");
	if (en->type == UCPKI_KSE_OPAQUE) {
		if (en->raw_fmt == UCPKI_FMT_JKS && en->raw != NULL)
			return ucpki_buf_append(b, en->raw, en->raw_len, e);
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "entry '%s' is %s, which ucpki cannot write into a JKS keystore",
		                     en->alias, en->kind ? en->kind : "of a kind ucpki does not know");
	}
	if (ncerts < 1 || (en->type == UCPKI_KSE_TRUSTED && ncerts != 1))
		return ucpki_err_set(e, UCPKI_E_INPUT, "entry '%s' needs %s", en->alias,
		                     en->type == UCPKI_KSE_KEY ? "a certificate chain"
		                                               : "exactly one certificate");
	if (put_u32(b, en->type == UCPKI_KSE_KEY ? 1 : 2, e) != 0 || put_utf(b, en->alias, e) != 0 ||
	    put_u64(b, (uint64_t)(en->date_ms ? en->date_ms : now_ms), e) != 0)
		return -1;
	if (en->type == UCPKI_KSE_TRUSTED)
		return put_cert(b, sk_X509_value(en->certs, 0), e);
	if (put_key(b, en, keypass, e) != 0 || put_u32(b, (uint32_t)ncerts, e) != 0)
		return -1;
	for (int i = 0; i < ncerts; i++)
		if (put_cert(b, sk_X509_value(en->certs, i), e) != 0)
			return -1;
	return 0;
}

int ucpki_jks_encode(struct ucpki_buf *b, const struct ucpki_ksentry *v, int n,
                     const char *storepass, const char *keypass, struct ucpki_err *e)
{
	size_t start = b->len;
	unsigned char digest[JKS_DIGEST_LEN];
	int64_t now_ms = (int64_t)time(NULL) * 1000;

	if (storepass == NULL || storepass[0] == '\0')
		return ucpki_err_set(e, UCPKI_E_PASSWORD, "a JKS keystore needs a store password");
	if (keypass == NULL)
		keypass = storepass;
	if (put_u32(b, JKS_MAGIC, e) != 0 || put_u32(b, 2, e) != 0 || put_u32(b, (uint32_t)n, e) != 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (put_entry(b, &v[i], keypass, now_ms, e) != 0)
			return -1;
	if (store_digest(storepass, b->data + start, b->len - start, digest) != 0)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot compute the store digest");
	return ucpki_buf_append(b, digest, sizeof(digest), e);
}

/* --- the pack reader ------------------------------------------------------ */

static int pack_entry(struct ucpki_pack *p, struct ucpki_ksentry *en, const char *label,
                      const char *password, struct ucpki_err *e)
{
	if (en->type == UCPKI_KSE_KEY) {
		if (password == NULL)
			return ucpki_err_set(e, UCPKI_E_PASSWORD,
			                     "%s: the keystore holds private keys: give its password",
			                     label);
		if (ucpki_jks_unseal(en, password, label, e) != 0)
			return -1;
		if (pack_add(p, UCPKI_OBJ_KEY, en->key, UCPKI_KEYENC_PKCS8_ENCRYPTED, en->alias) != 0)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		en->key = NULL;
	}
	for (int i = 0; i < sk_X509_num(en->certs); i++) {
		X509 *x = sk_X509_value(en->certs, i);
		if (!X509_up_ref(x) ||
		    pack_add(p, UCPKI_OBJ_CERT, x, UCPKI_KEYENC_NONE, i == 0 ? en->alias : NULL) != 0) {
			X509_free(x);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
	}
	return 0;
}

int read_jks(struct ucpki_pack *p, const unsigned char *data, size_t len, const char *label,
             const char *password, struct ucpki_err *e)
{
	struct ucpki_ksentry *v;
	int n, rc = 0, start = p->n;

	if (ucpki_jks_decode(data, len, label, password, &v, &n, NULL, e) != 0)
		return -1;
	for (int i = 0; rc == 0 && i < n; i++)
		rc = pack_entry(p, &v[i], label, password, e);
	ucpki_ksentries_free(v, n);
	if (rc != 0)
		pack_truncate(p, start);
	return rc;
}
