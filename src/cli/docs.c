/*
 * Man pages, bash completion and a plain dump, all from the command tables
 * and each command's option table, so they cannot drift from the parser.
 * The build runs the built binary: 'ucpki --man list', 'ucpki --man PAGE',
 * 'ucpki --completion bash'. 'ucpki --dump-options' prints every table as
 * tab-separated lines for scripts and tests.
 *
 * A command's option table is local to its run function: the run function is
 * called with c->describe set, and cli_parse() hands the table back in
 * c->described before the command does anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The option table of command k (NULL if the command takes no options). */
static const struct opt *cmd_opts(const struct cmd *k)
{
	struct cli d;

	memset(&d, 0, sizeof(d));
	d.describe = 1;
	d.lock_timeout = OPT_UNSET;
	k->run(&d, 0, NULL);
	return d.described;
}

/* Length of a command's group: its first word ("ca" of "ca create"). */
static size_t group_len(const char *name)
{
	const char *sp = strchr(name, ' ');
	return sp ? (size_t)(sp - name) : strlen(name);
}

static int in_group(const struct cmd *k, const char *group, size_t n)
{
	return group_len(k->name) == n && strncmp(k->name, group, n) == 0;
}

/* The first command of each group, in table order. */
static int group_first(const struct cmd *k)
{
	for (const struct cmd *p = cli_next_cmd(NULL); p != k; p = cli_next_cmd(p))
		if (in_group(p, k->name, group_len(k->name)))
			return 0;
	return 1;
}

static const char *type_name(enum opt_type t)
{
	static const char *const names[] = {"flag", "string", "int", "list"};
	return names[t];
}

static const char *dashes(const struct opt *o)
{
	return o->name[1] == '\0' ? "-" : "--";
}

static void roff(FILE *f, const char *s);

/* The old spellings of o as "--a, --b" ("--der" for "der=der"); roff:
 * dashes escaped. */
static void each_alias(FILE *f, const struct opt *o, const char *sep, int roff_escape)
{
	const char *a = o->alias;

	while (a && *a) {
		size_t n = strcspn(a, " "), k = strcspn(a, "= ");
		char word[64];
		snprintf(word, sizeof(word), "--%.*s", (int)k, a);
		fputs(a == o->alias ? "" : sep, f);
		if (roff_escape)
			roff(f, word);
		else
			fputs(word, f);
		a += n;
		a += strspn(a, " ");
	}
}

/* --- roff ------------------------------------------------------------------ */

/* Text on a line of its own or after a macro: backslashes and dashes escaped,
 * a leading '.' or '\'' kept from being read as a request. */
