/*
 * The ucpki command: shared plumbing for the subcommand files.
 *
 * Each subcommand declares its options as a table (struct opt) pointing
 * into its own argument struct; cli_parse() fills that struct, handles the
 * global options wherever they appear, and produces --help from the table.
 * Commands return an exit status: 0 success, 1 a check failed, 2 usage or
 * input error. They report through cli_fail() / cli_usage() (one line on
 * stderr) and print results as text or, with --json, one JSON document.
 */
#ifndef UCPKI_CLI_H
#define UCPKI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "ucpki/ca.h"
#include "ucpki/err.h"
#include "ucpki/formats.h"

enum opt_type {
	OPT_FLAG,   /* int, set to 1 */
	OPT_STR,    /* const char * */
	OPT_INT,    /* int, decimal, within the entry's OPT_RANGE */
	OPT_LIST    /* const char *, repeated values joined with ',' */
};

struct opt {
	const char *name;   /* long name without "--"; one letter = "-x" */
	enum opt_type type;
	size_t off;         /* offset in the command's argument struct */
	const char *arg;    /* metavariable for --help, e.g. "FILE" */
	const char *help;
	int min, max;       /* OPT_INT: the values accepted (OPT_RANGE) */
	/* Old spellings, space-separated, kept for one release (OPT_ALIAS): each
	 * works like the name and prints one deprecation warning (not with
	 * --quiet). "der=der" is an old flag standing for the name with that
	 * value. A command's alias wins over a global option or alias of the same
	 * spelling, wherever on the line it stands (see cli_parse). */
	const char *alias;
	/* Environment variables read when the option is not given, the current
	 * one first, then old ones (OPT_ENV; cli_password_opt reads them). */
	const char *env;
};

#define OPT_ALIAS(s) .alias = (s)
#define OPT_ENV(s) .env = (s)

/* The range of an OPT_INT entry, e.g.
 *   {"days", OPT_INT, offsetof(struct a, days), "N", "validity", OPT_RANGE(1, 36500)}
 * A value outside it is refused naming the option, the value and the range.
 * An option not given leaves its field as the command initialised it, so a
 * command tells "not given" from any accepted value by starting the field
 * outside the range (0 when 0 is not accepted, else OPT_UNSET). Every OPT_INT
 * must declare a range (cli_parse refuses a table that does not). The other
 * types leave min and max out (the CLI is built without
 * -Wmissing-field-initializers for that). */
#define OPT_RANGE(lo, hi) .min = (lo), .max = (hi)
#define OPT_UNSET (-1)

#define OPT_END {NULL, OPT_FLAG, 0, NULL, NULL, 0, 0, NULL, NULL}

/* --force, the same in every command that writes output files. */
#define OPT_FORCE(T) \
	{"force", OPT_FLAG, offsetof(T, force), NULL, "replace output files that exist"}

/* --format pem|der of a command writing one encoded object; the old --der
 * flag is its alias. cli_format_der() sets *der (1 for der) or returns 2
 * after a usage error. */
#define OPT_FORMAT(T, field, what)                                                       \
	{"format", OPT_STR, offsetof(T, field), "F", what, OPT_ALIAS("der=der")}

struct cli {
	const char *state_dir;
	const char *pass_file;   /* --state-pass-file */
	const char *profiles_dir;
	int json;
	int quiet;
	int lock_timeout;      /* --lock-timeout SECONDS, or OPT_UNSET */
	struct ucpki_err err;
	struct ucpki_warnings warn;
	struct ucpki_state *st;
	json_t *out;           /* the JSON document a command builds */
	const char *cmd;       /* "ca create" */
	int describe;          /* set: cli_parse() only records the command's table... */
	const struct opt *described; /* ...here, and the command returns at once */
	char *joined[32];      /* storage for OPT_LIST values */
	int n_joined;
	/* Old spellings used on the line (warned once each by cli_parse). */
	struct cli_alias_use {
		const struct opt *o; /* the entry the spelling belongs to */
		const char *spelling;
		const char *value;   /* its value (globals: to move to a command's alias) */
		const char *prev;    /* the global field's value before (OPT_STR) */
		int global;
		int implied;         /* an old flag standing for a value ("--der") */
	} aliases[16];
	int n_aliases;
};

