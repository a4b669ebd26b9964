/*
 * Format conversion (see ucpki/convert.h): gather the objects of the input
 * (a pack or a keystore) and of the extra key and chain files, then encode
 * them as objects (PEM, DER, PKCS#1, PKCS#8, P7B) or as a keystore.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>

#include "ucpki/convert.h"
#include "ucpki/file.h"
#include "ucpki/keystore.h"
#include "ucpki/x509.h"

static const struct {
	const char *name;
	enum ucpki_conv_to t;
} targets[] = {
	{"pem", UCPKI_TO_PEM},    {"der", UCPKI_TO_DER},     {"pkcs1", UCPKI_TO_PKCS1},
	{"pkcs8", UCPKI_TO_PKCS8}, {"p12", UCPKI_TO_P12},    {"pkcs12", UCPKI_TO_P12},
	{"pfx", UCPKI_TO_P12},    {"jks", UCPKI_TO_JKS},     {"p7b", UCPKI_TO_P7B},
	{"pkcs7", UCPKI_TO_P7B},
};

int ucpki_conv_to_parse(const char *name, enum ucpki_conv_to *to, struct ucpki_err *e)
{
	for (size_t i = 0; name && i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(name, targets[i].name) == 0) {
			*to = targets[i].t;
			return 0;
		}
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "unknown output format '%s' (pem, der, pkcs1, pkcs8, p12, jks, p7b)",
	                     name ? name : "");
}

int ucpki_conv_to_is_store(enum ucpki_conv_to to)
{
	return to == UCPKI_TO_P12 || to == UCPKI_TO_JKS;
}

/* One object to convert, borrowed from a loaded pack or keystore. */
struct item {
	enum ucpki_obj type;
	void *obj;
	enum ucpki_keyenc enc;
};

#define MAX_PACKS 40

struct conv {
	const struct ucpki_convert_opts *o;
	struct ucpki_err *e;
	const char *in;            /* the input's label */
	struct ucpki_pack *packs[MAX_PACKS];
	int npacks;
	struct ucpki_keystore *ks; /* the input, when it is a keystore */
	struct item *items;
	int nitems, capitems;
	STACK_OF(X509) *certs;     /* every certificate of the items, in order */
	EVP_PKEY *key;             /* the one private key, if any */
	int nkeys;
};

static int add_item(struct conv *v, enum ucpki_obj type, void *obj, enum ucpki_keyenc enc)
{
	if (v->nitems == v->capitems) {
		int ncap = v->capitems ? v->capitems * 2 : 16;
		struct item *n = realloc(v->items, (size_t)ncap * sizeof(*n));
		if (n == NULL)
			return ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
		v->items = n;
		v->capitems = ncap;
	}
	v->items[v->nitems++] = (struct item){type, obj, enc};
	if (type == UCPKI_OBJ_CERT && !sk_X509_push(v->certs, obj))
		return ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
	if (type == UCPKI_OBJ_KEY) {
		if (v->key == NULL)
			v->key = obj;
		v->nkeys++;
	}
	return 0;
}

static struct ucpki_pack *keep_pack(struct conv *v, struct ucpki_pack *p, const char *label)
{
	if (p == NULL)
		return NULL;
	if (v->npacks == MAX_PACKS) {
		ucpki_pack_free(p);
		ucpki_err_set(v->e, UCPKI_E_INPUT, "too many input files (at most %d)", MAX_PACKS);
		return NULL;
	}
	v->packs[v->npacks++] = p;
	/* conversion repackages keys and certificates only: say what stays behind */
	for (int i = 0; i < ucpki_pack_unread_count(p); i++) {
		const char *alias = NULL, *kind = ucpki_pack_unread_at(p, i, &alias);
		ucpki_warn(v->o->warn, "%s: entry '%s' is %s, which convert does not carry over", label,
		           alias ? alias : "(no name)", kind);
	}
	return p;
}

