/* The contract a storage backend fulfils; see ucpki/store.h for semantics. */
#ifndef UCPKI_STORE_IMPL_H
#define UCPKI_STORE_IMPL_H

#include "ucpki/store.h"

struct store_ops {
	const char *name;
	void (*close)(void *db);
	int (*begin)(void *db, struct ucpki_err *e);
	int (*commit)(void *db, struct ucpki_err *e);
	void (*rollback)(void *db);
	int (*meta_get)(void *db, const char *key, char **val, struct ucpki_err *e);
	int (*meta_set)(void *db, const char *key, const char *val, struct ucpki_err *e);
	int (*schema_version)(void *db, int *version, struct ucpki_err *e);
	int (*pki_add)(void *db, struct ucpki_pki_rec *r, struct ucpki_err *e);
	int (*pki_find)(void *db, const char *name, struct ucpki_pki_rec *r, struct ucpki_err *e);
	int (*pki_list)(void *db, ucpki_pki_cb cb, void *arg, struct ucpki_err *e);
	int (*ca_add)(void *db, struct ucpki_ca_rec *r, struct ucpki_err *e);
	int (*ca_find)(void *db, int64_t pki_id, const char *name, struct ucpki_ca_rec *r,
	               struct ucpki_err *e);
	int (*ca_get)(void *db, int64_t id, struct ucpki_ca_rec *r, struct ucpki_err *e);
	int (*ca_list)(void *db, int64_t pki_id, ucpki_ca_cb cb, void *arg, struct ucpki_err *e);
	int (*ca_next_crl_number)(void *db, int64_t ca_id, int64_t *n, struct ucpki_err *e);
	int (*cert_add)(void *db, struct ucpki_cert_rec *r, struct ucpki_err *e);
	int (*cert_find)(void *db, int64_t ca_id, const char *serial, struct ucpki_cert_rec *r,
	                 struct ucpki_err *e);
	int (*cert_list)(void *db, const struct ucpki_cert_filter *f, ucpki_cert_cb cb,
	                 void *arg, struct ucpki_err *e);
	int (*cert_revoke)(void *db, int64_t ca_id, const char *serial, int64_t when,
	                   int reason, struct ucpki_err *e);
	int (*cert_set_delivery)(void *db, int64_t ca_id, const char *serial,
	                         const char *delivery, struct ucpki_err *e);
	int (*crl_add)(void *db, struct ucpki_crl_rec *r, struct ucpki_err *e);
	int (*crl_list)(void *db, int64_t ca_id, ucpki_crl_cb cb, void *arg, struct ucpki_err *e);
	int (*integrity)(void *db, char **report, struct ucpki_err *e);
	int (*backup)(void *db, const char *dest, struct ucpki_err *e);
};

/* Backends: open returns the backend's handle or NULL with e filled. */
void *store_sqlite_open(const char *path, int create, struct ucpki_err *e);
extern const struct store_ops store_sqlite_ops;

#endif
