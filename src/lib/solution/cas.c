/*
 * The PKI and CAs an inventory names: created when missing, reused when
 * present (their subjects must still match the inventory), opened and
 * unlocked once for the whole run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solution/cas.h"
#include "ucpki/file.h"
#include "ucpki/x509.h"

static int same_subject(const char *a, X509 *cert)
{
	X509_NAME *n = ucpki_dn_parse(a, NULL, NULL);
	int same = n && X509_NAME_cmp(n, X509_get_subject_name(cert)) == 0;

	X509_NAME_free(n);
	return same;
}

/* Open ref; *missing = 1 (and no error) when it does not exist. */
static struct ucpki_ca *try_open(struct ucpki_state *st, const char *ref, int *missing,
                                 struct ucpki_err *e)
{
	struct ucpki_err e2 = {0};
	struct ucpki_ca *ca = ucpki_ca_open(st, ref, &e2);

	*missing = 0;
	if (ca)
		return ca;
	if (e2.code == UCPKI_E_NOTFOUND) {
		*missing = 1;
		return NULL;
	}
	if (e)
		*e = e2;
	return NULL;
}

/* The CA exists with the inventory's subject: 1; exists otherwise: error;
 * missing: 0. */
static int ca_present(struct ucpki_state *st, const struct ucpki_inventory *inv,
                      const struct inv_ca *c, const char *ref, const char *path,
                      struct ucpki_err *e)
{
	struct ucpki_ca *ca;
	int missing, same;

	if ((ca = try_open(st, ref, &missing, e)) == NULL)
		return missing ? 0 : -1;
	same = same_subject(c->subject, ucpki_ca_cert(ca));
	ucpki_ca_free(ca);
	if (!same)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s:%d: %s.subject: CA %s already exists with another "
		                     "subject; use another pki or CA name", inv->label, c->line, path,
		                     ref);
	return 1;
}

static int ensure_ca(struct ucpki_state *st, const struct ucpki_inventory *inv,
                     const struct inv_ca *c, const char *parent, const char *path,
                     struct ucpki_warnings *w, struct ucpki_err *e)
{
	char ref[160];
	struct ucpki_ca_opts o = {0};
	struct ucpki_err e2 = {0};
	int have;

	snprintf(ref, sizeof(ref), "%s/%s", inv->pki, c->name);
	if ((have = ca_present(st, inv, c, ref, path, e)) != 0)
		return have < 0 ? -1 : 0;
	o.ref = ref;
	o.subject = c->subject;
	o.key = c->key;
	o.hash = c->hash;
	o.parent = parent;
	o.days = c->days;
	o.pathlen = c->pathlen;
	o.no_2038 = 1; /* the CAs sign for products with 32-bit clocks (R5) */
	if (ucpki_ca_create(st, &o, w, &e2) == 0)
		return 0;
	/* another run on the same state created it meanwhile: use it if it is
	 * the inventory's */
	if (e2.code == UCPKI_E_EXISTS && (have = ca_present(st, inv, c, ref, path, e)) != 0)
		return have < 0 ? -1 : 0;
	if (e)
		*e = e2;
	return -1;
}

static int ensure_import(struct ucpki_state *st, const struct ucpki_inventory *inv,
                         struct ucpki_warnings *w, struct ucpki_err *e)
{
	char ref[160], *pass = NULL;
	unsigned char *p12;
	size_t len;
	struct ucpki_ca *ca;
	int missing, rc;

	snprintf(ref, sizeof(ref), "%s/%s", inv->pki, inv->import_name);
	if ((ca = try_open(st, ref, &missing, e)) != NULL) {
		ucpki_ca_free(ca);
		return 0;
	}
	if (!missing)
		return -1;
	if (ucpki_secret_read(inv->import_pass_file, &pass, e) != 0)
		return -1;
	if (ucpki_file_read(inv->import_p12, 0, &p12, &len, e) != 0) {
		ucpki_secret_free(pass);
		return -1;
	}
	rc = ucpki_ca_import_p12(st, ref, p12, len, pass, inv->import_p12, w, e);
	ucpki_secret_free(pass);
	ucpki_secure_free(p12, len);
	return rc;
}

int cas_ensure(struct ucpki_state *st, const struct ucpki_inventory *inv,
               struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct ucpki_err e2 = {0};
	char parent[160];

	if (ucpki_pki_create(st, inv->pki, inv->solution, &e2) != 0 && e2.code != UCPKI_E_EXISTS) {
		if (e)
			*e = e2;
		return -1;
	}
	if (inv->import_p12)
		return ensure_import(st, inv, w, e);
	if (ensure_ca(st, inv, &inv->root, NULL, "ca.root", w, e) != 0)
		return -1;
	snprintf(parent, sizeof(parent), "%s/%s", inv->pki, inv->root.name);
	if (inv->issuing.present) {
		struct inv_ca issuing = inv->issuing;
		issuing.hash = inventory_issuing_hash(inv);
		if (ensure_ca(st, inv, &issuing, parent, "ca.issuing", w, e) != 0)
			return -1;
	}
	return 0;
}