static void roff(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

static void roff_line(FILE *f, const char *s)
{
	roff(f, s);
	fputc('\n', f);
}

static void roff_opts(FILE *f, const struct opt *opts)
{
	for (const struct opt *o = opts; o && o->name; o++) {
		fputs(".TP\n\\fB", f);
		roff(f, dashes(o));
		roff(f, o->name);
		fputs("\\fR", f);
		if (o->arg) {
			fputs(" \\fI", f);
			roff(f, o->arg);
			fputs("\\fR", f);
		}
		fputc('\n', f);
		roff(f, o->help);
		if (o->type == OPT_INT)
			fprintf(f, " (%d..%d)", o->min, o->max);
		if (o->type == OPT_LIST)
			fputs("; repeat it or separate values with commas", f);
		if (o->env) {
			fputs("; default $", f);
			fprintf(f, "%.*s", (int)strcspn(o->env, " "), o->env);
		}
		if (o->alias) {
			fputs(". Old spelling, kept for one release: ", f);
			each_alias(f, o, ", ", 1);
		}
		fputs(".\n", f);
	}
}

static void roff_header(FILE *f, const char *page, const char *what)
{
	char up[64];
	size_t i;

	for (i = 0; page[i] && i + 1 < sizeof(up); i++)
		up[i] = (char)(page[i] >= 'a' && page[i] <= 'z' ? page[i] - 'a' + 'A' : page[i]);
	up[i] = '\0';
	fputs(".TH ", f);
	roff(f, up);
	fprintf(f, " 1 \"\" \"ucpki %s\" \"User Commands\"\n.SH NAME\n", UCPKI_VERSION);
	roff(f, page);
	fputs(" \\- ", f);
	roff_line(f, what);
}

/* Environment variables the command reads (the option tables name them in
 * OPT_ENV; 'ucpki --doc-options' refuses a name missing here). */
static const struct {
	const char *name, *what;
} env_vars[] = {
	{"UCPKI_STATE", "the state directory when --state is not given (default ./ucpki-state)"},
	{"UCPKI_STATE_PASS", "the state passphrase (CA keys) when --state-pass-file is not given"},
	{"UCPKI_PROFILES", "the directory of the shipped product profiles, instead of the one "
	                   "installed with ucpki"},
	{"UCPKI_PASSWORD", "the password of a command's input (a file to read, the keystore a "
	                   "keystore command opens) when --password-file is not given"},
	{"UCPKI_NEW_PASSWORD", "the password of a command's output (a file or key it writes, a "
	                       "keystore's new password) when --new-password-file is not given"},
	{"UCPKI_KEY_PASSWORD", "keystore: the entry key's password when --key-password-file is not "
	                       "given (default the store password)"},
	{"UCPKI_NEW_KEY_PASSWORD", "keystore passwd: the new key password when "
	                           "--new-key-password-file is not given"},
	{"UCPKI_SRC_PASSWORD", "keystore import-keystore: the source store's password"},
	{"UCPKI_DEST_PASSWORD", "keystore import-keystore: the destination store's password"},
	{"UCPKI_PASSPHRASE", "old name of UCPKI_STATE_PASS (kept for one release)"},
	{"UCPKI_FILE_PASSWORD", "old name of UCPKI_PASSWORD in show, match, verify and probe"},
	{"UCPKI_P12_PASSWORD", "old name of UCPKI_PASSWORD in ca import"},
	{"UCPKI_IN_PASS", "old name of UCPKI_PASSWORD in convert"},
	{"UCPKI_OUT_PASS", "old name of UCPKI_NEW_PASSWORD in convert"},
	{"UCPKI_STOREPASS", "old name of UCPKI_PASSWORD (and UCPKI_DEST_PASSWORD) in keystore"},
	{"UCPKI_KEYPASS", "old name of UCPKI_KEY_PASSWORD"},
	{"UCPKI_SRC_STOREPASS", "old name of UCPKI_SRC_PASSWORD"},
};

/* Exit statuses every command shares. */
static const struct {
	const char *code, *what;
} exits[] = {
	{"0", "success"},
	{"1", "a check failed or a report found a problem (a lint error, a verification failure, "
	      "a certificate expiring, a problem in the state)"},
	{"2", "usage or input error, with one line on standard error naming the file or option"},
};

/* What exit status 1 means, per command that uses it. */
static const struct {
	const char *cmd, *what;
} exit1[] = {
	{"certs", "with --expiring DAYS: at least one valid certificate expires within DAYS "
	          "(without --expiring: always 0)"},
	{"lint", "an error-level finding in any FILE"},
	{"match", "the key does not belong to the certificate"},
	{"state check", "a problem in the state (damaged pages, serials, certificates, CRLs, "
	                "passphrase, undelivered certificates)"},
	{"verify", "a certificate would not be accepted at the level asked"},
	{"probe", "the presented chain would not be accepted (with --trust), or the handshake "
	          "did not complete"},
	{"solution lint", "an error-level finding in a node's bundle"},
	{"solution status", "a node needs attention: revoked, changed files, expiring within "
	                    "--expiring DAYS (default 30), or lint errors"},
	{"solution probe", "a node's endpoint failed its probe"},
};

static void man_main(FILE *f)
{
	roff_header(f, "ucpki", "certificates of a unified-communications solution");
	fputs(".SH SYNOPSIS\n.B ucpki\n[\\fIglobal options\\fR] \\fICOMMAND\\fR [\\fIoptions\\fR] "
	      "[\\fIarguments\\fR]\n.br\n.B ucpki \\-\\-help\n.br\n.B ucpki \\-\\-version\n",
	      f);
	fputs(".SH DESCRIPTION\n", f);
	roff_line(f, "ucpki runs the private PKI of a unified-communications solution: it creates "
	             "the CAs, issues a certificate for every device, packages each the way its "
	             "product loads it, checks it against the product's restrictions, verifies it "
	             "in place and renews it.");
	fputs(".PP\n", f);
	roff_line(f, "Global options may be given before or after the command. "
	             "'ucpki COMMAND --help' lists a command's options.");
	fputs(".SH GLOBAL OPTIONS\n", f);
	roff_opts(f, cli_global_opts());
	fputs(".SH COMMANDS\n", f);
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		fputs(".TP\n\\fB", f);
		roff(f, k->name);
		fputs("\\fR\n", f);
		roff_line(f, k->summary);
	}
	fputs(".SH ENVIRONMENT\n", f);
	for (size_t i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++) {
		fputs(".TP\n.B ", f);
		roff_line(f, env_vars[i].name);
		roff_line(f, env_vars[i].what);
	}
	fputs(".SH FILES\n.TP\n.I ../share/ucpki/profiles\n", f);
	roff_line(f, "beside the directory of the ucpki program: the shipped product profiles "
	             "(one YAML file per product); --profiles DIR adds or replaces profiles.");
	fputs(".SH EXIT STATUS\n", f);
	for (size_t i = 0; i < sizeof(exits) / sizeof(exits[0]); i++)
		fprintf(f, ".TP\n.B %s\n%s\n", exits[i].code, exits[i].what);
	fputs(".SH SEE ALSO", f);
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k))
		if (group_first(k))
			fprintf(f, "%s\n.BR ucpki\\-%.*s (1)", k == cli_next_cmd(NULL) ? "" : ",",
			        (int)group_len(k->name), k->name);
	fputc('\n', f);
}

