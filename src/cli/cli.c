/* Option parsing, error reporting, state opening and JSON output. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ucpki/file.h"

/* Options every command accepts, anywhere on the line. */
static const struct opt global_opts[] = {
	{"state", OPT_STR, offsetof(struct cli, state_dir), "DIR",
	 "state directory (default $UCPKI_STATE or ./ucpki-state)"},
	{"state-pass-file", OPT_STR, offsetof(struct cli, pass_file), "FILE",
	 "state passphrase (CA keys) file (default $UCPKI_STATE_PASS)", OPT_ALIAS("pass-file"),
	 OPT_ENV("UCPKI_STATE_PASS UCPKI_PASSPHRASE")},
	{"profiles", OPT_STR, offsetof(struct cli, profiles_dir), "DIR",
	 "extra product profiles directory"},
	{"json", OPT_FLAG, offsetof(struct cli, json), NULL, "print one JSON document"},
	{"quiet", OPT_FLAG, offsetof(struct cli, quiet), NULL, "no warnings or progress"},
	{"lock-timeout", OPT_INT, offsetof(struct cli, lock_timeout), "SECONDS",
	 "wait this long for another writer of the same store, tree or state (default 30)",
	 OPT_RANGE(0, 86400)},
	OPT_END,
};


void cli_print_opts(FILE *f, const struct opt *opts)
{
	for (const struct opt *o = opts; o && o->name; o++) {
		char left[64];
		if (o->name[1] == '\0')
			snprintf(left, sizeof(left), "-%s%s%s", o->name, o->arg ? " " : "",
			         o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
			         o->arg ? o->arg : "");
		fprintf(f, "  %-28s %s", left, o->help);
		if (o->type == OPT_INT)
			fprintf(f, " [%d..%d]", o->min, o->max);
		if (o->alias) {
			const char *a = o->alias;
			fputs(" (old: ", f);
			while (*a) {
				size_t n = strcspn(a, " ");
				fprintf(f, "%s--%.*s", a == o->alias ? "" : ", ", (int)n, a);
				a += n;
				a += strspn(a, " ");
			}
			fputc(')', f);
		}
		fputc('\n', f);
	}
}

/* A numeric option without a usable range is a bug in the command's table:
 * refuse to run rather than accept any number. */
static const struct opt *bad_range(const struct opt *opts)
{
	for (const struct opt *o = opts; o && o->name; o++)
		if (o->type == OPT_INT && o->min >= o->max)
			return o;
	return NULL;
}

static void print_help(const struct cmd *cmd, const struct opt *opts)
{
	printf("usage: ucpki %s %s\n\n%s\n\noptions:\n", cmd->name, cmd->usage, cmd->summary);
	cli_print_opts(stdout, opts);
	printf("\nglobal options:\n");
	cli_print_opts(stdout, global_opts);
}

/* The entry of opts named name[0..len) or, with *alias set to it, one of its
 * old spellings (*alen its length, *implied the value of a "NAME=VALUE" old
 * flag, its length *ilen). */
