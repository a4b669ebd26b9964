/*
 * Assembling OUT beside itself: files go into a fresh sibling directory,
 * one syncfs() makes them durable, then the directory replaces OUT in one
 * rename (an exchange when OUT exists). A failed run removes its staging
 * directory and leaves OUT untouched.
 *
 * A run that is killed cannot clean up, so each staging directory carries
 * a marker (.ucpki-stage: pid and process start time) and, once complete
 * and flushed, a seal (.ucpki-sealed). The next run removes the directories
 * of dead runs, or moves a sealed one into place when the state recorded
 * its certificates (stage_leftovers).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include "solution/stage.h"

#define STAGE_MARKER ".ucpki-stage"
#define STAGE_SEAL ".ucpki-sealed"

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int stage_rmtree(const char *dir)
{
	return nftw(dir, rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}

static int dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

static void parent_of(const char *out, char *buf, size_t len)
{
	const char *slash;
	size_t n = strlen(out);

	while (n > 1 && out[n - 1] == '/')
		n--;
	for (slash = out + n; slash > out && slash[-1] != '/'; slash--)
		;
	if (slash == out)
		snprintf(buf, len, ".");
	else if (slash - out == 1)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - out - 1), out);
}

static char removable_bad[4096];

static int check_removable(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DNR || (flag == FTW_D && access(path, W_OK | X_OK) != 0)) {
		snprintf(removable_bad, sizeof(removable_bad), "%s: %s", path,
		         flag == FTW_DNR ? "cannot be read" : strerror(errno));
		return 1;
	}
	return 0;
}

/* OUT may be absent, empty, or an earlier ucpki output; its parent must
 * exist and take new entries; an earlier output must be removable (it is
 * replaced as a whole, and left over it would keep its keys). */
int stage_check_out(const char *out, struct ucpki_err *e)
{
	struct stat st;
	char path[8192], parent[4096];

	parent_of(out, parent, sizeof(parent));
	if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode))
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: its directory %s %s", out, parent,
		                     stat(parent, &st) != 0 ? "does not exist" : "is not a directory");
	if (access(parent, W_OK | X_OK) != 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create entries in %s: %s", out, parent,
		                     strerror(errno));
	if (stat(out, &st) != 0)
		return errno == ENOENT ? 0 : ucpki_err_set(e, UCPKI_E_IO, "%s: %s", out, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s exists and is not a directory", out);
	snprintf(path, sizeof(path), "%s/manifest.json", out);
	if (access(path, F_OK) != 0 && !dir_empty(out))
		return ucpki_err_set(e, UCPKI_E_INPUT,
		                     "%s exists and is not a ucpki output directory (no manifest.json); "
		                     "remove it or name another", out);
	removable_bad[0] = '\0';
	if (nftw(out, check_removable, 32, FTW_PHYS) != 0)
		return ucpki_err_set(e, UCPKI_E_IO,
		                     "%s is replaced as a whole, but %s: make it writable first", out,
		                     removable_bad[0] ? removable_bad : strerror(errno));
	return 0;
}

/* "pid starttime" of a process (start time in clock ticks since boot, from
 * /proc), so a reused pid is not taken for the run that died. */
static unsigned long long proc_start(long pid)
{
	char path[64], buf[1024];
	FILE *f;
	size_t n;
	const char *q;
	unsigned long long v = 0;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((q = strrchr(buf, ')')) == NULL)
		return 0;
	/* fields after the command: state is field 3, starttime field 22 */
	for (int field = 2; *q && field < 22; q++)
		if (*q == ' ')
			field++;
	sscanf(q, "%llu", &v);
	return v;
}

static int write_marker(const char *dir, const char *name, const char *text)
{
	char path[8192];
	int fd, rc = 0;
	size_t len = strlen(text);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0)
		rc = -1;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

