/*
 * The state: a directory with the SQLite database, and the passphrase that
 * unlocks the CA keys stored inside it.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>

#include "ca/ca_internal.h"
#include "ucpki/file.h"

/* scrypt cost: the default of `openssl pkcs8 -scrypt`, within OpenSSL's
 * default 32 MiB scrypt memory limit, so the keys stay readable by openssl. */
#define SCRYPT_N 16384
#define SCRYPT_R 8
#define SCRYPT_P 1
#define VERIFIER_KEY "passphrase_verifier"

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int scrypt_hash(const char *pass, const unsigned char *salt, size_t saltlen,
                       unsigned char out[32])
{
	return EVP_PBE_scrypt(pass, strlen(pass), salt, saltlen, SCRYPT_N, SCRYPT_R, SCRYPT_P, 0,
	                      out, 32) == 1 ? 0 : -1;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int unhex(const char *s, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

/* "scrypt$N$r$p$salt$hash" */
static int make_verifier(const char *pass, char *out, size_t len, struct ucpki_err *e)
{
	unsigned char salt[16], h[32];
	char salthex[33], hhex[65];

	if (RAND_bytes(salt, sizeof(salt)) != 1 || scrypt_hash(pass, salt, sizeof(salt), h) != 0)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot derive the passphrase verifier");
	hex(salt, sizeof(salt), salthex);
	hex(h, sizeof(h), hhex);
	snprintf(out, len, "scrypt$%d$%d$%d$%s$%s", SCRYPT_N, SCRYPT_R, SCRYPT_P, salthex, hhex);
	OPENSSL_cleanse(h, sizeof(h));
	return 0;
}

static int check_verifier(const char *pass, const char *v)
{
	unsigned char salt[16], want[32], got[32];
	int n, r, p, ok;
	char salthex[33], hhex[65];

	if (sscanf(v, "scrypt$%d$%d$%d$%32[0-9a-f]$%64[0-9a-f]", &n, &r, &p, salthex, hhex) != 5 ||
	    strlen(salthex) != 32 || strlen(hhex) != 64 || unhex(salthex, salt, 16) != 0 ||
	    unhex(hhex, want, 32) != 0)
		return -1;
	if (EVP_PBE_scrypt(pass, strlen(pass), salt, sizeof(salt), (uint64_t)n, (uint64_t)r,
	                   (uint64_t)p, 0, got, sizeof(got)) != 1)
		return -1;
	ok = CRYPTO_memcmp(got, want, sizeof(got)) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return ok ? 1 : 0;
}

/* The passphrase: --pass-file, then the caller's text, then DIR/passphrase. */
static int resolve_pass(const struct ucpki_state_opts *o, const char *dir, char **pass,
                        struct ucpki_err *e)
{
	char *path;
	int rc;

	*pass = NULL;
	if (o->pass_file)
		return ucpki_secret_read(o->pass_file, pass, e);
	if (o->passphrase && *o->passphrase) {
		if ((*pass = strdup(o->passphrase)) == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return 0;
	}
	if ((path = path_join(dir, "passphrase")) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	rc = 0;
	if (access(path, F_OK) == 0)
		rc = ucpki_secret_read(path, pass, e);
	free(path);
	return rc;
}

/* Generate a passphrase into DIR/passphrase (0600); shown names the final
 * place in the warning when dir is the staging directory. */
static int generate_pass(const char *dir, const char *shown, char **pass,
                         struct ucpki_warnings *w, struct ucpki_err *e)
{
	unsigned char rnd[24];
	char *text = malloc(2 * sizeof(rnd) + 2), *path;
	int rc;

	if (text == NULL || RAND_bytes(rnd, sizeof(rnd)) != 1) {
		free(text);
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot generate a passphrase");
	}
	hex(rnd, sizeof(rnd), text);
	OPENSSL_cleanse(rnd, sizeof(rnd));
	if ((path = path_join(dir, "passphrase")) == NULL) {
		ucpki_secret_free(text);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	text[2 * sizeof(rnd)] = '\n';
	text[2 * sizeof(rnd) + 1] = '\0';
	rc = ucpki_file_write(path, text, 2 * sizeof(rnd) + 1, 0600, UCPKI_WRITE_NOCLOBBER, e);
	text[2 * sizeof(rnd)] = '\0';
	if (rc == 0)
		ucpki_warn(w, "generated the state passphrase into %s/passphrase (mode 0600): keep "
		              "a copy somewhere safe: every later run needs it", shown);
	free(path);
	if (rc != 0) {
		ucpki_secret_free(text);
		return -1;
	}
	*pass = text;
	return 0;
}

/* Create the database file 0600 before SQLite does, so that it (and its
 * -wal/-shm companions, which copy its mode) never exist world-readable. */
static int create_db_file(const char *path, struct ucpki_err *e)
{
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);

	if (fd < 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create: %s", path, strerror(errno));
	close(fd);
	return 0;
}

/* A state being created lives in "DIR.tmp-PID-XXXXXX" with this marker
 * until it is renamed into place; leftovers of dead processes are removed. */
#define STAGE_MARKER ".ucpki-creating"
static const char *const stage_files[] = {
	STAGE_MARKER, "passphrase", "ucpki.db",
};

/* Remove what a creator writes into its staging directory (the files
 * above, their -wal/-shm/-journal and write temporaries), then the
 * directory if nothing else is in it. */
static void stage_remove(const char *tmp)
{
	char p[4200];
	struct dirent *de;
	DIR *d;

	if ((d = opendir(tmp)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			for (size_t i = 0; i < sizeof(stage_files) / sizeof(stage_files[0]); i++) {
				size_t n = strlen(stage_files[i]);
				if (strncmp(de->d_name, stage_files[i], n) != 0 ||
				    (de->d_name[n] != '\0' && de->d_name[n] != '.' && de->d_name[n] != '-'))
					continue;
				if ((size_t)snprintf(p, sizeof(p), "%s/%s", tmp, de->d_name) < sizeof(p))
					unlink(p);
				break;
			}
		}
		closedir(d);
	}
	rmdir(tmp);
}

/* Remove "DIR.tmp-PID-*" staging directories whose process is gone: the
 * files a creator writes there, then the directory if that emptied it. */
static void stage_clean_stale(const char *dir)
{
	char parent[4096], prefix[600], p[4200];
	const char *slash = strrchr(dir, '/'), *base = slash ? slash + 1 : dir;
	size_t plen;
	DIR *d;
	struct dirent *de;

	if (slash == dir)
		snprintf(parent, sizeof(parent), "/");
	else if (slash)
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - dir), dir);
	else
		snprintf(parent, sizeof(parent), ".");
	snprintf(prefix, sizeof(prefix), "%s.tmp-", base);
	plen = strlen(prefix);
	if ((d = opendir(parent)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid;
		if (strncmp(de->d_name, prefix, plen) != 0)
			continue;
		pid = strtol(de->d_name + plen, &end, 10);
		if (pid <= 0 || *end != '-' || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		/* Only ucpki's files go, and the directory only when nothing else
		 * is in it (one killed before its marker was written is empty). */
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", parent, de->d_name) < sizeof(p))
			stage_remove(p);
	}
	closedir(d);
}

/* Database, passphrase and verifier of a new state inside the staging
 * directory st->stage. */
static int stage_build(struct ucpki_state *st, const struct ucpki_state_opts *o,
                       struct ucpki_warnings *w, struct ucpki_err *e)
{
	char verifier[256], *marker;
	int rc;

	if ((marker = path_join(st->stage, STAGE_MARKER)) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	rc = create_db_file(marker, e);
	free(marker);
	if (rc != 0 || create_db_file(st->db_path, e) != 0)
		return -1;
	if ((st->store = ucpki_store_open(st->db_path, 1, e)) == NULL)
		return -1;
	if (resolve_pass(o, o->dir, &st->pass, e) != 0)
		return -1;
	if (st->pass == NULL) {
		if (generate_pass(st->stage, o->dir, &st->pass, w, e) != 0)
			return -1;
		st->pass_generated = 1;
	}
	if (ucpki_store_begin(st->store, e) != 0)
		return -1;
	if (make_verifier(st->pass, verifier, sizeof(verifier), e) != 0 ||
	    ucpki_store_meta_set(st->store, VERIFIER_KEY, verifier, e) != 0 ||
	    ucpki_store_meta_set(st->store, "created_by", "ucpki " UCPKI_VERSION, e) != 0 ||
	    ucpki_store_commit(st->store, e) != 0) {
		ucpki_store_rollback(st->store);
		return -1;
	}
	return 0;
}

static int db_exists(const char *dir)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/ucpki.db", dir);
	return access(p, F_OK) == 0;
}

struct ucpki_state *ucpki_state_open_or_create(const struct ucpki_state_opts *o,
                                               struct ucpki_warnings *w, struct ucpki_err *e)
{
	struct ucpki_state *st;
	struct ucpki_lock *lock;
	size_t n;

	if (db_exists(o->dir))
		return ucpki_state_open(o, e);
	/* Two creators of one fresh state: the second waits, then opens. */
	lock = ucpki_lock_acquire(o->dir, o->lock_timeout_ms > 0 ? o->lock_timeout_ms
	                                  : o->lock_timeout_ms < 0 ? 0 : UCPKI_LOCK_TIMEOUT_MS, e);
	if (lock == NULL)
		return NULL;
	if (db_exists(o->dir)) {
		ucpki_lock_release(lock);
		return ucpki_state_open(o, e);
	}
	stage_clean_stale(o->dir);
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		ucpki_lock_release(lock);
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	st->lock = lock;
	n = strlen(o->dir) + 40;
	if ((st->dir = strdup(o->dir)) == NULL || (st->stage = malloc(n)) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	snprintf(st->stage, n, "%s.tmp-%ld-XXXXXX", o->dir, (long)getpid());
	if (mkdtemp(st->stage) == NULL) {
		ucpki_err_set(e, UCPKI_E_IO, "%s: cannot create the state directory: %s", o->dir,
		              strerror(errno));
		free(st->stage);
		st->stage = NULL;
		goto fail;
	}
	if ((st->db_path = path_join(st->stage, "ucpki.db")) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	if (stage_build(st, o, w, e) != 0)
		goto fail;
	st->pass_missing = 0;
	return st;
fail:
	ucpki_state_free(st);
	return NULL;
}

int ucpki_state_is_new(const struct ucpki_state *st)
{
	return st->stage != NULL;
}

/* Move one staged file into the existing state directory. */
static int publish_file(const struct ucpki_state *st, const char *name, struct ucpki_err *e)
{
	char from[4200], to[4200];

	snprintf(from, sizeof(from), "%s/%s", st->stage, name);
	snprintf(to, sizeof(to), "%s/%s", st->dir, name);
	if (access(from, F_OK) != 0)
		return 0;
	if (rename(from, to) != 0)
		return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot move the new state into place: %s",
		                     to, strerror(errno));
	return 0;
}

int ucpki_state_publish(struct ucpki_state *st, struct ucpki_err *e)
{
	struct stat sb;
	char *db;
	int fd;

	if (st->stage == NULL)
		return 0;
	/* Closing checkpoints the WAL: the database is then one file. */
	ucpki_store_free(st->store);
	st->store = NULL;
	if (stat(st->dir, &sb) != 0) {
		if (rename(st->stage, st->dir) != 0)
			return ucpki_err_set(e, UCPKI_E_IO, "%s: cannot move the new state into place: %s",
			                     st->dir, strerror(errno));
		{
			char marker[4200];
			snprintf(marker, sizeof(marker), "%s/%s", st->dir, STAGE_MARKER);
			unlink(marker);
		}
	} else {
		/* An existing directory without a database (made by hand, or a
		 * passphrase file kept): the database moves last, it makes the state. */
		if ((st->pass_generated && publish_file(st, "passphrase", e) != 0) ||
		    publish_file(st, "ucpki.db", e) != 0)
			return -1;
		stage_remove(st->stage);
	}
	free(st->stage);
	st->stage = NULL;
	if ((fd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	if ((db = path_join(st->dir, "ucpki.db")) == NULL)
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	free(st->db_path);
	st->db_path = db;
	if ((st->store = ucpki_store_open(st->db_path, 0, e)) == NULL)
		return -1;
	ucpki_lock_release(st->lock);
	st->lock = NULL;
	return 0;
}

int ucpki_state_init(const struct ucpki_state_opts *o, int *created, struct ucpki_warnings *w,
                     struct ucpki_err *e)
{
	struct ucpki_state *st;
	int rc;

	*created = 0;
	if (db_exists(o->dir)) {
		/* Already there: only make sure it is a sound ucpki state. */
		char *db = path_join(o->dir, "ucpki.db");
		struct ucpki_store *s;
		if (db == NULL)
			return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		s = ucpki_store_open(db, 0, e);
		free(db);
		if (s == NULL)
			return -1;
		ucpki_store_free(s);
		return 0;
	}
	if ((st = ucpki_state_open_or_create(o, w, e)) == NULL)
		return -1;
	*created = ucpki_state_is_new(st);
	rc = ucpki_state_publish(st, e);
	ucpki_state_free(st);
	return rc;
}

struct ucpki_state *ucpki_state_open(const struct ucpki_state_opts *o, struct ucpki_err *e)
{
	struct ucpki_state *st = calloc(1, sizeof(*st));
	struct stat sb;

	if (st == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		return NULL;
	}
	if (stat(o->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		ucpki_err_set(e, UCPKI_E_NOTFOUND, "%s: no ucpki state here", o->dir);
		ucpki_err_hint(e, UCPKI_HINT_STATE_DIR);
		goto fail;
	}
	if ((st->dir = strdup(o->dir)) == NULL || (st->db_path = path_join(o->dir, "ucpki.db")) == NULL) {
		ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
		goto fail;
	}
	if (access(st->db_path, F_OK) != 0) {
		ucpki_err_set(e, UCPKI_E_NOTFOUND,
		              "%s: no state database (run 'ucpki init' first)", st->db_path);
		goto fail;
	}
	if ((st->store = ucpki_store_open(st->db_path, 0, e)) == NULL)
		goto fail;
	if (resolve_pass(o, o->dir, &st->pass, e) != 0)
		goto fail;
	st->pass_missing = st->pass == NULL;
	return st;
fail:
	ucpki_state_free(st);
	return NULL;
}

void ucpki_state_free(struct ucpki_state *st)
{
	if (st == NULL)
		return;
	ucpki_store_free(st->store);
	if (st->stage != NULL) {
		/* Never published: the new state disappears without a trace. */
		stage_remove(st->stage);
		free(st->stage);
	}
	ucpki_lock_release(st->lock);
	ucpki_secret_free(st->pass);
	free(st->dir);
	free(st->db_path);
	free(st);
}

struct ucpki_store *ucpki_state_store(struct ucpki_state *st)
{
	return st->store;
}

const char *ucpki_state_dir(const struct ucpki_state *st)
{
	return st->dir;
}

int ucpki_state_check_passphrase(struct ucpki_state *st, struct ucpki_err *e)
{
	char *v = NULL;
	int ok;

	if (st->pass_checked)
		return 0;
	if (st->pass_missing)
	{
		ucpki_err_set(e, UCPKI_E_PASSWORD, "%s: no passphrase for the CA keys", st->dir);
		return ucpki_err_hint(e, UCPKI_HINT_STATE_PASS);
	}
	if (ucpki_store_meta_get(st->store, VERIFIER_KEY, &v, e) != 0)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: state has no passphrase verifier "
		                     "(not initialised by 'ucpki init')", st->dir);
	ok = check_verifier(st->pass, v);
	free(v);
	if (ok < 0)
		return ucpki_err_set(e, UCPKI_E_INPUT, "%s: the passphrase verifier is corrupted",
		                     st->db_path);
	if (ok == 0)
		return ucpki_err_set(e, UCPKI_E_PASSWORD,
		                     "%s: wrong passphrase for this state", st->dir);
	st->pass_checked = 1;
	return 0;
}

int state_key_encrypt(struct ucpki_state *st, EVP_PKEY *key, unsigned char **der, size_t *len,
                      struct ucpki_err *e)
{
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	X509_ALGOR *pbe = NULL;
	X509_SIG *sig = NULL;
	unsigned char *out = NULL;
	int n;

	if (ucpki_state_check_passphrase(st, e) != 0)
		return -1;
	if ((p8 = EVP_PKEY2PKCS8(key)) == NULL ||
	    (pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), NULL, 0, NULL, SCRYPT_N, SCRYPT_R,
	                                 SCRYPT_P)) == NULL ||
	    (sig = PKCS8_set0_pbe(st->pass, (int)strlen(st->pass), p8, pbe)) == NULL) {
		X509_ALGOR_free(pbe);
		PKCS8_PRIV_KEY_INFO_free(p8);
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encrypt the CA key");
	}
	PKCS8_PRIV_KEY_INFO_free(p8);
	n = i2d_X509_SIG(sig, &out);
	X509_SIG_free(sig);
	if (n <= 0)
		return ucpki_err_ssl(e, UCPKI_E_INTERNAL, "cannot encode the CA key");
	*der = malloc((size_t)n);
	if (*der == NULL) {
		OPENSSL_free(out);
		return ucpki_err_set(e, UCPKI_E_INTERNAL, "out of memory");
	}
	memcpy(*der, out, (size_t)n);
	OPENSSL_free(out);
	*len = (size_t)n;
	return 0;
}

EVP_PKEY *state_key_decrypt(struct ucpki_state *st, const unsigned char *der, size_t len,
                            const char *label, struct ucpki_err *e)
{
	const unsigned char *p = der;
	X509_SIG *sig;
	PKCS8_PRIV_KEY_INFO *p8;
	EVP_PKEY *key;

	if (ucpki_state_check_passphrase(st, e) != 0)
		return NULL;
	if ((sig = d2i_X509_SIG(NULL, &p, (long)len)) == NULL) {
		ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: stored CA key is corrupted", label);
		return NULL;
	}
	p8 = PKCS8_decrypt(sig, st->pass, (int)strlen(st->pass));
	X509_SIG_free(sig);
	if (p8 == NULL) {
		ucpki_err_ssl(e, UCPKI_E_INPUT,
		              "%s: stored CA key does not decrypt with the (verified) passphrase: "
		              "the database is corrupted", label);
		return NULL;
	}
	key = EVP_PKCS82PKEY(p8);
	PKCS8_PRIV_KEY_INFO_free(p8);
	if (key == NULL)
		ucpki_err_ssl(e, UCPKI_E_INPUT, "%s: stored CA key is not a valid key", label);
	return key;
}
