/* Atomic writes, backups, filesets and secret files. */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ucpki/file.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = scratch_dir("file");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

static void path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int count_entries(void)
{
	char cmd[700], line[64];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(line, sizeof(line), p))
		n = atoi(line);
	pclose(p);
	return n;
}

static void test_write_modes_and_noclobber(void **state)
{
	char p[600];
	struct ucpki_err e = {0};
	struct stat st;
	unsigned char *data;
	size_t len;

	(void)state;
	path(p, sizeof(p), "key.pem");
	assert_int_equal(ucpki_file_write(p, "secret\n", 7, 0600, UCPKI_WRITE_NOCLOBBER, &e), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ucpki_file_write(p, "other\n", 6, 0600, UCPKI_WRITE_NOCLOBBER, &e), -1);
	assert_int_equal(e.code, UCPKI_E_EXISTS);
	assert_int_equal(ucpki_file_read(p, 0, &data, &len, &e), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(data, "secret\n", 7);
	free(data);
	assert_int_equal(ucpki_file_write(p, "new\n", 4, 0600, UCPKI_WRITE_BACKUP, &e), 0);
	path(p, sizeof(p), "key.pem.bak");
	assert_int_equal(ucpki_file_read(p, 0, &data, &len, &e), 0);
	assert_memory_equal(data, "secret\n", 7);
	free(data);
	assert_int_equal(count_entries(), 2);
}

static void test_fileset_all_or_nothing(void **state)
{
	char a[600], b[600];
	struct ucpki_err e = {0};
	struct ucpki_fileset *fs = ucpki_fileset_new();

	(void)state;
	path(a, sizeof(a), "a.pem");
	path(b, sizeof(b), "b.pem");
	assert_int_equal(ucpki_fileset_add(fs, a, "a", 1, 0644, 0, &e), 0);
	assert_int_equal(ucpki_fileset_add(fs, b, "b", 1, 0644, 0, &e), 0);
	assert_int_equal(ucpki_fileset_add(fs, a, "a", 1, 0644, 0, &e), -1);
	ucpki_fileset_free(fs); /* not committed: nothing appears */
	assert_int_equal(access(a, F_OK), -1);
	assert_int_equal(access(b, F_OK), -1);
	assert_int_equal(count_entries(), 2); /* what the previous test left */
	fs = ucpki_fileset_new();
	assert_int_equal(ucpki_fileset_add(fs, a, "a", 1, 0644, 0, &e), 0);
	assert_int_equal(ucpki_fileset_commit(fs, &e), 0);
	ucpki_fileset_free(fs);
	assert_int_equal(access(a, F_OK), 0);
}

static void test_read_limits_and_errors(void **state)
{
	char p[600];
	struct ucpki_err e = {0};
	unsigned char *data;
	size_t len;

	(void)state;
	path(p, sizeof(p), "big");
	assert_int_equal(ucpki_file_write(p, "0123456789", 10, 0644, 0, &e), 0);
	assert_int_equal(ucpki_file_read(p, 9, &data, &len, &e), -1);
	assert_non_null(strstr(e.msg, "larger than 9 bytes"));
	assert_int_equal(ucpki_file_read(p, 10, &data, &len, &e), 0);
	free(data);
	path(p, sizeof(p), "absent");
	assert_int_equal(ucpki_file_read(p, 0, &data, &len, &e), -1);
	assert_int_equal(e.code, UCPKI_E_NOTFOUND);
	assert_int_equal(ucpki_file_read(dir, 0, &data, &len, &e), -1);
	assert_non_null(strstr(e.msg, "is a directory"));
}

static void test_secret_files(void **state)
{
	char p[600], *s;
	struct ucpki_err e = {0};

	(void)state;
	path(p, sizeof(p), "pw");
	assert_int_equal(ucpki_file_write(p, "changeit\r\nsecond\n", 17, 0600, 0, &e), 0);
	assert_int_equal(ucpki_secret_read(p, &s, &e), 0);
	assert_string_equal(s, "changeit");
	ucpki_secret_free(s);
	assert_int_equal(ucpki_file_write(p, "\n", 1, 0600, 0, &e), 0);
	assert_int_equal(ucpki_secret_read(p, &s, &e), -1);
	assert_non_null(strstr(e.msg, "password file is empty"));
}

/* A second writer waits, then names the holder; a killed holder frees it. */
static void test_lock_waits_names_owner_and_dies_with_it(void **state)
{
	char p[512], expect[64];
	int ready[2];
	pid_t child;
	struct ucpki_err e = {0};
	struct ucpki_lock *l;

	(void)state;
	path(p, sizeof(p), "store.jks");
	assert_int_equal(pipe(ready), 0);
	if ((child = fork()) == 0) {
		struct ucpki_lock *held = ucpki_lock_acquire(p, 0, &e);
		char c = held ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1)
			_exit(2);
		pause(); /* until killed */
		_exit(0);
	}
	{
		char c = 0;
		assert_int_equal(read(ready[0], &c, 1), 1);
		assert_int_equal(c, 'y');
	}
	assert_null(ucpki_lock_acquire(p, 200, &e));
	assert_int_equal(e.code, UCPKI_E_BUSY);
	snprintf(expect, sizeof(expect), "locked by pid %ld", (long)child);
	assert_non_null(strstr(e.msg, expect));
	assert_non_null(strstr(e.msg, "store.jks"));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	l = ucpki_lock_acquire(p, 1000, &e);
	assert_non_null(l);
	/* one holder at a time inside one process too (separate descriptions) */
	assert_null(ucpki_lock_acquire(p, 0, &e));
	ucpki_lock_release(l);
	l = ucpki_lock_acquire(p, 0, &e);
	assert_non_null(l);
	ucpki_lock_release(l);
	close(ready[0]);
	close(ready[1]);
}

