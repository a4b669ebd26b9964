/* The SQLite store: schema, uniqueness, revocation and nested transactions. */
#include "testutil.h"

#include <sqlite3.h>

#include "ucpki/store.h"

static char *dir;
static char dbpath[600];

static int setup(void **state)
{
	(void)state;
	dir = scratch_dir("store");
	snprintf(dbpath, sizeof(dbpath), "%s/ucpki.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

static struct ucpki_store *fresh(void)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s;

	unlink(dbpath);
	s = ucpki_store_open(dbpath, 1, &e);
	if (s == NULL)
		fail_msg("open: %s", e.msg);
	return s;
}

static int64_t add_ca(struct ucpki_store *s, int64_t pki, const char *name)
{
	struct ucpki_ca_rec r = {0};
	struct ucpki_err e;
	unsigned char blob[4] = {1, 2, 3, 4};

	r.pki_id = pki;
	r.name = (char *)name;
	r.subject = (char *)"CN=x";
	r.cert = blob;
	r.cert_len = sizeof(blob);
	r.key = blob;
	r.key_len = sizeof(blob);
	assert_int_equal(ucpki_store_ca_add(s, &r, &e), 0);
	return r.id;
}

static int add_cert(struct ucpki_store *s, int64_t ca, const char *serial, struct ucpki_err *e)
{
	struct ucpki_cert_rec r = {0};
	unsigned char der[3] = {0x30, 0x01, 0x00};

	r.ca_id = ca;
	r.serial = (char *)serial;
	r.subject = (char *)"CN=leaf";
	r.not_after = 2000000000;
	r.der = der;
	r.der_len = sizeof(der);
	return ucpki_store_cert_add(s, &r, e);
}

static void test_schema_and_reopen(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	int v = 0;

	(void)state;
	assert_int_equal(ucpki_store_schema_version(s, &v, &e), 0);
	assert_int_equal(v, UCPKI_SCHEMA_VERSION);
	ucpki_store_free(s);
	s = ucpki_store_open(dbpath, 0, &e);
	assert_non_null(s);
	ucpki_store_free(s);
	unlink(dbpath);
	assert_null(ucpki_store_open(dbpath, 0, &e));
	assert_int_equal(e.code, UCPKI_E_NOTFOUND);
}

static void test_newer_schema_refused(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	sqlite3 *db;

	(void)state;
	ucpki_store_free(s);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(ucpki_store_open(dbpath, 0, &e));
	assert_non_null(strstr(e.msg, "newer than this ucpki"));
}

static void test_pki_and_ca_names(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	struct ucpki_pki_rec p = {0}, got = {0};
	struct ucpki_ca_rec ca = {0};

	(void)state;
	p.name = (char *)"acme";
	assert_int_equal(ucpki_store_pki_add(s, &p, &e), 0);
	assert_int_equal(ucpki_store_pki_add(s, &p, &e), -1);
	assert_int_equal(e.code, UCPKI_E_EXISTS);
	assert_int_equal(ucpki_store_pki_find(s, "acme", &got, &e), 0);
	assert_int_equal(got.id, p.id);
	ucpki_pki_rec_clear(&got);
	assert_int_equal(ucpki_store_pki_find(s, "other", &got, &e), -1);
	assert_int_equal(e.code, UCPKI_E_NOTFOUND);
	add_ca(s, p.id, "root");
	assert_int_equal(ucpki_store_ca_find(s, p.id, "root", &ca, &e), 0);
	assert_string_equal(ca.name, "root");
	assert_int_equal(ca.cert_len, 4);
	ucpki_ca_rec_clear(&ca);
	ucpki_store_free(s);
}

static void test_serial_unique_per_ca(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	struct ucpki_pki_rec p = {0};
	int64_t a, b;

	(void)state;
	p.name = (char *)"acme";
	assert_int_equal(ucpki_store_pki_add(s, &p, &e), 0);
	a = add_ca(s, p.id, "a");
	b = add_ca(s, p.id, "b");
	assert_int_equal(add_cert(s, a, "0A0B", &e), 0);
	assert_int_equal(add_cert(s, a, "0A0B", &e), -1);
	assert_int_equal(e.code, UCPKI_E_EXISTS);
	assert_int_equal(add_cert(s, b, "0A0B", &e), 0);
	ucpki_store_free(s);
}

static void test_revoke(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	struct ucpki_pki_rec p = {0};
	struct ucpki_cert_rec r = {0};
	int64_t a;

	(void)state;
	p.name = (char *)"acme";
	assert_int_equal(ucpki_store_pki_add(s, &p, &e), 0);
	a = add_ca(s, p.id, "a");
	assert_int_equal(add_cert(s, a, "01", &e), 0);
	assert_int_equal(ucpki_store_cert_revoke(s, a, "01", 1700000000, 1, &e), 0);
	assert_int_equal(ucpki_store_cert_find(s, a, "01", &r, &e), 0);
	assert_int_equal(r.status, UCPKI_CERT_REVOKED);
	assert_int_equal(r.reason, 1);
	assert_int_equal(r.revoked_at, 1700000000);
	ucpki_cert_rec_clear(&r);
	assert_int_equal(ucpki_store_cert_revoke(s, a, "01", 1700000001, 4, &e), -1);
	assert_int_equal(e.code, UCPKI_E_NOTFOUND);
	assert_int_equal(ucpki_store_cert_revoke(s, a, "02", 1700000001, 4, &e), -1);
	ucpki_store_free(s);
}

static int count_cb(void *arg, const struct ucpki_cert_rec *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int count_certs(struct ucpki_store *s)
{
	struct ucpki_err e;
	int n = 0;

	assert_int_equal(ucpki_store_cert_list(s, NULL, count_cb, &n, &e), 0);
	return n;
}

static void test_nested_transactions(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	struct ucpki_pki_rec p = {0};
	int64_t a;

	(void)state;
	p.name = (char *)"acme";
	assert_int_equal(ucpki_store_pki_add(s, &p, &e), 0);
	a = add_ca(s, p.id, "a");
	assert_int_equal(ucpki_store_begin(s, &e), 0);
	assert_int_equal(add_cert(s, a, "01", &e), 0);
	assert_int_equal(ucpki_store_begin(s, &e), 0);
	assert_int_equal(add_cert(s, a, "02", &e), 0);
	ucpki_store_rollback(s); /* drops 02 only */
	assert_int_equal(ucpki_store_commit(s, &e), 0);
	assert_int_equal(count_certs(s), 1);
	assert_int_equal(ucpki_store_begin(s, &e), 0);
	assert_int_equal(add_cert(s, a, "03", &e), 0);
	ucpki_store_rollback(s);
	assert_int_equal(count_certs(s), 1);
	assert_int_equal(ucpki_store_commit(s, &e), -1); /* nothing open */
	ucpki_store_free(s);
}

static void test_crl_numbers_increase(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	struct ucpki_pki_rec p = {0};
	int64_t a, n1 = 0, n2 = 0;

	(void)state;
	p.name = (char *)"acme";
	assert_int_equal(ucpki_store_pki_add(s, &p, &e), 0);
	a = add_ca(s, p.id, "a");
	assert_int_equal(ucpki_store_ca_next_crl_number(s, a, &n1, &e), 0);
	assert_int_equal(ucpki_store_ca_next_crl_number(s, a, &n2, &e), 0);
	assert_int_equal(n1, 1);
	assert_int_equal(n2, 2);
	ucpki_store_free(s);
}

static void test_identity(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	sqlite3 *db;
	sqlite3_stmt *st;
	FILE *f;

	(void)state;
	ucpki_store_free(s);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0x5543504B);
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* zero length */
	unlink(dbpath);
	assert_non_null(f = fopen(dbpath, "w"));
	fclose(f);
	assert_null(ucpki_store_open(dbpath, 0, &e));
	assert_int_equal(e.code, UCPKI_E_INPUT);
	assert_non_null(strstr(e.msg, "is empty: not a ucpki state"));

	/* another application's database, with or without an id */
	unlink(dbpath);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); PRAGMA application_id = 7", NULL, NULL,
	                              NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(ucpki_store_open(dbpath, 1, &e));
	assert_non_null(strstr(e.msg, "not a ucpki state"));
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 0", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(ucpki_store_open(dbpath, 1, &e));
	assert_non_null(strstr(e.msg, "not ucpki's schema"));
	unlink(dbpath);
}