static const struct opt *find_opt(const struct opt *opts, const char *name, size_t len,
                                  const char **alias, size_t *alen, const char **implied,
                                  size_t *ilen)
{
	*alias = *implied = NULL;
	*alen = *ilen = 0;
	for (const struct opt *o = opts; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	for (const struct opt *o = opts; o && o->name; o++) {
		const char *a = o->alias;
		while (a && *a) {
			size_t n = strcspn(a, " "), k = strcspn(a, "= ");
			if (k == len && strncmp(a, name, len) == 0) {
				*alias = a;
				*alen = k;
				if (k < n) {
					*implied = a + k + 1;
					*ilen = n - k - 1;
				}
				return o;
			}
			a += n;
			a += strspn(a, " ");
		}
	}
	return NULL;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* Set o's field from value; errors name the option as it was spelled. */
static int set_opt(struct cli *c, const struct opt *o, const char *spelled, void *base,
                   const char *value)
{
	char *field = (char *)base + o->off;

	switch (o->type) {
	case OPT_FLAG:
		*(int *)(void *)field = 1;
		return 0;
	case OPT_STR:
		*(const char **)(void *)field = value;
		return 0;
	case OPT_INT: {
		int v;
		if (parse_int(value, &v) != 0)
			return cli_usage(c, "--%s needs a whole number (%d..%d), not '%s'", spelled,
			                 o->min, o->max, value);
		if (v < o->min || v > o->max)
			return cli_usage(c, "--%s %d is out of range (%d..%d)", spelled, v, o->min,
			                 o->max);
		*(int *)(void *)field = v;
		return 0;
	}
	case OPT_LIST: {
		const char **slot = (const char **)(void *)field;
		size_t n;
		char *j;
		if (*slot == NULL) {
			*slot = value;
			return 0;
		}
		if (c->n_joined == (int)(sizeof(c->joined) / sizeof(c->joined[0])))
			return cli_usage(c, "--%s given too many times", spelled);
		n = strlen(*slot) + strlen(value) + 2;
		if ((j = malloc(n)) == NULL)
			return cli_usage(c, "out of memory");
		snprintf(j, n, "%s,%s", *slot, value);
		c->joined[c->n_joined++] = j;
		*slot = j;
		return 0;
	}
	}
	return 0;
}

const struct opt *cli_global_opts(void)
{
	return global_opts;
}

/* Remember an old spelling used (warned by cli_parse, once each). */
static int note_alias(struct cli *c, const struct opt *o, const char *spelling, size_t len,
                      const char *value, const char *prev, int global, int implied)
{
	struct cli_alias_use *u;
	char *sp;

	if (c->n_aliases == (int)(sizeof(c->aliases) / sizeof(c->aliases[0])) ||
	    c->n_joined == (int)(sizeof(c->joined) / sizeof(c->joined[0])))
		return cli_usage(c, "too many old option spellings");
	if ((sp = strndup(spelling, len)) == NULL)
		return cli_usage(c, "out of memory");
	c->joined[c->n_joined++] = sp;
	u = &c->aliases[c->n_aliases++];
	u->o = o;
	u->spelling = sp;
	u->value = value;
	u->prev = prev;
	u->global = global;
	u->implied = implied;
	return 0;
}

/* One option word, argv[*i], looked up in opts (filling args) and then in the
 * global options (filling c); its value is "--opt=VALUE" or the next word.
 * Returns 0 when taken (*i on its last word), 1 when it is in neither table
 * (nothing printed), 2 after a one-line usage error. */
static int take_opt(struct cli *c, const struct opt *opts, void *args, int argc, char **argv,
                    int *i)
{
	const char *a = argv[*i], *name, *eq, *value = NULL, *alias, *implied, *prev = NULL;
	const struct opt *o;
	void *base = args;
	size_t len, alen, ilen;
	int global = 0;

	name = a + (a[1] == '-' ? 2 : 1);
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	if ((o = find_opt(opts, name, len, &alias, &alen, &implied, &ilen)) == NULL) {
		if ((o = find_opt(global_opts, name, len, &alias, &alen, &implied, &ilen)) == NULL)
			return 1;
		base = c;
		global = 1;
	}
	if (implied) {
		char *v;
		if (eq)
			return cli_usage(c, "option --%.*s takes no value", (int)alen, alias);
		if (c->n_joined == (int)(sizeof(c->joined) / sizeof(c->joined[0])) ||
		    (v = strndup(implied, ilen)) == NULL)
			return cli_usage(c, "out of memory");
		c->joined[c->n_joined++] = v;
		value = v;
	} else if (o->type == OPT_FLAG) {
		if (eq)
			return cli_usage(c, "option --%.*s takes no value", (int)len, name);
	} else if (eq) {
		value = eq + 1;
	} else if (*i + 1 < argc) {
		value = argv[++*i];
	} else {
		return cli_usage(c, "option --%.*s needs a value (%s)", (int)len, name, o->arg);
	}
	if (alias) {
		if (o->type == OPT_STR)
			prev = *(const char **)(void *)((char *)base + o->off);
		if (note_alias(c, o, alias, alen, value, prev, global, implied != NULL) != 0)
			return 2;
		return set_opt(c, o, c->aliases[c->n_aliases - 1].spelling, base, value) != 0 ? 2 : 0;
	}
	return set_opt(c, o, o->name, base, value) != 0 ? 2 : 0;
}

/* A global old spelling (given before the command) that the command's table
 * also knows as an old spelling means what the command means by it: the
 * global field gets its value back, the command's field takes the value. */
static int rebind_aliases(struct cli *c, const struct opt *opts, void *args)
{
	for (int i = 0; i < c->n_aliases; i++) {
		struct cli_alias_use *u = &c->aliases[i];
		const struct opt *o;
		const char *alias, *implied;
		size_t alen, ilen;
		if (!u->global ||
		    (o = find_opt(opts, u->spelling, strlen(u->spelling), &alias, &alen, &implied,
		                  &ilen)) == NULL || alias == NULL || implied != NULL)
			continue;
		if (u->o->type == OPT_STR)
			*(const char **)(void *)((char *)c + u->o->off) = u->prev;
		if (set_opt(c, o, u->spelling, args, u->value) != 0)
			return 2;
		u->o = o;
		u->global = 0;
	}
	return 0;
}

/* One line per old spelling used: "ucpki: warning: --pass-file is
 * deprecated, use --state-pass-file". */
static void warn_aliases(struct cli *c)
{
	for (int i = 0; i < c->n_aliases; i++) {
		const struct cli_alias_use *u = &c->aliases[i];
		const struct opt *g;
		const char *ga, *gi;
		size_t gl, gil;
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = strcmp(c->aliases[j].spelling, u->spelling) == 0;
		if (seen || c->quiet)
			continue;
		fprintf(stderr, "ucpki: warning: --%s is deprecated, use --%s", u->spelling, u->o->name);
		if (u->implied)
			fprintf(stderr, " %s", u->value);
		if (!u->global &&
		    (g = find_opt(global_opts, u->spelling, strlen(u->spelling), &ga, &gl, &gi, &gil)))
			fprintf(stderr, " (in '%s' it is the %s, not the global --%s)", c->cmd, u->o->help,
			        g->name);
		fputc('\n', stderr);
	}
}

int cli_parse_globals(struct cli *c, int argc, char **argv, int *used)
{
	const struct opt *bad;
	int i;

	*used = 0;
	if ((bad = bad_range(global_opts)) != NULL)
		return cli_usage(c, "internal error: --%s declares no range of values", bad->name);
	for (i = 0; i < argc; i++) {
		int at = i, rc;
		if (argv[i][0] != '-' || argv[i][1] == '\0' || strcmp(argv[i], "--") == 0)
			break;
		if ((rc = take_opt(c, NULL, NULL, argc, argv, &i)) == 2)
			return 2;
		if (rc == 1) {
			i = at;
			break;
		}
	}
	*used = i;
	return 0;
}

int cli_parse(struct cli *c, const struct cmd *cmd, const struct opt *opts, void *args,
              int argc, char **argv, char ***pos, int *npos, int min_pos, int max_pos,
              int *done)
{
	static char *posbuf[64];
	int n = 0, only_pos = 0;

	const struct opt *bad;

	*done = 0;
	c->cmd = cmd->name;
	if (c->describe) {
		/* Asked for the table only (man pages, completion): do nothing else. */
		c->described = opts;
		*done = 1;
		return 0;
	}
	if ((bad = bad_range(opts)) != NULL || (bad = bad_range(global_opts)) != NULL) {
		*done = 1;
		return cli_usage(c, "internal error: --%s declares no range of values", bad->name);
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int rc;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (n == (int)(sizeof(posbuf) / sizeof(posbuf[0]))) {
				*done = 1;
				return cli_usage(c, "too many arguments");
			}
			posbuf[n++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_help(cmd, opts);
			*done = 1;
			return 0;
		}
		if ((rc = take_opt(c, opts, args, argc, argv, &i)) != 0) {
			*done = 1;
			if (rc == 1)
				return cli_usage(c, "unknown option '%s' (see 'ucpki %s --help')", a,
				                 cmd->name);
			return 2;
		}
	}
	if (rebind_aliases(c, opts, args) != 0) {
		*done = 1;
		return 2;
	}
	warn_aliases(c);
	if (n < min_pos || (max_pos >= 0 && n > max_pos)) {
		*done = 1;
		return cli_usage(c, "expected %s", cmd->usage);
	}
	*pos = posbuf;
	*npos = n;
	return 0;
}

/* The library's hints in the command's words. */
static const char *const hint_text[UCPKI_HINT_COUNT] = {
	[UCPKI_HINT_FORCE] = "give --force to replace it",
	[UCPKI_HINT_STATE_PASS] = "give --state-pass-file FILE or set UCPKI_STATE_PASS",
	[UCPKI_HINT_STATE_DIR] = "run 'ucpki init' or give --state DIR",
	[UCPKI_HINT_SUBJECT] = "give --subject DN, or --template DN --cn VALUE",
	[UCPKI_HINT_SUBORDINATE] = "create it with 'ucpki ca create NAME --parent PKI/CA'",
};

/* The error in one line on stderr and, with --json, as
 * {"error": {"code", "message", "hint"}} on stdout. */
int cli_fail(struct cli *c)
{
	const char *msg = c->err.msg[0] ? c->err.msg : "failed";
	const char *hint = (unsigned)c->err.hint < UCPKI_HINT_COUNT ? hint_text[c->err.hint] : NULL;

	cli_flush_warnings(c);
	if (hint)
		fprintf(stderr, "ucpki: %s (%s)\n", msg, hint);
	else
		fprintf(stderr, "ucpki: %s\n", msg);
	json_decref(c->out);
	c->out = NULL;
	if (c->json) {
		json_t *o = json_object(), *err = json_object();
		json_object_set_new(err, "code", json_string(ucpki_err_code_name(c->err.code)));
		json_object_set_new(err, "message", json_string(msg));
		if (hint)
			json_object_set_new(err, "hint", json_string(hint));
		json_object_set_new(o, "error", err);
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		fflush(stdout);
		json_decref(o);
	}
	return ucpki_err_exit_status(&c->err);
}

int cli_usage(struct cli *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "ucpki%s%s: %s\n", c->cmd ? " " : "", c->cmd ? c->cmd : "", msg);
	if (c->json) {
		json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", "usage", "message", msg);
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		fflush(stdout);
		json_decref(o);
	}
	return 2;
}

/* The value of the first set (non-empty) variable of a space-separated list. */
static const char *env_first(const char *list)
{
	char name[64];

	while (list && *list) {
		size_t n = strcspn(list, " ");
		const char *v;
		if (n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			if ((v = getenv(name)) != NULL && *v)
				return v;
		}
		list += n;
		list += strspn(list, " ");
	}
	return NULL;
}

const char *cli_state_dir(const struct cli *c)
{
	const char *env = getenv("UCPKI_STATE");

	if (c->state_dir)
		return c->state_dir;
	if (env && *env)
		return env;
	return "./ucpki-state";
}

void cli_state_opts(const struct cli *c, struct ucpki_state_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->dir = cli_state_dir(c);
	o->pass_file = c->pass_file;
	o->passphrase = env_first(cli_opt_env(global_opts, "state-pass-file"));
	if (c->lock_timeout != OPT_UNSET)
		o->lock_timeout_ms = c->lock_timeout == 0 ? -1 : c->lock_timeout * 1000;
}

struct ucpki_state *cli_state(struct cli *c)
{
	struct ucpki_state_opts o;

	if (c->st != NULL)
		return c->st;
	cli_state_opts(c, &o);
	c->st = ucpki_state_open(&o, &c->err);
	return c->st;
}

json_t *cli_json_obj(struct cli *c)
{
	if (c->out == NULL)
		c->out = json_object();
	return c->out;
}

json_t *cli_serial_json(const char *serial)
{
	char buf[256];
	size_t n = 0;

	if (serial == NULL || *serial == '\0')
		return json_null();
	for (const char *p = serial; *p && n < sizeof(buf) - 1; p++)
		if (*p != ':')
			buf[n++] = (char)tolower((unsigned char)*p);
	buf[n] = '\0';
	return json_string(buf);
}

/* One SAN's type as docs/json.md names it: the library writes OpenSSL's
 * spellings ("IP Address", "DirName", ...) or ucpki's ("IP"). */
static const char *san_type(const char *t, size_t n)
{
	static const struct {
		const char *in, *out;
	} names[] = {
		{"DNS", "DNS"}, {"IP", "IP"}, {"IP Address", "IP"}, {"email", "email"},
		{"URI", "URI"}, {"DirName", "dirName"}, {"dirName", "dirName"},
		{"Registered ID", "RID"}, {"RID", "RID"}, {"othername", "otherName"},
		{"otherName", "otherName"}, {"X400Name", "x400Name"}, {"EdiPartyName", "ediPartyName"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].in) == n && strncmp(names[i].in, t, n) == 0)
			return names[i].out;
	return NULL;
}