struct cmd {
	const char *name;      /* "ca create" */
	int (*run)(struct cli *c, int argc, char **argv);
	const char *usage;     /* "PKI/CA --subject DN [...]" */
	const char *summary;
};

/* Parse argv (after the command words) into args. Positional arguments are
 * left in pos[0..*npos). Returns 0, or the exit status for --help (0) and
 * bad usage (2) with *done set. */
int cli_parse(struct cli *c, const struct cmd *cmd, const struct opt *opts, void *args,
              int argc, char **argv, char ***pos, int *npos, int min_pos, int max_pos,
              int *done);

/* The global options (state, passphrase, profiles, output, lock timeout):
 * cli_parse() takes them anywhere after the command; main() takes the ones
 * before it with cli_parse_globals(), the same table and the same code.
 * cli_parse_globals() consumes the leading words of argv that are global
 * options (with their values) and sets *used to their count; it stops at the
 * first other word. Returns 0, or 2 after a one-line usage error. */
const struct opt *cli_global_opts(void);
int cli_parse_globals(struct cli *c, int argc, char **argv, int *used);
/* "  --name ARG   help [min..max]" lines of an option table. */
void cli_print_opts(FILE *f, const struct opt *opts);

/* Print "ucpki: <message>" for the filled c->err; returns the exit status. */
int cli_fail(struct cli *c);
/* Print a usage error naming the command; returns 2. */
int cli_usage(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open (once) the state named by --state / $UCPKI_STATE / ./ucpki-state. */
struct ucpki_state *cli_state(struct cli *c);
const char *cli_state_dir(const struct cli *c);
/* --lock-timeout in milliseconds (default UCPKI_LOCK_TIMEOUT_MS). Returns 0
 * (the range is checked when the option is parsed). */
int cli_lock_timeout_ms(struct cli *c, int *ms);
/* Fill the passphrase fields of state options from the CLI and env. */
void cli_state_opts(const struct cli *c, struct ucpki_state_opts *o);

/* Print collected warnings to stderr ("warning: ...") unless --quiet, and
 * add them to the JSON document as "warnings". */
void cli_flush_warnings(struct cli *c);

/* Read a password file given by option (NULL -> the first set of the
 * space-separated environment variables env, else NULL). */
int cli_password(struct cli *c, const char *file, const char *env, char **out);
/* The same with the variables of option name of opts (its OPT_ENV). */
int cli_password_opt(struct cli *c, const struct opt *opts, const char *name, const char *file,
                     char **out);
/* The environment variables of option name in opts (or the globals), or NULL. */
const char *cli_opt_env(const struct opt *opts, const char *name);

int cli_format_der(struct cli *c, const char *format, int *der);

/* Emit the JSON document (if --json) and free it. */
void cli_emit(struct cli *c);

/* A certificate's fields as JSON (subject, issuer, serial, validity, key,
 * signature, SANs, CA, self-signed, fingerprints, modulus MD5) and, when
 * asked, its extensions. */
json_t *cli_cert_json(const struct ucpki_certinfo *ci, int with_extensions);
/* Extensions as [{name (short name or OID), critical, value}]. */
json_t *cli_ext_json(const struct ucpki_ext_info *v, int n);

/* Helpers for JSON documents; the vocabulary is docs/json.md. */
json_t *cli_json_obj(struct cli *c);   /* the root object, created on first use */
/* A serial as lower-case hex without colons ("69845b..."); null when empty. */
json_t *cli_serial_json(const char *serial);
/* Subject alternative names as written by the library ("DNS:a, IP Address:b"
 * or "DNS:a,IP:b") as [{"type": "DNS"|"IP"|"email"|"URI"|..., "value"}]. */
json_t *cli_sans_json(const char *sans);
/* A comma-separated list ("a,b, c") as an array of strings; [] when empty. */
json_t *cli_list_json(const char *list);

/* Output targets: --out FILE, --out-cert FILE, --save-chain FILE, ...
 *
 * "-" is standard output (refused with --json, whose document goes there).
 * A target that exists must be a regular file: a device such as /dev/null,
 * a directory or a FIFO is refused, never replaced. An existing file is
 * replaced only with the command's --force. A secret (a private key, a
 * keystore holding one) is written 0600, and never to standard output when
 * that is a terminal. Files are written atomically (ucpki/file.h).
 * Errors name the command, option and target: "convert --out /dev/null:
 * /dev/null is not a regular file"; they fill c->err and return -1.
 *
 * cli_output_check() is called before any work is done, so a command that
 * would fail to write changes nothing; the writers check again. */
int cli_is_stdout(const char *path);
int cli_output_check(struct cli *c, const char *opt, const char *path, int secret, int force);
/* One output written now; path NULL is standard output by default (no
 * option given: allowed with --json, still no secret on a terminal). */
int cli_output_write(struct cli *c, const char *opt, const char *path, const void *data,
                     size_t len, int secret, int force);

/* Several outputs of one command, all or nothing: add() stages each (files
 * as temporaries, "-" in memory), commit() puts the files in place and then
 * writes standard output; clear() without commit() leaves nothing. Zero-
 * initialise, set force, and clear() in every case. */
struct cli_outputs {
	int force;
	struct ucpki_fileset *fs;
	struct ucpki_buf std;
	const char *std_opt;
};
int cli_outputs_add(struct cli *c, struct cli_outputs *o, const char *opt, const char *path,
                    const void *data, size_t len, int secret);
int cli_outputs_commit(struct cli *c, struct cli_outputs *o);
void cli_outputs_clear(struct cli_outputs *o);

/* Commands, one file per group. */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_pki_create(struct cli *c, int argc, char **argv);
int cmd_pki_list(struct cli *c, int argc, char **argv);
int cmd_ca_create(struct cli *c, int argc, char **argv);
int cmd_ca_import(struct cli *c, int argc, char **argv);
int cmd_ca_list(struct cli *c, int argc, char **argv);
int cmd_ca_export(struct cli *c, int argc, char **argv);
int cmd_issue(struct cli *c, int argc, char **argv);
int cmd_sign(struct cli *c, int argc, char **argv);
int cmd_revoke(struct cli *c, int argc, char **argv);
int cmd_crl(struct cli *c, int argc, char **argv);
int cmd_certs(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_match(struct cli *c, int argc, char **argv);
int cmd_state_check(struct cli *c, int argc, char **argv);
int cmd_state_backup(struct cli *c, int argc, char **argv);

/* In place of a command (docs.c): 'ucpki --man list|PAGE' prints the man
 * page names or one page (roff), 'ucpki --completion bash' the completion
 * script, 'ucpki --dump-options' every command and option table as
 * tab-separated lines. They return the exit status. */
int cli_doc_man(struct cli *c, const char *page);
int cli_doc_completion(struct cli *c, const char *shell);
int cli_doc_dump(struct cli *c, const char *unused);
/* docs/options.md: the vocabulary, old spellings, environment, exit status. */
int cli_doc_options(struct cli *c, const char *unused);

/* The command table entry named name (for cli_parse). */
const struct cmd *cli_cmd(const char *name);
/* All commands in order: cli_next_cmd(NULL) is the first, NULL ends. */
const struct cmd *cli_next_cmd(const struct cmd *prev);

#define CMD_END {NULL, NULL, NULL, NULL}

/* Command tables, one per group file, each ending with CMD_END:
 *   core     main.c            init, pki, ca, issue, sign, revoke, crl, certs, show, match
 *   formats  cmd_formats.c     convert, keystore ...
 *   solution cmd_solution.c    profiles, lint, solution ...
 *   verify   cmd_verify.c      verify, probe ...
 *   server   cmd_server.c      serve ... */
extern const struct cmd cmds_core[], cmds_formats[], cmds_solution[], cmds_verify[],
	cmds_server[];

#endif
