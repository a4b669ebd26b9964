/*
 * ucpki convert: any input (PEM, DER, PKCS#7, PKCS#12, JKS, JCEKS) to PEM,
 * DER, PKCS#1, PKCS#8, PKCS#12, JKS or P7B; bundles in a given order.
 *
 * Passwords here: --in-pass-file (or $UCPKI_IN_PASS) opens the input,
 * --pass-file (or $UCPKI_OUT_PASS) protects the output.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "cmd_formats.h"
#include "ucpki/file.h"
#include "ucpki/formats.h"
#include "ucpki/keystore.h"
#include "ucpki/x509.h"

struct convert_args {
	const char *to, *out, *key, *chain, *alias, *in_pass_file, *out_pass_file, *key_pass_file,
		*keypass_file, *encrypt, *order, *caname;
	int legacy, pem, force;
};

enum target { T_PEM, T_DER, T_PKCS1, T_PKCS8, T_P12, T_JKS, T_P7B };

static const struct {
	const char *name;
	enum target t;
} targets[] = {
	{"pem", T_PEM},     {"der", T_DER},   {"pkcs1", T_PKCS1}, {"pkcs8", T_PKCS8},
	{"p12", T_P12},     {"pkcs12", T_P12}, {"pfx", T_P12},    {"jks", T_JKS},
	{"p7b", T_P7B},     {"pkcs7", T_P7B},
};

/* One object to convert, borrowed from a loaded pack or keystore. */
struct item {
	enum ucpki_obj type;
	void *obj;
	enum ucpki_keyenc enc;
};

struct conv {
	struct cli *c;
	struct convert_args *a;
	enum target t;
	char *in_pass, *out_pass, *key_pass, *jks_keypass;
	struct ucpki_pack *packs[40];
	int npacks;
	struct ucpki_keystore *ks; /* the input, when it is a keystore */
	struct item *items;
	int nitems, capitems;
	STACK_OF(X509) *certs;     /* every certificate of the items, in order */
	EVP_PKEY *key;             /* the one private key, if any */
	int nkeys;
	const char *in;
};

static int add_item(struct conv *v, enum ucpki_obj type, void *obj, enum ucpki_keyenc enc)
{
	if (v->nitems == v->capitems) {
		int ncap = v->capitems ? v->capitems * 2 : 16;
		struct item *n = realloc(v->items, (size_t)ncap * sizeof(*n));
		if (n == NULL)
			return ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
		v->items = n;
		v->capitems = ncap;
	}
	v->items[v->nitems++] = (struct item){type, obj, enc};
	if (type == UCPKI_OBJ_CERT && !sk_X509_push(v->certs, obj))
		return ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
	if (type == UCPKI_OBJ_KEY) {
		if (v->key == NULL)
			v->key = obj;
		v->nkeys++;
	}
	return 0;
}

static struct ucpki_pack *load_pack(struct conv *v, const char *path, const char *pass)
{
	struct ucpki_pack *p;