static struct ucpki_pack *load_pack(struct conv *v, const char *path, const char *pass)
{
	return keep_pack(v, ucpki_pack_load(path, pass, v->e), path);
}

static int add_pack_items(struct conv *v, const struct ucpki_pack *p)
{
	for (int i = 0; i < ucpki_pack_count(p); i++) {
		enum ucpki_obj t = ucpki_pack_type(p, i);
		void *obj = t == UCPKI_OBJ_CERT  ? (void *)ucpki_pack_cert_at(p, i)
		            : t == UCPKI_OBJ_CSR ? (void *)ucpki_pack_csr_at(p, i)
		            : t == UCPKI_OBJ_CRL ? (void *)ucpki_pack_crl_at(p, i)
		                                 : (void *)ucpki_pack_key_at(p, i);
		if (add_item(v, t, obj, ucpki_pack_keyenc_at(p, i)) != 0)
			return -1;
	}
	return 0;
}

static int is_keystore(const struct ucpki_pack *p)
{
	enum ucpki_format f = ucpki_pack_format(p);

	return f == UCPKI_FMT_JKS || f == UCPKI_FMT_JCEKS || f == UCPKI_FMT_PKCS12;
}

/* Items of a keystore input: every entry, or only the alias asked for. */
static int add_keystore_items(struct conv *v, const unsigned char *data, size_t len)
{
	int only = -1;

	if ((v->ks = ucpki_keystore_load_mem(data, len, v->in, v->o->password, NULL, v->e)) == NULL)
		return -1;
	if (v->o->alias && (only = ucpki_keystore_find(v->ks, v->o->alias)) < 0)
		return ucpki_err_set(v->e, UCPKI_E_NOTFOUND, "%s: alias '%s' does not exist", v->in,
		                     v->o->alias);
	for (int i = 0; i < ucpki_keystore_count(v->ks); i++) {
		const struct ucpki_ksentry *en;
		if (only >= 0 && i != only)
			continue;
		if (ucpki_keystore_unlock(v->ks, i, NULL, v->e) != 0) {
			ucpki_err_prefix(v->e, "%s: ", v->in);
			return -1;
		}
		en = ucpki_keystore_entry(v->ks, i);
		if (en->key && add_item(v, UCPKI_OBJ_KEY, en->key, UCPKI_KEYENC_PKCS8) != 0)
			return -1;
		for (int k = 0; k < sk_X509_num(en->certs); k++)
			if (add_item(v, UCPKI_OBJ_CERT, sk_X509_value(en->certs, k), UCPKI_KEYENC_NONE) != 0)
				return -1;
	}
	return 0;
}

/* The chain files: several, comma separated. */
static int add_chain_files(struct conv *v, const char *list)
{
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	if (copy == NULL)
		return ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
	for (char *f = strtok_r(copy, ",", &save); rc == 0 && f; f = strtok_r(NULL, ",", &save)) {
		struct ucpki_pack *p = load_pack(v, f, v->o->password);
		if (p == NULL)
			rc = -1;
		else if (ucpki_pack_first_cert(p) == NULL)
			rc = ucpki_err_set(v->e, UCPKI_E_INPUT, "%s: no certificate in this file", f);
		for (int i = 0; rc == 0 && i < ucpki_pack_count(p); i++)
			if (ucpki_pack_type(p, i) == UCPKI_OBJ_CERT)
				rc = add_item(v, UCPKI_OBJ_CERT, ucpki_pack_cert_at(p, i), UCPKI_KEYENC_NONE);
	}
	free(copy);
	return rc;
}

