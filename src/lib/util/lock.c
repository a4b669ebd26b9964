/*
 * Advisory locks beside a target (ucpki/file.h): flock() on TARGET.lock.
 * flock locks belong to the open file description, so they end when the
 * process does, however it ends; nothing stale is ever honoured.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "ucpki/file.h"

struct ucpki_lock {
	int fd;
};

static long lock_owner(int fd)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static void nap_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Record our pid for the message a waiting writer prints. */
static void lock_note_owner(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) == n)
		(void)fsync(fd);
}

struct ucpki_lock *ucpki_lock_acquire(const char *target, int timeout_ms, struct ucpki_err *e)
{
	char path[4096];
	int fd, waited = 0;
	struct ucpki_lock *l;

	if ((size_t)snprintf(path, sizeof(path), "%s.lock", target) >= sizeof(path)) {
		ucpki_err_set(e, UCPKI_E_INPUT, "%s: path too long", target);
		return NULL;
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot open its lock file %s: %s", target, path,
		              strerror(errno));
		return NULL;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			ucpki_err_set(e, UCPKI_E_IO, "%s: cannot lock %s: %s", target, path,
			              strerror(errno));
			close(fd);
			return NULL;
		}
		if (waited >= timeout_ms) {
			long pid = lock_owner(fd);
			if (pid > 0)
				ucpki_err_set(e, UCPKI_E_BUSY, "%s is locked by pid %ld (waited %d s)", target,
				              pid, waited / 1000);
			else
				ucpki_err_set(e, UCPKI_E_BUSY, "%s is locked by another process (waited %d s)",
				              target, waited / 1000);
			close(fd);
			return NULL;
		}
		nap_ms(50);
		waited += 50;
	}
	lock_note_owner(fd);
	if ((l = malloc(sizeof(*l))) == NULL) {
		close(fd);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	l->fd = fd;
	return l;
}

void ucpki_lock_release(struct ucpki_lock *l)
{
	if (l == NULL)
		return;
	/* Clear the owner note; if that fails, the next holder overwrites it. */
	if (ftruncate(l->fd, 0) != 0)
		(void)0;
	close(l->fd); /* closing the descriptor drops the flock */
	free(l);
}