	if (v->npacks == (int)(sizeof(v->packs) / sizeof(v->packs[0]))) {
		ucpki_err_set(&v->c->err, UCPKI_E_INPUT, "too many input files");
		return NULL;
	}
	if ((p = ucpki_pack_load(path, pass, &v->c->err)) != NULL)
		v->packs[v->npacks++] = p;
	/* convert repackages keys and certificates only: say what stays behind */
	for (int i = 0; p && i < ucpki_pack_unread_count(p); i++) {
		const char *alias = NULL, *kind = ucpki_pack_unread_at(p, i, &alias);
		ucpki_warn(&v->c->warn, "%s: entry '%s' is %s, which convert does not carry over", path,
		           alias ? alias : "(no name)", kind);
	}
	return p;
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

/* Items of a keystore input: every entry, or only --alias. */
static int add_keystore_items(struct conv *v)
{
	int only = -1;

	if ((v->ks = ucpki_keystore_load(v->in, v->in_pass, NULL, &v->c->err)) == NULL)
		return -1;
	if (v->a->alias && (only = ucpki_keystore_find(v->ks, v->a->alias)) < 0)
		return ucpki_err_set(&v->c->err, UCPKI_E_NOTFOUND, "%s: alias '%s' does not exist",
		                     v->in, v->a->alias);
	for (int i = 0; i < ucpki_keystore_count(v->ks); i++) {
		const struct ucpki_ksentry *en;
		if (only >= 0 && i != only)
			continue;
		if (ucpki_keystore_unlock(v->ks, i, NULL, &v->c->err) != 0) {
			ucpki_err_prefix(&v->c->err, "%s: ", v->in);
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

/* --chain may name several files, comma separated or repeated. */
static int add_chain_files(struct conv *v, const char *list)
{
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	if (copy == NULL)
		return ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
	for (char *f = strtok_r(copy, ",", &save); rc == 0 && f; f = strtok_r(NULL, ",", &save)) {
		struct ucpki_pack *p = load_pack(v, f, v->in_pass);
		if (p == NULL)
			rc = -1;
		else if (ucpki_pack_first_cert(p) == NULL)
			rc = ucpki_err_set(&v->c->err, UCPKI_E_INPUT, "%s: no certificate in this file", f);
		for (int i = 0; rc == 0 && i < ucpki_pack_count(p); i++)
			if (ucpki_pack_type(p, i) == UCPKI_OBJ_CERT)
				rc = add_item(v, UCPKI_OBJ_CERT, ucpki_pack_cert_at(p, i), UCPKI_KEYENC_NONE);
	}
	free(copy);
	return rc;
}

static int gather(struct conv *v)
{
	struct ucpki_pack *p;

	if ((v->certs = sk_X509_new_null()) == NULL)
		return ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
	if ((p = load_pack(v, v->in, v->in_pass)) == NULL)
		return -1;
	if (is_keystore(p)) {
		if (add_keystore_items(v) != 0)
			return -1;
	} else {
		if (v->a->alias && v->t != T_P12 && v->t != T_JKS)
			return ucpki_err_set(&v->c->err, UCPKI_E_INPUT,
			                     "%s: --alias selects a keystore entry, but this is %s", v->in,
			                     ucpki_format_name(ucpki_pack_format(p)));
		if (add_pack_items(v, p) != 0)
			return -1;
	}
	if (v->a->key) {
		if ((p = load_pack(v, v->a->key, v->key_pass)) == NULL)
			return -1;
		if (ucpki_pack_first_key(p) == NULL)
			return ucpki_err_set(&v->c->err, UCPKI_E_INPUT, "%s: no private key in this file",
			                     v->a->key);
		if (add_pack_items(v, p) != 0)
			return -1;
	}
	if (v->a->chain && add_chain_files(v, v->a->chain) != 0)
		return -1;
	if (v->nkeys > 1)
		return ucpki_err_set(&v->c->err, UCPKI_E_INPUT,
		                     "%s: holds %d private keys; pick one entry with --alias", v->in,
		                     v->nkeys);
	if (v->key && sk_X509_num(v->certs) > 0) {
		int match = 0;
		for (int i = 0; i < sk_X509_num(v->certs) && !match; i++)
			match = ucpki_key_matches_cert(sk_X509_value(v->certs, i), v->key);
		if (!match)
			return ucpki_err_set(&v->c->err, UCPKI_E_POLICY,
			                     "%s: the private key does not match the certificate",
			                     v->a->key ? v->a->key : v->in);
	}
	return 0;
}

/* --- keystore outputs ----------------------------------------------------- */

static int trusted_alias(struct conv *v, struct ucpki_keystore *ks, X509 *x, int i, int n,
                         char *buf, size_t len, char **owned)
{
	*owned = NULL;
	if (v->a->alias && n == 1)
		snprintf(buf, len, "%s", v->a->alias);
	else if (v->a->alias)
		snprintf(buf, len, "%s-%d", v->a->alias, i + 1);
	else if ((*owned = ucpki_keystore_free_alias(ks, x)) == NULL)
		return ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
	return 0;
}

static int build_store(struct conv *v, struct ucpki_keystore *out)
{
	int from_store = v->ks && !v->a->key && !v->a->chain;

	if (from_store) {
		int only = v->a->alias ? ucpki_keystore_find(v->ks, v->a->alias) : -1;
		for (int i = 0; i < ucpki_keystore_count(v->ks); i++)
			if ((only < 0 || i == only) &&
			    ucpki_keystore_add_copy(out, ucpki_keystore_entry(v->ks, i), NULL, &v->c->err) != 0)
				return -1;
		return 0;
	}
	if (v->key) {
		struct ucpki_bundle b;
		STACK_OF(X509) *chain = sk_X509_new_null();
		int rc;

		if (chain == NULL || ucpki_bundle_sort(&b, v->certs, v->key, &v->c->err) != 0) {
			sk_X509_free(chain);
			return chain ? -1 : ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
		}
		if (b.cert == NULL) {
			rc = ucpki_err_set(&v->c->err, UCPKI_E_INPUT,
			                   "%s: a key entry needs the key's certificate", v->in);
		} else {
			sk_X509_push(chain, b.cert);
			for (int i = 0; i < sk_X509_num(b.chain); i++)
				sk_X509_push(chain, sk_X509_value(b.chain, i));
			for (int i = 0; i < sk_X509_num(b.roots); i++)
				sk_X509_push(chain, sk_X509_value(b.roots, i));
			rc = ucpki_keystore_add_key(out, v->a->alias ? v->a->alias : "1", v->key, chain,
			                            &v->c->err);
		}
		sk_X509_free(chain);
		ucpki_bundle_clear(&b);
		return rc;
	}
	if (sk_X509_num(v->certs) == 0)
		return ucpki_err_set(&v->c->err, UCPKI_E_INPUT, "%s: no certificate or key to store",
		                     v->in);
	for (int i = 0; i < sk_X509_num(v->certs); i++) {
		X509 *x = sk_X509_value(v->certs, i);
		char buf[512], *owned;
		int rc;
		if (trusted_alias(v, out, x, i, sk_X509_num(v->certs), buf, sizeof(buf), &owned) != 0)
			return -1;
		rc = ucpki_keystore_add_trusted(out, owned ? owned : buf, x, &v->c->err);
		free(owned);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int write_store(struct conv *v)
{
	struct ucpki_keystore *out = ucpki_keystore_new(v->t == T_JKS ? UCPKI_KS_JKS : UCPKI_KS_PKCS12);
	struct ucpki_p12_opts o = {.legacy = v->a->legacy, .ca_names = v->a->caname};
	struct ucpki_buf b = {0};
	int rc, keys = 0;

	if (out == NULL)
		return ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
	rc = build_store(v, out);
	for (int i = 0; rc == 0 && i < ucpki_keystore_count(out); i++)
		keys += ucpki_keystore_entry(out, i)->type == UCPKI_KSE_KEY;
	if (rc == 0 &&
	    (rc = ucpki_keystore_encode(out, &b, v->out_pass, v->jks_keypass, &o, &v->c->err)) != 0)
		ucpki_err_prefix(&v->c->err, "%s: ", v->a->out);
	if (rc == 0)
		rc = cli_output_write(v->c, "--out", v->a->out, b.data, b.len, keys > 0, v->a->force);
	if (rc == 0 && !v->c->quiet && !v->c->json && !cli_is_stdout(v->a->out))
		printf("wrote %s: %s, %d entr%s\n", v->a->out, ucpki_kstype_name(ucpki_keystore_type(out)),
		       ucpki_keystore_count(out), ucpki_keystore_count(out) == 1 ? "y" : "ies");
	if (rc == 0 && v->c->json) {
		json_object_set_new(cli_json_obj(v->c), "out", json_string(v->a->out));
		json_object_set_new(v->c->out, "format", json_string(ucpki_kstype_name(ucpki_keystore_type(out))));
		json_object_set_new(v->c->out, "entries", json_integer(ucpki_keystore_count(out)));
	}
	ucpki_keystore_free(out);
	ucpki_buf_free(&b);
	return rc;
}

/* --- PEM / DER / PKCS#1 / PKCS#8 / P7B outputs ----------------------------- */

/* The key encoding to write: forced by --to, else the input's, unencrypted. */
static enum ucpki_keyenc out_keyenc(const struct conv *v, enum ucpki_keyenc in)
{
	if (v->t == T_PKCS1)
		return UCPKI_KEYENC_PKCS1;
	if (v->t == T_PKCS8)
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
	if (v->t != T_PKCS1 || v->key == NULL || EVP_PKEY_get_base_id(v->key) == EVP_PKEY_RSA)
		return 0;
	return ucpki_err_set(&v->c->err, UCPKI_E_INPUT,
	                     "%s: the key is %s, not RSA: PKCS#1 holds RSA keys only", v->a->key ? v->a->key : v->in,
	                     OBJ_nid2sn(EVP_PKEY_get_base_id(v->key)));
}

static int write_item(struct conv *v, struct ucpki_buf *b, const struct item *it, int der)
{
	struct ucpki_err *e = &v->c->err;

	switch (it->type) {
	case UCPKI_OBJ_CERT:
		return ucpki_write_cert(b, it->obj, der, e);
	case UCPKI_OBJ_KEY:
		return ucpki_write_key(b, it->obj, out_keyenc(v, it->enc), der, v->out_pass,
		                       v->a->encrypt, e);
	case UCPKI_OBJ_CSR:
		return ucpki_write_csr(b, it->obj, der, e);
	case UCPKI_OBJ_CRL:
		return ucpki_write_crl(b, it->obj, der, e);
	case UCPKI_OBJ_PUBKEY:
		return ucpki_write_pubkey(b, it->obj, der, e);
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

/* The objects --order selects, as items (certificates and the key). */
static int ordered_items(struct conv *v, struct ucpki_bundle *b, const enum ucpki_part *parts,
                         int nparts, struct item **out, int *n)
{
	struct item *it = calloc((size_t)sk_X509_num(v->certs) + 2, sizeof(*it));
	int k = 0;

	if (it == NULL)
		return ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
	for (int i = 0; i < nparts; i++) {
		STACK_OF(X509) *sk = parts[i] == UCPKI_PART_CHAIN ? b->chain
		                     : parts[i] == UCPKI_PART_ROOT ? b->roots : NULL;
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
	int der = v->t == T_DER;

	if (v->t == T_P7B) {
		STACK_OF(X509) *sk = sk_X509_new_null();
		int rc = sk ? 0 : ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
		for (int i = 0; rc == 0 && i < n; i++)
			if (it[i].type == UCPKI_OBJ_CERT && !sk_X509_push(sk, it[i].obj))
				rc = ucpki_err_set(&v->c->err, UCPKI_E_INTERNAL, "out of memory");
		if (rc == 0)
			rc = ucpki_write_p7b(b, sk, !v->a->pem, &v->c->err);
		sk_X509_free(sk);
		return rc;
	}
	if (der && n != 1)
		return ucpki_err_set(&v->c->err, UCPKI_E_INPUT,
		                     "%s: DER holds one object but this selects %d (choose one with "
		                     "--order cert, --order key, ...)", v->in, n);
	for (int i = 0; i < n; i++)
		if (write_item(v, b, &it[i], der) != 0)
			return -1;
	return 0;
}

static int write_objects(struct conv *v)
{
	struct ucpki_buf b = {0};
	struct ucpki_bundle bundle = {0};
	struct item *sel = v->items;
	int nsel = v->nitems, rc = 0, has_key = 0, nparts = 0;
	enum ucpki_part parts[UCPKI_PARTS_MAX];

	if ((v->t == T_PKCS1 || v->t == T_PKCS8) && v->key == NULL)
		return ucpki_err_set(&v->c->err, UCPKI_E_INPUT, "%s: no private key to convert", v->in);
	if (check_pkcs1(v) != 0)
		return -1;
	if (v->a->order) {
		if ((nparts = ucpki_parts_parse(v->a->order, parts, &v->c->err)) < 0)
			return -1;
		if (ucpki_bundle_sort(&bundle, v->certs, v->key, &v->c->err) != 0)
			return -1;
		for (int i = 0; i < nparts; i++)
			if ((parts[i] == UCPKI_PART_CERT && !bundle.cert) ||
			    (parts[i] == UCPKI_PART_KEY && !bundle.key) ||
			    (parts[i] == UCPKI_PART_ROOT && sk_X509_num(bundle.roots) == 0)) {
				/* Let the bundle writer name what is missing. */
				rc = ucpki_write_bundle(&b, &bundle, parts, nparts, UCPKI_KEYENC_PKCS8,
				                        NULL, NULL, &v->c->err);
				rc = rc ? rc : -1;
				goto out;
			}
		if (ordered_items(v, &bundle, parts, nparts, &sel, &nsel) != 0) {
			rc = -1;
			goto out;
		}
	}
	for (int i = 0; i < nsel; i++)
		has_key |= sel[i].type == UCPKI_OBJ_KEY;
	if (v->t == T_P7B && has_key && v->a->order) {
		rc = ucpki_err_set(&v->c->err, UCPKI_E_INPUT, "a P7B file holds certificates only");
		goto out;
	}
	if (nsel == 0) {
		rc = ucpki_err_set(&v->c->err, UCPKI_E_INPUT, "%s: nothing to write", v->in);
		goto out;
	}
	if ((rc = encode_items(v, &b, sel, nsel)) != 0)
		goto out;
	rc = cli_output_write(v->c, "--out", v->a->out, b.data, b.len,
	                      has_key && v->t != T_P7B, v->a->force);
	if (rc == 0 && v->a->out && !cli_is_stdout(v->a->out) && v->c->json) {
		json_object_set_new(cli_json_obj(v->c), "out", json_string(v->a->out));
		json_object_set_new(v->c->out, "format", json_string(v->a->to));
		json_object_set_new(v->c->out, "objects", json_integer(nsel));
	} else if (rc == 0 && v->a->out && !cli_is_stdout(v->a->out) && !v->c->quiet) {
		printf("wrote %s: %s, %d object%s\n", v->a->out, v->a->to, nsel, nsel == 1 ? "" : "s");
	}
out:
	if (sel != v->items)
		free(sel);
	ucpki_bundle_clear(&bundle);
	ucpki_buf_free(&b);
	return rc;
}

/* --- the command ------------------------------------------------------------ */

static int passwords(struct conv *v)
{
	struct cli *c = v->c;

	if (cli_password(c, v->a->in_pass_file, "UCPKI_IN_PASS", &v->in_pass) != 0 ||
	    cli_password(c, v->a->out_pass_file ? v->a->out_pass_file : c->pass_file, "UCPKI_OUT_PASS",
	                 &v->out_pass) != 0)
		return -1;
	if (v->a->key_pass_file) {
		if (cli_password(c, v->a->key_pass_file, NULL, &v->key_pass) != 0)
			return -1;
	} else if (v->in_pass && (v->key_pass = strdup(v->in_pass)) == NULL) {
		return ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
	}
	if (v->a->keypass_file && cli_password(c, v->a->keypass_file, NULL, &v->jks_keypass) != 0)
		return -1;
	return 0;
}

static int check_usage(struct conv *v)
{
	struct cli *c = v->c;
	int store = v->t == T_P12 || v->t == T_JKS;

	if (store && v->out_pass == NULL)
		return cli_usage(c, "--to %s needs the output password: --pass-file F or $UCPKI_OUT_PASS",
		                 v->a->to);
	if ((store || v->t == T_DER || (v->t == T_P7B && !v->a->pem)) && v->a->out == NULL)
		return cli_usage(c, "--to %s needs --out FILE", v->a->to);
	if (v->a->encrypt && v->out_pass == NULL)
		return cli_usage(c, "--encrypt needs the output password: --pass-file F or $UCPKI_OUT_PASS");
	if (v->a->encrypt && strcmp(v->a->encrypt, "aes256") != 0 && strcmp(v->a->encrypt, "des3") != 0)
		return cli_usage(c, "--encrypt takes aes256 or des3, not '%s'", v->a->encrypt);
	if (v->a->legacy && v->t != T_P12)
		return cli_usage(c, "--legacy applies to --to p12 only");
	if (v->a->order && store)
		return cli_usage(c, "--order applies to PEM, DER and P7B outputs");
	return 0;
}

static void conv_free(struct conv *v)
{
	for (int i = 0; i < v->npacks; i++)
		ucpki_pack_free(v->packs[i]);
	ucpki_keystore_free(v->ks);
	sk_X509_free(v->certs);
	free(v->items);
	ucpki_secret_free(v->in_pass);
	ucpki_secret_free(v->out_pass);
	ucpki_secret_free(v->key_pass);
	ucpki_secret_free(v->jks_keypass);
}

int cmd_convert(struct cli *c, int argc, char **argv)
{
	static const struct opt opts[] = {
		{"to", OPT_STR, offsetof(struct convert_args, to), "FORMAT",
		 "pem, der, pkcs1, pkcs8, p12, jks or p7b"},
		{"out", OPT_STR, offsetof(struct convert_args, out), "FILE",
		 "output file, '-' = standard output (the default of PEM outputs)"},
		OPT_FORCE(struct convert_args),
		{"key", OPT_STR, offsetof(struct convert_args, key), "FILE", "private key to add"},
		{"chain", OPT_LIST, offsetof(struct convert_args, chain), "FILE",
		 "CA certificates to add (repeatable)"},
		{"alias", OPT_STR, offsetof(struct convert_args, alias), "A",
		 "entry alias / friendly name (selects the entry when IN is a keystore)"},
		{"caname", OPT_LIST, offsetof(struct convert_args, caname), "NAME",
		 "PKCS#12 friendly names of the CA certificates, in chain order"},
		{"in-pass-file", OPT_STR, offsetof(struct convert_args, in_pass_file), "FILE",
		 "password of IN (default $UCPKI_IN_PASS)"},
		{"pass-file", OPT_STR, offsetof(struct convert_args, out_pass_file), "FILE",
		 "password of the output: PKCS#12, JKS, encrypted key (default $UCPKI_OUT_PASS)"},
		{"key-pass-file", OPT_STR, offsetof(struct convert_args, key_pass_file), "FILE",
		 "password of the --key file (default: the input password)"},
		{"keypass-file", OPT_STR, offsetof(struct convert_args, keypass_file), "FILE",
		 "JKS key password (default: the output password)"},
		{"encrypt", OPT_STR, offsetof(struct convert_args, encrypt), "CIPHER",
		 "encrypt the key: aes256 (default when --pass-file is given) or des3"},
		{"legacy", OPT_FLAG, offsetof(struct convert_args, legacy), NULL,
		 "PKCS#12 for old Java / IBM Java: 3DES keys, RC2-40 certificates, SHA-1 MAC"},
		{"order", OPT_STR, offsetof(struct convert_args, order), "LIST",
		 "bundle parts in order, e.g. cert,key,chain,root or key,cert"},
		{"pem", OPT_FLAG, offsetof(struct convert_args, pem), NULL, "P7B with PEM armour"},
		OPT_END,
	};
	struct convert_args a = {0};
	struct conv v = {0};
	char **pos;
	int npos, done, rc;

	rc = cli_parse(c, cli_cmd("convert"), opts, &a, argc, argv, &pos, &npos, 1, 1, &done);
	if (done)
		return rc;
	v.c = c;
	v.a = &a;
	v.in = pos[0];
	if (a.to == NULL)
		return cli_usage(c, "--to FORMAT is required (pem, der, pkcs1, pkcs8, p12, jks, p7b)");
	v.t = (enum target)-1;
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(a.to, targets[i].name) == 0)
			v.t = targets[i].t;
	if ((int)v.t < 0)
		return cli_usage(c, "unknown --to '%s' (pem, der, pkcs1, pkcs8, p12, jks, p7b)", a.to);
	if (passwords(&v) != 0) {
		conv_free(&v);
		return cli_fail(c);
	}
	if ((rc = check_usage(&v)) != 0) {
		conv_free(&v);
		return rc;
	}
	if (cli_output_check(c, "--out", a.out, 0, a.force) != 0) {
		conv_free(&v);
		return cli_fail(c);
	}
	rc = gather(&v);
	if (rc == 0)
		rc = v.t == T_P12 || v.t == T_JKS ? write_store(&v) : write_objects(&v);
	conv_free(&v);
	if (rc != 0)
		return cli_fail(c);
	cli_emit(c);
	return 0;
}