json_t *cli_sans_json(const char *sans)
{
	json_t *arr = json_array();
	const char *p = sans ? sans : "";

	while (*p) {
		size_t n, tn;
		const char *colon, *type;
		char tbuf[64];

		p += strspn(p, " ,");
		if (*p == '\0')
			break;
		n = strcspn(p, ",");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		colon = memchr(p, ':', n);
		tn = colon ? (size_t)(colon - p) : 0;
		type = colon ? san_type(p, tn) : NULL;
		if (type == NULL) {
			/* not a name the table knows: keep what the library wrote */
			snprintf(tbuf, sizeof(tbuf), "%.*s", colon ? (int)tn : 0, p);
			type = colon && tbuf[0] ? tbuf : "unknown";
		}
		json_array_append_new(arr, json_pack("{s:s, s:s%}", "type", type, "value",
		                                     colon ? colon + 1 : p,
		                                     colon ? n - tn - 1 : n));
		p += strcspn(p, ",");
	}
	return arr;
}

json_t *cli_list_json(const char *list)
{
	json_t *arr = json_array();
	const char *p = list ? list : "";

	while (*p) {
		size_t n;

		p += strspn(p, " ,");
		n = strcspn(p, ",");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0)
			json_array_append_new(arr, json_stringn(p, n));
		p += strcspn(p, ",");
	}
	return arr;
}

