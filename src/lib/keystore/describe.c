/* Describing a keystore and exporting one entry (see ucpki/keystore.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ucpki/keystore.h"
#include "ucpki/x509.h"

/* keytool's names of the entry types. */
static const char *entry_type_name(const struct ucpki_ksentry *en)
{
	switch (en->type) {
	case UCPKI_KSE_KEY:
		return "PrivateKeyEntry";
	case UCPKI_KSE_TRUSTED:
		return "trustedCertEntry";
	case UCPKI_KSE_OPAQUE:
		break;
	}
	return en->java_type ? en->java_type : "unknown entry";
}

static void entry_clear(struct ucpki_ksentry_info *ei)
{
	free(ei->alias);
	for (int i = 0; i < ei->n_certs; i++)
		ucpki_certinfo_free(ei->certs[i]);
	free(ei->certs);
}

void ucpki_ksinfo_free(struct ucpki_ksinfo *ki)
{
	if (ki == NULL)
		return;
	for (int i = 0; i < ki->n; i++)
		entry_clear(&ki->entries[i]);
	free(ki->entries);
	free(ki);
}

static int entry_info(const struct ucpki_ksentry *en, struct ucpki_ksentry_info *ei,
                      struct ucpki_err *e)
{
	int n = sk_X509_num(en->certs);

	ei->type = en->type;
	ei->type_name = entry_type_name(en);
	ei->date_ms = en->date_ms;
	if (en->date_ms <= 0)
		snprintf(ei->created, sizeof(ei->created), "-");
	else
		ucpki_time_string((time_t)(en->date_ms / 1000), ei->created, sizeof(ei->created));
	ei->key_unlocked = en->type == UCPKI_KSE_KEY && en->key != NULL;
	if (en->type == UCPKI_KSE_OPAQUE)
		ei->kind = en->kind;
	if ((ei->alias = strdup(en->alias)) == NULL ||
	    (n > 0 && (ei->certs = calloc((size_t)n, sizeof(*ei->certs))) == NULL))
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	for (; ei->n_certs < n; ei->n_certs++)
		if ((ei->certs[ei->n_certs] = ucpki_certinfo_new(sk_X509_value(en->certs, ei->n_certs),
		                                                 e)) == NULL) {
			ucpki_err_prefix(e, "entry '%s': ", en->alias);
			return -1;
		}
	return 0;
}

struct ucpki_ksinfo *ucpki_ksinfo_new(const struct ucpki_keystore *ks, struct ucpki_err *e)
{
	struct ucpki_ksinfo *ki = calloc(1, sizeof(*ki));
	int n = ucpki_keystore_count(ks);

	if (ki == NULL || (n > 0 && (ki->entries = calloc((size_t)n, sizeof(*ki->entries))) == NULL)) {
		free(ki);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	ki->type = ucpki_keystore_type(ks);
	ki->type_name = ucpki_kstype_name(ki->type);
	ki->verified = ucpki_keystore_verified(ks);
	for (; ki->n < n; ki->n++)
		if (entry_info(ucpki_keystore_entry(ks, ki->n), &ki->entries[ki->n], e) != 0) {
			ki->n++; /* clear the partly filled one too */
			ucpki_ksinfo_free(ki);
			return NULL;
		}
	return ki;
}

static int export_entry(const struct ucpki_ksentry *en, const struct ucpki_ksexport_opts *o,
                        const enum ucpki_part *parts, int nparts, int has_key,
                        struct ucpki_buf *out, struct ucpki_err *e)
{
	struct ucpki_bundle b;
	int rc;

	if (en->type == UCPKI_KSE_OPAQUE)
		return ucpki_err_set(e, UCPKI_E_INPUT, "entry '%s' is %s, which ucpki cannot export",
		                     en->alias, en->kind ? en->kind : "of an unknown kind");
	if (has_key && en->type != UCPKI_KSE_KEY)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "entry '%s' is a trusted certificate: it has no key", en->alias);
	if (ucpki_bundle_sort(&b, en->certs, has_key ? en->key : NULL, e) != 0)
		return -1;
	if (o->der && (nparts != 1 || parts[0] != UCPKI_PART_CERT))
		rc = ucpki_err_set(e, UCPKI_E_INPUT,
		                   "entry '%s': DER holds the certificate only, not a bundle of parts",
		                   en->alias);
	else if (o->der)
		rc = ucpki_write_cert(out, b.cert, 1, e);
	else
		rc = ucpki_write_bundle(out, &b, parts, nparts,
		                        o->pkcs1 ? UCPKI_KEYENC_PKCS1 : UCPKI_KEYENC_PKCS8, o->password,
		                        NULL, e);
	ucpki_bundle_clear(&b);
	return rc;
}

int ucpki_keystore_export(struct ucpki_keystore *ks, const char *label, const char *alias,
                          const struct ucpki_ksexport_opts *o, struct ucpki_buf *out,
                          int *secret, struct ucpki_err *e)
{
	enum ucpki_part parts[UCPKI_PARTS_MAX];
	int nparts, has_key = 0, i;

	*secret = 0;
	if ((nparts = ucpki_parts_parse(o->order ? o->order : "cert", parts, e)) < 0)
		return -1;
	for (int k = 0; k < nparts; k++)
		has_key |= parts[k] == UCPKI_PART_KEY;
	if ((i = ucpki_keystore_find(ks, alias)) < 0)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "%s: alias '%s' does not exist", label, alias);
	if (has_key && ucpki_keystore_entry(ks, i)->type == UCPKI_KSE_KEY &&
	    ucpki_keystore_unlock(ks, i, o->keypass, e) != 0) {
		ucpki_err_prefix(e, "%s: ", label);
		return -1;
	}
	if (export_entry(ucpki_keystore_entry(ks, i), o, parts, nparts, has_key, out, e) != 0)
		return -1;
	*secret = has_key;
	return 0;
}

int ucpki_keystore_edit_import_ca_file(const char *store, const struct ucpki_ksedit_opts *o,
                                       const char *cert_file, const char *alias,
                                       struct ucpki_ksedit_result *r, struct ucpki_err *e)
{
	struct ucpki_pack *p = ucpki_pack_load(cert_file, NULL, e);
	STACK_OF(X509) *certs = p ? ucpki_pack_certs(p) : NULL;
	int rc = -1;

	if (r)
		memset(r, 0, sizeof(*r));
	if (p == NULL)
		return -1;
	if (sk_X509_num(certs) <= 0)
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: no certificate in this file", cert_file);
	else
		rc = ucpki_keystore_edit_import_ca(store, o, certs, alias, r, e);
	sk_X509_free(certs);
	ucpki_pack_free(p);
	return rc;
}
