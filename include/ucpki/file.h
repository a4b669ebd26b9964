/*
 * ucpki/file.h - reading input files and writing outputs safely.
 *
 * Every output goes through a temporary file in the target's directory that
 * is fsync'ed and renamed into place, so a failed command leaves no partial
 * file. A fileset stages several outputs and renames them only when all of
 * them were written. Secrets (keys, passwords) are written 0600.
 *
 * Temporary files are named "PATH.tmp-PID-XXXXXX" with the writer's pid: a
 * clean failure removes them at once, and the temporaries a killed process
 * left (possibly private keys) are removed by ucpki_file_clean_stale(), which
 * the commands writing keys, CRLs and backups call on their output
 * directories (a scan of the directory, so not on every write).
 */
#ifndef UCPKI_FILE_H
#define UCPKI_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "ucpki/err.h"

/* Largest input file read by default (certificates, keys, stores). */
#define UCPKI_FILE_MAX (64u * 1024 * 1024)

/* Read all of path (at most max bytes, 0 = UCPKI_FILE_MAX) into a new
 * buffer that is NUL-terminated past *len. The caller frees *out with free()
 * (or ucpki_secret_free() for secrets). */
int ucpki_file_read(const char *path, size_t max, unsigned char **out, size_t *len,
                    struct ucpki_err *e);

/* Read a password or passphrase file: the first line, without its line end.
 * An empty password is an error. Free with ucpki_secret_free(). */
int ucpki_secret_read(const char *path, char **out, struct ucpki_err *e);

/* Wipe and free a NUL-terminated secret (NULL is fine). */
void ucpki_secret_free(char *s);

/* Wipe and free a buffer of known length (NULL is fine). */
void ucpki_secure_free(void *p, size_t len);

#define UCPKI_WRITE_BACKUP    0x1 /* keep the replaced file as PATH.bak */
#define UCPKI_WRITE_NOCLOBBER 0x2 /* fail with UCPKI_E_EXISTS ("PATH already exists") */

/* Remove "NAME.tmp-PID-XXXXXX" files of dead processes from the directory
 * of path (only regular files owned by this user). */
void ucpki_file_clean_stale(const char *path);

/* Atomically write one file (temp + fsync + rename) with the given mode.
 * A PATH that exists and is not a regular file (a device such as
 * /dev/null, a directory, a FIFO; a symlink to one) is never replaced:
 * UCPKI_E_INPUT "PATH is not a regular file". The check is made before
 * writing and again just before the rename. */
int ucpki_file_write(const char *path, const void *data, size_t len, mode_t mode,
                     int flags, struct ucpki_err *e);

/* Remove the temporaries a killed writer of path left (PATH.tmp-PID-XXXXXX
 * whose process is gone, and the older PATH.tmpXXXXXX).
 * Call it only while holding path's lock (ucpki_lock_acquire), so that no
 * live writer's temporary goes. Returns how many were removed. */
int ucpki_file_remove_temps(const char *path);

/* A set of outputs written together: add() writes each to a temporary file,
 * commit() renames them all into place; free() without commit() removes the
 * temporaries, leaving the targets untouched. */
struct ucpki_fileset;

struct ucpki_fileset *ucpki_fileset_new(void);
int ucpki_fileset_add(struct ucpki_fileset *fs, const char *path, const void *data,
                      size_t len, mode_t mode, int flags, struct ucpki_err *e);
int ucpki_fileset_commit(struct ucpki_fileset *fs, struct ucpki_err *e);
void ucpki_fileset_free(struct ucpki_fileset *fs);

/* An advisory lock for a whole read-modify-write of one target (a
 * keystore, an output tree, a state): flock() on "TARGET.lock" beside it
 * (the target itself is replaced by rename, so it cannot carry the lock).
 * A second writer waits up to timeout_ms (0 = do not wait), then fails
 * with UCPKI_E_LOCKED: "TARGET is locked by pid N (waited S s)". The lock
 * ends with the process, so a killed writer never blocks the next one.
 * The lock file stays (removing it would race with a waiter); it holds
 * only the owner's pid. */
struct ucpki_lock;

/* Default wait of the commands' --lock-timeout (milliseconds). */
#define UCPKI_LOCK_TIMEOUT_MS 30000

struct ucpki_lock *ucpki_lock_acquire(const char *target, int timeout_ms, struct ucpki_err *e);
void ucpki_lock_release(struct ucpki_lock *l);

#endif