void cli_flush_warnings(struct cli *c)
{
	json_t *arr = NULL;

	if (c->warn.n == 0)
		return;
	if (c->json && c->out && json_is_object(c->out))
		arr = json_array();
	for (int i = 0; i < c->warn.n; i++) {
		if (!c->quiet)
			fprintf(stderr, "warning: %s\n", c->warn.msg[i]);
		if (arr)
			json_array_append_new(arr, json_string(c->warn.msg[i]));
	}
	if (arr)
		json_object_set_new(c->out, "warnings", arr);
	c->warn.n = 0;
}

void cli_emit(struct cli *c)
{
	cli_flush_warnings(c);
	if (c->json && c->out) {
		char *s = json_dumps(c->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s) {
			fputs(s, stdout);
			fputc('\n', stdout);
			free(s);
		}
	}
	json_decref(c->out);
	c->out = NULL;
}

int cli_format_der(struct cli *c, const char *format, int *der)
{
	*der = 0;
	if (format == NULL || strcmp(format, "pem") == 0)
		return 0;
	if (strcmp(format, "der") == 0) {
		*der = 1;
		return 0;
	}
	return cli_usage(c, "--format takes pem or der, not '%s'", format);
}

const char *cli_opt_env(const struct opt *opts, const char *name)
{
	for (const struct opt *o = opts; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o->env;
	for (const struct opt *o = global_opts; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o->env;
	return NULL;
}

int cli_password_opt(struct cli *c, const struct opt *opts, const char *name, const char *file,
                     char **out)
{
	return cli_password(c, file, cli_opt_env(opts, name), out);
}

int cli_password(struct cli *c, const char *file, const char *env, char **out)
{
	const char *v;

	*out = NULL;
	if (file)
		return ucpki_secret_read(file, out, &c->err);
	if ((v = env_first(env)) != NULL) {
		if ((*out = strdup(v)) == NULL)
			return ucpki_err_set(&c->err, UCPKI_E_INTERNAL, "out of memory");
	}
	return 0;
}

const struct cmd *cli_cmd(const char *name)
{
	const struct cmd *k;

	for (k = cli_next_cmd(NULL); k; k = cli_next_cmd(k))
		if (strcmp(k->name, name) == 0)
			return k;
	return cli_next_cmd(NULL);
}

json_t *cli_ext_json(const struct ucpki_ext_info *v, int n)
{
	json_t *exts = json_array();

	for (int i = 0; i < n; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "name", json_string(v[i].oid));
		json_object_set_new(x, "critical", json_boolean(v[i].critical));
		json_object_set_new(x, "value", json_string(v[i].value));
		json_array_append_new(exts, x);
	}
	return exts;
}

/* The fields of a certificate every command reports the same way. */
json_t *cli_cert_json(const struct ucpki_certinfo *ci, int with_extensions)
{
	json_t *o = json_object();

	json_object_set_new(o, "subject", json_string(ci->subject));
	json_object_set_new(o, "issuer", json_string(ci->issuer));
	json_object_set_new(o, "serial", cli_serial_json(ci->serial));
	json_object_set_new(o, "not_before", json_string(ci->not_before));
	json_object_set_new(o, "not_after", json_string(ci->not_after));
	json_object_set_new(o, "key", json_string(ci->key_desc));
	json_object_set_new(o, "signature", json_string(ci->sig_alg));
	json_object_set_new(o, "sans", cli_sans_json(ci->sans));
	json_object_set_new(o, "ca", json_boolean(ci->is_ca));
	json_object_set_new(o, "self_signed", json_boolean(ci->self_signed));
	json_object_set_new(o, "sha1", json_string(ci->sha1));
	json_object_set_new(o, "sha256", json_string(ci->sha256));
	json_object_set_new(o, "modulus_md5", ci->modulus_md5[0] ? json_string(ci->modulus_md5) : json_null());
	if (with_extensions)
		json_object_set_new(o, "extensions", cli_ext_json(ci->ext, ci->n_ext));
	return o;
}

int cli_lock_timeout_ms(struct cli *c, int *ms)
{
	*ms = c->lock_timeout == OPT_UNSET ? UCPKI_LOCK_TIMEOUT_MS : c->lock_timeout * 1000;
	return 0;
}
