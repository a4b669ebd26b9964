/* Output targets of the commands (see cli.h: cli_output_check). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ucpki/file.h"

int cli_is_stdout(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

static int out_fail(struct cli *c, enum ucpki_code code, const char *opt, const char *path,
                    const char *what)
{
	return ucpki_err_set(&c->err, code, "%s %s %s: %s", c->cmd, opt, path, what);
}

/* Standard output for a secret: never a terminal, where the key would be
 * shown and kept in the scrollback. Named as "-", not with --json. */
static int check_stdout(struct cli *c, const char *opt, int named, int secret)
{
	if (named && c->json)
		return out_fail(c, UCPKI_E_INPUT, opt, "-",
		                "--json prints its document there: name a file instead");
	if (secret && isatty(STDOUT_FILENO))
		return out_fail(c, UCPKI_E_INPUT, opt, "-",
		                "standard output is a terminal: a private key is not written there "
		                "(redirect it or name a file)");
	return 0;
}

int cli_output_check(struct cli *c, const char *opt, const char *path, int secret, int force)
{
	struct stat st;
	char what[300];

	if (path == NULL)
		return 0;
	if (cli_is_stdout(path))
		return check_stdout(c, opt, 1, secret);
	if (lstat(path, &st) != 0)
		return 0;
	if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
		st.st_mode = S_IFREG;
	if (!S_ISREG(st.st_mode)) {
		snprintf(what, sizeof(what), "%s is not a regular file", path);
		return out_fail(c, UCPKI_E_INPUT, opt, path, what);
	}
	if (!force) {
		snprintf(what, sizeof(what), "%s already exists (--force replaces it)", path);
		return out_fail(c, UCPKI_E_EXISTS, opt, path, what);
	}
	return 0;
}

static int write_stdout(struct cli *c, const char *opt, const void *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return out_fail(c, UCPKI_E_IO, opt, "-", strerror(errno));
	return 0;
}

int cli_output_write(struct cli *c, const char *opt, const char *path, const void *data,
                     size_t len, int secret, int force)
{
	if (path == NULL)
		return check_stdout(c, opt, 0, secret) != 0 ? -1 : write_stdout(c, opt, data, len);
	if (cli_output_check(c, opt, path, secret, force) != 0)
		return -1;
	if (cli_is_stdout(path))
		return write_stdout(c, opt, data, len);
	if (ucpki_file_write(path, data, len, secret ? 0600 : 0644,
	                     force ? 0 : UCPKI_WRITE_NOCLOBBER, &c->err) != 0) {
		ucpki_err_prefix(&c->err, "%s %s: ", c->cmd, opt);
		return -1;
	}
	return 0;
}

int cli_outputs_add(struct cli *c, struct cli_outputs *o, const char *opt, const char *path,
                    const void *data, size_t len, int secret)
{
	if (cli_output_check(c, opt, path, secret, o->force) != 0)
		return -1;
	if (cli_is_stdout(path)) {
		if (o->std_opt != NULL)
			return out_fail(c, UCPKI_E_INPUT, opt, "-",
			                "standard output is already the target of another option");
		o->std_opt = opt;
		return ucpki_buf_append(&o->std, data, len, &c->err);
	}
	if (o->fs == NULL && (o->fs = ucpki_fileset_new()) == NULL)
		return ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
	if (ucpki_fileset_add(o->fs, path, data, len, secret ? 0600 : 0644,
	                      o->force ? 0 : UCPKI_WRITE_NOCLOBBER, &c->err) != 0) {
		ucpki_err_prefix(&c->err, "%s %s: ", c->cmd, opt);
		return -1;
	}
	return 0;
}

int cli_outputs_commit(struct cli *c, struct cli_outputs *o)
{
	if (o->fs != NULL && ucpki_fileset_commit(o->fs, &c->err) != 0)
		return -1;
	if (o->std_opt != NULL && write_stdout(c, o->std_opt, o->std.data, o->std.len) != 0)
		return -1;
	return 0;
}

void cli_outputs_clear(struct cli_outputs *o)
{
	ucpki_fileset_free(o->fs);
	ucpki_buf_free(&o->std);
	memset(o, 0, sizeof(*o));
}