static void man_group(FILE *f, const char *group, size_t n)
{
	const struct cmd *first = NULL;
	char page[64], what[256];
	int count = 0;

	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k))
		if (in_group(k, group, n) && count++ == 0)
			first = k;
	snprintf(page, sizeof(page), "ucpki-%.*s", (int)n, group);
	if (count == 1)
		snprintf(what, sizeof(what), "%s", first->summary);
	else
		snprintf(what, sizeof(what), "the ucpki %.*s commands", (int)n, group);
	roff_header(f, page, what);
	fputs(".SH SYNOPSIS\n", f);
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		if (!in_group(k, group, n))
			continue;
		fputs(".B ucpki ", f);
		roff_line(f, k->name);
		if (*k->usage)
			roff_line(f, k->usage);
		fputs(".br\n", f);
	}
	fputs(".SH DESCRIPTION\n", f);
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		const struct opt *opts;
		if (!in_group(k, group, n))
			continue;
		fputs(".SS \"ucpki ", f);
		roff(f, k->name);
		fputs("\"\n", f);
		roff_line(f, k->summary);
		if ((opts = cmd_opts(k)) != NULL && opts->name) {
			fputs(".PP\nOptions:\n", f);
			roff_opts(f, opts);
		}
	}
	fputs(".SH GLOBAL OPTIONS\n", f);
	roff_line(f, "Every command also takes the global options of ucpki(1), before or after "
	             "the command:");
	roff_opts(f, cli_global_opts());
	fputs(".SH SEE ALSO\n.BR ucpki (1)\n", f);
}

int cli_doc_man(struct cli *c, const char *page)
{
	if (strcmp(page, "list") == 0) {
		printf("ucpki\n");
		for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k))
			if (group_first(k))
				printf("ucpki-%.*s\n", (int)group_len(k->name), k->name);
		return 0;
	}
	if (strcmp(page, "ucpki") == 0) {
		man_main(stdout);
		return 0;
	}
	if (strncmp(page, "ucpki-", 6) == 0) {
		const char *g = page + 6;
		for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k))
			if (in_group(k, g, strlen(g))) {
				man_group(stdout, g, strlen(g));
				return 0;
			}
	}
	return cli_usage(c, "no manual page '%s' (see 'ucpki --man list')", page);
}