static int count_crl(void *arg, const struct ucpki_crl_rec *r)
{
	int *n = arg;

	assert_int_equal(r->number, *n + 1);
	assert_int_equal(r->der_len, 3);
	(*n)++;
	return 0;
}

static void test_crl_rows_and_delivery(void **state)
{
	struct ucpki_err e = {0};
	struct ucpki_store *s = fresh();
	struct ucpki_pki_rec p = {0};
	struct ucpki_crl_rec c = {0};
	struct ucpki_cert_rec got = {0};
	unsigned char der[3] = {0x30, 0x01, 0x00};
	char *report = NULL;
	int64_t ca;
	int n = 0;

	(void)state;
	p.name = (char *)"acme";
	assert_int_equal(ucpki_store_pki_add(s, &p, &e), 0);
	ca = add_ca(s, p.id, "root");
	c.ca_id = ca;
	c.der = der;
	c.der_len = sizeof(der);
	c.number = 1;
	assert_int_equal(ucpki_store_crl_add(s, &c, &e), 0);
	c.number = 2;
	assert_int_equal(ucpki_store_crl_add(s, &c, &e), 0);
	assert_int_equal(ucpki_store_crl_add(s, &c, &e), -1);
	assert_int_equal(e.code, UCPKI_E_EXISTS);
	assert_int_equal(ucpki_store_crl_list(s, ca, count_crl, &n, &e), 0);
	assert_int_equal(n, 2);

	assert_int_equal(add_cert(s, ca, "0A", &e), 0);
	assert_int_equal(ucpki_store_cert_find(s, ca, "0A", &got, &e), 0);
	assert_string_equal(got.delivery, "");
	ucpki_cert_rec_clear(&got);
	assert_int_equal(ucpki_store_cert_set_delivery(s, ca, "0A", UCPKI_DELIVERY_PENDING, &e), 0);
	assert_int_equal(ucpki_store_cert_find(s, ca, "0A", &got, &e), 0);
	assert_string_equal(got.delivery, "pending");
	ucpki_cert_rec_clear(&got);
	assert_int_equal(ucpki_store_cert_set_delivery(s, ca, "0B", "x", &e), -1);
	assert_int_equal(e.code, UCPKI_E_NOTFOUND);

	assert_int_equal(ucpki_store_integrity(s, &report, &e), 0);
	assert_null(report);
	ucpki_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_and_reopen),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_pki_and_ca_names),
		cmocka_unit_test(test_serial_unique_per_ca),
		cmocka_unit_test(test_revoke),
		cmocka_unit_test(test_nested_transactions),
		cmocka_unit_test(test_crl_numbers_increase),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_crl_rows_and_delivery),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
