/*
 * SQLite backend of the state store: WAL journal, full sync, foreign keys,
 * a busy timeout so that several ucpki processes can share one state, and
 * serial uniqueness enforced by a UNIQUE constraint rather than by luck.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "store/store_impl.h"

/* Each entry migrates the schema from version i to i + 1. Append only. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE pki("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE ca("
	"  id INTEGER PRIMARY KEY,"
	"  pki_id INTEGER NOT NULL REFERENCES pki(id),"
	"  parent_id INTEGER REFERENCES ca(id),"
	"  name TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  cert BLOB NOT NULL,"
	"  key_enc BLOB NOT NULL,"
	"  chain BLOB,"
	"  not_after INTEGER NOT NULL,"
	"  crl_number INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE(pki_id, name));"
	"CREATE TABLE cert("
	"  id INTEGER PRIMARY KEY,"
	"  ca_id INTEGER NOT NULL REFERENCES ca(id),"
	"  serial TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  sans TEXT NOT NULL DEFAULT '',"
	"  not_before INTEGER NOT NULL,"
	"  not_after INTEGER NOT NULL,"
	"  profile TEXT NOT NULL DEFAULT '',"
	"  status INTEGER NOT NULL DEFAULT 0 CHECK(status IN (0, 1)),"
	"  revoked_at INTEGER,"
	"  reason INTEGER,"
	"  der BLOB NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE(ca_id, serial));"
	"CREATE INDEX cert_not_after ON cert(not_after);",
	/* 1 -> 2: where each certificate's files went, and every CRL written */
	"ALTER TABLE cert ADD COLUMN delivery TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE crl("
	"  id INTEGER PRIMARY KEY,"
	"  ca_id INTEGER NOT NULL REFERENCES ca(id),"
	"  number INTEGER NOT NULL,"
	"  this_update INTEGER NOT NULL,"
	"  next_update INTEGER NOT NULL,"
	"  der BLOB NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE(ca_id, number));",
};

/* PRAGMA application_id of a ucpki state: ASCII "UCPK". */
#define UCPKI_APP_ID 0x5543504B

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

enum stmt_id {
	ST_META_GET, ST_META_SET, ST_PKI_ADD, ST_PKI_FIND, ST_PKI_LIST,
	ST_CA_ADD, ST_CA_FIND, ST_CA_GET, ST_CA_LIST_ALL, ST_CA_LIST_PKI, ST_CA_CRLNUM_INC,
	ST_CA_CRLNUM_GET, ST_CERT_ADD, ST_CERT_FIND, ST_CERT_LIST, ST_CERT_REVOKE,
	ST_CERT_DELIVERY, ST_CRL_ADD, ST_CRL_LIST,
	ST_COUNT
};

#define CA_COLS "id, pki_id, parent_id, name, subject, cert, key_enc, chain, not_after, " \
                "crl_number, created"
