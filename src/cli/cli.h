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

enum opt_type {
	OPT_FLAG,   /* int, set to 1 */
	OPT_STR,    /* const char * */
	OPT_INT,    /* int, decimal */
	OPT_LIST    /* const char *, repeated values joined with ',' */
};

struct opt {
	const char *name;   /* long name without "--"; one letter = "-x" */
	enum opt_type type;
	size_t off;         /* offset in the command's argument struct */
	const char *arg;    /* metavariable for --help, e.g. "FILE" */
	const char *help;
};

#define OPT_END {NULL, OPT_FLAG, 0, NULL, NULL}

struct cli {
	const char *state_dir;
	const char *pass_file;
	const char *profiles_dir;
	int json;
	int quiet;
	const char *lock_timeout; /* --lock-timeout SECONDS, or NULL */
	struct ucpki_err err;
	struct ucpki_warnings warn;
	struct ucpki_state *st;
	json_t *out;           /* the JSON document a command builds */
	const char *cmd;       /* "ca create" */
	char *joined[32];      /* storage for OPT_LIST values */
	int n_joined;
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

/* Print "ucpki: <message>" for the filled c->err; returns the exit status. */
int cli_fail(struct cli *c);
/* Print a usage error naming the command; returns 2. */
int cli_usage(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open (once) the state named by --state / $UCPKI_STATE / ./ucpki-state. */
struct ucpki_state *cli_state(struct cli *c);
const char *cli_state_dir(const struct cli *c);
/* --lock-timeout in milliseconds (default UCPKI_LOCK_TIMEOUT_MS): 0, or
 * exit code 2 after printing the usage error for a value that is not a
 * number of seconds. */
int cli_lock_timeout_ms(struct cli *c, int *ms);
/* Fill the passphrase fields of state options from the CLI and env. */
void cli_state_opts(const struct cli *c, struct ucpki_state_opts *o);

/* Print collected warnings to stderr ("warning: ...") unless --quiet, and
 * add them to the JSON document as "warnings". */
void cli_flush_warnings(struct cli *c);

/* Read a password file given by option (NULL -> env var env, else NULL). */
int cli_password(struct cli *c, const char *file, const char *env, char **out);

/* Emit the JSON document (if --json) and free it. */
void cli_emit(struct cli *c);

/* A certificate's fields as JSON (subject, issuer, serial, validity, key,
 * signature, SANs, CA, self-signed, fingerprints, modulus MD5) and, when
 * asked, its extensions. */
json_t *cli_cert_json(const struct ucpki_certinfo *ci, int with_extensions);
/* Extensions as [{name (short name or OID), critical, value}]. */
json_t *cli_ext_json(const struct ucpki_ext_info *v, int n);

/* Helpers for JSON documents. */
json_t *cli_json_obj(struct cli *c);   /* the root object, created on first use */

/* Write a PEM/DER object to files, all or nothing. */
struct ucpki_fileset;

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