/* --- bash completion ------------------------------------------------------- */

/* "--a --b ..." of a table; with_arg: only the options that take a value. */
static void words(FILE *f, const struct opt *opts, int with_arg)
{
	const char *sep = "";

	for (const struct opt *o = opts; o && o->name; o++) {
		if (with_arg && o->type == OPT_FLAG)
			continue;
		fprintf(f, "%s%s%s", sep, dashes(o), o->name);
		sep = " ";
	}
}

static void completion_tables(FILE *f)
{
	fputs("_ucpki_globals='", f);
	words(f, cli_global_opts(), 0);
	fputs("'\n_ucpki_global_args='", f);
	words(f, cli_global_opts(), 1);
	fputs("'\n\n# The first words of the commands, and the subcommands of each group.\n"
	      "_ucpki_top='",
	      f);
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k))
		if (group_first(k))
			fprintf(f, "%s%.*s", k == cli_next_cmd(NULL) ? "" : " ", (int)group_len(k->name),
			        k->name);
	fputs("'\n_ucpki_sub() {\n\tcase $1 in\n", f);
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		size_t n = group_len(k->name);
		int subs = 0;
		if (!group_first(k))
			continue;
		for (const struct cmd *p = k; p; p = cli_next_cmd(p)) {
			if (!in_group(p, k->name, n) || p->name[n] != ' ')
				continue;
			if (subs++ == 0)
				fprintf(f, "\t%.*s) echo '", (int)n, k->name);
			else
				fputc(' ', f);
			fputs(p->name + n + 1, f);
		}
		if (subs)
			fprintf(f, "' ;;\n");
	}
	fputs("\tesac\n}\n\n# Each command's options (all; those that take a value).\n"
	      "_ucpki_opts() {\n\tcase $1 in\n",
	      f);
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		const struct opt *opts = cmd_opts(k);
		fprintf(f, "\t'%s') echo '", k->name);
		words(f, opts, 0);
		fputs(" --help' ;;\n", f);
	}
	fputs("\tesac\n}\n_ucpki_opt_args() {\n\tcase $1 in\n", f);
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		fprintf(f, "\t'%s') echo '", k->name);
		words(f, cmd_opts(k), 1);
		fputs("' ;;\n", f);
	}
	fputs("\tesac\n}\n", f);
}

/* The completion function itself: it needs nothing from bash-completion.
 * It finds the command among the words before the cursor (skipping options
 * and the values of those that take one), then offers: option names after
 * '-', files after an option that takes a value, the first words of the
 * commands, a group's subcommands, else files. */