#define CERT_COLS "id, ca_id, serial, subject, sans, not_before, not_after, profile, " \
                  "status, revoked_at, reason, created, delivery"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[ST_META_SET] = "INSERT INTO meta(key, value) VALUES(?1, ?2) "
	                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[ST_PKI_ADD] = "INSERT INTO pki(name, description, created) VALUES(?1, ?2, ?3)",
	[ST_PKI_FIND] = "SELECT id, name, description, created FROM pki WHERE name = ?1",
	[ST_PKI_LIST] = "SELECT id, name, description, created FROM pki ORDER BY name",
	[ST_CA_ADD] = "INSERT INTO ca(pki_id, parent_id, name, subject, cert, key_enc, chain, "
	              "not_after, crl_number, created) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9)",
	[ST_CA_FIND] = "SELECT " CA_COLS " FROM ca WHERE pki_id = ?1 AND name = ?2",
	[ST_CA_GET] = "SELECT " CA_COLS " FROM ca WHERE id = ?1",
	[ST_CA_LIST_ALL] = "SELECT " CA_COLS " FROM ca ORDER BY pki_id, id",
	[ST_CA_LIST_PKI] = "SELECT " CA_COLS " FROM ca WHERE pki_id = ?1 ORDER BY id",
	[ST_CA_CRLNUM_INC] = "UPDATE ca SET crl_number = crl_number + 1 WHERE id = ?1",
	[ST_CA_CRLNUM_GET] = "SELECT crl_number FROM ca WHERE id = ?1",
	[ST_CERT_ADD] = "INSERT INTO cert(ca_id, serial, subject, sans, not_before, not_after, "
	                "profile, status, der, created, delivery) "
	                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10)",
	[ST_CERT_FIND] = "SELECT " CERT_COLS ", der FROM cert WHERE ca_id = ?1 AND serial = ?2",
	[ST_CERT_LIST] = "SELECT " CERT_COLS ", CASE WHEN ?4 THEN der END FROM cert "
	                 "WHERE (?1 = 0 OR ca_id = ?1) AND (?2 = 0 OR not_after < ?2) "
	                 "AND (?3 = 0 OR status = 0) ORDER BY not_after, id",
	[ST_CERT_REVOKE] = "UPDATE cert SET status = 1, revoked_at = ?3, reason = ?4 "
	                   "WHERE ca_id = ?1 AND serial = ?2 AND status = 0",
	[ST_CERT_DELIVERY] = "UPDATE cert SET delivery = ?3 WHERE ca_id = ?1 AND serial = ?2",
	[ST_CRL_ADD] = "INSERT INTO crl(ca_id, number, this_update, next_update, der, created) "
	               "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_CRL_LIST] = "SELECT id, ca_id, number, this_update, next_update, der, created FROM crl "
	                "WHERE (?1 = 0 OR ca_id = ?1) ORDER BY ca_id, number",
};

struct sq {
	sqlite3 *db;
	char *path;
	int depth;                 /* open transaction + savepoints */
	sqlite3_stmt *st[ST_COUNT];
};

static int db_error(struct sq *q, struct ucpki_err *e, const char *what)
{
	int rc = sqlite3_extended_errcode(q->db);
	enum ucpki_code code = UCPKI_E_INTERNAL;

	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		code = UCPKI_E_BUSY;
	else if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN ||
	         (rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL)
		code = UCPKI_E_IO;
	else if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
		code = UCPKI_E_INPUT;
	return ucpki_err_set(e, code, "%s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
}

static int exec(struct sq *q, const char *sql, struct ucpki_err *e)
{
	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(q, e, "database statement failed");
	return 0;
}

/* The cached statement for id, reset and with its bindings cleared. */
static sqlite3_stmt *stmt(struct sq *q, enum stmt_id id, struct ucpki_err *e)
{
	if (q->st[id] == NULL &&
	    sqlite3_prepare_v3(q->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &q->st[id],
	                       NULL) != SQLITE_OK) {
		db_error(q, e, "cannot prepare statement");
		return NULL;
	}
	sqlite3_reset(q->st[id]);
	sqlite3_clear_bindings(q->st[id]);
	return q->st[id];
}

static char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return strdup(t ? (const char *)t : "");
}

static unsigned char *col_blob(sqlite3_stmt *s, int i, size_t *len)
{
	const void *b = sqlite3_column_blob(s, i);
	int n = sqlite3_column_bytes(s, i);
	unsigned char *out;

	*len = 0;
	if (b == NULL || n <= 0)
		return NULL;
	if ((out = malloc((size_t)n + 1)) == NULL)
		return NULL;
	memcpy(out, b, (size_t)n);
	out[n] = '\0';
	*len = (size_t)n;
	return out;
}

