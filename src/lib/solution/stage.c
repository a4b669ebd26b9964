/*
 * Assembling OUT beside itself: files go into a fresh sibling directory,
 * one syncfs() makes them durable, then the directory replaces OUT in one
 * rename (an exchange when OUT exists). A failed run removes its staging
 * directory and leaves OUT untouched.
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
#include <unistd.h>

#include "solution/stage.h"

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

/* OUT may be absent, empty, or an earlier ucpki output. */
int stage_check_out(const char *out, struct ucpki_err *e)
{
	struct stat st;
	char path[8192];

	if (stat(out, &st) != 0)
		return errno == ENOENT ? 0 : ucpki_err_set(e, UCPKI_E_IO, "%s: %s", out, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s exists and is not a directory", out);
	snprintf(path, sizeof(path), "%s/manifest.json", out);
	if (access(path, F_OK) == 0)
		return 0;
	if (dir_empty(out))
		return 0;
	return ucpki_err_set(e, UCPKI_E_INPUT,
	                     "%s exists and is not a ucpki output directory (no manifest.json); "
	                     "remove it or name another", out);
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

int stage_commit(struct stage *s, struct ucpki_err *e)
{
	int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	/* one flush for every file written, instead of one fsync per file */
	if (fd < 0 || syncfs(fd) != 0) {
		if (fd >= 0)
			close(fd);
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot flush: %s", s->dir, strerror(errno));
	}
	close(fd);
	if (stat(s->out, &st) == 0) {
		if (renameat2(AT_FDCWD, s->dir, AT_FDCWD, s->out, RENAME_EXCHANGE) != 0) {
			/* file systems without exchange: two renames */
			char old[sizeof(s->dir) + 8];
			snprintf(old, sizeof(old), "%s.old", s->dir);
			if (rename(s->out, old) != 0 || rename(s->dir, s->out) != 0)
				return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot move into place: %s", s->out,
				                     strerror(errno));
			stage_rmtree(old);
		}
		/* s->dir now holds the previous output */
		stage_rmtree(s->dir);
	} else if (rename(s->dir, s->out) != 0) {
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot move into place: %s", s->out,
		                     strerror(errno));
	}
	sync_dir(s->parent);
	s->active = 0;
	return 0;
}

void stage_abort(struct stage *s)
{
	if (s->active)
		stage_rmtree(s->dir);
	s->active = 0;
}
