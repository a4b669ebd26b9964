/*
 * ucpki/store.h - where a state keeps its PKIs, CAs and issued certificates.
 *
 * One interface, several backends: ucpki_store_open() picks SQLite for a file
 * path (the default, WAL mode) and PostgreSQL for a "postgresql://" URI once
 * that backend is built in. Callers never see SQL. Records are plain structs;
 * the byte buffers inside a record returned by a lookup belong to the record
 * and are released by the matching *_rec_clear().
 *
 * Transactions nest: begin() opens a write transaction (or a savepoint inside
 * one), commit() closes the innermost, rollback() undoes the innermost.
 *
 * Identity: a SQLite state carries PRAGMA application_id 0x5543504B ("UCPK")
 * and its schema version in PRAGMA user_version. Opening refuses, with
 * UCPKI_E_INPUT and a message naming the file, a zero-length file ("is
 * empty: not a ucpki state"), a database of another application (another
 * application_id, or tables that are not ucpki's; nothing is added to it),
 * and a damaged one ("damaged: PRAGMA quick_check says ..."). A state made
 * before the id existed gets it at its next migration.
 */
#ifndef UCPKI_STORE_H
#define UCPKI_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "ucpki/err.h"

struct ucpki_store;

/* Schema version this build writes; older databases are migrated on open. */
#define UCPKI_SCHEMA_VERSION 2

struct ucpki_pki_rec {
	int64_t id;
	char *name;
	char *description;
	int64_t created;     /* seconds since the epoch */
};

struct ucpki_ca_rec {
	int64_t id;
	int64_t pki_id;
	int64_t parent_id;   /* 0 for a root or an imported CA */
	char *name;
	char *subject;       /* display form */
	unsigned char *cert; /* DER */
	size_t cert_len;
	unsigned char *key;  /* encrypted PKCS#8 DER */
	size_t key_len;
	unsigned char *chain;/* PEM of the certificates above it not kept as CAs here */
	size_t chain_len;
	int64_t not_after;
	int64_t crl_number;  /* last CRL number issued */
	int64_t created;
};

enum ucpki_cert_status { UCPKI_CERT_VALID = 0, UCPKI_CERT_REVOKED = 1 };

struct ucpki_cert_rec {
	int64_t id;
	int64_t ca_id;
	char *serial;        /* upper-case hex, no leading zeros beyond one byte */
	char *subject;
	char *sans;          /* "DNS:a, IP:b" */
	int64_t not_before, not_after;
	char *profile;
	enum ucpki_cert_status status;
	int64_t revoked_at;
	int reason;          /* RFC 5280 CRLReason, -1 when none */
	unsigned char *der;
	size_t der_len;
	int64_t created;
	/* Where the certificate's files were written: "" = not tracked (CA
	 * certificates, rows older than the column, callers that deliver
	 * elsewhere), UCPKI_DELIVERY_PENDING = recorded but its files never
	 * renamed into place, else "written: FILE, FILE". */
	char *delivery;
};

#define UCPKI_DELIVERY_PENDING "pending"

/* A CRL as written, recorded in the transaction that allocated its number. */
struct ucpki_crl_rec {
	int64_t id;
	int64_t ca_id;
	int64_t number;
	int64_t this_update, next_update;
	unsigned char *der;
	size_t der_len;
	int64_t created;
};

struct ucpki_cert_filter {
	int64_t ca_id;          /* 0 = every CA */
	int64_t expiring_before;/* 0 = no limit; else not_after < this */
	int only_valid;         /* skip revoked */
	int with_der;           /* fill der/der_len */
};

typedef int (*ucpki_pki_cb)(void *arg, const struct ucpki_pki_rec *r);
typedef int (*ucpki_ca_cb)(void *arg, const struct ucpki_ca_rec *r);
typedef int (*ucpki_cert_cb)(void *arg, const struct ucpki_cert_rec *r);
typedef int (*ucpki_crl_cb)(void *arg, const struct ucpki_crl_rec *r);

/* Open (create = 1: create if missing, and accept an empty database to
 * turn into a state) and migrate the schema. */