/* R4 in a mixed solution: version 4-6 products verify every signature of
 * the chain with SHA-1, so their certificates come from a sibling of the
 * issuing CA, signed with SHA-1 by the same root (the root's own signature
 * is never checked). */
int cas_ensure_sha1_sibling(struct ucpki_state *st, const struct ucpki_inventory *inv,
                            struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct inv_ca sib = inv->issuing;
	char name[80], subject[600], parent[160];
	X509_NAME *n;
	int i;

	snprintf(name, sizeof(name), "%s-sha1", inv->issuing.name);
	if ((n = ucpki_dn_parse(inv->issuing.subject, NULL, e)) == NULL)
		return -1;
	/* its own subject: two CAs with one name would confuse path building */
	if ((i = X509_NAME_get_index_by_NID(n, NID_commonName, -1)) >= 0) {
		char *cn = ucpki_dn_cn(n), cnbuf[200];
		X509_NAME_ENTRY_free(X509_NAME_delete_entry(n, i));
		snprintf(cnbuf, sizeof(cnbuf), "%s SHA-1", cn ? cn : "Issuing CA");
		free(cn);
		X509_NAME_add_entry_by_NID(n, NID_commonName, MBSTRING_UTF8,
		                           (const unsigned char *)cnbuf, -1, -1, 0);
	}
	{
		char *dn = ucpki_dn_string(n);
		snprintf(subject, sizeof(subject), "%s", dn ? dn : "");
		free(dn);
	}
	X509_NAME_free(n);
	sib.name = name;
	sib.subject = subject;
	sib.hash = "sha1";
	snprintf(parent, sizeof(parent), "%s/%s", inv->pki, inv->root.name);
	return ensure_ca(st, inv, &sib, parent, "ca.issuing", w, e);
}

/* The CA a subordinate CA for the DLS hangs under: the root, or the
 * imported CA. */
static void subca_parent(const struct ucpki_inventory *inv, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", inv->pki, inv->import_p12 ? inv->import_name : inv->root.name);
}

int cas_ensure_subca(struct ucpki_state *st, const struct ucpki_inventory *inv,
                     const struct node_spec *s, struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct ucpki_ca_opts o = {0};
	struct ucpki_ca *ca;
	char parent[160];
	int missing;

	if ((ca = try_open(st, s->ca_ref, &missing, e)) != NULL) {
		int same = same_subject(s->subject, ucpki_ca_cert(ca));
		ucpki_ca_free(ca);
		if (!same)
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "%s:%d: node %s: its DLS CA %s exists with another subject; "
			                     "rename the node to make a new one", inv->label, s->n->line,
			                     s->n->name, s->ca_ref);
		return 0;
	}
	if (!missing)
		return -1;
	subca_parent(inv, parent, sizeof(parent));
	o.ref = s->ca_ref;
	o.subject = s->subject;
	o.key = s->key;
	o.hash = s->hash;
	o.parent = parent;
	o.days = s->days;
	o.pathlen = 0;
	o.no_2038 = s->clamp_2038;
	return ucpki_ca_create(st, &o, w, e);
}

/* --- the open CAs of a run --------------------------------------------- */

struct ca_entry *cas_get(struct ca_set *set, struct ucpki_state *st, const char *ref,
                         struct ucpki_err *e)
{
	struct ca_entry *c;
	STACK_OF(X509) *chain;

	for (int i = 0; i < set->n; i++)
		if (strcmp(set->v[i].ref, ref) == 0)
			return &set->v[i];
	if (set->n == CA_SET_MAX) {
		ucpki_err_set(e, UCPKI_E_INPUT, "more than %d different CAs in one inventory",
		              CA_SET_MAX);
		return NULL;
	}
	c = &set->v[set->n];
	memset(c, 0, sizeof(*c));
	snprintf(c->ref, sizeof(c->ref), "%s", ref);
	if ((c->ca = ucpki_ca_open(st, ref, e)) == NULL || ucpki_ca_unlock(c->ca, e) != 0 ||
	    (c->chain = sk_X509_new_null()) == NULL) {
		ucpki_ca_free(c->ca);
		sk_X509_free(c->chain);
		if (e && e->code == UCPKI_OK)
			ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	chain = ucpki_ca_chain(c->ca);
	for (int i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		if (X509_self_signed(x, 0) == 1)
			c->root = x;
		else
			sk_X509_push(c->chain, x);
	}
	ucpki_asn1_time_to_t(X509_get0_notAfter(ucpki_ca_cert(c->ca)), &c->not_after);
	ucpki_fingerprint(ucpki_ca_cert(c->ca), EVP_sha256(), c->fp, sizeof(c->fp));
	if (c->root == NULL || ucpki_modulus_md5(X509_get0_pubkey(c->root), c->root_md5) != 0)
		c->root_md5[0] = '\0';
	set->n++;
	return c;
}

struct ca_entry *cas_find(const struct ca_set *set, const char *ref)
{
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->v[i].ref, ref) == 0)
			return (struct ca_entry *)&set->v[i];
	return NULL;
}

void cas_free(struct ca_set *set)
{
	for (int i = 0; i < set->n; i++) {
		sk_X509_free(set->v[i].chain);
		ucpki_ca_free(set->v[i].ca);
	}
	set->n = 0;
}