static int gather(struct conv *v, const unsigned char *data, size_t len)
{
	const struct ucpki_convert_opts *o = v->o;
	struct ucpki_pack *p;

	if ((v->certs = sk_X509_new_null()) == NULL)
		return ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
	if ((p = keep_pack(v, ucpki_pack_load_mem(data, len, v->in, o->password, v->e), v->in)) ==
	    NULL)
		return -1;
	if (is_keystore(p)) {
		if (add_keystore_items(v, data, len) != 0)
			return -1;
	} else {
		if (o->alias && !ucpki_conv_to_is_store(o->to))
			return ucpki_err_set(v->e, UCPKI_E_INPUT,
			                     "%s: an alias selects a keystore entry, but this is %s", v->in,
			                     ucpki_format_name(ucpki_pack_format(p)));
		if (add_pack_items(v, p) != 0)
			return -1;
	}
	if (o->key_file) {
		if ((p = load_pack(v, o->key_file, o->key_password ? o->key_password : o->password)) ==
		    NULL)
			return -1;
		if (ucpki_pack_first_key(p) == NULL)
			return ucpki_err_set(v->e, UCPKI_E_INPUT, "%s: no private key in this file",
			                     o->key_file);
		if (add_pack_items(v, p) != 0)
			return -1;
	}
	if (o->chain_files && add_chain_files(v, o->chain_files) != 0)
		return -1;
	if (v->nkeys > 1)
		return ucpki_err_set(v->e, UCPKI_E_INPUT,
		                     "%s: holds %d private keys; pick one entry by its alias", v->in,
		                     v->nkeys);
	if (v->key && sk_X509_num(v->certs) > 0) {
		int match = 0;
		for (int i = 0; i < sk_X509_num(v->certs) && !match; i++)
			match = ucpki_key_matches_cert(sk_X509_value(v->certs, i), v->key);
		if (!match)
			return ucpki_err_set(v->e, UCPKI_E_POLICY,
			                     "%s: the private key does not match the certificate",
			                     o->key_file ? o->key_file : v->in);
	}
	return 0;
}

/* --- keystore outputs ----------------------------------------------------- */

/* A key entry of the key with its certificate first, then chain and roots. */
static int add_key_entry(struct conv *v, struct ucpki_keystore *out)
{
	struct ucpki_bundle b;
	STACK_OF(X509) *chain = sk_X509_new_null();
	int rc;

	if (chain == NULL)
		return ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
	if (ucpki_bundle_sort(&b, v->certs, v->key, v->e) != 0) {
		sk_X509_free(chain);
		return -1;
	}
	if (b.cert == NULL) {
		rc = ucpki_err_set(v->e, UCPKI_E_INPUT, "%s: a key entry needs the key's certificate",
		                   v->in);
	} else {
		sk_X509_push(chain, b.cert);
		for (int i = 0; i < sk_X509_num(b.chain); i++)
			sk_X509_push(chain, sk_X509_value(b.chain, i));
		for (int i = 0; i < sk_X509_num(b.roots); i++)
			sk_X509_push(chain, sk_X509_value(b.roots, i));
		rc = ucpki_keystore_add_key(out, v->o->alias ? v->o->alias : "1", v->key, chain, v->e);
	}
	sk_X509_free(chain);
	ucpki_bundle_clear(&b);
	return rc;
}

static int build_store(struct conv *v, struct ucpki_keystore *out)
{
	if (v->ks && !v->o->key_file && !v->o->chain_files) {
		int only = v->o->alias ? ucpki_keystore_find(v->ks, v->o->alias) : -1;
		for (int i = 0; i < ucpki_keystore_count(v->ks); i++)
			if ((only < 0 || i == only) &&
			    ucpki_keystore_add_copy(out, ucpki_keystore_entry(v->ks, i), NULL, v->e) != 0)
				return -1;
		return 0;
	}
	if (v->key)
		return add_key_entry(v, out);
	if (sk_X509_num(v->certs) == 0)
		return ucpki_err_set(v->e, UCPKI_E_INPUT, "%s: no certificate or key to store", v->in);
	return ucpki_keystore_add_trusted_certs(out, v->certs, v->o->alias, v->e);
}