static const char completion_body[] =
	"\n"
	"_ucpki_has() { case \" $1 \" in *\" $2 \"*) return 0 ;; esac; return 1; }\n"
	"\n"
	"_ucpki() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd='' group='' second='' i w\n"
	"\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	"\tCOMPREPLY=()\n"
	"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	"\t\tw=${COMP_WORDS[i]}\n"
	"\t\tcase $w in\n"
	"\t\t-*=*) continue ;;\n"
	"\t\t-*)\n"
	"\t\t\t_ucpki_has \"$_ucpki_global_args $(_ucpki_opt_args \"$cmd\")\" \"$w\" && i=$((i + 1))\n"
	"\t\t\tcontinue ;;\n"
	"\t\tesac\n"
	"\t\tif [ -z \"$group\" ]; then\n"
	"\t\t\tgroup=$w\n"
	"\t\t\t[ -n \"$(_ucpki_opts \"$w\")\" ] && cmd=$w\n"
	"\t\telif [ -z \"$second\" ]; then\n"
	"\t\t\tsecond=$w\n"
	"\t\t\t_ucpki_has \"$(_ucpki_sub \"$group\")\" \"$w\" && cmd=\"$group $w\"\n"
	"\t\tfi\n"
	"\tdone\n"
	"\tif _ucpki_has \"$_ucpki_global_args $(_ucpki_opt_args \"$cmd\")\" \"$prev\"; then\n"
	"\t\tcompopt -o filenames 2>/dev/null\n"
	"\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\tif [ \"${cur#-}\" != \"$cur\" ]; then\n"
	"\t\tw=\"$(_ucpki_opts \"$cmd\")\"\n"
	"\t\t[ -z \"$group\" ] && w='--help --version'\n"
	"\t\tCOMPREPLY=($(compgen -W \"$w $_ucpki_globals\" -- \"$cur\"))\n"
	"\telif [ -z \"$group\" ]; then\n"
	"\t\tCOMPREPLY=($(compgen -W \"$_ucpki_top\" -- \"$cur\"))\n"
	"\telif [ -z \"$second\" ]; then\n"
	"\t\tCOMPREPLY=($(compgen -W \"$(_ucpki_sub \"$group\")\" -- \"$cur\"))\n"
	"\tfi\n"
	"\tif [ ${#COMPREPLY[@]} -eq 0 ] && [ \"${cur#-}\" = \"$cur\" ]; then\n"
	"\t\tcompopt -o filenames 2>/dev/null\n"
	"\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	"\tfi\n"
	"\treturn 0\n"
	"}\n"
	"complete -F _ucpki ucpki\n";

int cli_doc_completion(struct cli *c, const char *shell)
{
	if (strcmp(shell, "bash") != 0)
		return cli_usage(c, "no completion for shell '%s' (only bash)", shell);
	printf("# bash completion for ucpki %s, generated from its option tables\n"
	       "# ('ucpki --completion bash'); do not edit.\n\n",
	       UCPKI_VERSION);
	completion_tables(stdout);
	fputs(completion_body, stdout);
	return 0;
}

/* --- plain dump ------------------------------------------------------------ */

static void dump_opts(const char *cmd, const struct opt *opts)
{
	for (const struct opt *o = opts; o && o->name; o++) {
		printf("option\t%s\t%s%s\t%s\t%s\t", cmd, dashes(o), o->name, o->arg ? o->arg : "",
		       type_name(o->type));
		if (o->type == OPT_INT)
			printf("%d..%d", o->min, o->max);
		printf("\t%s\t", o->help);
		each_alias(stdout, o, " ", 0);
		printf("\t%s\n", o->env ? o->env : "");
	}
}

/* Lines "command NAME USAGE SUMMARY" and "option COMMAND --NAME ARG TYPE RANGE
 * HELP ALIASES ENV", tab-separated (ALIASES: the old spellings, "--a --b";
 * ENV: the variables read, current first); global options have the command
 * "" and come first. */
int cli_doc_dump(struct cli *c, const char *unused)
{
	dump_opts("", cli_global_opts());
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		printf("command\t%s\t%s\t%s\n", k->name, k->usage, k->summary);
		dump_opts(k->name, cmd_opts(k));
	}
	return 0;
}

/* --- docs/options.md --------------------------------------------------------- */

/* The words every command uses the same way, with what they mean. The
 * commands, old spellings and environment variables of each come from the
 * option tables. */