/* 1 when the marker's process still runs. */
static int owner_alive(const char *dir)
{
	char path[8192], buf[128] = "";
	long pid = 0;
	unsigned long long start = 0;
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, STAGE_MARKER) >= sizeof(path) ||
	    (f = fopen(path, "re")) == NULL)
		return 0; /* no marker: a run from before markers, or one killed at once */
	if (fgets(buf, sizeof(buf), f) == NULL || sscanf(buf, "%ld %llu", &pid, &start) != 2)
		pid = 0;
	fclose(f);
	if (pid <= 0 || pid == (long)getpid())
		return 0;
	if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
		return 0;
	return proc_start(pid) == start;
}

int stage_new(struct stage *s, const char *out, struct ucpki_err *e)
{
	const char *slash;
	char parent[2048];

	memset(s, 0, sizeof(*s));
	if (strlen(out) >= sizeof(s->out) - 64)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: path too long", out);
	snprintf(s->out, sizeof(s->out), "%s", out);
	while (strlen(s->out) > 1 && s->out[strlen(s->out) - 1] == '/')
		s->out[strlen(s->out) - 1] = '\0';
	slash = strrchr(s->out, '/');
	if (slash)
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - s->out), s->out);
	else
		snprintf(parent, sizeof(parent), ".");
	if (parent[0] == '\0')
		snprintf(parent, sizeof(parent), "/");
	snprintf(s->dir, sizeof(s->dir), "%s/.%s.tmp-XXXXXX", parent, slash ? slash + 1 : s->out);
	if (mkdtemp(s->dir) == NULL)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create a directory beside it: %s",
		                     s->out, strerror(errno));
	chmod(s->dir, 0755);
	snprintf(s->parent, sizeof(s->parent), "%s", parent);
	s->active = 1;
	{
		char who[64];
		snprintf(who, sizeof(who), "%ld %llu\n", (long)getpid(), proc_start((long)getpid()));
		if (write_marker(s->dir, STAGE_MARKER, who) != 0) {
			stage_abort(s);
			return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot write: %s", s->dir, strerror(errno));
		}
	}
	return 0;
}

/* mkdir -p for the directories of rel inside the staging directory. */
static int make_dirs(struct stage *s, const char *rel, struct ucpki_err *e)
{
	char path[8192];
	size_t base = (size_t)snprintf(path, sizeof(path), "%s/", s->dir);

	snprintf(path + base, sizeof(path) - base, "%s", rel);
	for (char *q = path + base; (q = strchr(q, '/')) != NULL; q++) {
		*q = '\0';
		mode_t mode = strcmp(strrchr(path, '/') + 1, "secrets") == 0 ? 0700 : 0755;
		if (mkdir(path, mode) != 0 && errno != EEXIST)
			return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create: %s", path, strerror(errno));
		*q = '/';
	}
	return 0;
}

int stage_write(struct stage *s, const char *rel, const void *data, size_t len, mode_t mode,
                struct ucpki_err *e)
{
	char path[8192];
	const unsigned char *p = data;
	int fd;

	if (make_dirs(s, rel, e) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", s->dir, rel);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) < 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			close(fd);
			return ucpki_err_set(e, UCPKI_E_IO, "%s: write failed: %s", path, strerror(errno));
		}
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, mode) != 0 || close(fd) != 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: %s", path, strerror(errno));
	return 0;
}

/* Reuse a file of the current OUT: a hard link (same file system). */
int stage_link(struct stage *s, const char *rel, struct ucpki_err *e)
{
	char from[8192], to[8192];

	if (make_dirs(s, rel, e) != 0)
		return -1;
	snprintf(from, sizeof(from), "%s/%s", s->out, rel);
	snprintf(to, sizeof(to), "%s/%s", s->dir, rel);
	if (link(from, to) != 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot keep %s: %s", s->out, rel,
		                     strerror(errno));
	return 0;
}

