/* keytool-style keystores over the JKS and PKCS#12 codecs (see ucpki/keystore.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "ucpki/file.h"
#include "ucpki/keystore.h"
#include "ucpki/x509.h"

struct ucpki_keystore {
	enum ucpki_kstype type;
	struct ucpki_ksentry *v;
	int n, cap;
	int verified;
	char *storepass; /* kept to open sealed keys later; wiped on free */
	struct ucpki_warnings warn; /* findings of the load */
};

static int64_t now_ms(void)
{
	return (int64_t)time(NULL) * 1000;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

struct ucpki_keystore *ucpki_keystore_new(enum ucpki_kstype type)
{
	struct ucpki_keystore *ks = calloc(1, sizeof(*ks));

	if (ks)
		ks->type = type;
	return ks;
}

void ucpki_keystore_free(struct ucpki_keystore *ks)
{
	if (ks == NULL)
		return;
	ucpki_ksentries_free(ks->v, ks->n);
	ucpki_secret_free(ks->storepass);
	free(ks);
}

static int load_jks(struct ucpki_keystore *ks, const unsigned char *data, size_t len,
                    const char *label, const char *storepass, const char *keypass,
                    struct ucpki_err *e)
{
	enum ucpki_format fmt = UCPKI_FMT_JKS;

	if (ucpki_jks_decode_w(data, len, label, storepass, &ks->v, &ks->n, &fmt, &ks->warn, e) != 0)
		return -1;
	ks->cap = ks->n;
	ks->type = fmt == UCPKI_FMT_JCEKS ? UCPKI_KS_JCEKS : UCPKI_KS_JKS;
	ks->verified = storepass != NULL;
	for (int i = 0; i < ks->n; i++) {
		if (ks->v[i].type != UCPKI_KSE_KEY)
			continue;
		if (keypass) {
			if (ucpki_jks_unseal(&ks->v[i], keypass, label, e) != 0)
				return -1;
		} else if (storepass) {
			/* Keys under another password stay sealed. */
			if (ucpki_jks_unseal(&ks->v[i], storepass, label, NULL) != 0)
				ERR_clear_error();
		}
	}
	return 0;
}

struct ucpki_keystore *ucpki_keystore_load_mem(const unsigned char *data, size_t len,
                                               const char *label, const char *storepass,
                                               const char *keypass, struct ucpki_err *e)
{
	struct ucpki_keystore *ks = ucpki_keystore_new(UCPKI_KS_JKS);
	int rc;

	if (ks == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if (len >= 4 && (memcmp(data, "\xfe\xed\xfe\xed", 4) == 0 ||
	                 memcmp(data, "\xce\xce\xce\xce", 4) == 0)) {
		rc = load_jks(ks, data, len, label, storepass, keypass, e);
	} else if (len > 0 && data[0] == 0x30) {
		ks->type = UCPKI_KS_PKCS12;
		if (storepass == NULL)
			rc = ucpki_err_set(e, UCPKI_E_PASSWORD,
			                   "%s: a PKCS#12 keystore cannot be read without its password",
			                   label);
		else
			rc = ucpki_p12_decode(data, len, label, storepass, &ks->v, &ks->n, e);
		ks->cap = ks->n;
		ks->verified = 1;
	} else {
		rc = ucpki_err_set(e, UCPKI_E_INPUT,
		                   "%s: not a keystore (neither JKS, JCEKS nor PKCS#12)", label);
	}
	if (rc == 0 && storepass && (ks->storepass = strdup(storepass)) == NULL)
		rc = ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if (rc != 0) {
		ucpki_keystore_free(ks);
		return NULL;
	}
	return ks;
}

struct ucpki_keystore *ucpki_keystore_load(const char *path, const char *storepass,
                                           const char *keypass, struct ucpki_err *e)
{
	unsigned char *data;
	size_t len;
	struct ucpki_keystore *ks;

	if (ucpki_file_read(path, 0, &data, &len, e) != 0)
		return NULL;
	ks = ucpki_keystore_load_mem(data, len, path, storepass, keypass, e);
	ucpki_secure_free(data, len);
	return ks;
}

enum ucpki_kstype ucpki_keystore_type(const struct ucpki_keystore *ks)
{
	return ks->type;
}

int ucpki_keystore_verified(const struct ucpki_keystore *ks)
{
	return ks->verified;
}

const struct ucpki_warnings *ucpki_keystore_warnings(const struct ucpki_keystore *ks)
{
	return &ks->warn;
}

int ucpki_keystore_set_type(struct ucpki_keystore *ks, enum ucpki_kstype type,
                            struct ucpki_err *e)
{
	if (type == UCPKI_KS_JCEKS)
		return ucpki_err_set(e, UCPKI_E_INPUT, "JCEKS keystores are read-only: save as JKS or PKCS#12");
	if (type == UCPKI_KS_JKS) {
		for (int i = 0; i < ks->n; i++)
			for (int j = 0; j < i; j++)
				if (strcasecmp(ks->v[i].alias, ks->v[j].alias) == 0)
					return ucpki_err_set(e, UCPKI_E_EXISTS,
					                     "aliases '%s' and '%s' are the same in a JKS "
					                     "keystore (aliases ignore case there)",
					                     ks->v[j].alias, ks->v[i].alias);
		for (int i = 0; i < ks->n; i++)
			lower(ks->v[i].alias);
	}
	ks->type = type;
	return 0;
}

const char *ucpki_kstype_name(enum ucpki_kstype t)
{
	switch (t) {
	case UCPKI_KS_JKS:
		return "JKS";
	case UCPKI_KS_PKCS12:
		return "PKCS12";
	case UCPKI_KS_JCEKS:
		return "JCEKS";
	}
	return "unknown";
}

int ucpki_kstype_parse(const char *text, enum ucpki_kstype *t, struct ucpki_err *e)
{
	static const struct {
		const char *name;
		enum ucpki_kstype type;
	} names[] = {
		{"jks", UCPKI_KS_JKS},       {"p12", UCPKI_KS_PKCS12}, {"pkcs12", UCPKI_KS_PKCS12},
		{"pfx", UCPKI_KS_PKCS12},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(text, names[i].name) == 0) {
			*t = names[i].type;
			return 0;
		}
	return ucpki_err_set(e, UCPKI_E_INPUT, "unknown keystore type '%s' (use jks or p12)", text);
}

enum ucpki_kstype ucpki_kstype_for_path(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (dot && (!slash || dot > slash) &&
	    (strcasecmp(dot, ".p12") == 0 || strcasecmp(dot, ".pfx") == 0 ||
	     strcasecmp(dot, ".pkcs12") == 0))
		return UCPKI_KS_PKCS12;
	return UCPKI_KS_JKS;
}

int ucpki_keystore_count(const struct ucpki_keystore *ks)
{
	return ks->n;
}

const struct ucpki_ksentry *ucpki_keystore_entry(const struct ucpki_keystore *ks, int i)
{
	return i >= 0 && i < ks->n ? &ks->v[i] : NULL;
}

int ucpki_keystore_find(const struct ucpki_keystore *ks, const char *alias)
{
	for (int i = 0; i < ks->n; i++)
		if (strcasecmp(ks->v[i].alias, alias) == 0)
			return i;
	return -1;
}

int ucpki_keystore_unlock(struct ucpki_keystore *ks, int i, const char *keypass,
                          struct ucpki_err *e)
{
	if (i < 0 || i >= ks->n)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "no such keystore entry");
	return ucpki_jks_unseal(&ks->v[i], keypass ? keypass : ks->storepass, "keystore", e);
}

/* Append a prepared entry after checking its alias (takes en's contents). */
static int append(struct ucpki_keystore *ks, struct ucpki_ksentry *en, struct ucpki_err *e)
{
	if (en->alias == NULL || en->alias[0] == '\0') {
		ucpki_ksentry_clear(en);
		return ucpki_err_set(e, UCPKI_E_INPUT, "an alias is needed");
	}
	if (ks->type != UCPKI_KS_PKCS12)
		lower(en->alias);
	if (ucpki_keystore_find(ks, en->alias) >= 0) {
		int rc = ucpki_err_set(e, UCPKI_E_EXISTS, "alias '%s' already exists in the keystore",
		                       en->alias);
		ucpki_ksentry_clear(en);
		return rc;
	}
	if (ks->n == ks->cap) {
		int ncap = ks->cap ? ks->cap * 2 : 16;
		struct ucpki_ksentry *nv = realloc(ks->v, (size_t)ncap * sizeof(*nv));
		if (nv == NULL) {
			ucpki_ksentry_clear(en);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
		ks->v = nv;
		ks->cap = ncap;
	}
	ks->v[ks->n++] = *en;
	return 0;
}

static STACK_OF(X509) *chain_copy(STACK_OF(X509) *chain)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	for (int i = 0; sk && i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		if (!X509_up_ref(x))
			goto fail;
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			goto fail;
		}
	}
	return sk;
fail:
	sk_X509_pop_free(sk, X509_free);
	return NULL;
}