static const struct {
	const char *name, *meaning;
} vocab[] = {
	{"state-pass-file", "the state passphrase that protects the CA keys (a global option)"},
	{"password-file", "the password of the input: the file read, or the keystore a keystore "
	                  "command opens"},
	{"new-password-file", "the password of the output: the file or key written, a keystore's "
	                      "new password"},
	{"key-password-file", "the password of a private key apart from its container: a "
	                      "keystore entry's key, the --key file of convert and probe"},
	{"new-key-password-file", "the key password of a written JKS entry (default: the new "
	                          "password)"},
	{"cert-password-file", "the password of the --cert PKCS#12 file of probe and its test "
	                       "server"},
	{"trust-password-file", "the password of a PKCS#12 / JKS trust store given to --trust"},
	{"src-password-file", "import-keystore: the source store's password"},
	{"dest-password-file", "import-keystore: the destination store's password"},
	{"src-key-password-file", "import-keystore: the source entries' key password"},
	{"dest-key-password-file", "import-keystore: the destination entries' key password"},
	{"format", "the encoding of what is written: pem or der (convert: pem, der, pkcs1, pkcs8, "
	           "p12, jks, p7b)"},
	{"key-spec", "a key to generate: rsa:2048, rsa:3072, rsa:4096, ec:p256, ec:p384, ed25519"},
	{"key", "an existing private key file"},
	{"timeout", "a network timeout in milliseconds"},
	{"connect-timeout", "probe: the TCP connect part of --timeout, when it should differ"},
	{"host", "the DNS name the device connects to: the identity checked at level full (probe: "
	         "also the SNI when --servername is not given)"},
	{"ip", "the IP address the device connects to: the identity checked at level full"},
	{"servername", "probe: the SNI sent (default --host, else HOST when it is a name); the "
	               "identity checked when neither --host nor --ip is given"},
	{"force", "replace an output file that exists; without it an existing output is refused "
	          "(exit 2, one line, nothing written)"},
};

/* A growing line of text, cut (never overrun) at its size. */
struct line {
	char s[2048];
	size_t n;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (l->n >= sizeof(l->s))
		return;
	va_start(ap, fmt);
	k = vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		l->n = l->n + (size_t)k < sizeof(l->s) ? l->n + (size_t)k : sizeof(l->s) - 1;
}

/* Each (command, entry) of every table: global options first (command NULL). */
struct doc_opt {
	const char *cmd;
	const struct opt *o;
};

static int collect(struct doc_opt *v, int max)
{
	int n = 0;

	for (const struct opt *o = cli_global_opts(); o->name && n < max; o++)
		v[n++] = (struct doc_opt){NULL, o};
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k))
		for (const struct opt *o = cmd_opts(k); o && o->name && n < max; o++)
			v[n++] = (struct doc_opt){k->name, o};
	return n;
}

static const char *cmd_label(const char *cmd)
{
	return cmd ? cmd : "global";
}

/* Does the space-separated list have the word w[0..n)? */
static int has_word(const char *list, const char *w, size_t n)
{
	while (list && *list) {
		size_t k = strcspn(list, " ");
		if (k == n && strncmp(list, w, n) == 0)
			return 1;
		list += k;
		list += strspn(list, " ");
	}
	return 0;
}

/* Texts each with the commands it applies to, in order of first appearance:
 * "`--storepass-file` (keystore list, keystore delete)". */
struct groups {
	struct {
		char text[160];
		struct line cmds;
	} g[48];
	int n;
};

static void group_add(struct groups *gs, const char *text, const char *cmd)
{
	int i;

	for (i = 0; i < gs->n; i++)
		if (strcmp(gs->g[i].text, text) == 0)
			break;
	if (i == gs->n) {
		if (gs->n == (int)(sizeof(gs->g) / sizeof(gs->g[0])))
			return;
		snprintf(gs->g[i].text, sizeof(gs->g[i].text), "%s", text);
		gs->g[i].cmds.n = 0;
		gs->g[i].cmds.s[0] = '\0';
		gs->n++;
	}
	add(&gs->g[i].cmds, "%s%s", gs->g[i].cmds.n ? ", " : "", cmd_label(cmd));
}

static void group_print(const struct groups *gs, const char *sep)
{
	for (int i = 0; i < gs->n; i++)
		printf("%s%s (%s)", i ? sep : "", gs->g[i].text, gs->g[i].cmds.s);
}

/* "`--a`, `--b`" of an entry's old spellings. */
static void alias_text(const struct opt *o, char *buf, size_t len)
{
	const char *p = o->alias;
	size_t used = 0;

	buf[0] = '\0';
	while (p && *p && used < len) {
		size_t k = strcspn(p, " "), w = strcspn(p, "= ");
		int r = snprintf(buf + used, len - used, "%s`--%.*s`", used ? ", " : "", (int)w, p);
		if (r < 0)
			break;
		used += (size_t)r;
		p += k;
		p += strspn(p, " ");
	}
}

