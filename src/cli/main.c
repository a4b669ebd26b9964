/* ucpki: entry point, the options in place of a command, the command table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"

const struct cmd cmds_core[] = {
	{"init", cmd_init, "", "Create the state directory and its database."},
	{"pki create", cmd_pki_create, "NAME [--desc TEXT]", "Create a PKI (a namespace for CAs)."},
	{"pki list", cmd_pki_list, "", "List PKIs."},
	{"ca create", cmd_ca_create, "PKI/CA --subject DN [--parent PKI/CA] [options]",
	 "Create a self-signed root CA, or a subordinate CA signed by --parent."},
	{"ca import", cmd_ca_import, "PKI/CA --p12 FILE [--password-file F]",
	 "Import a CA certificate, key and chain from a customer's PKCS#12 file."},
	{"ca list", cmd_ca_list, "[--pki NAME]", "List CAs with their place in the hierarchy."},
	{"ca export", cmd_ca_export, "PKI/CA [--chain] [--format pem|der] [--out FILE] [--force]",
	 "Write a CA certificate (with --chain: up to the root)."},
	{"issue", cmd_issue,
	 "--ca PKI/CA (--subject DN | --template DN --cn VALUE) --out-cert F --out-key F [options]",
	 "Issue a certificate for a new key pair."},
	{"sign", cmd_sign, "--ca PKI/CA --csr FILE --out-cert F [options]",
	 "Issue a certificate for a certificate signing request."},
	{"revoke", cmd_revoke, "--ca PKI/CA SERIAL [--reason R]", "Revoke a certificate."},
	{"crl", cmd_crl, "--ca PKI/CA [--out FILE] [--format pem|der] [--days N] [--force]",
	 "Write a signed CRL of the CA's revoked certificates."},
	{"certs", cmd_certs, "[--ca PKI/CA] [--expiring DAYS]",
	 "List issued certificates (with --expiring: exit 1 when one expires within DAYS)."},
	{"show", cmd_show, "FILE [--password-file F]",
	 "Describe any certificate, key, CSR, CRL, PKCS#12 or PKCS#7 file."},
	{"state check", cmd_state_check, "",
	 "Check the state: database pages, serials, stored certificates and CRLs, passphrase; "
	 "exit 1 on any problem."},
	{"state backup", cmd_state_backup, "FILE [--force]",
	 "Write a consistent copy of the state database (mode 0600) while it is in use."},
	{"match", cmd_match, "CERT KEY [--password-file F]",
	 "Tell whether a private key belongs to a certificate (exit 1 if not)."},
	CMD_END,
};

/* Every command group; each group file defines its own table. */
static const struct cmd *const groups[] = {
	cmds_core, cmds_formats, cmds_solution, cmds_verify, cmds_server,
};

/* Iterate over all commands: returns NULL after the last. */
const struct cmd *cli_next_cmd(const struct cmd *prev)
{
	size_t g = 0;

	if (prev == NULL)
		return groups[0]->name ? groups[0] : cli_next_cmd(groups[0]);
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		const struct cmd *t = groups[g];
		const struct cmd *end = t;
		while (end->name)
			end++;
		if (prev >= t && prev <= end) {
			if (prev < end && prev[1].name)
				return prev + 1;
			for (g++; g < sizeof(groups) / sizeof(groups[0]); g++)
				if (groups[g]->name)
					return groups[g];
			return NULL;
		}
	}
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ucpki [global options] COMMAND [options] [arguments]\n\ncommands:\n");
	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k))
		fprintf(f, "  %-24s %s\n", k->name, k->summary);
	fprintf(f, "\nglobal options (before or after the command):\n");
	cli_print_opts(f, cli_global_opts());
	fprintf(f, "\n'ucpki COMMAND --help' describes a command's options.\n");
}

static int top_help(struct cli *c, const char *arg)
{
	usage(stdout);
	return 0;
}

