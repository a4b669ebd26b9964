/* Safe file input and atomic output (see ucpki/file.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ucpki/file.h"

/* Grow buf so that it holds at least need bytes plus a NUL, never past max. */
static int grow(unsigned char **buf, size_t *cap, size_t need, size_t max)
{
	size_t ncap = *cap ? *cap : 16384;
	unsigned char *nb;

	while (ncap < need)
		ncap *= 2;
	if (ncap > max + 1)
		ncap = max + 1;
	if ((nb = realloc(*buf, ncap + 1)) == NULL)
		return -1;
	*buf = nb;
	*cap = ncap;
	return 0;
}

int ucpki_file_read(const char *path, size_t max, unsigned char **out, size_t *len,
                    struct ucpki_err *e)
{
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	struct stat st;
	int fd;

	if (max == 0)
		max = UCPKI_FILE_MAX;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ucpki_err_set(e, errno == ENOENT ? UCPKI_E_NOTFOUND : UCPKI_E_IO,
		                     "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return ucpki_err_set(e, UCPKI_E_IO, "%s: is a directory, not a file", path);
	}
	for (;;) {
		ssize_t r;

		if (n == cap && grow(&buf, &cap, n + 1, max) != 0) {
			ucpki_secure_free(buf, cap);
			close(fd);
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "%s: out of memory", path);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ucpki_secure_free(buf, cap);
			close(fd);
			return ucpki_err_set(e, UCPKI_E_IO, "%s: read failed: %s", path,
			                     strerror(errno));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			ucpki_secure_free(buf, cap);
			close(fd);
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s: file is larger than %zu bytes",
			                     path, max);
		}
	}
	close(fd);
	if (buf == NULL && (buf = malloc(1)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "%s: out of memory", path);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int ucpki_secret_read(const char *path, char **out, struct ucpki_err *e)
{
	unsigned char *buf;
	size_t len, i;

	if (ucpki_file_read(path, 64 * 1024, &buf, &len, e) != 0)
		return -1;
	for (i = 0; i < len && buf[i] != '\n' && buf[i] != '\r'; i++)
		;
	if (i == 0) {
		ucpki_secure_free(buf, len);
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: password file is empty", path);
	}
	if (memchr(buf, '\0', i) != NULL) {
		ucpki_secure_free(buf, len);
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: password contains a NUL byte", path);
	}
	OPENSSL_cleanse(buf + i, len - i);
	buf[i] = '\0';
	*out = (char *)buf;
	return 0;
}

void ucpki_secret_free(char *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

void ucpki_secure_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, len);
	free(p);
}

/* Is name "ANY.tmp-PID-XXXXXX" (a temporary of ucpki_file_write() or a
 * fileset)? Returns PID, or 0. */
static long temp_owner(const char *name)
{
	const char *t = NULL, *p;
	char *end;
	long pid;

	for (p = strstr(name, ".tmp-"); p; p = strstr(p + 1, ".tmp-"))
		t = p;
	if (t == NULL || t == name)
		return 0;
	pid = strtol(t + 5, &end, 10);
	if (pid <= 0 || end == t + 5 || *end != '-' || strlen(end + 1) != 6)
		return 0;
	for (p = end + 1; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	return pid;
}

void ucpki_file_clean_stale(const char *path)
{
	char dir[4096], p[4200];
	const char *slash = strrchr(path, '/');
	struct dirent *de;
	struct stat sb;
	DIR *d;

	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), ".");
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		long pid = temp_owner(de->d_name);
		if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= sizeof(p))
			continue;
		/* Only our own regular files: never follow a link planted here. */
		if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid())
			unlink(p);
	}
	closedir(d);
}

/* Write data to a new temporary file next to path; returns its name. */
static char *write_temp(const char *path, const void *data, size_t len, mode_t mode,
                        struct ucpki_err *e)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 40);
	const unsigned char *p = data;
	int fd;

	if (tmp == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	/* The owner's pid in the name lets a later run remove what a killed
	 * one left (the temporaries of keys are secrets). */
	snprintf(tmp, plen + 40, "%s.tmp-%ld-XXXXXX", path, (long)getpid());
	fd = mkstemp(tmp);
	if (fd < 0) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return NULL;
	}
	if (fchmod(fd, mode) != 0)
		goto fail;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	return tmp;
fail:
	ucpki_err_set(e, UCPKI_E_IO, "%s: cannot write: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return NULL;
}

/* A target that exists must be a regular file (a symlink counts as what it
 * points to): renaming over a device node, a FIFO or a socket would
 * replace it, and a directory cannot be replaced. With
 * UCPKI_WRITE_NOCLOBBER it must not exist at all. */
static int check_target(const char *path, int flags, struct ucpki_err *e)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return 0;
	if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
		st.st_mode = S_IFREG; /* dangling: rename replaces the link itself */
	if (!S_ISREG(st.st_mode))
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s is not a regular file", path);
	if (flags & UCPKI_WRITE_NOCLOBBER)
		return ucpki_err_set(e, UCPKI_E_EXISTS, "%s already exists", path);
	return 0;
}