/* One vocabulary row: the commands, old spellings and variables of name. */
static void vocab_row(const struct doc_opt *v, int n, const char *name, const char *meaning)
{
	static struct groups old, env;
	struct line cmds = {.n = 0};
	char text[160];

	old.n = env.n = 0;
	cmds.s[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i].o->name, name) != 0)
			continue;
		add(&cmds, "%s%s", cmds.n ? ", " : "", cmd_label(v[i].cmd));
		if (v[i].o->alias) {
			alias_text(v[i].o, text, sizeof(text));
			group_add(&old, text, v[i].cmd);
		}
		if (v[i].o->env) {
			snprintf(text, sizeof(text), "`%.*s`", (int)strcspn(v[i].o->env, " "), v[i].o->env);
			group_add(&env, text, v[i].cmd);
		}
	}
	printf("| `--%s` | %s | %s | ", name, meaning, cmds.s);
	group_print(&old, "; ");
	printf(" | ");
	group_print(&env, "; ");
	printf(" |\n");
}

/* The environment variables, each with the options and commands reading it. */
static void env_old_rows(const struct doc_opt *v, int n)
{
	static struct groups where;
	char text[160];

	for (size_t e = 0; e < sizeof(env_vars) / sizeof(env_vars[0]); e++) {
		const char *name = env_vars[e].name;
		where.n = 0;
		for (int i = 0; i < n; i++)
			if (v[i].o->env && has_word(v[i].o->env, name, strlen(name))) {
				snprintf(text, sizeof(text), "`--%s`", v[i].o->name);
				group_add(&where, text, v[i].cmd);
			}
		printf("| `%s` | %s | ", name, env_vars[e].what);
		group_print(&where, ", ");
		printf(" |\n");
	}
}

/* Names in the tables the generator does not know are a drift: refuse. */
static int doc_check(struct cli *c, const struct doc_opt *v, int n)
{
	for (size_t w = 0; w < sizeof(vocab) / sizeof(vocab[0]); w++) {
		int found = 0;
		for (int i = 0; i < n && !found; i++)
			found = strcmp(v[i].o->name, vocab[w].name) == 0;
		if (!found)
			return cli_usage(c, "--%s is in the vocabulary but in no option table",
			                 vocab[w].name);
	}
	for (int i = 0; i < n; i++) {
		const char *p = v[i].o->env;
		while (p && *p) {
			size_t k = strcspn(p, " ");
			int known = 0;
			for (size_t e = 0; e < sizeof(env_vars) / sizeof(env_vars[0]) && !known; e++)
				known = strlen(env_vars[e].name) == k && strncmp(env_vars[e].name, p, k) == 0;
			if (!known)
				return cli_usage(c, "%.*s (--%s) is not described in the environment list",
				                 (int)k, p, v[i].o->name);
			p += k;
			p += strspn(p, " ");
		}
	}
	for (size_t e = 0; e < sizeof(exit1) / sizeof(exit1[0]); e++) {
		const struct cmd *k = cli_next_cmd(NULL);
		while (k && strcmp(k->name, exit1[e].cmd) != 0)
			k = cli_next_cmd(k);
		if (k == NULL)
			return cli_usage(c, "exit status of '%s': no such command", exit1[e].cmd);
	}
	return 0;
}