struct ucpki_store *ucpki_store_open(const char *uri, int create, struct ucpki_err *e);
void ucpki_store_free(struct ucpki_store *s);

int ucpki_store_begin(struct ucpki_store *s, struct ucpki_err *e);
int ucpki_store_commit(struct ucpki_store *s, struct ucpki_err *e);
void ucpki_store_rollback(struct ucpki_store *s);

/* Key/value settings of the state (passphrase verifier, creation time). */
int ucpki_store_meta_get(struct ucpki_store *s, const char *key, char **val,
                         struct ucpki_err *e);
int ucpki_store_meta_set(struct ucpki_store *s, const char *key, const char *val,
                         struct ucpki_err *e);
int ucpki_store_schema_version(struct ucpki_store *s, int *version, struct ucpki_err *e);

int ucpki_store_pki_add(struct ucpki_store *s, struct ucpki_pki_rec *r, struct ucpki_err *e);
int ucpki_store_pki_find(struct ucpki_store *s, const char *name, struct ucpki_pki_rec *r,
                         struct ucpki_err *e);
int ucpki_store_pki_list(struct ucpki_store *s, ucpki_pki_cb cb, void *arg,
                         struct ucpki_err *e);

int ucpki_store_ca_add(struct ucpki_store *s, struct ucpki_ca_rec *r, struct ucpki_err *e);
int ucpki_store_ca_find(struct ucpki_store *s, int64_t pki_id, const char *name,
                        struct ucpki_ca_rec *r, struct ucpki_err *e);
int ucpki_store_ca_get(struct ucpki_store *s, int64_t id, struct ucpki_ca_rec *r,
                       struct ucpki_err *e);
int ucpki_store_ca_list(struct ucpki_store *s, int64_t pki_id, ucpki_ca_cb cb, void *arg,
                        struct ucpki_err *e);
/* Increment and return the CA's CRL number. */
int ucpki_store_ca_next_crl_number(struct ucpki_store *s, int64_t ca_id, int64_t *n,
                                   struct ucpki_err *e);

/* Fails with UCPKI_E_EXISTS when the CA already issued that serial. */
int ucpki_store_cert_add(struct ucpki_store *s, struct ucpki_cert_rec *r,
                         struct ucpki_err *e);
int ucpki_store_cert_find(struct ucpki_store *s, int64_t ca_id, const char *serial,
                          struct ucpki_cert_rec *r, struct ucpki_err *e);
int ucpki_store_cert_list(struct ucpki_store *s, const struct ucpki_cert_filter *f,
                          ucpki_cert_cb cb, void *arg, struct ucpki_err *e);
int ucpki_store_cert_revoke(struct ucpki_store *s, int64_t ca_id, const char *serial,
                            int64_t when, int reason, struct ucpki_err *e);

/* Set the delivery column of one certificate (see struct ucpki_cert_rec). */
int ucpki_store_cert_set_delivery(struct ucpki_store *s, int64_t ca_id, const char *serial,
                                  const char *delivery, struct ucpki_err *e);

/* Record a CRL (UCPKI_E_EXISTS if the CA already wrote that number); list
 * them by CA (0 = all) and increasing number. */
int ucpki_store_crl_add(struct ucpki_store *s, struct ucpki_crl_rec *r, struct ucpki_err *e);
int ucpki_store_crl_list(struct ucpki_store *s, int64_t ca_id, ucpki_crl_cb cb, void *arg,
                         struct ucpki_err *e);

/* Full page-level check (PRAGMA integrity_check). *report is NULL when the
 * database is sound, else the problems found (free() it). */
int ucpki_store_integrity(struct ucpki_store *s, char **report, struct ucpki_err *e);

/* A consistent online copy of the database into dest, a new empty file
 * (SQLite backup API); the copy is a single file that opens as a store. */
int ucpki_store_backup(struct ucpki_store *s, const char *dest, struct ucpki_err *e);

void ucpki_crl_rec_clear(struct ucpki_crl_rec *r);
void ucpki_pki_rec_clear(struct ucpki_pki_rec *r);
void ucpki_ca_rec_clear(struct ucpki_ca_rec *r);
void ucpki_cert_rec_clear(struct ucpki_cert_rec *r);

#endif