static int encode_store(struct conv *v, struct ucpki_buf *b, struct ucpki_convert_result *r)
{
	struct ucpki_keystore *out =
		ucpki_keystore_new(v->o->to == UCPKI_TO_JKS ? UCPKI_KS_JKS : UCPKI_KS_PKCS12);
	struct ucpki_p12_opts po = {.legacy = v->o->legacy, .ca_names = v->o->ca_names};
	int rc;

	if (out == NULL)
		return ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
	rc = build_store(v, out);
	if (rc == 0 && (rc = ucpki_keystore_encode(out, b, v->o->out_password, v->o->out_keypass,
	                                           &po, v->e)) != 0)
		ucpki_err_prefix(v->e, "%s: ", v->in);
	if (rc == 0) {
		r->store = 1;
		r->store_type = ucpki_kstype_name(ucpki_keystore_type(out));
		r->count = ucpki_keystore_count(out);
		for (int i = 0; i < r->count; i++)
			r->secret |= ucpki_keystore_entry(out, i)->type == UCPKI_KSE_KEY;
	}
	ucpki_keystore_free(out);
	return rc;
}

/* --- PEM / DER / PKCS#1 / PKCS#8 / P7B outputs ----------------------------- */

/* The key encoding to write: forced by the target, else the input's. */
static enum ucpki_keyenc out_keyenc(const struct conv *v, enum ucpki_keyenc in)
{
	if (v->o->to == UCPKI_TO_PKCS1)
		return UCPKI_KEYENC_PKCS1;
	if (v->o->to == UCPKI_TO_PKCS8)
		return UCPKI_KEYENC_PKCS8;
	switch (in) {
	case UCPKI_KEYENC_PKCS1:
	case UCPKI_KEYENC_PKCS1_ENCRYPTED:
		return UCPKI_KEYENC_PKCS1;
	case UCPKI_KEYENC_SEC1:
	case UCPKI_KEYENC_SEC1_ENCRYPTED:
		return UCPKI_KEYENC_SEC1;
	default:
		return UCPKI_KEYENC_PKCS8;
	}
}

static int check_pkcs1(struct conv *v)
{
	if (v->o->to != UCPKI_TO_PKCS1 || v->key == NULL ||
	    EVP_PKEY_get_base_id(v->key) == EVP_PKEY_RSA)
		return 0;
	return ucpki_err_set(v->e, UCPKI_E_INPUT,
	                     "%s: the key is %s, not RSA: PKCS#1 holds RSA keys only",
	                     v->o->key_file ? v->o->key_file : v->in,
	                     OBJ_nid2sn(EVP_PKEY_get_base_id(v->key)));
}

static int write_item(struct conv *v, struct ucpki_buf *b, const struct item *it, int der)
{
	switch (it->type) {
	case UCPKI_OBJ_CERT:
		return ucpki_write_cert(b, it->obj, der, v->e);
	case UCPKI_OBJ_KEY:
		return ucpki_write_key(b, it->obj, out_keyenc(v, it->enc), der, v->o->out_password,
		                       v->o->cipher, v->e);
	case UCPKI_OBJ_CSR:
		return ucpki_write_csr(b, it->obj, der, v->e);
	case UCPKI_OBJ_CRL:
		return ucpki_write_crl(b, it->obj, der, v->e);
	case UCPKI_OBJ_PUBKEY:
		return ucpki_write_pubkey(b, it->obj, der, v->e);
	}
	return 0;
}

static enum ucpki_keyenc key_item_enc(const struct conv *v)
{
	for (int i = 0; i < v->nitems; i++)
		if (v->items[i].type == UCPKI_OBJ_KEY)
			return v->items[i].enc;
	return UCPKI_KEYENC_NONE;
}

