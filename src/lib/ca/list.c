/* Listing CAs (with their place in the hierarchy) and issued certificates. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ca/ca_internal.h"

struct ca_row {
	struct ucpki_ca_rec rec;
	char *pki;
};

struct ca_rows {
	struct ca_row *v;
	size_t n, cap;
};

struct pki_names {
	struct ucpki_pki_rec *v;
	size_t n, cap;
};

static int collect_pki(void *arg, const struct ucpki_pki_rec *r)
{
	struct pki_names *p = arg;

	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 8;
		struct ucpki_pki_rec *nv = realloc(p->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		p->v = nv;
		p->cap = ncap;
	}
	p->v[p->n].id = r->id;
	p->v[p->n].name = strdup(r->name);
	p->v[p->n].description = NULL;
	if (p->v[p->n].name == NULL)
		return -1;
	p->n++;
	return 0;
}

static int collect_ca(void *arg, const struct ucpki_ca_rec *r)
{
	struct ca_rows *c = arg;
	struct ca_row *row;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 8;
		struct ca_row *nv = realloc(c->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		c->v = nv;
		c->cap = ncap;
	}
	row = &c->v[c->n++];
	memset(row, 0, sizeof(*row));
	row->rec = *r;
	/* Take ownership of the strings we keep; drop the blobs we don't. */
	row->rec.name = strdup(r->name);
	row->rec.subject = strdup(r->subject);
	row->rec.cert = malloc(r->cert_len);
	row->rec.key = NULL;
	row->rec.key_len = 0;
	row->rec.chain = NULL;
	row->rec.chain_len = 0;
	if (!row->rec.name || !row->rec.subject || !row->rec.cert)
		return -1;
	memcpy(row->rec.cert, r->cert, r->cert_len);
	return 0;
}

static const struct ca_row *find_row(const struct ca_rows *c, int64_t id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].rec.id == id)
			return &c->v[i];
	return NULL;
}

static const char *pki_name(const struct pki_names *p, int64_t id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].id == id)
			return p->v[i].name;
	return "?";
}

static void free_lists(struct ca_rows *c, struct pki_names *p)
{
	for (size_t i = 0; i < c->n; i++)
		ucpki_ca_rec_clear(&c->v[i].rec);
	free(c->v);
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].name);
	free(p->v);
}

static int load_lists(struct ucpki_state *st, struct ca_rows *c, struct pki_names *p,
                      struct ucpki_err *e)
{
	if (ucpki_store_pki_list(st->store, collect_pki, p, e) != 0 ||
	    ucpki_store_ca_list(st->store, 0, collect_ca, c, e) != 0) {
		if (e && e->code == UCPKI_OK)
			ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return -1;
	}
	return 0;
}

int ucpki_ca_list(struct ucpki_state *st, ucpki_ca_summary_cb cb, void *arg,
                  struct ucpki_err *e)
{
	struct ca_rows c = {0};
	struct pki_names p = {0};
	int rc = 0;

	if (e)
		ucpki_err_clear(e);
	if (load_lists(st, &c, &p, e) != 0) {
		free_lists(&c, &p);
		return -1;
	}
	for (size_t i = 0; i < c.n && rc == 0; i++) {
		const struct ca_row *row = &c.v[i], *up;
		const unsigned char *der = row->rec.cert;
		X509 *x = d2i_X509(NULL, &der, (long)row->rec.cert_len);
		struct ucpki_ca_summary s = {0};
		struct ucpki_keyspec ks;
		char keybuf[32] = "?";
		int depth = 0;

		for (up = find_row(&c, row->rec.parent_id); up && depth < 64;
		     up = find_row(&c, up->rec.parent_id))
			depth++;
		up = find_row(&c, row->rec.parent_id);
		if (x && X509_get0_pubkey(x) && ucpki_keyspec_of(X509_get0_pubkey(x), &ks))
			ucpki_keyspec_string(&ks, keybuf, sizeof(keybuf));
		s.pki = pki_name(&p, row->rec.pki_id);
		s.name = row->rec.name;
		s.parent = up ? up->rec.name : "";
		s.subject = row->rec.subject;
		s.not_after = (time_t)row->rec.not_after;
		s.depth = depth;
		s.pathlen = x ? (int)X509_get_pathlen(x) : -1;
		s.key = keybuf;
		s.imported = row->rec.parent_id == 0 && x && X509_self_signed(x, 0) != 1;
		rc = cb(arg, &s);
		X509_free(x);
	}
	free_lists(&c, &p);
	return rc < 0 ? -1 : 0;
}

struct cert_walk {
	struct ca_rows *cas;
	struct pki_names *pkis;
	ucpki_issued_cb cb;
	void *arg;
};

static int walk_cert(void *arg, const struct ucpki_cert_rec *r)
{
	struct cert_walk *w = arg;
	const struct ca_row *row = find_row(w->cas, r->ca_id);
	char ref[2 * NAME_MAX_LEN + 2];

	snprintf(ref, sizeof(ref), "%s/%s", row ? pki_name(w->pkis, row->rec.pki_id) : "?",
	         row ? row->rec.name : "?");
	return w->cb(w->arg, ref, r);
}

int ucpki_certs_list(struct ucpki_state *st, const char *ca_ref, int expiring_days,
                     ucpki_issued_cb cb, void *arg, struct ucpki_err *e)
{
	struct ca_rows c = {0};
	struct pki_names p = {0};
	struct ucpki_cert_filter f = {0};
	struct cert_walk w = {&c, &p, cb, arg};
	int rc;

	if (e)
		ucpki_err_clear(e);
	if (ca_ref != NULL) {
		struct ucpki_ca *ca = ucpki_ca_open(st, ca_ref, e);
		if (ca == NULL)
			return -1;
		f.ca_id = ca->rec.id;
		ucpki_ca_free(ca);
	}
	if (expiring_days >= 0)
		f.expiring_before = (int64_t)time(NULL) + (int64_t)expiring_days * 86400;
	f.only_valid = expiring_days >= 0;
	if (load_lists(st, &c, &p, e) != 0) {
		free_lists(&c, &p);
		return -1;
	}
	rc = ucpki_store_cert_list(st->store, &f, walk_cert, &w, e);
	free_lists(&c, &p);
	return rc;
}
