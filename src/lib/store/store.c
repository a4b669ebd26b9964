/* Backend selection and dispatch for the state store (see ucpki/store.h). */
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

struct ucpki_store {
	const struct store_ops *ops;
	void *db;
};

struct ucpki_store *ucpki_store_open(const char *uri, int create, struct ucpki_err *e)
{
	struct ucpki_store *s;

	if (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0) {
		ucpki_err_set(e, UCPKI_E_INPUT,
		              "%s: the PostgreSQL store is not available in this build", uri);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	s->ops = &store_sqlite_ops;
	if ((s->db = store_sqlite_open(uri, create, e)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void ucpki_store_free(struct ucpki_store *s)
{
	if (s == NULL)
		return;
	s->ops->close(s->db);
	free(s);
}

int ucpki_store_begin(struct ucpki_store *s, struct ucpki_err *e)
{
	return s->ops->begin(s->db, e);
}

int ucpki_store_commit(struct ucpki_store *s, struct ucpki_err *e)
{
	return s->ops->commit(s->db, e);
}

void ucpki_store_rollback(struct ucpki_store *s)
{
	s->ops->rollback(s->db);
}

int ucpki_store_meta_get(struct ucpki_store *s, const char *key, char **val,
                         struct ucpki_err *e)
{
	return s->ops->meta_get(s->db, key, val, e);
}

int ucpki_store_meta_set(struct ucpki_store *s, const char *key, const char *val,
                         struct ucpki_err *e)
{
	return s->ops->meta_set(s->db, key, val, e);
}

int ucpki_store_schema_version(struct ucpki_store *s, int *version, struct ucpki_err *e)
{
	return s->ops->schema_version(s->db, version, e);
}

int ucpki_store_pki_add(struct ucpki_store *s, struct ucpki_pki_rec *r, struct ucpki_err *e)
{
	return s->ops->pki_add(s->db, r, e);
}

int ucpki_store_pki_find(struct ucpki_store *s, const char *name, struct ucpki_pki_rec *r,
                         struct ucpki_err *e)
{
	return s->ops->pki_find(s->db, name, r, e);
}

int ucpki_store_pki_list(struct ucpki_store *s, ucpki_pki_cb cb, void *arg,
                         struct ucpki_err *e)
{
	return s->ops->pki_list(s->db, cb, arg, e);
}

int ucpki_store_ca_add(struct ucpki_store *s, struct ucpki_ca_rec *r, struct ucpki_err *e)
{
	return s->ops->ca_add(s->db, r, e);
}

int ucpki_store_ca_find(struct ucpki_store *s, int64_t pki_id, const char *name,
                        struct ucpki_ca_rec *r, struct ucpki_err *e)
{
	return s->ops->ca_find(s->db, pki_id, name, r, e);
}

int ucpki_store_ca_get(struct ucpki_store *s, int64_t id, struct ucpki_ca_rec *r,
                       struct ucpki_err *e)
{
	return s->ops->ca_get(s->db, id, r, e);
}

int ucpki_store_ca_list(struct ucpki_store *s, int64_t pki_id, ucpki_ca_cb cb, void *arg,
                        struct ucpki_err *e)
{
	return s->ops->ca_list(s->db, pki_id, cb, arg, e);
}

int ucpki_store_ca_next_crl_number(struct ucpki_store *s, int64_t ca_id, int64_t *n,
                                   struct ucpki_err *e)
{
	return s->ops->ca_next_crl_number(s->db, ca_id, n, e);
}

int ucpki_store_cert_add(struct ucpki_store *s, struct ucpki_cert_rec *r,
                         struct ucpki_err *e)
{
	return s->ops->cert_add(s->db, r, e);
}

int ucpki_store_cert_find(struct ucpki_store *s, int64_t ca_id, const char *serial,
                          struct ucpki_cert_rec *r, struct ucpki_err *e)
{
	return s->ops->cert_find(s->db, ca_id, serial, r, e);
}

int ucpki_store_cert_list(struct ucpki_store *s, const struct ucpki_cert_filter *f,
                          ucpki_cert_cb cb, void *arg, struct ucpki_err *e)
{
	return s->ops->cert_list(s->db, f, cb, arg, e);
}

int ucpki_store_cert_revoke(struct ucpki_store *s, int64_t ca_id, const char *serial,
                            int64_t when, int reason, struct ucpki_err *e)
{
	return s->ops->cert_revoke(s->db, ca_id, serial, when, reason, e);
}

int ucpki_store_cert_set_delivery(struct ucpki_store *s, int64_t ca_id, const char *serial,
                                  const char *delivery, struct ucpki_err *e)
{
	return s->ops->cert_set_delivery(s->db, ca_id, serial, delivery, e);
}

int ucpki_store_crl_add(struct ucpki_store *s, struct ucpki_crl_rec *r, struct ucpki_err *e)
{
	return s->ops->crl_add(s->db, r, e);
}

int ucpki_store_crl_list(struct ucpki_store *s, int64_t ca_id, ucpki_crl_cb cb, void *arg,
                         struct ucpki_err *e)
{
	return s->ops->crl_list(s->db, ca_id, cb, arg, e);
}

int ucpki_store_integrity(struct ucpki_store *s, char **report, struct ucpki_err *e)
{
	return s->ops->integrity(s->db, report, e);
}

int ucpki_store_backup(struct ucpki_store *s, const char *dest, struct ucpki_err *e)
{
	return s->ops->backup(s->db, dest, e);
}

void ucpki_crl_rec_clear(struct ucpki_crl_rec *r)
{
	free(r->der);
	memset(r, 0, sizeof(*r));
}

void ucpki_pki_rec_clear(struct ucpki_pki_rec *r)
{
	free(r->name);
	free(r->description);
	memset(r, 0, sizeof(*r));
}

void ucpki_ca_rec_clear(struct ucpki_ca_rec *r)
{
	free(r->name);
	free(r->subject);
	free(r->cert);
	free(r->key);
	free(r->chain);
	memset(r, 0, sizeof(*r));
}

void ucpki_cert_rec_clear(struct ucpki_cert_rec *r)
{
	free(r->serial);
	free(r->subject);
	free(r->sans);
	free(r->profile);
	free(r->delivery);
	free(r->der);
	memset(r, 0, sizeof(*r));
}