/* The objects the order selects, as items (certificates and the key). */
static int ordered_items(struct conv *v, struct ucpki_bundle *b, const enum ucpki_part *parts,
                         int nparts, struct item **out, int *n)
{
	struct item *it = calloc((size_t)sk_X509_num(v->certs) + 2, sizeof(*it));
	int k = 0;

	if (it == NULL)
		return ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < nparts; i++) {
		STACK_OF(X509) *sk = parts[i] == UCPKI_PART_CHAIN  ? b->chain
		                     : parts[i] == UCPKI_PART_ROOT ? b->roots
		                                                   : NULL;
		if (parts[i] == UCPKI_PART_CERT && b->cert)
			it[k++] = (struct item){UCPKI_OBJ_CERT, b->cert, UCPKI_KEYENC_NONE};
		if (parts[i] == UCPKI_PART_KEY && b->key)
			it[k++] = (struct item){UCPKI_OBJ_KEY, b->key, key_item_enc(v)};
		for (int j = 0; j < sk_X509_num(sk); j++)
			it[k++] = (struct item){UCPKI_OBJ_CERT, sk_X509_value(sk, j), UCPKI_KEYENC_NONE};
	}
	*out = it;
	*n = k;
	return 0;
}

static int encode_items(struct conv *v, struct ucpki_buf *b, const struct item *it, int n)
{
	int der = v->o->to == UCPKI_TO_DER;

	if (v->o->to == UCPKI_TO_P7B) {
		STACK_OF(X509) *sk = sk_X509_new_null();
		int rc = sk ? 0 : ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
		for (int i = 0; rc == 0 && i < n; i++)
			if (it[i].type == UCPKI_OBJ_CERT && !sk_X509_push(sk, it[i].obj))
				rc = ucpki_err_set(v->e, UCPKI_E_INTERNAL, "out of memory");
		if (rc == 0)
			rc = ucpki_write_p7b(b, sk, !v->o->p7b_pem, v->e);
		sk_X509_free(sk);
		return rc;
	}
	if (der && n != 1)
		return ucpki_err_set(v->e, UCPKI_E_INPUT,
		                     "%s: DER holds one object but this selects %d (choose one part: "
		                     "cert, key, ...)",
		                     v->in, n);
	for (int i = 0; i < n; i++)
		if (write_item(v, b, &it[i], der) != 0)
			return -1;
	return 0;
}

/* Parts the order asks for that the input lacks: the bundle writer names
 * what is missing. Returns 0 when everything is there. */
static int check_parts(struct conv *v, const struct ucpki_bundle *bundle,
                       const enum ucpki_part *parts, int nparts)
{
	struct ucpki_buf scratch = {0};
	int rc = 0;

	for (int i = 0; i < nparts && rc == 0; i++)
		if ((parts[i] == UCPKI_PART_CERT && !bundle->cert) ||
		    (parts[i] == UCPKI_PART_KEY && !bundle->key) ||
		    (parts[i] == UCPKI_PART_ROOT && sk_X509_num(bundle->roots) == 0)) {
			rc = ucpki_write_bundle(&scratch, bundle, parts, nparts, UCPKI_KEYENC_PKCS8, NULL,
			                        NULL, v->e);
			rc = rc ? rc : ucpki_err_set(v->e, UCPKI_E_INPUT, "%s: a part is missing", v->in);
		}
	ucpki_buf_free(&scratch);
	return rc;
}