/* Keep the current file as PATH.bak (a hard link, so PATH never vanishes). */
static int make_backup(const char *path, struct ucpki_err *e)
{
	char bak[4096];

	if (access(path, F_OK) != 0)
		return 0;
	snprintf(bak, sizeof(bak), "%s.bak", path);
	unlink(bak);
	if (link(path, bak) != 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot keep backup %s: %s", path, bak,
		                     strerror(errno));
	return 0;
}

/* Put tmp in place of path. Without clobbering, link() claims the name
 * atomically (a file that appeared since the check is kept), falling back
 * to a checked rename on file systems without hard links. */
static int rename_into_place(const char *tmp, const char *path, int flags,
                             struct ucpki_err *e)
{
	if (flags & UCPKI_WRITE_NOCLOBBER) {
		if (link(tmp, path) == 0) {
			unlink(tmp);
			return 0;
		}
		if (errno == EEXIST)
			return check_target(path, flags, e);
	}
	if (check_target(path, flags, e) != 0)
		return -1;
	if ((flags & UCPKI_WRITE_BACKUP) && make_backup(path, e) != 0)
		return -1;
	if (rename(tmp, path) != 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot replace: %s", path,
		                     strerror(errno));
	return 0;
}

int ucpki_file_remove_temps(const char *path)
{
	char dir[4096], prefix[4096], victim[8192];
	const char *slash = strrchr(path, '/');
	DIR *d;
	struct dirent *de;
	size_t plen;
	int removed = 0;

	if (slash) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) ? (int)(slash - path) : 1, path);
		snprintf(prefix, sizeof(prefix), "%s.tmp", slash + 1);
	} else {
		snprintf(dir, sizeof(dir), ".");
		snprintf(prefix, sizeof(prefix), "%s.tmp", path);
	}
	plen = strlen(prefix);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		long pid;
		if (strncmp(de->d_name, prefix, plen) != 0)
			continue;
		/* "NAME.tmp-PID-XXXXXX" of a writer that is gone, or the older
		 * "NAME.tmpXXXXXX" (mkstemp's suffix: exactly six characters) */
		if ((pid = temp_owner(de->d_name)) > 0) {
			if (pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				continue;
		} else if (strlen(de->d_name) != plen + 6 ||
		           strspn(de->d_name + plen, "abcdefghijklmnopqrstuvwxyz"
		                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != 6) {
			continue;
		}
		snprintf(victim, sizeof(victim), "%s/%s", dir, de->d_name);
		if (unlink(victim) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int ucpki_file_write(const char *path, const void *data, size_t len, mode_t mode,
                     int flags, struct ucpki_err *e)
{
	char *tmp;
	int rc;

	if (check_target(path, flags, e) != 0)
		return -1;
	if ((tmp = write_temp(path, data, len, mode, e)) == NULL)
		return -1;
	rc = rename_into_place(tmp, path, flags, e);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

struct staged {
	char *path, *tmp;
	int flags;
};

struct ucpki_fileset {
	struct staged *v;
	size_t n, cap;
	int committed;
};

struct ucpki_fileset *ucpki_fileset_new(void)
{
	return calloc(1, sizeof(struct ucpki_fileset));
}

int ucpki_fileset_add(struct ucpki_fileset *fs, const char *path, const void *data,
                      size_t len, mode_t mode, int flags, struct ucpki_err *e)
{
	struct staged *s;

	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].path, path) == 0)
			return ucpki_err_set(e, UCPKI_E_INPUT, "%s: named twice as an output",
			                     path);
	if (check_target(path, flags, e) != 0)
		return -1;
	if (fs->n == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 8;
		struct staged *nv = realloc(fs->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		fs->v = nv;
		fs->cap = ncap;
	}
	s = &fs->v[fs->n];
	if ((s->path = strdup(path)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	if ((s->tmp = write_temp(path, data, len, mode, e)) == NULL) {
		free(s->path);
		return -1;
	}
	s->flags = flags;
	fs->n++;
	return 0;
}

int ucpki_fileset_commit(struct ucpki_fileset *fs, struct ucpki_err *e)
{
	for (size_t i = 0; i < fs->n; i++) {
		if (rename_into_place(fs->v[i].tmp, fs->v[i].path, fs->v[i].flags, e) != 0)
			return -1;
		free(fs->v[i].tmp);
		fs->v[i].tmp = NULL;
	}
	fs->committed = 1;
	return 0;
}

void ucpki_fileset_free(struct ucpki_fileset *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		if (fs->v[i].tmp != NULL) {
			unlink(fs->v[i].tmp);
			free(fs->v[i].tmp);
		}
		free(fs->v[i].path);
	}
	free(fs->v);
	free(fs);
}