/* docs/options.md, whole: 'ucpki --doc-options > docs/options.md'. */
int cli_doc_options(struct cli *c, const char *unused)
{
	static struct doc_opt v[2048];
	int n = collect(v, (int)(sizeof(v) / sizeof(v[0])));

	if (doc_check(c, v, n) != 0)
		return 2;
	printf("# Options, environment and exit status\n\n"
	       "<!-- Generated by 'ucpki --doc-options' from the option tables of the command; "
	       "do not edit.\n     tests/cli/global/test_options_doc.sh fails when this file "
	       "differs. -->\n\n"
	       "Every command uses the same words for the same things. Global options may be "
	       "given before or after the command. An option's value is the next word or "
	       "follows `=` (`--timeout=3000`).\n\n");
	printf("## Vocabulary\n\n"
	       "| option | meaning | commands | old spellings | environment |\n"
	       "|---|---|---|---|---|\n");
	for (size_t w = 0; w < sizeof(vocab) / sizeof(vocab[0]); w++)
		vocab_row(v, n, vocab[w].name, vocab[w].meaning);
	printf("\nAn environment variable is read only when its option is not given; the "
	       "first set one of the option's variables (the current name, then the old one) "
	       "is used.\n\n");
	printf("## Old spellings (kept for one release)\n\n"
	       "An old spelling works exactly like its new name and prints one line on "
	       "standard error (not with `--quiet`):\n\n"
	       "    ucpki: warning: --pass-file is deprecated, use --state-pass-file\n\n"
	       "| old spelling | use instead | in |\n|---|---|---|\n");
	{
		static struct groups pairs;
		char text[200];
		pairs.n = 0;
		for (int i = 0; i < n; i++) {
			const char *p = v[i].o->alias;
			while (p && *p) {
				size_t k = strcspn(p, " "), w = strcspn(p, "= ");
				if (w < k)
					snprintf(text, sizeof(text), "| `--%.*s` | `--%s %.*s` |", (int)w, p,
					         v[i].o->name, (int)(k - w - 1), p + w + 1);
				else
					snprintf(text, sizeof(text), "| `--%.*s` | `--%s` |", (int)w, p,
					         v[i].o->name);
				group_add(&pairs, text, v[i].cmd);
				p += k;
				p += strspn(p, " ");
			}
		}
		for (int i = 0; i < pairs.n; i++)
			printf("%s %s |\n", pairs.g[i].text, pairs.g[i].cmds.s);
	}
	printf("\n`--pass-file` was the state passphrase globally, but the output's password in "
	       "`convert` and the input's password in `show` and `match`. It keeps the meaning "
	       "each command gave it, before or after the command (`ucpki --pass-file F convert "
	       "...` still protects the output with F), and its warning says which it is:\n\n"
	       "    ucpki: warning: --pass-file is deprecated, use --new-password-file (in "
	       "'convert' it is the password of the output: PKCS#12, JKS, encrypted key, not "
	       "the global --state-pass-file)\n\n"
	       "The state passphrase (`--state-pass-file`, `$UCPKI_STATE_PASS`) is never used "
	       "as a file's password.\n\n");
	printf("## Outputs\n\n"
	       "A command that writes a file named by an option (`--out`, `--out-cert`, "
	       "`--out-key`, `--out-chain`, `--save-chain`, `--save-ca`, `state backup FILE`) "
	       "never replaces one that exists without `--force`: it says so in one line, exits 2 "
	       "and writes nothing. `--force` never replaces a device, directory or FIFO. Two "
	       "kinds of target are edited in place by design instead: the keystore a `keystore "
	       "import-ca|import-keystore|delete|passwd` command names (the previous file is kept "
	       "as `STORE.bak`), and the output tree of `solution issue --out DIR`, which is "
	       "replaced whole only when ucpki wrote it (it holds `manifest.json`); any other "
	       "existing directory there is refused.\n\n");
	printf("## Environment variables\n\n| variable | meaning | read for |\n|---|---|---|\n");
	env_old_rows(v, n);
	printf("\n## Exit status\n\n| status | meaning |\n|---|---|\n");
	for (size_t i = 0; i < sizeof(exits) / sizeof(exits[0]); i++)
		printf("| %s | %s |\n", exits[i].code, exits[i].what);
	printf("\nStatus 1, per command (every other command exits 0 or 2):\n\n"
	       "| command | exit 1 when |\n|---|---|\n");
	for (size_t i = 0; i < sizeof(exit1) / sizeof(exit1[0]); i++)
		printf("| `%s` | %s |\n", exit1[i].cmd, exit1[i].what);
	return 0;
}