static int encode_objects(struct conv *v, struct ucpki_buf *b, struct ucpki_convert_result *r)
{
	struct ucpki_bundle bundle = {0};
	struct item *sel = v->items;
	int nsel = v->nitems, rc = 0, has_key = 0, nparts = 0;
	enum ucpki_part parts[UCPKI_PARTS_MAX];

	if ((v->o->to == UCPKI_TO_PKCS1 || v->o->to == UCPKI_TO_PKCS8) && v->key == NULL)
		return ucpki_err_set(v->e, UCPKI_E_INPUT, "%s: no private key to convert", v->in);
	if (check_pkcs1(v) != 0)
		return -1;
	if (v->o->order) {
		if ((nparts = ucpki_parts_parse(v->o->order, parts, v->e)) < 0 ||
		    ucpki_bundle_sort(&bundle, v->certs, v->key, v->e) != 0)
			return -1;
		if (check_parts(v, &bundle, parts, nparts) != 0 ||
		    ordered_items(v, &bundle, parts, nparts, &sel, &nsel) != 0) {
			rc = -1;
			goto out;
		}
	}
	for (int i = 0; i < nsel; i++)
		has_key |= sel[i].type == UCPKI_OBJ_KEY;
	if (v->o->to == UCPKI_TO_P7B && has_key && v->o->order)
		rc = ucpki_err_set(v->e, UCPKI_E_INPUT, "a P7B file holds certificates only");
	else if (nsel == 0)
		rc = ucpki_err_set(v->e, UCPKI_E_INPUT, "%s: nothing to write", v->in);
	else
		rc = encode_items(v, b, sel, nsel);
	if (rc == 0) {
		r->secret = has_key && v->o->to != UCPKI_TO_P7B;
		r->count = nsel;
	}
out:
	if (sel != v->items)
		free(sel);
	ucpki_bundle_clear(&bundle);
	return rc;
}

/* --- the operation ------------------------------------------------------------ */

static int check_opts(const struct ucpki_convert_opts *o, const char *label,
                      struct ucpki_err *e)
{
	int store = ucpki_conv_to_is_store(o->to);

	if (o->to < UCPKI_TO_PEM || o->to > UCPKI_TO_P7B)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: no output format chosen", label);
	if (store && o->out_password == NULL)
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "%s: a %s keystore needs the output password", label,
		                     o->to == UCPKI_TO_JKS ? "JKS" : "PKCS#12");
	if (o->cipher && o->out_password == NULL)
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "%s: encrypting the key needs the output password", label);
	if (o->cipher && strcmp(o->cipher, "aes256") != 0 && strcmp(o->cipher, "des3") != 0)
		return ucpki_err_set(e, UCPKI_E_INPUT, "key cipher '%s' is neither aes256 nor des3",
		                     o->cipher);
	if (o->legacy && o->to != UCPKI_TO_P12)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s: the legacy profile applies to PKCS#12 output only", label);
	if (o->order && store)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s: a part order applies to PEM, DER and P7B outputs, not keystores",
		                     label);
	return 0;
}

int ucpki_convert_mem(const unsigned char *data, size_t len, const char *label,
                      const struct ucpki_convert_opts *o, struct ucpki_buf *out,
                      struct ucpki_convert_result *r, struct ucpki_err *e)
{
	struct conv v = {.o = o, .e = e, .in = label};
	int rc;

	memset(r, 0, sizeof(*r));
	if (check_opts(o, label, e) != 0)
		return -1;
	rc = gather(&v, data, len);
	if (rc == 0)
		rc = ucpki_conv_to_is_store(o->to) ? encode_store(&v, out, r)
		                                   : encode_objects(&v, out, r);
	for (int i = 0; i < v.npacks; i++)
		ucpki_pack_free(v.packs[i]);
	ucpki_keystore_free(v.ks);
	sk_X509_free(v.certs);
	free(v.items);
	ERR_clear_error();
	return rc;
}

int ucpki_convert_file(const char *path, const struct ucpki_convert_opts *o,
                       struct ucpki_buf *out, struct ucpki_convert_result *r,
                       struct ucpki_err *e)
{
	unsigned char *data;
	size_t len;
	int rc;

	memset(r, 0, sizeof(*r));
	if (check_opts(o, path, e) != 0 || ucpki_file_read(path, 0, &data, &len, e) != 0)
		return -1;
	rc = ucpki_convert_mem(data, len, path, o, out, r, e);
	ucpki_secure_free(data, len);
	return rc;
}