static int top_version(struct cli *c, const char *arg)
{
	printf("ucpki %s (%s)\n", UCPKI_VERSION, OpenSSL_version(OPENSSL_VERSION));
	return 0;
}

/* Options that stand in place of a command. The last four are for the
 * build (man pages, completion) and for tests; --help does not list them. */
static const struct top_opt {
	const char *name;      /* without "--"; one letter = "-x" */
	const char *arg;       /* its value, or NULL */
	int (*run)(struct cli *c, const char *arg);
} top_opts[] = {
	{"help", NULL, top_help},
	{"h", NULL, top_help},
	{"version", NULL, top_version},
	{"man", "PAGE", cli_doc_man},
	{"completion", "SHELL", cli_doc_completion},
	{"dump-options", NULL, cli_doc_dump},
	{"doc-options", NULL, cli_doc_options},
};

/* Run the option argv[0] of top_opts (its value "--opt=V" or argv[1]). */
static int run_top(struct cli *c, int argc, char **argv)
{
	const char *a = argv[0], *name = a + (a[1] == '-' ? 2 : 1), *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);

	for (size_t i = 0; i < sizeof(top_opts) / sizeof(top_opts[0]); i++) {
		const struct top_opt *t = &top_opts[i];
		if (strlen(t->name) != len || strncmp(t->name, name, len) != 0)
			continue;
		if (t->arg == NULL && eq)
			return cli_usage(c, "option --%s takes no value", t->name);
		if (t->arg && !eq && argc < 2)
			return cli_usage(c, "option --%s needs a value (%s)", t->name, t->arg);
		return t->run(c, t->arg == NULL ? NULL : eq ? eq + 1 : argv[1]);
	}
	return cli_usage(c, "unknown option '%s' (see 'ucpki --help')", a);
}

/* The longest command name matching the leading words. */
static const struct cmd *find_cmd(int argc, char **argv, int *used)
{
	const struct cmd *best = NULL;

	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		const char *name = k->name;
		const char *sp = strchr(name, ' ');
		if (sp == NULL) {
			if (argc >= 1 && strcmp(argv[0], name) == 0 && best == NULL) {
				best = k;
				*used = 1;
			}
		} else if (argc >= 2 && strncmp(argv[0], name, (size_t)(sp - name)) == 0 &&
		           argv[0][sp - name] == '\0' && strcmp(argv[1], sp + 1) == 0) {
			best = k;
			*used = 2;
		}
	}
	return best;
}

static int group_help(const char *group)
{
	int found = 0;

	for (const struct cmd *k = cli_next_cmd(NULL); k; k = cli_next_cmd(k)) {
		const char *name = k->name;
		size_t n = strlen(group);
		if (strncmp(name, group, n) == 0 && name[n] == ' ') {
			if (!found)
				fprintf(stderr, "usage: ucpki %s SUBCOMMAND ...\n\nsubcommands:\n", group);
			fprintf(stderr, "  %-22s %s\n", name, k->summary);
			found = 1;
		}
	}
	return found;
}

int main(int argc, char **argv)
{
	struct cli c;
	const struct cmd *cmd;
	int used = 0, rc;

	memset(&c, 0, sizeof(c));
	c.lock_timeout = OPT_UNSET;
	argc--;
	argv++;
	if (cli_parse_globals(&c, argc, argv, &used) != 0)
		return 2;
	argc -= used;
	argv += used;
	if (argc > 0 && argv[0][0] == '-')
		return run_top(&c, argc, argv);
	if (argc == 0) {
		usage(stderr);
		return 2;
	}
	if ((cmd = find_cmd(argc, argv, &used)) == NULL) {
		if (!group_help(argv[0]))
			fprintf(stderr, "ucpki: unknown command '%s' (see 'ucpki --help')\n", argv[0]);
		return 2;
	}
	rc = cmd->run(&c, argc - used, argv + used);
	fflush(stdout);
	ucpki_state_free(c.st);
	json_decref(c.out);
	for (int i = 0; i < c.n_joined; i++)
		free(c.joined[i]);
	return rc;
}