FILE *stage_open(struct stage *s, const char *rel, struct ucpki_err *e)
{
	char path[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", s->dir, rel);
	if ((f = fopen(path, "wx")) == NULL)
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create: %s", path, strerror(errno));
	return f;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int stage_seal(struct stage *s, struct ucpki_err *e)
{
	int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	/* one flush for every file written, instead of one fsync per file */
	if (fd < 0 || syncfs(fd) != 0) {
		if (fd >= 0)
			close(fd);
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot flush: %s", s->dir, strerror(errno));
	}
	close(fd);
	if (write_marker(s->dir, STAGE_SEAL, "sealed\n") != 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot write: %s", s->dir, strerror(errno));
	sync_dir(s->dir);
	s->sealed = 1;
	return 0;
}

/* Put the staging directory dir in the place of out; the previous out is
 * removed (its keys must not stay behind). */
static int move_into_place(const char *dir, const char *out, const char *parent,
                           struct ucpki_err *e)
{
	struct stat st;
	char path[8192];

	if (stat(out, &st) == 0) {
		if (renameat2(AT_FDCWD, dir, AT_FDCWD, out, RENAME_EXCHANGE) != 0) {
			/* file systems without exchange: two renames */
			char old[8192];
			snprintf(old, sizeof(old), "%s.old", dir);
			if (rename(out, old) != 0 || rename(dir, out) != 0)
				return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot move into place: %s", out,
				                     strerror(errno));
			if (stage_rmtree(old) != 0)
				return ucpki_err_set(e, UCPKI_E_IO,
				                     "%s is in place, but the previous output %s could not be "
				                     "removed (%s): remove it, it holds keys",
				                     out, old, strerror(errno));
		} else if (stage_rmtree(dir) != 0) {
			/* dir now holds the previous output */
			return ucpki_err_set(e, UCPKI_E_IO,
			                     "%s is in place, but the previous output %s could not be "
			                     "removed (%s): remove it, it holds keys",
			                     out, dir, strerror(errno));
		}
	} else if (rename(dir, out) != 0) {
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot move into place: %s", out,
		                     strerror(errno));
	}
	sync_dir(parent);
	/* the markers belong to staging, not to the output */
	snprintf(path, sizeof(path), "%s/%s", out, STAGE_SEAL);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", out, STAGE_MARKER);
	unlink(path);
	return 0;
}

int stage_commit(struct stage *s, struct ucpki_err *e)
{
	if (!s->sealed && stage_seal(s, e) != 0)
		return -1;
	s->active = 0; /* from here the directory is the output, or gone */
	return move_into_place(s->dir, s->out, s->parent, e);
}

int stage_leftovers(const char *out, stage_committed_fn committed, void *arg,
                    stage_note_fn note, void *note_arg, struct ucpki_err *e)
{
	char parent[4096], prefix[1024], path[8192], msg[8400], base[1024];
	const char *slash;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	snprintf(base, sizeof(base), "%s", out);
	while (strlen(base) > 1 && base[strlen(base) - 1] == '/')
		base[strlen(base) - 1] = '\0';
	slash = strrchr(base, '/');
	parent_of(out, parent, sizeof(parent));
	snprintf(prefix, sizeof(prefix), ".%s.tmp-", slash ? slash + 1 : base);
	if ((d = opendir(parent)) == NULL)
		return 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char sealed[8300], manifest[8300];
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", parent, de->d_name);
		if (owner_alive(path))
			continue;
		if ((size_t)snprintf(sealed, sizeof(sealed), "%s/%s", path, STAGE_SEAL) >= sizeof(sealed) ||
		    (size_t)snprintf(manifest, sizeof(manifest), "%s/manifest.json", path) >=
		        sizeof(manifest))
			continue;
		if (access(sealed, F_OK) == 0 && committed && committed(arg, manifest) == 1) {
			rc = move_into_place(path, out, parent, e);
			snprintf(msg, sizeof(msg),
			         "%s: delivered the output of an interrupted run (its certificates were "
			         "recorded, its files not yet moved into place)", out);
		} else {
			if (stage_rmtree(path) != 0)
				rc = ucpki_err_set(e, UCPKI_E_IO,
				                   "%s: cannot remove the staging directory of an interrupted "
				                   "run (%s): remove it, it may hold keys", path, strerror(errno));
			snprintf(msg, sizeof(msg), "removed %s, left by an interrupted run", path);
		}
		if (rc == 0 && note)
			note(note_arg, msg);
	}
	closedir(d);
	return rc;
}

void stage_abort(struct stage *s)
{
	if (s->active)
		stage_rmtree(s->dir);
	s->active = 0;
}