int ucpki_keystore_add_trusted(struct ucpki_keystore *ks, const char *alias, X509 *cert,
                               struct ucpki_err *e)
{
	struct ucpki_ksentry en = {0};

	en.type = UCPKI_KSE_TRUSTED;
	en.date_ms = now_ms();
	if ((en.alias = strdup(alias ? alias : "")) == NULL || (en.certs = sk_X509_new_null()) == NULL ||
	    !X509_up_ref(cert)) {
		ucpki_ksentry_clear(&en);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	if (!sk_X509_push(en.certs, cert)) {
		X509_free(cert);
		ucpki_ksentry_clear(&en);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return append(ks, &en, e);
}

int ucpki_keystore_add_key(struct ucpki_keystore *ks, const char *alias, EVP_PKEY *key,
                           STACK_OF(X509) *chain, struct ucpki_err *e)
{
	struct ucpki_ksentry en = {0};

	if (sk_X509_num(chain) < 1)
		return ucpki_err_set(e, UCPKI_E_INPUT, "a key entry needs its certificate");
	if (!ucpki_key_matches_cert(sk_X509_value(chain, 0), key))
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "the private key does not match the certificate");
	en.type = UCPKI_KSE_KEY;
	en.date_ms = now_ms();
	if ((en.alias = strdup(alias ? alias : "")) == NULL || (en.certs = chain_copy(chain)) == NULL ||
	    !EVP_PKEY_up_ref(key)) {
		ucpki_ksentry_clear(&en);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	en.key = key;
	return append(ks, &en, e);
}

int ucpki_keystore_add_copy(struct ucpki_keystore *ks, const struct ucpki_ksentry *src,
                            const char *alias, struct ucpki_err *e)
{
	struct ucpki_ksentry en = {0};

	if (src->type == UCPKI_KSE_OPAQUE)
		return ucpki_err_set(e, UCPKI_E_POLICY,
		                     "entry '%s' is %s, which ucpki cannot copy into another store",
		                     src->alias, src->kind ? src->kind : "of a kind ucpki does not know");
	if (src->type == UCPKI_KSE_KEY && src->key == NULL)
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "entry '%s': the private key is sealed (wrong or missing key password)",
		                     src->alias);
	en.type = src->type;
	en.date_ms = src->date_ms ? src->date_ms : now_ms();
	if ((en.alias = strdup(alias ? alias : src->alias)) == NULL ||
	    (en.certs = chain_copy(src->certs)) == NULL ||
	    (src->key && !EVP_PKEY_up_ref(src->key))) {
		ucpki_ksentry_clear(&en);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	en.key = src->key;
	return append(ks, &en, e);
}

int ucpki_keystore_delete(struct ucpki_keystore *ks, const char *alias, struct ucpki_err *e)
{
	int i = ucpki_keystore_find(ks, alias);

	if (i < 0)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "alias '%s' does not exist in the keystore",
		                     alias);
	ucpki_ksentry_clear(&ks->v[i]);
	memmove(&ks->v[i], &ks->v[i + 1], (size_t)(ks->n - i - 1) * sizeof(ks->v[0]));
	ks->n--;
	return 0;
}

char *ucpki_keystore_free_alias(const struct ucpki_keystore *ks, X509 *cert)
{
	char *cn = ucpki_dn_cn(X509_get_subject_name(cert));
	char *base = cn && *cn ? cn : strdup("cert"), *alias;
	size_t n;

	if (cn && !*cn)
		free(cn);
	if (base == NULL)
		return NULL;
	lower(base);
	n = strlen(base) + 16;
	if ((alias = malloc(n)) == NULL) {
		free(base);
		return NULL;
	}
	snprintf(alias, n, "%s", base);
	for (int k = 2; ucpki_keystore_find(ks, alias) >= 0; k++)
		snprintf(alias, n, "%s-%d", base, k);
	free(base);
	return alias;
}

int ucpki_keystore_add_trusted_certs(struct ucpki_keystore *ks, STACK_OF(X509) *certs,
                                     const char *alias, struct ucpki_err *e)
{
	int n = sk_X509_num(certs);

	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(certs, i);
		char name[512], *owned = NULL;
		int rc;

		if (alias && n == 1)
			snprintf(name, sizeof(name), "%s", alias);
		else if (alias)
			snprintf(name, sizeof(name), "%s-%d", alias, i + 1);
		else if ((owned = ucpki_keystore_free_alias(ks, x)) == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		rc = ucpki_keystore_add_trusted(ks, owned ? owned : name, x, e);
		free(owned);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int ucpki_keystore_encode(const struct ucpki_keystore *ks, struct ucpki_buf *b,
                          const char *storepass, const char *keypass,
                          const struct ucpki_p12_opts *p12, struct ucpki_err *e)
{
	switch (ks->type) {
	case UCPKI_KS_JKS:
		return ucpki_jks_encode(b, ks->v, ks->n, storepass, keypass, e);
	case UCPKI_KS_PKCS12:
		return ucpki_p12_encode(b, ks->v, ks->n, storepass, p12, e);
	case UCPKI_KS_JCEKS:
		break;
	}
	return ucpki_err_set(e, UCPKI_E_INPUT, "JCEKS keystores are read-only: save as JKS or PKCS#12");
}

int ucpki_keystore_save(const struct ucpki_keystore *ks, const char *path,
                        const char *storepass, const char *keypass,
                        const struct ucpki_p12_opts *p12, unsigned mode, int flags,
                        struct ucpki_err *e)
{
	struct ucpki_buf b = {0};
	int rc = ucpki_keystore_encode(ks, &b, storepass, keypass, p12, e);

	if (rc == 0)
		rc = ucpki_file_write(path, b.data, b.len, (mode_t)mode, flags, e);
	else
		ucpki_err_prefix(e, "%s: ", path);
	ucpki_buf_free(&b);
	return rc;
}
