/* The container every reader fills: objects in file order. */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "formats/formats_internal.h"
#include "ucpki/file.h"

struct ucpki_pack *ucpki_pack_new(enum ucpki_format f)
{
	struct ucpki_pack *p = calloc(1, sizeof(*p));

	if (p != NULL)
		p->format = f;
	return p;
}

void ucpki_pack_free(struct ucpki_pack *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->n; i++) {
		struct pack_obj *o = &p->v[i];
		switch (o->type) {
		case UCPKI_OBJ_CERT:
			X509_free(o->u.cert);
			break;
		case UCPKI_OBJ_KEY:
		case UCPKI_OBJ_PUBKEY:
			EVP_PKEY_free(o->u.key);
			break;
		case UCPKI_OBJ_CSR:
			X509_REQ_free(o->u.csr);
			break;
		case UCPKI_OBJ_CRL:
			X509_CRL_free(o->u.crl);
			break;
		}
		free(o->alias);
		free(o->keyid);
		ucpki_secure_free(o->bag, o->bag_len);
	}
	pack_truncate_raw(p, 0);
	free(p->raw);
	free(p->v);
	free(p);
}

int pack_add_raw(struct ucpki_pack *p, const unsigned char *der, size_t len, const char *alias,
                 const char *kind, const char *java_type)
{
	struct pack_raw r = {0};

	if (p->nraw == p->rawcap) {
		int ncap = p->rawcap ? p->rawcap * 2 : 4;
		struct pack_raw *nv = realloc(p->raw, (size_t)ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		p->raw = nv;
		p->rawcap = ncap;
	}
	if ((r.der = malloc(len ? len : 1)) == NULL ||
	    (alias && (r.alias = strdup(alias)) == NULL)) {
		free(r.der);
		return -1;
	}
	memcpy(r.der, der, len);
	r.len = len;
	r.kind = kind;
	r.java_type = java_type;
	p->raw[p->nraw++] = r;
	return 0;
}

void pack_truncate_raw(struct ucpki_pack *p, int n)
{
	for (int i = n; i < p->nraw; i++) {
		ucpki_secure_free(p->raw[i].der, p->raw[i].len);
		free(p->raw[i].alias);
	}
	if (p->nraw > n)
		p->nraw = n;
}

int pack_set_last_bag(struct ucpki_pack *p, const unsigned char *der, size_t len)
{
	struct pack_obj *o = &p->v[p->n - 1];

	if ((o->bag = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(o->bag, der, len);
	o->bag_len = len;
	return 0;
}

void pack_truncate(struct ucpki_pack *p, int n)
{
	struct ucpki_pack tail = {0};

	if (p->n <= n)
		return;
	tail.v = p->v + n;
	tail.n = p->n - n;
	for (int i = 0; i < tail.n; i++) {
		struct pack_obj *o = &tail.v[i];
		if (o->type == UCPKI_OBJ_CERT)
			X509_free(o->u.cert);
		else if (o->type == UCPKI_OBJ_KEY || o->type == UCPKI_OBJ_PUBKEY)
			EVP_PKEY_free(o->u.key);
		else if (o->type == UCPKI_OBJ_CSR)
			X509_REQ_free(o->u.csr);
		else if (o->type == UCPKI_OBJ_CRL)
			X509_CRL_free(o->u.crl);
		free(o->alias);
		free(o->keyid);
		ucpki_secure_free(o->bag, o->bag_len);
	}
	p->n = n;
}

int pack_set_last_attrs(struct ucpki_pack *p, const unsigned char *keyid, size_t keyid_len,
                        int trusted)
{
	struct pack_obj *o = &p->v[p->n - 1];

	if (keyid && keyid_len) {
		if ((o->keyid = malloc(keyid_len)) == NULL)
			return -1;
		memcpy(o->keyid, keyid, keyid_len);
		o->keyid_len = keyid_len;
	}
	o->trusted = trusted;
	return 0;
}

const unsigned char *ucpki_pack_keyid_at(const struct ucpki_pack *p, int i, size_t *len)
{
	*len = p->v[i].keyid_len;
	return p->v[i].keyid;
}

int ucpki_pack_trusted_at(const struct ucpki_pack *p, int i)
{
	return p->v[i].trusted;
}

static struct pack_obj *push(struct ucpki_pack *p, enum ucpki_obj type, const char *alias)
{
	struct pack_obj *o;

	if (p->n == p->cap) {
		int ncap = p->cap ? p->cap * 2 : 8;
		struct pack_obj *nv = realloc(p->v, (size_t)ncap * sizeof(*nv));
		if (nv == NULL)
			return NULL;
		p->v = nv;
		p->cap = ncap;
	}
	o = &p->v[p->n];
	memset(o, 0, sizeof(*o));
	if (alias && (o->alias = strdup(alias)) == NULL)
		return NULL;
	o->type = type;
	p->n++;
	return o;
}

int pack_add(struct ucpki_pack *p, enum ucpki_obj type, void *obj, enum ucpki_keyenc enc,
             const char *alias)
{
	struct pack_obj *o = push(p, type, alias);

	if (o == NULL)
		return -1;
	o->u.any = obj;
	o->keyenc = enc;
	return 0;
}

int ucpki_pack_add_cert(struct ucpki_pack *p, X509 *x, const char *alias)
{
	return pack_add(p, UCPKI_OBJ_CERT, x, UCPKI_KEYENC_NONE, alias);
}

int ucpki_pack_add_key(struct ucpki_pack *p, EVP_PKEY *k, enum ucpki_keyenc enc,
                       const char *alias)
{
	return pack_add(p, UCPKI_OBJ_KEY, k, enc, alias);
}

enum ucpki_format ucpki_pack_format(const struct ucpki_pack *p)
{
	return p->format;
}

int ucpki_pack_count(const struct ucpki_pack *p)
{
	return p->n;
}

enum ucpki_obj ucpki_pack_type(const struct ucpki_pack *p, int i)
{
	return p->v[i].type;
}

X509 *ucpki_pack_cert_at(const struct ucpki_pack *p, int i)
{
	return p->v[i].type == UCPKI_OBJ_CERT ? p->v[i].u.cert : NULL;
}

EVP_PKEY *ucpki_pack_key_at(const struct ucpki_pack *p, int i)
{
	return p->v[i].type == UCPKI_OBJ_KEY || p->v[i].type == UCPKI_OBJ_PUBKEY ? p->v[i].u.key
	                                                                          : NULL;
}

X509_REQ *ucpki_pack_csr_at(const struct ucpki_pack *p, int i)
{
	return p->v[i].type == UCPKI_OBJ_CSR ? p->v[i].u.csr : NULL;
}

X509_CRL *ucpki_pack_crl_at(const struct ucpki_pack *p, int i)
{
	return p->v[i].type == UCPKI_OBJ_CRL ? p->v[i].u.crl : NULL;
}

enum ucpki_keyenc ucpki_pack_keyenc_at(const struct ucpki_pack *p, int i)
{
	return p->v[i].keyenc;
}

const char *ucpki_pack_alias_at(const struct ucpki_pack *p, int i)
{
	return p->v[i].alias;
}

static void *first(const struct ucpki_pack *p, enum ucpki_obj type)
{
	for (int i = 0; i < p->n; i++)
		if (p->v[i].type == type)
			return p->v[i].u.any;
	return NULL;
}

X509 *ucpki_pack_first_cert(const struct ucpki_pack *p)
{
	return first(p, UCPKI_OBJ_CERT);
}

EVP_PKEY *ucpki_pack_first_key(const struct ucpki_pack *p)
{
	return first(p, UCPKI_OBJ_KEY);
}

X509_REQ *ucpki_pack_first_csr(const struct ucpki_pack *p)
{
	return first(p, UCPKI_OBJ_CSR);
}

X509_CRL *ucpki_pack_first_crl(const struct ucpki_pack *p)
{
	return first(p, UCPKI_OBJ_CRL);
}

STACK_OF(X509) *ucpki_pack_certs(const struct ucpki_pack *p)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	for (int i = 0; sk && i < p->n; i++)
		if (p->v[i].type == UCPKI_OBJ_CERT && !sk_X509_push(sk, p->v[i].u.cert)) {
			sk_X509_free(sk);
			return NULL;
		}
	return sk;
}

void ucpki_pack_pem_style(const struct ucpki_pack *p, struct ucpki_pem_style *s)
{
	*s = p->style;
}

const char *ucpki_format_name(enum ucpki_format f)
{
	static const char *const names[] = {
		[UCPKI_FMT_UNKNOWN] = "unknown", [UCPKI_FMT_PEM] = "PEM",
		[UCPKI_FMT_DER] = "DER",         [UCPKI_FMT_PKCS12] = "PKCS#12",
		[UCPKI_FMT_PKCS7] = "PKCS#7",    [UCPKI_FMT_JKS] = "JKS",
		[UCPKI_FMT_JCEKS] = "JCEKS",
	};
	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "unknown";
}

const char *ucpki_keyenc_name(enum ucpki_keyenc k)
{
	static const char *const names[] = {
		[UCPKI_KEYENC_NONE] = "none",
		[UCPKI_KEYENC_PKCS1] = "PKCS#1",
		[UCPKI_KEYENC_PKCS1_ENCRYPTED] = "PKCS#1 (encrypted)",
		[UCPKI_KEYENC_SEC1] = "SEC1",
		[UCPKI_KEYENC_SEC1_ENCRYPTED] = "SEC1 (encrypted)",
		[UCPKI_KEYENC_PKCS8] = "PKCS#8",
		[UCPKI_KEYENC_PKCS8_ENCRYPTED] = "PKCS#8 (encrypted)",
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

int ucpki_pack_unread_count(const struct ucpki_pack *p)
{
	return p->nraw;
}

const char *ucpki_pack_unread_at(const struct ucpki_pack *p, int i, const char **alias)
{
	if (i < 0 || i >= p->nraw)
		return NULL;
	if (alias)
		*alias = p->raw[i].alias;
	return p->raw[i].kind;
}