/* Only the store's own mkstemp temporaries go. */
static void test_remove_temps(void **state)
{
	char *d = scratch_dir("remove_temps"), p[600], f[700];
	const char *names[] = {"s.jks.tmpAb12Cd", "s.jks.tmp-notes", "s.jks.tmpAb12Cde", "t.jks.tmpAb12Cd",
	                       "s.jks.bak"};
	struct stat st;

	(void)state;
	snprintf(p, sizeof(p), "%s/s.jks", d);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		FILE *fp;
		snprintf(f, sizeof(f), "%s/%s", d, names[i]);
		assert_non_null(fp = fopen(f, "w"));
		fclose(fp);
	}
	assert_int_equal(ucpki_file_remove_temps(p), 1);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(f, sizeof(f), "%s/%s", d, names[i]);
		assert_int_equal(stat(f, &st) == 0, i != 0);
	}
	rm_tree(d);
}

/* A target that is not a regular file is never replaced: not a FIFO, a
 * directory or a symlink to a FIFO, with or without NOCLOBBER, alone or in a
 * fileset; nothing is left behind. */
static void test_non_regular_targets(void **state)
{
	static const char *const names[] = {"fifo", "sub", "link"};
	struct ucpki_err e = {0};
	struct stat st;
	char p[600], want[700];
	int before;

	(void)state;
	path(p, sizeof(p), "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	path(p, sizeof(p), "sub");
	assert_int_equal(mkdir(p, 0700), 0);
	path(p, sizeof(p), "link");
	assert_int_equal(symlink("fifo", p), 0);
	before = count_entries();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (int flags = 0; flags <= UCPKI_WRITE_NOCLOBBER; flags += UCPKI_WRITE_NOCLOBBER) {
			struct ucpki_fileset *fs = ucpki_fileset_new();
			path(p, sizeof(p), names[i]);
			snprintf(want, sizeof(want), "%s is not a regular file", p);
			assert_int_equal(ucpki_file_write(p, "x", 1, 0644, flags, &e), -1);
			assert_int_equal(e.code, UCPKI_E_INPUT);
			assert_string_equal(e.msg, want);
			assert_int_equal(ucpki_fileset_add(fs, p, "x", 1, 0644, flags, &e), -1);
			assert_string_equal(e.msg, want);
			ucpki_fileset_free(fs);
		}
	}
	assert_int_equal(count_entries(), before);
	path(p, sizeof(p), "fifo");
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	path(p, sizeof(p), "link");
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

/* A file that appears between staging and commit is kept under NOCLOBBER. */
static void test_noclobber_at_commit(void **state)
{
	struct ucpki_fileset *fs = ucpki_fileset_new();
	struct ucpki_err e = {0};
	unsigned char *data;
	size_t len;
	char p[600];

	(void)state;
	path(p, sizeof(p), "late.pem");
	assert_int_equal(ucpki_fileset_add(fs, p, "ours", 4, 0644, UCPKI_WRITE_NOCLOBBER, &e), 0);
	assert_int_equal(ucpki_file_write(p, "theirs", 6, 0644, 0, &e), 0);
	assert_int_equal(ucpki_fileset_commit(fs, &e), -1);
	assert_int_equal(e.code, UCPKI_E_EXISTS);
	ucpki_fileset_free(fs);
	assert_int_equal(ucpki_file_read(p, 0, &data, &len, &e), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(data, "theirs", 6);
	free(data);
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_modes_and_noclobber),
		cmocka_unit_test(test_fileset_all_or_nothing),
		cmocka_unit_test(test_non_regular_targets),
		cmocka_unit_test(test_noclobber_at_commit),
		cmocka_unit_test(test_read_limits_and_errors),
		cmocka_unit_test(test_secret_files),
		cmocka_unit_test(test_lock_waits_names_owner_and_dies_with_it),
		cmocka_unit_test(test_remove_temps),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