static int query_int(struct sq *q, const char *sql, int *out)
{
	sqlite3_stmt *s;
	int rc;

	*out = 0;
	if (sqlite3_prepare_v2(q->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Run PRAGMA quick_check or integrity_check. *report is NULL when the
 * database is sound, else the problems joined by "; " (free() it). */
static int page_check(struct sq *q, const char *pragma, char **report, struct ucpki_err *e)
{
	char buf[1024] = "";
	size_t n = 0;
	sqlite3_stmt *s;
	int rc, rows = 0;

	*report = NULL;
	if (sqlite3_prepare_v2(q->db, pragma, -1, &s, NULL) != SQLITE_OK) {
		snprintf(buf, sizeof(buf), "%s", sqlite3_errmsg(q->db));
		goto bad;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		if (t == NULL || (rows == 0 && strcmp(t, "ok") == 0))
			continue;
		if (n < sizeof(buf) - 1)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", rows ? "; " : "", t);
		rows++;
	}
	if (rc != SQLITE_DONE) {
		if (n < sizeof(buf) - 1)
			snprintf(buf + n, sizeof(buf) - n, "%s%s", rows ? "; " : "",
			         sqlite3_errmsg(q->db));
		rows++;
	}
	sqlite3_finalize(s);
	if (rows == 0)
		return 0;
bad:
	for (char *c = buf; *c; c++)
		if (*c == '\n')
			*c = ' ';
	if ((*report = strdup(buf)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	return 0;
}

/* Is this database a ucpki state (or, with create, an empty one to become
 * one)? Runs inside the migration's transaction. */
static int check_identity(struct sq *q, int create, int *set_id, struct ucpki_err *e)
{
	int app = 0, version = 0, tables = 0, ours = 0;

	*set_id = 0;
	if (query_int(q, "PRAGMA application_id", &app) != 0 ||
	    query_int(q, "PRAGMA user_version", &version) != 0 ||
	    query_int(q, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", &tables) != 0 ||
	    query_int(q, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	                 "name IN ('meta', 'pki', 'ca', 'cert')", &ours) != 0)
		return db_error(q, e, "cannot read the database header");
	if (app != 0 && (uint32_t)app != UCPKI_APP_ID)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s: not a ucpki state (a SQLite database of another "
		                     "application, application_id 0x%08x); left untouched",
		                     q->path, (unsigned)app);
	if (tables == 0 && version == 0) {
		if (!create)
			return ucpki_err_set(e, UCPKI_E_INPUT,
			                     "%s: not a ucpki state (a SQLite database without tables; "
			                     "restore a backup, or remove it to start anew)", q->path);
		*set_id = (uint32_t)app != UCPKI_APP_ID;
		return 0;
	}
	if (version < 1 || ours != 4)
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s: not a ucpki state (a SQLite database with %d table%s but "
		                     "not ucpki's schema); left untouched",
		                     q->path, tables, tables == 1 ? "" : "s");
	/* A state made before the id existed gets it with its next migration. */
	*set_id = (uint32_t)app != UCPKI_APP_ID;
	return 0;
}

static int migrate(struct sq *q, int create, struct ucpki_err *e)
{
	int version = 0, set_id = 0;

	if (exec(q, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	if (check_identity(q, create, &set_id, e) != 0) {
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (query_int(q, "PRAGMA user_version", &version) != 0)
		goto fail;
	if (version > N_MIGRATIONS) {
		exec(q, "ROLLBACK", NULL);
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s: schema version %d is newer than this ucpki "
		                     "understands (%d); upgrade ucpki",
		                     q->path, version, N_MIGRATIONS);
	}
	if (version == N_MIGRATIONS && !set_id)
		return exec(q, "COMMIT", e);
	for (; version < N_MIGRATIONS; version++) {
		char pragma[64];
		if (sqlite3_exec(q->db, migrations[version], NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
		if (sqlite3_exec(q->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	if (set_id) {
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA application_id = %d", (int)UCPKI_APP_ID);
		if (sqlite3_exec(q->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	return exec(q, "COMMIT", e);
fail:
	db_error(q, e, "cannot migrate the schema");
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static void sq_close(void *db)
{
	struct sq *q = db;

	if (q == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(q->st[i]);
	sqlite3_close(q->db);
	free(q->path);
	free(q);
}

void *store_sqlite_open(const char *path, int create, struct ucpki_err *e)
{
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	struct sq *q = calloc(1, sizeof(*q));
	char *report = NULL;
	struct stat sb;

	if (q == NULL || (q->path = strdup(path)) == NULL) {
		free(q);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	/* SQLite takes an empty file for a new database: never for a state. */
	if (!create && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0) {
		ucpki_err_set(e, UCPKI_E_INPUT,
		              "%s is empty: not a ucpki state (restore a backup, or remove it to "
		              "start anew)", path);
		sq_close(q);
		return NULL;
	}
	if (sqlite3_open_v2(path, &q->db, flags, NULL) != SQLITE_OK) {
		if (!create)
			ucpki_err_set(e, UCPKI_E_NOTFOUND,
			              "%s: no state database here (run 'ucpki init' first)", path);
		else
			db_error(q, e, "cannot open the database");
		sq_close(q);
		return NULL;
	}
	sqlite3_busy_timeout(q->db, 60000);
	sqlite3_extended_result_codes(q->db, 1);
	/* A damaged page is refused before anything reads or writes rows. */
	if (page_check(q, "PRAGMA quick_check", &report, e) != 0) {
		sq_close(q);
		return NULL;
	}
	if (report != NULL) {
		if (strstr(report, "not a database") != NULL)
			ucpki_err_set(e, UCPKI_E_INPUT, "%s: not a ucpki state (%s)", path, report);
		else if (strstr(report, "locked") != NULL || strstr(report, "busy") != NULL)
			ucpki_err_set(e, UCPKI_E_BUSY, "%s: %s", path, report);
		else
			ucpki_err_set(e, UCPKI_E_INPUT,
			              "%s: damaged: PRAGMA quick_check says %s (restore a backup)", path,
			              report);
		free(report);
		sq_close(q);
		return NULL;
	}
	/* Refuse another application's file before anything (even the journal
	 * mode) is changed in it; migrate() checks again under its lock. */
	{
		int set_id;
		if (check_identity(q, create, &set_id, e) != 0) {
			sq_close(q);
			return NULL;
		}
	}
	if (exec(q, "PRAGMA foreign_keys = ON", e) != 0 ||
	    exec(q, "PRAGMA journal_mode = WAL", e) != 0 ||
	    exec(q, "PRAGMA synchronous = FULL", e) != 0 || migrate(q, create, e) != 0) {
		sq_close(q);
		return NULL;
	}
	return q;
}

static int sq_begin(void *db, struct ucpki_err *e)
{
	struct sq *q = db;
	char sql[64];

	if (q->depth == 0)
		snprintf(sql, sizeof(sql), "BEGIN IMMEDIATE");
	else
		snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", q->depth);
	if (exec(q, sql, e) != 0)
		return -1;
	q->depth++;
	return 0;
}

static int sq_commit(void *db, struct ucpki_err *e)
{
	struct sq *q = db;
	char sql[64];

	if (q->depth == 0)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "commit without a transaction");
	if (q->depth == 1)
		snprintf(sql, sizeof(sql), "COMMIT");
	else
		snprintf(sql, sizeof(sql), "RELEASE sp%d", q->depth - 1);
	if (exec(q, sql, e) != 0)
		return -1;
	q->depth--;
	return 0;
}

static void sq_rollback(void *db)
{
	struct sq *q = db;
	char sql[64];

	if (q->depth == 0)
		return;
	if (q->depth == 1) {
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	} else {
		snprintf(sql, sizeof(sql), "ROLLBACK TO sp%d; RELEASE sp%d", q->depth - 1,
		         q->depth - 1);
		sqlite3_exec(q->db, sql, NULL, NULL, NULL);
	}
	q->depth--;
}

static int step_done(struct sq *q, sqlite3_stmt *s, struct ucpki_err *e, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return 0;
	}
	db_error(q, e, what);
	sqlite3_reset(s);
	return -1;
}

static int sq_meta_get(void *db, const char *key, char **val, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_META_GET, e);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*val = col_text(s, 0);
		sqlite3_reset(s);
		return *val ? 0 : ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "%s: no setting '%s'", q->path, key);
	return db_error(q, e, "cannot read a setting");
}

static int sq_meta_set(void *db, const char *key, const char *val, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_META_SET, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, val, -1, SQLITE_STATIC);
	return step_done(q, s, e, "cannot write a setting");
}

static int sq_schema_version(void *db, int *version, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(q->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return db_error(q, e, "cannot read the schema version");
	*version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	return 0;
}

static int is_constraint(struct sq *q)
{
	return (sqlite3_extended_errcode(q->db) & 0xff) == SQLITE_CONSTRAINT;
}

static int sq_pki_add(void *db, struct ucpki_pki_rec *r, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_PKI_ADD, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->description ? r->description : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, r->created);
	if (sqlite3_step(s) != SQLITE_DONE) {
		int exists = is_constraint(q);
		if (exists)
			ucpki_err_set(e, UCPKI_E_EXISTS, "PKI '%s' already exists", r->name);
		else
			db_error(q, e, "cannot add the PKI");
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	r->id = sqlite3_last_insert_rowid(q->db);
	return 0;
}

static int read_pki(sqlite3_stmt *s, struct ucpki_pki_rec *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->name = col_text(s, 1);
	r->description = col_text(s, 2);
	r->created = sqlite3_column_int64(s, 3);
	return r->name && r->description ? 0 : -1;
}

static int sq_pki_find(void *db, const char *name, struct ucpki_pki_rec *r,
                       struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_PKI_FIND, e);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return ucpki_err_set(e, UCPKI_E_NOTFOUND,
		                     "unknown PKI '%s' (see 'ucpki pki list')", name);
	}
	if (rc != SQLITE_ROW) {
		db_error(q, e, "cannot look up the PKI");
		sqlite3_reset(s);
		return -1;
	}
	memset(r, 0, sizeof(*r));
	rc = read_pki(s, r);
	sqlite3_reset(s);
	if (rc != 0) {
		ucpki_pki_rec_clear(r);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

static int sq_pki_list(void *db, ucpki_pki_cb cb, void *arg, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s;
	int rc;

	/* Own statement: a callback may issue other queries. */
	if (sqlite3_prepare_v2(q->db, stmt_sql[ST_PKI_LIST], -1, &s, NULL) != SQLITE_OK)
		return db_error(q, e, "cannot list PKIs");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ucpki_pki_rec r = {0};
		int stop;
		if (read_pki(s, &r) != 0) {
			ucpki_pki_rec_clear(&r);
			sqlite3_finalize(s);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
		stop = cb(arg, &r);
		ucpki_pki_rec_clear(&r);
		if (stop != 0) {
			sqlite3_finalize(s);
			return stop < 0 ? -1 : 0;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_error(q, e, "cannot list PKIs");
	return 0;
}

static int sq_ca_add(void *db, struct ucpki_ca_rec *r, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CA_ADD, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->pki_id);
	if (r->parent_id)
		sqlite3_bind_int64(s, 2, r->parent_id);
	sqlite3_bind_text(s, 3, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->subject, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 5, r->cert, (int)r->cert_len, SQLITE_STATIC);
	sqlite3_bind_blob(s, 6, r->key, (int)r->key_len, SQLITE_STATIC);
	if (r->chain_len)
		sqlite3_bind_blob(s, 7, r->chain, (int)r->chain_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, r->not_after);
	sqlite3_bind_int64(s, 9, r->created);
	if (sqlite3_step(s) != SQLITE_DONE) {
		int exists = is_constraint(q);
		if (exists)
			ucpki_err_set(e, UCPKI_E_EXISTS, "CA '%s' already exists in this PKI", r->name);
		else
			db_error(q, e, "cannot add the CA");
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	r->id = sqlite3_last_insert_rowid(q->db);
	return 0;
}

static int read_ca(sqlite3_stmt *s, struct ucpki_ca_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->pki_id = sqlite3_column_int64(s, 1);
	r->parent_id = sqlite3_column_int64(s, 2);
	r->name = col_text(s, 3);
	r->subject = col_text(s, 4);
	r->cert = col_blob(s, 5, &r->cert_len);
	r->key = col_blob(s, 6, &r->key_len);
	r->chain = col_blob(s, 7, &r->chain_len);
	r->not_after = sqlite3_column_int64(s, 8);
	r->crl_number = sqlite3_column_int64(s, 9);
	r->created = sqlite3_column_int64(s, 10);
	if (!r->name || !r->subject || !r->cert || !r->key)
		return -1;
	return 0;
}

static int ca_one(struct sq *q, sqlite3_stmt *s, struct ucpki_ca_rec *r, struct ucpki_err *e,
                  const char *missing)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "%s", missing);
	}
	if (rc != SQLITE_ROW) {
		db_error(q, e, "cannot look up the CA");
		sqlite3_reset(s);
		return -1;
	}
	rc = read_ca(s, r);
	sqlite3_reset(s);
	if (rc != 0) {
		ucpki_ca_rec_clear(r);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "CA row is incomplete or out of memory");
	}
	return 0;
}

static int sq_ca_find(void *db, int64_t pki_id, const char *name, struct ucpki_ca_rec *r,
                      struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CA_FIND, e);
	char msg[300];

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, pki_id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	snprintf(msg, sizeof(msg), "unknown CA '%s' (see 'ucpki ca list')", name);
	return ca_one(q, s, r, e, msg);
}

static int sq_ca_get(void *db, int64_t id, struct ucpki_ca_rec *r, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CA_GET, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return ca_one(q, s, r, e, "CA record is missing");
}

static int sq_ca_list(void *db, int64_t pki_id, ucpki_ca_cb cb, void *arg,
                      struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(q->db, stmt_sql[pki_id ? ST_CA_LIST_PKI : ST_CA_LIST_ALL], -1, &s,
	                       NULL) != SQLITE_OK)
		return db_error(q, e, "cannot list CAs");
	if (pki_id)
		sqlite3_bind_int64(s, 1, pki_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ucpki_ca_rec r;
		int stop;
		if (read_ca(s, &r) != 0) {
			ucpki_ca_rec_clear(&r);
			sqlite3_finalize(s);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "CA row is incomplete");
		}
		stop = cb(arg, &r);
		ucpki_ca_rec_clear(&r);
		if (stop != 0) {
			sqlite3_finalize(s);
			return stop < 0 ? -1 : 0;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_error(q, e, "cannot list CAs");
}

static int sq_ca_next_crl_number(void *db, int64_t ca_id, int64_t *n, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CA_CRLNUM_INC, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ca_id);
	if (step_done(q, s, e, "cannot advance the CRL number") != 0)
		return -1;
	if ((s = stmt(q, ST_CA_CRLNUM_GET, e)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ca_id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		db_error(q, e, "cannot read the CRL number");
		sqlite3_reset(s);
		return -1;
	}
	*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

static int sq_cert_add(void *db, struct ucpki_cert_rec *r, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CERT_ADD, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->ca_id);
	sqlite3_bind_text(s, 2, r->serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->sans ? r->sans : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, r->not_before);
	sqlite3_bind_int64(s, 6, r->not_after);
	sqlite3_bind_text(s, 7, r->profile ? r->profile : "", -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 8, r->der, (int)r->der_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, r->created);
	sqlite3_bind_text(s, 10, r->delivery ? r->delivery : "", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		int exists = is_constraint(q);
		if (exists)
			ucpki_err_set(e, UCPKI_E_EXISTS, "serial %s already issued by this CA", r->serial);
		else
			db_error(q, e, "cannot record the certificate");
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	r->id = sqlite3_last_insert_rowid(q->db);
	return 0;
}

static int read_cert(sqlite3_stmt *s, struct ucpki_cert_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->ca_id = sqlite3_column_int64(s, 1);
	r->serial = col_text(s, 2);
	r->subject = col_text(s, 3);
	r->sans = col_text(s, 4);
	r->not_before = sqlite3_column_int64(s, 5);
	r->not_after = sqlite3_column_int64(s, 6);
	r->profile = col_text(s, 7);
	r->status = sqlite3_column_int(s, 8) ? UCPKI_CERT_REVOKED : UCPKI_CERT_VALID;
	r->revoked_at = sqlite3_column_int64(s, 9);
	r->reason = sqlite3_column_type(s, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 10);
	r->created = sqlite3_column_int64(s, 11);
	r->delivery = col_text(s, 12);
	r->der = col_blob(s, 13, &r->der_len);
	return r->serial && r->subject && r->sans && r->profile && r->delivery ? 0 : -1;
}

static int sq_cert_find(void *db, int64_t ca_id, const char *serial, struct ucpki_cert_rec *r,
                        struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CERT_FIND, e);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ca_id);
	sqlite3_bind_text(s, 2, serial, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "serial %s was not issued by this CA",
		                     serial);
	}
	if (rc != SQLITE_ROW) {
		db_error(q, e, "cannot look up the certificate");
		sqlite3_reset(s);
		return -1;
	}
	rc = read_cert(s, r);
	sqlite3_reset(s);
	if (rc != 0) {
		ucpki_cert_rec_clear(r);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

static int sq_cert_list(void *db, const struct ucpki_cert_filter *f, ucpki_cert_cb cb,
                        void *arg, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(q->db, stmt_sql[ST_CERT_LIST], -1, &s, NULL) != SQLITE_OK)
		return db_error(q, e, "cannot list certificates");
	sqlite3_bind_int64(s, 1, f ? f->ca_id : 0);
	sqlite3_bind_int64(s, 2, f ? f->expiring_before : 0);
	sqlite3_bind_int(s, 3, f ? f->only_valid : 0);
	sqlite3_bind_int(s, 4, f ? f->with_der : 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ucpki_cert_rec r;
		int stop;
		if (read_cert(s, &r) != 0) {
			ucpki_cert_rec_clear(&r);
			sqlite3_finalize(s);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		}
		stop = cb(arg, &r);
		ucpki_cert_rec_clear(&r);
		if (stop != 0) {
			sqlite3_finalize(s);
			return stop < 0 ? -1 : 0;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_error(q, e, "cannot list certificates");
}

static int sq_cert_revoke(void *db, int64_t ca_id, const char *serial, int64_t when,
                          int reason, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CERT_REVOKE, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ca_id);
	sqlite3_bind_text(s, 2, serial, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, when);
	sqlite3_bind_int(s, 4, reason);
	if (step_done(q, s, e, "cannot revoke") != 0)
		return -1;
	if (sqlite3_changes(q->db) == 0)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND,
		                     "serial %s is not a valid certificate of this CA "
		                     "(unknown or already revoked)", serial);
	return 0;
}

static int sq_cert_set_delivery(void *db, int64_t ca_id, const char *serial,
                                const char *delivery, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CERT_DELIVERY, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ca_id);
	sqlite3_bind_text(s, 2, serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, delivery ? delivery : "", -1, SQLITE_STATIC);
	if (step_done(q, s, e, "cannot record the delivery") != 0)
		return -1;
	if (sqlite3_changes(q->db) == 0)
		return ucpki_err_set(e, UCPKI_E_NOTFOUND, "serial %s was not issued by this CA",
		                     serial);
	return 0;
}

static int sq_crl_add(void *db, struct ucpki_crl_rec *r, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s = stmt(q, ST_CRL_ADD, e);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->ca_id);
	sqlite3_bind_int64(s, 2, r->number);
	sqlite3_bind_int64(s, 3, r->this_update);
	sqlite3_bind_int64(s, 4, r->next_update);
	sqlite3_bind_blob(s, 5, r->der, (int)r->der_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, r->created);
	if (sqlite3_step(s) != SQLITE_DONE) {
		if (is_constraint(q))
			ucpki_err_set(e, UCPKI_E_EXISTS, "CRL number %lld already written by this CA",
			              (long long)r->number);
		else
			db_error(q, e, "cannot record the CRL");
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	r->id = sqlite3_last_insert_rowid(q->db);
	return 0;
}

static int sq_crl_list(void *db, int64_t ca_id, ucpki_crl_cb cb, void *arg,
                       struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(q->db, stmt_sql[ST_CRL_LIST], -1, &s, NULL) != SQLITE_OK)
		return db_error(q, e, "cannot list CRLs");
	sqlite3_bind_int64(s, 1, ca_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ucpki_crl_rec r = {0};
		int stop;
		r.id = sqlite3_column_int64(s, 0);
		r.ca_id = sqlite3_column_int64(s, 1);
		r.number = sqlite3_column_int64(s, 2);
		r.this_update = sqlite3_column_int64(s, 3);
		r.next_update = sqlite3_column_int64(s, 4);
		r.der = col_blob(s, 5, &r.der_len);
		r.created = sqlite3_column_int64(s, 6);
		stop = cb(arg, &r);
		ucpki_crl_rec_clear(&r);
		if (stop != 0) {
			sqlite3_finalize(s);
			return stop < 0 ? -1 : 0;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_error(q, e, "cannot list CRLs");
}

static int sq_integrity(void *db, char **report, struct ucpki_err *e)
{
	return page_check(db, "PRAGMA integrity_check", report, e);
}

/* Copy the database page by page into dest (a new, empty file) with the
 * online backup API: a consistent snapshot even while others write. */
static int sq_backup(void *db, const char *dest, struct ucpki_err *e)
{
	struct sq *q = db;
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int rc;

	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot open the copy: %s", dest,
		              to ? sqlite3_errmsg(to) : "out of memory");
		sqlite3_close(to);
		return -1;
	}
	sqlite3_busy_timeout(to, 60000);
	if ((b = sqlite3_backup_init(to, "main", q->db, "main")) == NULL) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot start the backup: %s", dest,
		              sqlite3_errmsg(to));
		sqlite3_close(to);
		return -1;
	}
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: backup of %s failed: %s", dest, q->path,
		              sqlite3_errstr(rc));
		sqlite3_close(to);
		return -1;
	}
	/* The copy is one self-contained file: no -wal beside it. */
	if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot finish the copy: %s", dest,
		              sqlite3_errmsg(to));
		sqlite3_close(to);
		return -1;
	}
	if (sqlite3_close(to) != SQLITE_OK)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot close the copy", dest);
	return 0;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.schema_version = sq_schema_version,
	.pki_add = sq_pki_add,
	.pki_find = sq_pki_find,
	.pki_list = sq_pki_list,
	.ca_add = sq_ca_add,
	.ca_find = sq_ca_find,
	.ca_get = sq_ca_get,
	.ca_list = sq_ca_list,
	.ca_next_crl_number = sq_ca_next_crl_number,
	.cert_add = sq_cert_add,
	.cert_find = sq_cert_find,
	.cert_list = sq_cert_list,
	.cert_revoke = sq_cert_revoke,
	.cert_set_delivery = sq_cert_set_delivery,
	.crl_add = sq_crl_add,
	.crl_list = sq_crl_list,
	.integrity = sq_integrity,
	.backup = sq_backup,
};
