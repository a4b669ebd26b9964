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

/* Environment variables the command reads. */
static const struct {
	const char *name, *what;
} env_vars[] = {
	{"UCPKI_STATE", "the state directory when --state is not given (default ./ucpki-state)"},
	{"UCPKI_PASSPHRASE", "the state's CA key passphrase when --pass-file is not given"},
	{"UCPKI_PROFILES", "the directory of the shipped product profiles, instead of the one "
	                   "installed with ucpki"},
	{"UCPKI_FILE_PASSWORD", "the password of an input file (PKCS#12, encrypted key) where a "
	                        "command has no password file option given"},
	{"UCPKI_IN_PASS", "convert: the input's password"},
	{"UCPKI_OUT_PASS", "convert: the output's password"},
	{"UCPKI_STOREPASS", "keystore: the store password"},
	{"UCPKI_KEYPASS", "keystore: the key password (default the store password)"},
	{"UCPKI_SRC_STOREPASS", "keystore import-keystore: the source store's password"},
};

/* Exit statuses every command shares. */
static const struct {
	const char *code, *what;
} exits[] = {
	{"0", "success"},
	{"1", "a check failed (a lint error, a verification failure, a problem found)"},
	{"2", "usage or input error, with one line on standard error naming the file or option"},
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
		printf("\t%s\n", o->help);
	}
}

/* Lines "command NAME USAGE SUMMARY" and "option COMMAND --NAME ARG TYPE RANGE
 * HELP", tab-separated; global options have the command "" and come first. */
int cli_doc_dump(struct cli *c, const char *unused)
{
	dump_opts("", cli_global_opts());
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		printf("command\t%s\t%s\t%s\n", k->name, k->usage, k->summary);
		dump_opts(k->name, cmd_opts(k));
	}
	return 0;
}
